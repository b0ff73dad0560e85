import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IIdentityCluster } from '../cluster';
import { FargateProfile } from '../fargate/fargate-profile';
import { PodExecutionRole } from '../fargate/pod-execution-role';
import { BoundFargate } from '../identity-spec/bind-fargate';
import { IdentityQuotas } from '../quotas';

/** The fargate section: one pod execution role, then the profiles, chained in spec order. */
export function buildFargate(scope: Construct, cluster: IIdentityCluster, fargate: BoundFargate, quotas?: IdentityQuotas) {
  const boundary = fargate.permissionsBoundaryArn;
  const role = new PodExecutionRole(scope, 'FargatePodExecutionRole', {
    cluster,
    roleName: fargate.roleName,
    path: fargate.path,
    permissionsBoundary: boundary !== undefined ? iam.ManagedPolicy.fromManagedPolicyArn(scope, 'FargatePodExecutionRoleBoundary', boundary) : undefined,
  });
  const profiles = fargate.profiles.map(p => new FargateProfile(scope, p.id, {
    cluster,
    podExecutionRole: role,
    fargateProfileName: p.spec.name,
    selectors: p.spec.selectors ?? [],
    subnetIds: p.spec.subnetIds,
    quotas,
  }));
  return { role, profiles };
}
