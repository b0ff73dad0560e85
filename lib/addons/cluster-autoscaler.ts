import { AddonDefinition, allow, arn, PolicyStatementJson, ResolvedContext, since } from './types';

const DESCRIBE_ASG = ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances',
  'autoscaling:DescribeLaunchConfigurations', 'autoscaling:DescribeScalingActivities'];
const SCALE = ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'];

/** cluster-autoscaler/cloudprovider/aws/README.md, full features (auto-discovery, scale from zero). */
function fullFeatures(ctx: ResolvedContext): PolicyStatementJson[] {
  return [
    allow([...DESCRIBE_ASG, ...(since(ctx.version, 'v1.31.5') ? [] : ['autoscaling:DescribeTags']),
      'ec2:DescribeImages', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplateVersions',
      'ec2:GetInstanceTypesFromInstanceRequirements', 'eks:DescribeNodegroup'], '*'),
    allow(SCALE, '*'),
  ];
}

/** The minimal policy: only the named groups (`scope.autoScalingGroupNames`). */
function minimal(ctx: ResolvedContext): PolicyStatementJson[] {
  const names = ctx.scope.autoScalingGroupNames && ctx.scope.autoScalingGroupNames.length > 0 ? ctx.scope.autoScalingGroupNames : ['*'];
  return [allow([...DESCRIBE_ASG, ...SCALE, 'eks:DescribeNodegroup'],
    names.map(n => arn(ctx, 'autoscaling', ctx.region, ctx.account, `autoScalingGroup:*:autoScalingGroupName/${n}`)))];
}

export const CLUSTER_AUTOSCALER: AddonDefinition = {
  id: 'cluster-autoscaler',
  description: 'Kubernetes Cluster Autoscaler on EC2 Auto Scaling groups',
  repository: 'kubernetes/autoscaler',
  defaultNamespace: 'kube-system',
  defaultServiceAccount: 'cluster-autoscaler',
  helm: { chart: 'autoscaler/cluster-autoscaler', serviceAccountKey: 'rbac.serviceAccount', notes: 'also autoDiscovery.clusterName and awsRegion' },
  mechanisms: ['irsa', 'podIdentity'],
  versions: ['v1.30.7', 'v1.31.5', 'v1.32.7', 'v1.33.6', 'v1.34.5', 'v1.35.2', 'v1.36.1'],
  documents: [
    { name: 'full-features', description: 'full-features policy (auto-discovery, scale from zero)', upstreamFile: () => 'full-features-policy.json', statements: fullFeatures },
    { name: 'minimal', description: 'minimal policy, limited to `scope.autoScalingGroupNames` in the cluster\'s region and account', upstreamFile: () => 'minimal-policy.json', statements: minimal },
  ],
  defaultDocuments: ['full-features'],
  changes: {
    'v1.31.5': 'removes autoscaling:DescribeTags from the full-features policy',
  },
};
