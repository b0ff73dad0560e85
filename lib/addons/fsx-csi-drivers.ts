import { AddonDefinition, allow, arn, PolicyStatementJson, ResolvedContext } from './types';

/** Both FSx drivers create a service-linked role and manage file systems. */
function fsx(ctx: ResolvedContext, linkedRoleService: string, actions: string[]): PolicyStatementJson[] {
  return [
    allow(['iam:CreateServiceLinkedRole', 'iam:AttachRolePolicy', 'iam:PutRolePolicy'], arn(ctx, 'iam', '', '*', `role/aws-service-role/${linkedRoleService}/*`)),
    allow(['iam:CreateServiceLinkedRole'], '*', { StringLike: { 'iam:AWSServiceName': ['fsx.amazonaws.com'] } }),
    allow(actions, '*'),
  ];
}

export const FSX_LUSTRE_CSI_DRIVER: AddonDefinition = {
  id: 'fsx-lustre-csi-driver',
  description: 'Amazon FSx for Lustre CSI driver',
  repository: 'kubernetes-sigs/aws-fsx-csi-driver',
  defaultNamespace: 'kube-system',
  defaultServiceAccount: 'fsx-csi-controller-sa',
  helm: { chart: 'aws-fsx-csi-driver/aws-fsx-csi-driver', serviceAccountKey: 'controller.serviceAccount' },
  mechanisms: ['irsa', 'podIdentity'],
  eksAddonName: 'aws-fsx-csi-driver',
  versions: ['v1.4.0', 'v1.5.0', 'v1.6.0', 'v1.7.0', 'v1.8.0', 'v1.9.0'],
  documents: [{
    name: 'instance-profile',
    description: 'docs/install.md instance-profile policy (IRSA installs may use the managed AmazonFSxFullAccess)',
    upstreamFile: () => 'instance-profile-policy.json',
    statements: ctx => fsx(ctx, 's3.data-source.lustre.fsx.amazonaws.com', ['s3:ListBucket', 'fsx:CreateFileSystem', 'fsx:DeleteFileSystem',
      'fsx:DescribeFileSystems', 'fsx:TagResource', 'fsx:UpdateFileSystem']),
  }],
  defaultDocuments: ['instance-profile'],
  managedEquivalents: ['AmazonFSxFullAccess'],
  changes: {},
};

export const FSX_OPENZFS_CSI_DRIVER: AddonDefinition = {
  id: 'fsx-openzfs-csi-driver',
  description: 'Amazon FSx for OpenZFS CSI driver',
  repository: 'kubernetes-sigs/aws-fsx-openzfs-csi-driver',
  defaultNamespace: 'kube-system',
  defaultServiceAccount: 'fsx-openzfs-csi-controller-sa',
  helm: { chart: 'aws-fsx-openzfs-csi-driver/aws-fsx-openzfs-csi-driver', serviceAccountKey: 'controller.serviceAccount' },
  mechanisms: ['irsa', 'podIdentity'],
  versions: ['v0.1.0', 'v1.0.0', 'v1.1.0', 'v1.2.0'],
  documents: [{
    name: 'example',
    description: 'docs/example-iam-policy.json',
    upstreamFile: () => 'example-iam-policy.json',
    statements: ctx => fsx(ctx, 'fsx.amazonaws.com', ['fsx:CreateFileSystem', 'fsx:UpdateFileSystem', 'fsx:DeleteFileSystem',
      'fsx:DescribeFileSystems', 'fsx:CreateVolume', 'fsx:DeleteVolume', 'fsx:DescribeVolumes', 'fsx:CreateSnapshot',
      'fsx:DeleteSnapshot', 'fsx:DescribeSnapshots', 'fsx:TagResource', 'fsx:ListTagsForResource']),
  }],
  defaultDocuments: ['example'],
  changes: {},
};
