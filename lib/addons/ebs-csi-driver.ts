import { added, AddonDefinition, allow, arn, PolicyStatementJson, ResolvedContext } from './types';

const MANAGED_TAG = 'ebs.csi.aws.com/cluster';
const CLUSTER_NAME_TAG = 'ebs.csi.aws.com/cluster-name';
const PVC_TAG = 'kubernetes.io/created-for/pvc/name';
const PRINCIPAL_CLUSTER = '${aws:PrincipalTag/eks-cluster-name}';
const PROTECTED_TAG_KEYS = [MANAGED_TAG, CLUSTER_NAME_TAG, PVC_TAG];

const ec2 = (ctx: ResolvedContext, r: string) => arn(ctx, 'ec2', '*', '*', r);
const like = (key: string, value: string) => ({ StringLike: { [key]: value } });
const equals = (key: string, value: string) => ({ StringEquals: { [key]: value } });

function describe(ctx: ResolvedContext, withTags: boolean): PolicyStatementJson {
  return allow([
    'ec2:DescribeAvailabilityZones', 'ec2:DescribeInstances', ...added(ctx.version, { 'v1.59.0': ['ec2:DescribeInstanceTypes'] }),
    'ec2:DescribeSnapshots', ...(withTags ? ['ec2:DescribeTags'] : []), 'ec2:DescribeVolumes',
    'ec2:DescribeVolumesModifications', 'ec2:DescribeVolumeStatus',
  ], '*');
}

const tagOnCreate = (ctx: ResolvedContext) => allow(['ec2:CreateTags'], [ec2(ctx, 'volume/*'), ec2(ctx, 'snapshot/*')],
  { StringEquals: { 'ec2:CreateAction': ['CreateVolume', 'CreateSnapshot', 'CopyVolumes'] } });

/** The KMS statements the driver's docs add for encrypted volumes (only with `scope.kmsKeyArns`). */
function kms(ctx: ResolvedContext): PolicyStatementJson[] {
  const keys = ctx.scope.kmsKeyArns;
  if (!keys || keys.length === 0) return [];
  return [
    allow(['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], keys, { Bool: { 'kms:GrantIsForAWSResource': 'true' } }),
    allow(['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'], keys),
  ];
}

/** docs/example-iam-policy.json */
function example(ctx: ResolvedContext): PolicyStatementJson[] {
  const vol = ec2(ctx, 'volume/*');
  const snap = ec2(ctx, 'snapshot/*');
  const lockable = ['ec2:DeleteSnapshot', ...added(ctx.version, { 'v1.59.0': ['ec2:LockSnapshot'] })];
  return [
    describe(ctx, true),
    allow(['ec2:CreateSnapshot', 'ec2:ModifyVolume'], vol),
    allow(['ec2:CopyVolumes'], ec2(ctx, 'volume/vol-*')),
    allow(['ec2:AttachVolume', 'ec2:DetachVolume'], [vol, ec2(ctx, 'instance/*')]),
    allow(['ec2:CreateVolume', 'ec2:EnableFastSnapshotRestores'], snap),
    tagOnCreate(ctx),
    allow(['ec2:DeleteTags'], [vol, snap]),
    allow(['ec2:CreateVolume', 'ec2:CopyVolumes'], vol, like(`aws:RequestTag/${MANAGED_TAG}`, 'true')),
    allow(['ec2:CreateVolume', 'ec2:CopyVolumes'], vol, like('aws:RequestTag/CSIVolumeName', '*')),
    allow(['ec2:DeleteVolume'], vol, like(`ec2:ResourceTag/${MANAGED_TAG}`, 'true')),
    allow(['ec2:DeleteVolume'], vol, like('ec2:ResourceTag/CSIVolumeName', '*')),
    allow(['ec2:DeleteVolume'], vol, like(`ec2:ResourceTag/${PVC_TAG}`, '*')),
    allow(['ec2:CreateSnapshot'], snap, like('aws:RequestTag/CSIVolumeSnapshotName', '*')),
    allow(['ec2:CreateSnapshot'], snap, like(`aws:RequestTag/${MANAGED_TAG}`, 'true')),
    allow(lockable, snap, like('ec2:ResourceTag/CSIVolumeSnapshotName', '*')),
    allow(lockable, snap, like(`ec2:ResourceTag/${MANAGED_TAG}`, 'true')),
    ...kms(ctx),
  ];
}

/**
 * The two v1.59 policies share their shape: V2 keys on `ebs.csi.aws.com/cluster=true` (plus the
 * CSI-migrated volumes), the cluster-scoped one on the cluster name from the principal's tag.
 */
function tagScoped(ctx: ResolvedContext, clusterScoped: boolean): PolicyStatementJson[] {
  const vol = ec2(ctx, 'volume/*');
  const snap = ec2(ctx, 'snapshot/*');
  const request = clusterScoped ? equals(`aws:RequestTag/${CLUSTER_NAME_TAG}`, PRINCIPAL_CLUSTER) : equals(`aws:RequestTag/${MANAGED_TAG}`, 'true');
  const resource = clusterScoped ? equals(`ec2:ResourceTag/${CLUSTER_NAME_TAG}`, PRINCIPAL_CLUSTER) : equals(`ec2:ResourceTag/${MANAGED_TAG}`, 'true');
  const migrated = like(`ec2:ResourceTag/${PVC_TAG}`, '*');
  const manage = ['ec2:ModifyVolume', 'ec2:AttachVolume', 'ec2:DetachVolume', 'ec2:DeleteVolume'];
  return [
    describe(ctx, false),
    allow(['ec2:CreateVolume', 'ec2:CopyVolumes'], vol, request),
    allow(['ec2:CopyVolumes'], ec2(ctx, 'volume/vol-*'), resource),
    ...(clusterScoped ? [] : [allow(['ec2:CopyVolumes'], ec2(ctx, 'volume/vol-*'), migrated)]),
    allow(['ec2:CreateSnapshot'], snap, request),
    allow(['ec2:CreateSnapshot'], vol, resource),
    allow(manage, vol, resource),
    ...(clusterScoped ? [] : [allow(manage, vol, migrated)]),
    allow(['ec2:CreateVolume', 'ec2:EnableFastSnapshotRestores'], snap, resource),
    ...(clusterScoped
      ? [
        allow(['ec2:AttachVolume', 'ec2:DetachVolume'], ec2(ctx, 'instance/*'), equals('ec2:ResourceTag/eks:cluster-name', PRINCIPAL_CLUSTER)),
        allow(['ec2:AttachVolume', 'ec2:DetachVolume'], ec2(ctx, 'instance/*'), resource),
      ]
      : [allow(['ec2:AttachVolume', 'ec2:DetachVolume'], ec2(ctx, 'instance/*'))]),
    allow(['ec2:DeleteSnapshot', 'ec2:LockSnapshot'], snap, resource),
    tagOnCreate(ctx),
    allow(['ec2:CreateTags', 'ec2:DeleteTags'], vol, {
      ...resource,
      'Null': { 'aws:TagKeys': 'false' },
      'ForAllValues:StringNotEquals': { 'aws:TagKeys': PROTECTED_TAG_KEYS },
    }),
    ...kms(ctx),
  ];
}

export const EBS_CSI_DRIVER: AddonDefinition = {
  id: 'ebs-csi-driver',
  description: 'Amazon EBS CSI driver: EBS volumes for persistent volumes',
  repository: 'kubernetes-sigs/aws-ebs-csi-driver',
  defaultNamespace: 'kube-system',
  defaultServiceAccount: 'ebs-csi-controller-sa',
  helm: { chart: 'aws-ebs-csi-driver/aws-ebs-csi-driver', serviceAccountKey: 'controller.serviceAccount' },
  mechanisms: ['irsa', 'podIdentity'],
  eksAddonName: 'aws-ebs-csi-driver',
  versions: ['v1.58.0', 'v1.59.0', 'v1.60.1', 'v1.61.1', 'v1.62.0', 'v1.63.1', 'v1.64.0'],
  documents: [
    { name: 'example', description: 'docs/example-iam-policy.json (with the KMS statements when `scope.kmsKeyArns` is set)', upstreamFile: () => 'example-iam-policy.json', statements: example },
    { name: 'v2', description: 'docs/AmazonEBSCSIDriverPolicyV2.json, the document of the managed AmazonEBSCSIDriverPolicyV2', since: 'v1.59.0', upstreamFile: () => 'AmazonEBSCSIDriverPolicyV2.json', statements: ctx => tagScoped(ctx, false) },
    { name: 'cluster-scoped', description: 'docs/AmazonEBSCSIDriverEKSClusterScopedPolicy.json: volumes tagged with the cluster name of the role\'s `eks-cluster-name` tag', since: 'v1.59.0', upstreamFile: () => 'AmazonEBSCSIDriverEKSClusterScopedPolicy.json', statements: ctx => tagScoped(ctx, true) },
  ],
  defaultDocuments: ['example'],
  managedEquivalents: ['AmazonEBSCSIDriverPolicy', 'AmazonEBSCSIDriverPolicyV2'],
  changes: {
    'v1.59.0': 'adds ec2:DescribeInstanceTypes and ec2:LockSnapshot to the example policy; adds the V2 and cluster-scoped policies',
  },
};
