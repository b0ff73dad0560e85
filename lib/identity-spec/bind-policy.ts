import * as iam from 'aws-cdk-lib/aws-iam';
import { PolicyStatementSpec } from './types';
import { isLiteral, onLiteral } from '../private/enforce';
import { checkArnPartition, checkManagedPolicyArn, checkManagedPolicyReference } from '../rules/arns';
import { errorsOf, Finding } from '../rules/finding';
import { checkIdentityPolicyProblems } from '../rules/policy-document';
import { checkPolicyStatements, StatementInput } from '../rules/policy-statements';

/**
 * Spec statements -> a PolicyDocument, and its findings. The statements' grammar is checked first
 * (literal statements only): with an error no PolicyStatement is built, so no aws-cdk-lib message
 * reaches the user; then aws-cdk-lib's own identity-policy checks.
 */
export function bindPolicyDocument(statements: PolicyStatementSpec[], field: string, what: string): { doc: iam.PolicyDocument; findings: Finding[] } {
  const literal = statements.map((s, i) => ({ s, i })).filter(x => isLiteral(x.s));
  const grammar = checkPolicyStatements(field, literal.map(x => x.s as unknown as StatementInput), undefined, literal.map(x => x.i));
  if (errorsOf(grammar).length > 0) return { doc: new iam.PolicyDocument(), findings: grammar };
  const doc = new iam.PolicyDocument({
    statements: statements.map(s => new iam.PolicyStatement({
      sid: s.sid,
      effect: s.effect === 'Deny' ? iam.Effect.DENY : iam.Effect.ALLOW,
      actions: s.actions,
      notActions: s.notActions,
      resources: s.resources,
      notResources: s.notResources,
      conditions: s.conditions,
    })),
  });
  return { doc, findings: checkIdentityPolicyProblems(field, doc.validateForIdentityPolicy(), what) };
}

/** A managed policy of the spec: a policy ARN, or an AWS-managed policy name with its path. */
export interface ManagedPolicyRef {
  readonly arn?: string;
  readonly awsManagedName?: string;
}

export function bindManagedPolicy(field: string, policy: string, region: string): { ref: ManagedPolicyRef; findings: Finding[] } {
  const findings = onLiteral(policy, p => [
    ...checkManagedPolicyReference(field, p),
    ...(p.startsWith('arn:') ? checkArnPartition(field, p, region) : []),
  ]);
  return { ref: policy.startsWith('arn:') ? { arn: policy } : { awsManagedName: policy }, findings };
}

/** A permissions boundary ARN: a managed policy ARN of the cluster's partition. */
export function checkBoundary(field: string, arn: string | undefined, region: string): Finding[] {
  return onLiteral(arn, a => [...checkManagedPolicyArn(field, a), ...checkArnPartition(field, a, region)]);
}
