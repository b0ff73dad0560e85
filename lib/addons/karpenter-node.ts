/**
 * The node side of the Karpenter bundle: the node role (Karpenter's getting-started template:
 * `KarpenterNodeRole-<cluster>`, trusted by EC2, with the AWS managed node policies), its access
 * entry, and the optional instance profile. Internal to `KarpenterIdentity`.
 */
import { Aws, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { KARPENTER_NODE_ROLE_MANAGED_POLICIES } from './karpenter';
import { AccessEntry, AccessEntryType } from '../access/access-entry';
import { AccessPolicy } from '../access/access-policy';
import { IIdentityCluster } from '../cluster';
import { acknowledgeNag, awsManagedPolicyFinding } from '../private/nag';
import { partitionDnsSuffix } from '../rules/arns';
import { registerWorkloadRole } from '../workload-role';

/** The AWS managed policies of an EKS Auto Mode node role (EKS User Guide, auto-create-node-role). */
export const AUTO_MODE_NODE_ROLE_MANAGED_POLICIES = ['AmazonEKSWorkerNodeMinimalPolicy', 'AmazonEC2ContainerRegistryPullOnly'];

/** @internal */
export interface NodeParts {
  readonly role: iam.Role;
  readonly roleName: string;
  readonly literalRoleArn?: string;
  readonly accessEntry?: AccessEntry;
  readonly instanceProfile?: iam.InstanceProfile;
}

/** @internal */
export interface NodeOptions {
  readonly cluster: IIdentityCluster;
  readonly partition: string;
  readonly roleName: string;
  readonly path?: string;
  readonly permissionsBoundary?: iam.IManagedPolicy;
  readonly managedPolicies: iam.IManagedPolicy[];
  readonly autoMode: boolean;
  readonly accessEntry: boolean;
  readonly accessEntryType: AccessEntryType;
  readonly instanceProfile: boolean;
  readonly instanceProfileName?: string;
}

/** The node role, its access entry and instance profile. @internal */
export function createNodeParts(scope: Construct, o: NodeOptions): NodeParts {
  const names = o.autoMode ? AUTO_MODE_NODE_ROLE_MANAGED_POLICIES : KARPENTER_NODE_ROLE_MANAGED_POLICIES;
  const suffix = Token.isUnresolved(o.partition) ? Aws.URL_SUFFIX : partitionDnsSuffix(o.partition);
  const role = new iam.Role(scope, 'NodeRole', {
    roleName: o.roleName,
    path: o.path,
    permissionsBoundary: o.permissionsBoundary,
    // `ec2.${AWS::URLSuffix}` as Karpenter's template writes it (aws-cdk-lib would turn ec2.amazonaws.com.cn into ec2.amazonaws.com)
    assumedBy: iam.ServicePrincipal.fromStaticServicePrincipleName(`ec2.${suffix}`),
    managedPolicies: [...names.map(n => iam.ManagedPolicy.fromAwsManagedPolicyName(n)), ...o.managedPolicies],
    description: Token.isUnresolved(o.cluster.clusterName) ? 'Karpenter node role'
      : `${o.autoMode ? 'EKS Auto Mode' : 'Karpenter'} node role of EKS cluster ${o.cluster.clusterName}`,
  });
  acknowledgeNag(role, names.map(n => ({
    rule: awsManagedPolicyFinding(n),
    reason: o.autoMode ? 'EKS Auto Mode nodes need this AWS managed policy (EKS User Guide, Auto Mode node IAM role)'
      : 'Karpenter nodes need this AWS managed policy (Karpenter getting-started CloudFormation, KarpenterNodeRole)',
  })));
  const literalRoleArn = registerWorkloadRole(scope, role, {
    roleName: o.roleName,
    givenName: o.roleName,
    path: o.path,
    fallbackAccount: o.cluster.account,
    fallbackRegion: o.cluster.region,
    fallbackPartition: o.partition,
    trust: { mechanism: 'other' },
    checkInlinePolicySize: false,
  });
  const accessEntry = o.accessEntry ? new AccessEntry(scope, 'NodeAccessEntry', {
    cluster: o.cluster,
    principal: role,
    type: o.accessEntryType,
    accessPolicies: o.autoMode ? [AccessPolicy.AMAZON_EKS_AUTO_NODE_POLICY.scoped()] : undefined,
  }) : undefined;
  const instanceProfile = o.instanceProfile ? new iam.InstanceProfile(scope, 'InstanceProfile', {
    role,
    instanceProfileName: o.instanceProfileName,
    path: o.path,
  }) : undefined;
  return { role, roleName: o.roleName, literalRoleArn, accessEntry, instanceProfile };
}
