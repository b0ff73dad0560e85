import { added, AddonDefinition, allow, arn, PolicyStatementJson, ResolvedContext, since } from './types';

const CLUSTER_TAG = 'elbv2.k8s.aws/cluster';
const ISO = ['aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f'];
const PARTITION_FILES: { [partition: string]: string } = {
  'aws': 'iam_policy.json',
  'aws-cn': 'iam_policy_cn.json',
  'aws-us-gov': 'iam_policy_us-gov.json',
  'aws-iso': 'iam_policy_iso.json',
  'aws-iso-b': 'iam_policy_isob.json',
  'aws-iso-e': 'iam_policy_isoe.json',
  'aws-iso-f': 'iam_policy_isof.json',
  'aws-eusc': 'iam_policy_eusc.json',
};

/** What the partition's file lacks: the ISO regions have no trust stores, listener attributes or capacity reservations. */
function partitionHas(ctx: ResolvedContext, feature: 'trustStores' | 'listenerAttributes' | 'capacityReservation'): boolean {
  if (ISO.includes(ctx.partition)) return false;
  if (feature === 'trustStores' && ctx.partition === 'aws-cn') return since(ctx.version, 'v2.8.3');
  return true;
}

const nullTag = (request: 'false' | 'true' | undefined, resource: 'false' | undefined) => ({
  Null: {
    ...(request ? { [`aws:RequestTag/${CLUSTER_TAG}`]: request } : {}),
    ...(resource ? { [`aws:ResourceTag/${CLUSTER_TAG}`]: resource } : {}),
  },
});

function controller(ctx: ResolvedContext): PolicyStatementJson[] {
  const v = ctx.version;
  const elb = (r: string) => arn(ctx, 'elasticloadbalancing', '*', '*', r);
  const sg = arn(ctx, 'ec2', '*', '*', 'security-group/*');
  const lbAndTg = [elb('targetgroup/*/*'), elb('loadbalancer/net/*/*'), elb('loadbalancer/app/*/*')];
  const describe = [
    'ec2:DescribeAccountAttributes', 'ec2:DescribeAddresses', 'ec2:DescribeAvailabilityZones',
    'ec2:DescribeInternetGateways', 'ec2:DescribeVpcs', 'ec2:DescribeVpcPeeringConnections',
    'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeInstances',
    'ec2:DescribeNetworkInterfaces', 'ec2:DescribeTags', 'ec2:GetCoipPoolUsage', 'ec2:DescribeCoipPools',
    ...added(v, {
      'v2.10.1': ['ec2:GetSecurityGroupsForVpc'],
      'v2.12.0': ['ec2:DescribeIpamPools'],
      'v2.13.4': ['ec2:DescribeRouteTables'],
    }),
    'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes',
    'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeListenerCertificates',
    'elasticloadbalancing:DescribeSSLPolicies', 'elasticloadbalancing:DescribeRules',
    'elasticloadbalancing:DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroupAttributes',
    'elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTags',
    ...(partitionHas(ctx, 'trustStores') ? ['elasticloadbalancing:DescribeTrustStores'] : []),
    ...(partitionHas(ctx, 'listenerAttributes') ? added(v, { 'v2.9.2': ['elasticloadbalancing:DescribeListenerAttributes'] }) : []),
    ...(partitionHas(ctx, 'capacityReservation') ? added(v, { 'v2.11.0': ['elasticloadbalancing:DescribeCapacityReservation'] }) : []),
  ];
  const modifyTagged = [
    'elasticloadbalancing:ModifyLoadBalancerAttributes', 'elasticloadbalancing:SetIpAddressType',
    'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetSubnets',
    'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:ModifyTargetGroup',
    'elasticloadbalancing:ModifyTargetGroupAttributes', 'elasticloadbalancing:DeleteTargetGroup',
    ...(partitionHas(ctx, 'listenerAttributes') ? added(v, { 'v2.9.2': ['elasticloadbalancing:ModifyListenerAttributes'] }) : []),
    ...(partitionHas(ctx, 'capacityReservation') ? added(v, { 'v2.11.0': ['elasticloadbalancing:ModifyCapacityReservation'] }) : []),
    ...added(v, { 'v2.12.0': ['elasticloadbalancing:ModifyIpPools'] }),
  ];
  return [
    allow(['iam:CreateServiceLinkedRole'], '*', { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } }),
    allow(describe, '*'),
    allow([
      'cognito-idp:DescribeUserPoolClient', 'acm:ListCertificates', 'acm:DescribeCertificate',
      'iam:ListServerCertificates', 'iam:GetServerCertificate',
      'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL',
      'wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL',
      'shield:GetSubscriptionState', 'shield:DescribeProtection', 'shield:CreateProtection', 'shield:DeleteProtection',
    ], '*'),
    allow(['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'], '*'),
    allow(['ec2:CreateSecurityGroup'], '*'),
    allow(['ec2:CreateTags'], sg, { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, ...nullTag('false', undefined) }),
    allow(['ec2:CreateTags', 'ec2:DeleteTags'], sg, nullTag('true', 'false')),
    allow(['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'], '*', nullTag(undefined, 'false')),
    allow(['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'], '*', nullTag('false', undefined)),
    allow(['elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener',
      'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule'], '*'),
    allow(['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], lbAndTg, nullTag('true', 'false')),
    allow(['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], [
      elb('listener/net/*/*/*'), elb('listener/app/*/*/*'), elb('listener-rule/net/*/*/*'), elb('listener-rule/app/*/*/*'),
    ]),
    allow(modifyTagged, '*', nullTag(undefined, 'false')),
    allow(['elasticloadbalancing:AddTags'], lbAndTg, {
      StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] },
      ...nullTag('false', undefined),
    }),
    allow(['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'], elb('targetgroup/*/*')),
    allow([
      'elasticloadbalancing:SetWebAcl', 'elasticloadbalancing:ModifyListener', 'elasticloadbalancing:AddListenerCertificates',
      'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:ModifyRule',
      ...added(v, { 'v2.12.0': ['elasticloadbalancing:SetRulePriorities'] }),
    ], '*'),
  ];
}

function globalAccelerator(ctx: ResolvedContext): PolicyStatementJson[] {
  const accelerator = arn(ctx, 'globalaccelerator', '', '*', 'accelerator/*');
  const all = [accelerator, `${accelerator}/listener/*`, `${accelerator}/listener/*/endpoint-group/*`];
  const agaTag = (kind: 'Request' | 'Resource') => ({ [`aws:${kind}Tag/aga.k8s.aws/resource`]: 'GlobalAccelerator' });
  return [
    allow(['iam:CreateServiceLinkedRole'], '*', { StringEquals: { 'iam:AWSServiceName': 'globalaccelerator.amazonaws.com' } }),
    allow(['globalaccelerator:ListAccelerators', 'globalaccelerator:ListEndpointGroups', 'globalaccelerator:ListListeners',
      'globalaccelerator:ListTagsForResource', 'ec2:DescribeRegions', 'tag:GetResources'], '*'),
    allow(['globalaccelerator:DescribeAccelerator', 'globalaccelerator:DescribeEndpointGroup', 'globalaccelerator:DescribeListener'], all,
      { ...nullTag(undefined, 'false'), StringEquals: agaTag('Resource') }),
    allow(['globalaccelerator:CreateAccelerator'], '*', { ...nullTag('false', undefined), StringEquals: agaTag('Request') }),
    allow(['globalaccelerator:UpdateAccelerator', 'globalaccelerator:DeleteAccelerator', 'globalaccelerator:CreateListener',
      'globalaccelerator:UpdateListener', 'globalaccelerator:DeleteListener', 'globalaccelerator:CreateEndpointGroup',
      'globalaccelerator:UpdateEndpointGroup', 'globalaccelerator:DeleteEndpointGroup', 'globalaccelerator:AddEndpoints',
      'globalaccelerator:RemoveEndpoints'], all, { ...nullTag(undefined, 'false'), StringEquals: agaTag('Resource') }),
    allow(['globalaccelerator:TagResource', 'globalaccelerator:UntagResource'], accelerator,
      { ...nullTag('true', 'false'), StringEquals: agaTag('Resource') }),
    allow(['globalaccelerator:TagResource'], accelerator, { ...nullTag('false', undefined), StringEquals: agaTag('Request') }),
  ];
}

function acmCertificates(): PolicyStatementJson[] {
  return [
    allow(['acm:ListTagsForCertificate', 'route53:ListHostedZones', 'route53:ListHostedZonesByName',
      'route53:ChangeResourceRecordSets', 'acm:AddTagsToCertificate'], '*'),
    allow(['acm:RequestCertificate'], '*', nullTag('false', undefined)),
    allow(['acm:DeleteCertificate'], '*', nullTag(undefined, 'false')),
    allow(['acm-pca:IssueCertificate', 'acm-pca:GetCertificate', 'acm-pca:ListPermissions'], '*'),
  ];
}

function v1Migration(ctx: ResolvedContext): PolicyStatementJson[] {
  const elb = (r: string) => arn(ctx, 'elasticloadbalancing', '*', '*', r);
  const v1Tag = { Null: { 'aws:ResourceTag/ingress.k8s.aws/cluster': 'false' } };
  return [
    allow(['ec2:CreateTags', 'ec2:DeleteTags'], arn(ctx, 'ec2', '*', '*', 'security-group/*'), v1Tag),
    allow(['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags', 'elasticloadbalancing:DeleteTargetGroup'],
      [elb('targetgroup/*/*'), elb('loadbalancer/net/*/*'), elb('loadbalancer/app/*/*')], v1Tag),
  ];
}

export const AWS_LOAD_BALANCER_CONTROLLER: AddonDefinition = {
  id: 'aws-load-balancer-controller',
  description: 'AWS Load Balancer Controller: ALB for Ingress, NLB for Service type LoadBalancer',
  repository: 'kubernetes-sigs/aws-load-balancer-controller',
  defaultNamespace: 'kube-system',
  defaultServiceAccount: 'aws-load-balancer-controller',
  helm: { chart: 'eks/aws-load-balancer-controller', serviceAccountKey: 'serviceAccount', notes: 'also set clusterName (and region, vpcId where IMDS is not reachable)' },
  mechanisms: ['irsa', 'podIdentity'],
  versions: ['v2.7.2', 'v2.8.3', 'v2.9.2', 'v2.10.1', 'v2.11.0', 'v2.12.0', 'v2.13.4', 'v2.14.1', 'v2.15.0',
    'v2.16.0', 'v2.17.1', 'v3.0.0', 'v3.1.0', 'v3.2.2', 'v3.3.0', 'v3.4.3', 'v3.5.0'],
  documents: [
    {
      name: 'controller',
      description: 'the controller policy of the partition (docs/install/iam_policy*.json)',
      upstreamFile: p => PARTITION_FILES[p] ?? PARTITION_FILES.aws,
      partitions: v => Object.keys(PARTITION_FILES).filter(p =>
        (p !== 'aws-iso-e' && p !== 'aws-iso-f' && p !== 'aws-eusc')
        || (p === 'aws-eusc' ? since(v, 'v2.15.0') : since(v, 'v2.12.0'))),
      statements: controller,
    },
    {
      name: 'aga',
      description: 'AWS Global Accelerator support (aga_controller_iam_policy.json)',
      since: 'v2.17.1',
      upstreamFile: () => 'aga_controller_iam_policy.json',
      partitions: () => ['aws'],
      statements: globalAccelerator,
    },
    {
      name: 'acm-certs',
      description: 'certificates the controller requests from ACM (iam_policy_acm_certs.json)',
      since: 'v3.3.0',
      upstreamFile: () => 'iam_policy_acm_certs.json',
      partitions: () => ['aws'],
      statements: acmCertificates,
    },
    {
      name: 'v1-migration',
      description: 'extra permissions while migrating from the v1 alb-ingress-controller (iam_policy_v1_to_v2_additional.json)',
      upstreamFile: () => 'iam_policy_v1_to_v2_additional.json',
      partitions: () => ['aws'],
      statements: v1Migration,
    },
  ],
  defaultDocuments: ['controller'],
  changes: {
    'v2.8.3': 'aws-cn gains elasticloadbalancing:DescribeTrustStores',
    'v2.9.2': 'adds elasticloadbalancing:DescribeListenerAttributes and ModifyListenerAttributes (not in the ISO partitions)',
    'v2.10.1': 'adds ec2:GetSecurityGroupsForVpc',
    'v2.11.0': 'adds elasticloadbalancing:DescribeCapacityReservation and ModifyCapacityReservation (not in the ISO partitions)',
    'v2.12.0': 'adds ec2:DescribeIpamPools, elasticloadbalancing:ModifyIpPools and SetRulePriorities; aws-iso-e and aws-iso-f files',
    'v2.13.4': 'adds ec2:DescribeRouteTables; unchanged through v3.5.0',
    'v2.15.0': 'aws-eusc file',
    'v2.17.1': 'Global Accelerator policy (option `aga`)',
    'v3.3.0': 'ACM certificate policy (option `acm-certs`)',
  },
};
