import { AddonDefinition, allow, arn, PolicyStatementJson, ResolvedContext, scoped, sid } from './types';

const buckets = (ctx: ResolvedContext) => scoped(ctx.scope.bucketArns, [arn(ctx, 's3', '', '', '*')]);
const objects = (ctx: ResolvedContext) => buckets(ctx).map(b => (b.endsWith('*') ? b : `${b}/*`));

/** Mountpoint's doc/CONFIGURATION.md: read and write the buckets of `scope.bucketArns`. */
function fullBucket(ctx: ResolvedContext): PolicyStatementJson[] {
  return [
    sid('MountpointFullBucketAccess', allow(['s3:ListBucket'], buckets(ctx))),
    sid('MountpointFullObjectAccess', allow(['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'], objects(ctx))),
  ];
}

/** S3 Express One Zone directory buckets (`scope.bucketArns` as `arn:<partition>:s3express:...:bucket/...`). */
function directoryBucket(ctx: ResolvedContext): PolicyStatementJson[] {
  return [allow(['s3express:CreateSession'], scoped(ctx.scope.bucketArns, [arn(ctx, 's3express', ctx.region, ctx.account, 'bucket/*')]))];
}

/** The driver's cross-account example: a pod role that reads a bucket of another account. */
function crossAccountPod(ctx: ResolvedContext): PolicyStatementJson[] {
  return [allow(['s3:ListBucket'], buckets(ctx)), allow(['s3:GetObject'], objects(ctx))];
}

export const MOUNTPOINT_S3_CSI_DRIVER: AddonDefinition = {
  id: 'mountpoint-s3-csi-driver',
  description: 'Mountpoint for Amazon S3 CSI driver: S3 buckets as volumes',
  repository: 'awslabs/mountpoint-s3-csi-driver',
  defaultNamespace: 'kube-system',
  defaultServiceAccount: 's3-csi-driver-sa',
  helm: { chart: 'aws-mountpoint-s3-csi-driver/aws-mountpoint-s3-csi-driver', serviceAccountKey: 'node.serviceAccount' },
  mechanisms: ['irsa', 'podIdentity'],
  eksAddonName: 'aws-mountpoint-s3-csi-driver',
  versions: ['v2.2.2', 'v2.3.0', 'v2.4.1', 'v2.5.0', 'v2.6.0', 'v2.7.0'],
  documents: [
    { name: 'full-bucket', description: 'full access to the objects of `scope.bucketArns`', upstreamFile: () => 'mountpoint-full-bucket-access-policy.json', statements: fullBucket },
    { name: 'directory-bucket', description: 'S3 Express One Zone directory buckets', upstreamFile: () => 'mountpoint-directory-bucket-policy.json', statements: directoryBucket },
    { name: 'cross-account-pod', description: 'read-only pod role for a bucket of another account', upstreamFile: () => 'cross-account-pod-role-policy.json', statements: crossAccountPod },
  ],
  defaultDocuments: ['full-bucket'],
  managedEquivalents: ['AmazonS3FullAccess'],
  changes: {},
};
