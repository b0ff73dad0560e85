import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IIdentityCluster } from '../cluster';
import { BoundServiceAccount } from '../identity-spec/bind-service-accounts';
import { WorkloadIdentity } from '../workload-identity';

/** One service account: its imported policies (ids `serviceAccounts[i]-Managed<j>`, `-Boundary`), then its WorkloadIdentity. */
export function buildWorkload(scope: Construct, cluster: IIdentityCluster, sa: BoundServiceAccount): WorkloadIdentity {
  return new WorkloadIdentity(scope, sa.id, {
    cluster,
    ...sa.props,
    ...buildRolePolicies(scope, sa),
  });
}

/** The policies of a created role. */
export interface RolePolicies {
  readonly managedPolicies?: iam.IManagedPolicy[];
  readonly permissionsBoundary?: iam.IManagedPolicy;
}

/** The managed policies and the permissions boundary of a service account's created role (ids `serviceAccounts[i]-Managed<j>`, `-Boundary`). */
export function buildRolePolicies(scope: Construct, sa: BoundServiceAccount): RolePolicies {
  const managed = (sa.managedPolicies ?? []).map((p, j) => p.arn !== undefined
    ? iam.ManagedPolicy.fromManagedPolicyArn(scope, `${sa.field}-Managed${j}`, p.arn)
    : iam.ManagedPolicy.fromAwsManagedPolicyName(p.awsManagedName!));
  const boundary = sa.permissionsBoundaryArn;
  return {
    managedPolicies: managed.length > 0 ? managed : undefined,
    permissionsBoundary: boundary !== undefined ? iam.ManagedPolicy.fromManagedPolicyArn(scope, `${sa.field}-Boundary`, boundary) : undefined,
  };
}
