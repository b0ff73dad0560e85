import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { KarpenterIdentity, KarpenterIdentityProps } from '../addons/karpenter-identity';
import { IIdentityCluster } from '../cluster';
import { BoundKarpenter } from '../identity-spec/bind-karpenter';

/**
 * The karpenter section: its imported node role policies (ids `<id>-Managed<j>`, `-Boundary`),
 * then the `KarpenterIdentity` (id `Karpenter` unless told).
 */
export function buildKarpenter(scope: Construct, cluster: IIdentityCluster, bound: BoundKarpenter,
  permissionsBoundaryArn?: string, id: string = 'Karpenter',
  controller: Pick<KarpenterIdentityProps, 'controllerManagedPolicies' | 'controllerInlinePolicies'> = {}): KarpenterIdentity {
  const managed = bound.nodeRoleManagedPolicies.map((p, j) => p.arn !== undefined
    ? iam.ManagedPolicy.fromManagedPolicyArn(scope, `${id}-Managed${j}`, p.arn)
    : iam.ManagedPolicy.fromAwsManagedPolicyName(p.awsManagedName!));
  return new KarpenterIdentity(scope, id, {
    cluster,
    ...bound.props,
    ...controller,
    nodeRoleManagedPolicies: managed.length > 0 ? managed : undefined,
    permissionsBoundary: permissionsBoundaryArn !== undefined ? iam.ManagedPolicy.fromManagedPolicyArn(scope, `${id}-Boundary`, permissionsBoundaryArn) : undefined,
  });
}
