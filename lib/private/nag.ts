import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * A cdk-nag rule that a resource this library adds by itself cannot satisfy, with the reason.
 * Recorded as an acknowledgement in the construct's metadata (aws-cdk-lib `Validations`), which
 * cdk-nag 3 reads: no runtime dependency on cdk-nag, nothing in the template.
 */
export interface NagAcknowledgement {
  /** `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/...]` */
  readonly rule: string;
  readonly reason: string;
}

/** The `Policy::...` finding id cdk-nag's AwsSolutions-IAM4 gives an AWS managed policy. */
export function awsManagedPolicyFinding(name: string): string {
  return `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;
}

export function acknowledgeNag(scope: IConstruct, acks: NagAcknowledgement[]): void {
  Validations.of(scope).acknowledge(...acks.map(a => ({ id: a.rule, reason: `cdk-eks-identity: ${a.reason}` })));
}

/**
 * Acknowledges cdk-nag's AwsSolutions-IAM5 for every wildcard resource of a policy the library
 * writes from an upstream document (an add-on's catalogue policy), with the reason.
 */
export function acknowledgeWildcards(policy: iam.ManagedPolicy, reason: string): void {
  const doc = Stack.of(policy).resolve(policy.document.toJSON()) as { Statement?: Array<{ Resource?: unknown }> };
  const wildcards = [...new Set((doc.Statement ?? []).flatMap(st => ([] as unknown[]).concat(st.Resource ?? [])))]
    .filter((r): r is string => typeof r === 'string' && r.includes('*'));
  acknowledgeNag(policy, wildcards.map(r => ({ rule: `AwsSolutions-IAM5[Resource::${r}]`, reason })));
}
