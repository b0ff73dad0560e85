import { added, AddonDefinition, allow, arn, PolicyStatementJson, ResolvedContext, scoped } from './types';

const ENI_ACTIONS = ['ec2:DeleteNetworkInterface', 'ec2:UnassignPrivateIpAddresses', 'ec2:AssignPrivateIpAddresses',
  'ec2:AttachNetworkInterface', 'ec2:DetachNetworkInterface', 'ec2:ModifyNetworkInterfaceAttribute'];
const eni = (ctx: ResolvedContext) => arn(ctx, 'ec2', '*', '*', 'network-interface/*');
const tagEni = (ctx: ResolvedContext) => allow(['ec2:CreateTags'], [eni(ctx)]);

/** docs/iam-policy.md, IPv4 (the document of the managed AmazonEKS_CNI_Policy). */
function ipv4(ctx: ResolvedContext): PolicyStatementJson[] {
  return [
    allow(['ec2:AssignPrivateIpAddresses', 'ec2:AttachNetworkInterface', 'ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface',
      'ec2:DescribeInstances', 'ec2:DescribeTags', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeInstanceTypes',
      ...added(ctx.version, { 'v1.23.0': ['ec2:DescribeSecurityGroups'] }), 'ec2:DescribeSubnets', 'ec2:DetachNetworkInterface',
      'ec2:ModifyNetworkInterfaceAttribute', 'ec2:UnassignPrivateIpAddresses'], '*'),
    tagEni(ctx),
  ];
}

/** docs/iam-policy.md, IPv6. */
function ipv6(ctx: ResolvedContext): PolicyStatementJson[] {
  return [
    allow(['ec2:AssignIpv6Addresses', 'ec2:DescribeInstances', ...added(ctx.version, { 'v1.23.0': ['ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets'] }),
      'ec2:DescribeTags', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeInstanceTypes'], '*'),
    tagEni(ctx),
  ];
}

/** docs/iam-policy.md, IPv4 scoped down to the cluster's tags and VPC (`clusterName`, `scope.vpcIds`). */
function ipv4ScopedDown(ctx: ResolvedContext): PolicyStatementJson[] {
  const vpcs = scoped(ctx.scope.vpcIds, ['*']).map(id => arn(ctx, 'ec2', '*', '*', `vpc/${id}`));
  return [
    allow(['ec2:DescribeInstances', 'ec2:DescribeTags', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DescribeInstanceTypes'], '*'),
    tagEni(ctx),
    allow(['ec2:CreateNetworkInterface'], [eni(ctx)], { StringEquals: { 'aws:RequestTag/cluster.k8s.amazonaws.com/name': ctx.clusterName! } }),
    allow(['ec2:CreateNetworkInterface'], [arn(ctx, 'ec2', '*', '*', 'subnet/*'), arn(ctx, 'ec2', '*', '*', 'security-group/*')],
      { ArnEquals: { 'ec2:Vpc': vpcs.length === 1 ? vpcs[0] : vpcs } }),
    allow(ENI_ACTIONS, [eni(ctx)], { StringEquals: { 'aws:ResourceTag/cluster.k8s.amazonaws.com/name': ctx.clusterName! } }),
    allow(['ec2:AttachNetworkInterface', 'ec2:DetachNetworkInterface', 'ec2:ModifyNetworkInterfaceAttribute'], [arn(ctx, 'ec2', '*', '*', 'instance/*')],
      { StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${ctx.clusterName}`]: 'owned' } }),
    allow(['ec2:ModifyNetworkInterfaceAttribute'], [arn(ctx, 'ec2', '*', '*', 'security-group/*')]),
  ];
}

export const VPC_CNI: AddonDefinition = {
  id: 'vpc-cni',
  description: 'Amazon VPC CNI plugin (aws-node)',
  repository: 'aws/amazon-vpc-cni-k8s',
  defaultNamespace: 'kube-system',
  defaultServiceAccount: 'aws-node',
  helm: { chart: 'eks/aws-vpc-cni', serviceAccountKey: 'serviceAccount' },
  mechanisms: ['irsa', 'podIdentity'],
  eksAddonName: 'vpc-cni',
  versions: ['v1.18.6', 'v1.19.6', 'v1.20.5', 'v1.21.2', 'v1.22.4', 'v1.23.0'],
  documents: [
    { name: 'ipv4', description: 'IPv4 clusters (the managed AmazonEKS_CNI_Policy grants the same)', upstreamFile: () => 'ipv4-policy.json', statements: ipv4 },
    { name: 'ipv6', description: 'IPv6 clusters (no managed policy)', upstreamFile: () => 'ipv6-policy.json', statements: ipv6 },
    { name: 'ipv4-scoped-down', description: 'IPv4, limited to the cluster\'s tags and `scope.vpcIds`', upstreamFile: () => 'ipv4-scoped-down-policy.json', requires: ['clusterName'], statements: ipv4ScopedDown },
  ],
  defaultDocuments: ['ipv4'],
  managedEquivalents: ['AmazonEKS_CNI_Policy'],
  changes: {
    'v1.23.0': 'adds ec2:DescribeSecurityGroups to the IPv4 policy, ec2:DescribeSecurityGroups and ec2:DescribeSubnets to the IPv6 policy',
  },
};
