import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { onLiteral } from './enforce';
import { checkRoleArn } from '../rules/arns';
import { Finding } from '../rules/finding';
import { checkSessionPolicyLength, checkSessionPolicyTags, checkTargetRole } from '../rules/pod-identity';
import { checkIdentityPolicyProblems } from '../rules/policy-document';
import { checkPolicyDocumentJson } from '../rules/policy-statements';

/** The options of a Pod Identity association beyond the role (structurally `PodIdentityOptions`). */
export interface PodIdentityOptionValues {
  readonly targetRoleArn?: string;
  readonly sessionPolicy?: iam.PolicyDocument;
  readonly disableSessionTags?: boolean;
}

/**
 * The rules of an association's options, with their fields under `prefix` (`''` on the
 * association, `'podIdentity.'` on a WorkloadIdentity): one list, so both report the same.
 * `roleArn` is the association's role ARN (a token is not compared).
 */
export function podIdentityOptionFindings(prefix: string, o: PodIdentityOptionValues, roleArn: string | undefined): Finding[] {
  const literalRole = roleArn !== undefined && !Token.isUnresolved(roleArn) ? roleArn : undefined;
  return [
    ...onLiteral(o.targetRoleArn, a => [...checkRoleArn(`${prefix}targetRoleArn`, a), ...checkTargetRole(`${prefix}targetRoleArn`, a, literalRole)]),
    ...checkSessionPolicyTags(`${prefix}disableSessionTags`, o.sessionPolicy !== undefined, o.disableSessionTags),
    ...onLiteral(o.sessionPolicy?.toJSON(), d => [...checkPolicyDocumentJson(`${prefix}sessionPolicy`, d), ...checkSessionPolicyLength(`${prefix}sessionPolicy`, d)]),
    ...(o.sessionPolicy ? checkIdentityPolicyProblems(`${prefix}sessionPolicy`, o.sessionPolicy.validateForIdentityPolicy(), 'session policy') : []),
  ];
}
