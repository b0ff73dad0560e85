import { added, AddonDefinition, allow, arn, PolicyStatementJson, ResolvedContext, scoped } from './types';

/** velero-plugin-for-aws README: EBS snapshots and the backup bucket (`scope.bucketArns`). */
function velero(ctx: ResolvedContext): PolicyStatementJson[] {
  const buckets = scoped(ctx.scope.bucketArns, [arn(ctx, 's3', '', '', '*')]);
  return [
    allow(['ec2:DescribeVolumes', 'ec2:DescribeSnapshots', 'ec2:CreateTags', 'ec2:CreateVolume', 'ec2:CreateSnapshot', 'ec2:DeleteSnapshot'], '*'),
    allow(['s3:GetObject', 's3:DeleteObject', 's3:PutObject', ...added(ctx.version, { 'v1.11.1': ['s3:PutObjectTagging'] }),
      's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], buckets.map(b => (b.endsWith('*') ? b : `${b}/*`))),
    allow(['s3:ListBucket'], buckets),
  ];
}

export const VELERO: AddonDefinition = {
  id: 'velero',
  description: 'Velero backups with velero-plugin-for-aws (versions are the plugin\'s)',
  repository: 'vmware-tanzu/velero-plugin-for-aws',
  defaultNamespace: 'velero',
  defaultServiceAccount: 'velero',
  helm: { chart: 'vmware-tanzu/velero', serviceAccountKey: 'serviceAccount.server' },
  mechanisms: ['irsa', 'podIdentity'],
  versions: ['v1.8.2', 'v1.9.2', 'v1.10.1', 'v1.11.1', 'v1.12.2', 'v1.13.2'],
  documents: [{ name: 'velero', description: 'the README policy; `scope.bucketArns` names the backup bucket', upstreamFile: () => 'velero-policy.json', statements: velero }],
  defaultDocuments: ['velero'],
  changes: { 'v1.11.1': 'adds s3:PutObjectTagging' },
};
