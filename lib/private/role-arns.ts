import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { onLiteral } from './enforce';
import { checkArnPartition } from '../rules/arns';
import { Finding } from '../rules/finding';

/** The ARNs a role the library creates takes from TypeScript props. */
export interface RolePolicyArns {
  readonly permissionsBoundary?: iam.IManagedPolicy;
  readonly managedPolicies?: iam.IManagedPolicy[];
}

/**
 * The literal managed policy and permissions boundary ARNs of a role built at `scope`, checked
 * against the partition of the role's region (its stack's, else `fallbackRegion`, the cluster's):
 * `arn-partition` findings on `permissionsBoundary` and `managedPolicies[i]`. Policies named
 * through `ManagedPolicy.fromAwsManagedPolicyName` carry the partition as a token and pass.
 */
export function checkRolePolicyArns(scope: IConstruct, props: RolePolicyArns, fallbackRegion?: string): Finding[] {
  const stackRegion = Stack.of(scope).region;
  const region = !Token.isUnresolved(stackRegion) ? stackRegion : fallbackRegion;
  if (region === undefined || Token.isUnresolved(region)) return [];
  return [
    ...onLiteral(props.permissionsBoundary?.managedPolicyArn, a => checkArnPartition('permissionsBoundary', a, region)),
    ...(props.managedPolicies ?? []).flatMap((p, i) => onLiteral(p.managedPolicyArn, a => checkArnPartition(`managedPolicies[${i}]`, a, region))),
  ];
}
