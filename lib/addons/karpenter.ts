import { added, AddonDefinition, allow, PolicyStatementJson, ResolvedContext, sid, since } from './types';

/**
 * The controller policies of Karpenter's CloudFormation reference (website/content/en/<docs
 * version>/getting-started/getting-started-with-karpenter/cloudformation.yaml): one policy in
 * v1.0, five from the v1.9 docs split (six with ZonalShift from v1.12).
 */
const ec2 = (ctx: ResolvedContext, resource: string, account = '*') => `arn:${ctx.partition}:ec2:${ctx.region}:${account}:${resource}`;
const profile = (ctx: ResolvedContext) => `arn:${ctx.partition}:iam::${ctx.account}:instance-profile/*`;
const clusterArn = (ctx: ResolvedContext) => `arn:${ctx.partition}:eks:${ctx.region}:${ctx.account}:cluster/${ctx.clusterName}`;
const owned = (ctx: ResolvedContext, kind: 'Request' | 'Resource') => ({ [`aws:${kind}Tag/kubernetes.io/cluster/${ctx.clusterName}`]: 'owned' });
const nodepool = (kind: 'Request' | 'Resource') => ({ [`aws:${kind}Tag/karpenter.sh/nodepool`]: '*' });
const nodeclass = (kind: 'Request' | 'Resource') => ({ [`aws:${kind}Tag/karpenter.k8s.aws/ec2nodeclass`]: '*' });
const region = (ctx: ResolvedContext, kind: 'Request' | 'Resource') => ({ [`aws:${kind}Tag/topology.kubernetes.io/region`]: ctx.region });
const clusterNameTag = (ctx: ResolvedContext) => ({ 'aws:RequestTag/eks:eks-cluster-name': ctx.clusterName! });

function nodeLifecycle(ctx: ResolvedContext): PolicyStatementJson[] {
  const v = ctx.version;
  const launched = ['fleet/*', 'instance/*', 'volume/*', 'network-interface/*', 'launch-template/*', 'spot-instances-request/*'].map(r => ec2(ctx, r));
  const created = { StringEquals: { ...owned(ctx, 'Request'), ...clusterNameTag(ctx) }, StringLike: nodepool('Request') };
  const ownedNodepool = { StringEquals: owned(ctx, 'Resource'), StringLike: nodepool('Resource') };
  return [
    sid('AllowScopedEC2InstanceAccessActions', allow(['ec2:RunInstances', 'ec2:CreateFleet'], [
      ec2(ctx, 'image/*', ''), ec2(ctx, 'snapshot/*', ''), ec2(ctx, 'security-group/*'), ec2(ctx, 'subnet/*'),
      ...added(v, { 'v1.9': [ec2(ctx, 'capacity-reservation/*')], 'v1.11': [ec2(ctx, 'placement-group/*')] }),
    ])),
    sid('AllowScopedEC2LaunchTemplateAccessActions', allow(['ec2:RunInstances', 'ec2:CreateFleet'], ec2(ctx, 'launch-template/*'), ownedNodepool)),
    sid('AllowScopedEC2InstanceActionsWithTags', allow(['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'], launched, created)),
    sid('AllowScopedResourceCreationTagging', allow(['ec2:CreateTags'], launched, {
      StringEquals: { ...created.StringEquals, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
      StringLike: nodepool('Request'),
    })),
    sid('AllowScopedResourceTagging', allow(['ec2:CreateTags'], ec2(ctx, 'instance/*'), {
      ...ownedNodepool,
      'StringEqualsIfExists': clusterNameTag(ctx),
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
    })),
    sid('AllowScopedDeletion', allow(['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
      [ec2(ctx, 'instance/*'), ec2(ctx, 'launch-template/*')], ownedNodepool)),
  ];
}

function resourceDiscovery(ctx: ResolvedContext): PolicyStatementJson[] {
  const v = ctx.version;
  return [
    sid('AllowRegionalReadActions', allow([
      ...added(v, { 'v1.9': ['ec2:DescribeCapacityReservations'] }),
      'ec2:DescribeImages', 'ec2:DescribeInstances', ...added(v, { 'v1.12': ['ec2:DescribeInstanceStatus'] }),
      'ec2:DescribeInstanceTypeOfferings', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates',
      ...added(v, { 'v1.11': ['ec2:DescribePlacementGroups'] }),
      'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets',
    ], '*', { StringEquals: { 'aws:RequestedRegion': ctx.region } })),
    sid('AllowSSMReadActions', allow(['ssm:GetParameter'], `arn:${ctx.partition}:ssm:${ctx.region}::parameter/aws/service/*`)),
    sid('AllowPricingReadActions', allow(['pricing:GetProducts'], '*')),
    ...(since(v, 'v1.9') ? [sid('AllowUnscopedInstanceProfileListAction', allow(['iam:ListInstanceProfiles'], '*'))] : []),
    sid('AllowInstanceProfileReadActions', allow(['iam:GetInstanceProfile'], profile(ctx))),
  ];
}

function iamIntegration(ctx: ResolvedContext): PolicyStatementJson[] {
  const requested = { ...owned(ctx, 'Request'), ...clusterNameTag(ctx), ...region(ctx, 'Request') };
  const existing = { ...owned(ctx, 'Resource'), ...region(ctx, 'Resource') };
  return [
    sid('AllowPassingInstanceRole', allow(['iam:PassRole'], ctx.nodeRoleArn!,
      { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } })),
    sid('AllowScopedInstanceProfileCreationActions', allow(['iam:CreateInstanceProfile'], profile(ctx),
      { StringEquals: requested, StringLike: nodeclass('Request') })),
    sid('AllowScopedInstanceProfileTagActions', allow(['iam:TagInstanceProfile'], profile(ctx),
      { StringEquals: { ...existing, ...requested }, StringLike: { ...nodeclass('Resource'), ...nodeclass('Request') } })),
    sid('AllowScopedInstanceProfileActions', allow(['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
      profile(ctx), { StringEquals: existing, StringLike: nodeclass('Resource') })),
  ];
}

const eksIntegration = (ctx: ResolvedContext) => [sid('AllowAPIServerEndpointDiscovery', allow(['eks:DescribeCluster'], clusterArn(ctx)))];

const interruption = (ctx: ResolvedContext) => [sid('AllowInterruptionQueueActions',
  allow(['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'], ctx.interruptionQueueArn!))];

const zonalShift = (ctx: ResolvedContext) => [sid('AllowZonalShiftStatusReadOnly', allow(['arc-zonal-shift:GetManagedResource'], '*',
  { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': clusterArn(ctx) } }))];

const NEEDS: Array<'clusterName' | 'region' | 'account'> = ['clusterName', 'region', 'account'];
const SPLIT = 'v1.9';

export const KARPENTER: AddonDefinition = {
  id: 'karpenter',
  description: 'Karpenter node autoscaler (controller policies; the node role uses managed policies)',
  repository: 'aws/karpenter-provider-aws',
  defaultNamespace: 'kube-system',
  defaultServiceAccount: 'karpenter',
  helm: { chart: 'oci://public.ecr.aws/karpenter/karpenter', serviceAccountKey: 'serviceAccount', notes: 'also settings.clusterName, and settings.interruptionQueue with the interruption queue' },
  mechanisms: ['irsa', 'podIdentity'],
  versions: ['v1.0', 'v1.9', 'v1.10', 'v1.11', 'v1.12', 'v1.13', 'v1.14'],
  documents: [
    {
      name: 'controller',
      until: SPLIT,
      description: 'KarpenterControllerPolicy (v1.0 docs): everything in one policy',
      upstreamFile: () => 'KarpenterControllerPolicy.json',
      requires: [...NEEDS, 'nodeRoleArn', 'interruptionQueueArn'],
      statements: ctx => [...nodeLifecycle(ctx), ...resourceDiscovery(ctx), ...interruption(ctx), ...iamIntegration(ctx), ...eksIntegration(ctx)],
    },
    { name: 'node-lifecycle', since: SPLIT, description: 'KarpenterControllerNodeLifecyclePolicy: launch, tag and terminate nodes', upstreamFile: () => 'KarpenterControllerNodeLifecyclePolicy.json', requires: ['clusterName', 'region'], statements: nodeLifecycle },
    { name: 'resource-discovery', since: SPLIT, description: 'KarpenterControllerResourceDiscoveryPolicy: read EC2, SSM, pricing and instance profiles', upstreamFile: () => 'KarpenterControllerResourceDiscoveryPolicy.json', requires: ['region', 'account'], statements: resourceDiscovery },
    { name: 'iam-integration', since: SPLIT, description: 'KarpenterControllerIAMIntegrationPolicy: pass the node role, manage instance profiles', upstreamFile: () => 'KarpenterControllerIAMIntegrationPolicy.json', requires: [...NEEDS, 'nodeRoleArn'], statements: iamIntegration },
    { name: 'eks-integration', since: SPLIT, description: 'KarpenterControllerEKSIntegrationPolicy: discover the API server endpoint', upstreamFile: () => 'KarpenterControllerEKSIntegrationPolicy.json', requires: NEEDS, statements: eksIntegration },
    { name: 'interruption', since: SPLIT, description: 'KarpenterControllerInterruptionPolicy: read the interruption queue (with `interruptionQueueArn`)', upstreamFile: () => 'KarpenterControllerInterruptionPolicy.json', requires: ['interruptionQueueArn'], defaultOnlyWith: 'interruptionQueueArn', statements: interruption },
    { name: 'zonal-shift', since: 'v1.12', description: 'KarpenterControllerZonalShiftPolicy: read the cluster\'s zonal shift status', upstreamFile: () => 'KarpenterControllerZonalShiftPolicy.json', requires: NEEDS, statements: zonalShift },
  ],
  defaultDocuments: ['controller', 'node-lifecycle', 'resource-discovery', 'iam-integration', 'eks-integration', 'interruption', 'zonal-shift'],
  managedEquivalents: [],
  changes: {
    'v1.9': 'the one controller policy is split into node-lifecycle, resource-discovery, iam-integration, eks-integration and interruption; adds ec2:DescribeCapacityReservations (and capacity-reservation resources) and iam:ListInstanceProfiles',
    'v1.11': 'adds ec2:DescribePlacementGroups and placement-group resources for RunInstances/CreateFleet',
    'v1.12': 'adds ec2:DescribeInstanceStatus and the zonal-shift policy (arc-zonal-shift:GetManagedResource)',
  },
};

/** AWS managed policies of the Karpenter node role. */
export const KARPENTER_NODE_ROLE_MANAGED_POLICIES = ['AmazonEKS_CNI_Policy', 'AmazonEKSWorkerNodePolicy',
  'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore'];
