import { added, AddonDefinition, allow, PolicyStatementJson, ResolvedContext } from './types';

const TAG = 'efs.csi.aws.com/cluster';

/** docs/iam-policy-example.json: EFS access points, and S3 Files from v3.0. */
function example(ctx: ResolvedContext): PolicyStatementJson[] {
  const s3files = (...actions: string[]) => added(ctx.version, { 'v3.0.1': actions.map(a => `s3files:${a}`) });
  return [
    allow(['elasticfilesystem:DescribeAccessPoints', 'elasticfilesystem:DescribeFileSystems', 'elasticfilesystem:DescribeMountTargets',
      ...s3files('ListAccessPoints', 'ListFileSystems'), 'ec2:DescribeAvailabilityZones'], '*'),
    allow(['elasticfilesystem:CreateAccessPoint', ...s3files('CreateAccessPoint')], '*', { StringLike: { [`aws:RequestTag/${TAG}`]: 'true' } }),
    allow(['elasticfilesystem:TagResource', ...s3files('TagResource')], '*', { StringLike: { [`aws:ResourceTag/${TAG}`]: 'true' } }),
    allow(['elasticfilesystem:DeleteAccessPoint', ...s3files('DeleteAccessPoint')], '*', { StringEquals: { [`aws:ResourceTag/${TAG}`]: 'true' } }),
  ];
}

/** Cross-account mounts: the controller assumes a role in the file system's account. */
function crossAccountAssume(ctx: ResolvedContext): PolicyStatementJson[] {
  return [allow(['sts:AssumeRole'], ctx.scope.roleArns && ctx.scope.roleArns.length > 0 ? ctx.scope.roleArns : ['*'])];
}

/** The policy of that role in the file system's account. */
function crossAccountRole(): PolicyStatementJson[] {
  const onlyClusterTag = { 'ForAllValues:StringEquals': { 'aws:TagKeys': TAG } };
  return [
    allow(['elasticfilesystem:DescribeAccessPoints', 'elasticfilesystem:DescribeFileSystems', 'elasticfilesystem:DescribeMountTargets',
      'ec2:DescribeAvailabilityZones'], '*'),
    allow(['elasticfilesystem:CreateAccessPoint'], '*', { Null: { [`aws:RequestTag/${TAG}`]: 'false' }, ...onlyClusterTag }),
    allow(['elasticfilesystem:TagResource'], '*', {
      StringEquals: { 'elasticfilesystem:CreateAction': 'CreateAccessPoint' },
      Null: { [`aws:RequestTag/${TAG}`]: 'false' },
      ...onlyClusterTag,
    }),
    allow(['elasticfilesystem:DeleteAccessPoint'], '*', { Null: { [`aws:ResourceTag/${TAG}`]: 'false' } }),
  ];
}

/** The node daemonset's policy for cross-account mounts. */
function crossAccountNode(): PolicyStatementJson[] {
  return [allow(['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientRootAccess', 'elasticfilesystem:ClientWrite',
    'elasticfilesystem:DescribeMountTargets'], '*')];
}

export const EFS_CSI_DRIVER: AddonDefinition = {
  id: 'efs-csi-driver',
  description: 'Amazon EFS CSI driver: EFS (and S3 Files) access points for persistent volumes',
  repository: 'kubernetes-sigs/aws-efs-csi-driver',
  defaultNamespace: 'kube-system',
  defaultServiceAccount: 'efs-csi-controller-sa',
  helm: { chart: 'aws-efs-csi-driver/aws-efs-csi-driver', serviceAccountKey: 'controller.serviceAccount' },
  mechanisms: ['irsa', 'podIdentity'],
  eksAddonName: 'aws-efs-csi-driver',
  versions: ['v2.3.1', 'v3.0.1', 'v3.1.0', 'v3.2.0', 'v3.3.0', 'v3.4.1'],
  documents: [
    { name: 'example', description: 'docs/iam-policy-example.json', upstreamFile: () => 'iam-policy-example.json', statements: example },
    { name: 'cross-account-assume', description: 'cross-account-assume-policy-example.json: the controller assumes `scope.roleArns`', upstreamFile: () => 'cross-account-assume-policy-example.json', statements: crossAccountAssume },
    { name: 'cross-account-role', description: 'cross-account-describe-mount-target-example.json: the role in the file system\'s account', upstreamFile: () => 'cross-account-describe-mount-target-example.json', statements: crossAccountRole },
    { name: 'cross-account-node', description: 'cross-account-node-deamonset-iam-policy-example.json: the node daemonset', upstreamFile: () => 'cross-account-node-deamonset-iam-policy-example.json', statements: crossAccountNode },
  ],
  defaultDocuments: ['example'],
  managedEquivalents: ['AmazonEFSCSIDriverPolicy'],
  changes: {
    'v3.0.1': 'adds s3files:ListAccessPoints, ListFileSystems, CreateAccessPoint, TagResource and DeleteAccessPoint (S3 Files)',
  },
};
