import { added, AddonDefinition, allow, arn, PolicyStatementJson, ResolvedContext, since } from './types';

const LINKED_ROLES: { [service: string]: string } = {
  'vpc-lattice.amazonaws.com': 'AWSServiceRoleForVpcLattice',
  'delivery.logs.amazonaws.com': 'AWSServiceRoleForLogDelivery',
};

/** files/controller-installation/recommended-inline-policy.json (config/iam/ in v0.0.x). */
function recommended(ctx: ResolvedContext): PolicyStatementJson[] {
  const v = ctx.version;
  const scopedLinkedRoles = since(v, 'v1.0.7');
  return [
    allow([
      'vpc-lattice:*', ...(scopedLinkedRoles ? [] : ['iam:CreateServiceLinkedRole']),
      'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeTags', 'ec2:DescribeSecurityGroups',
      'logs:CreateLogDelivery', 'logs:GetLogDelivery',
      ...added(v, { 'v1.0.7': ['logs:DescribeLogGroups', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies'] }),
      'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
      ...added(v, {
        'v1.0.7': ['tag:GetResources', 'firehose:TagDeliveryStream', 's3:GetBucketPolicy', 's3:PutBucketPolicy'],
        'v1.1.7': ['tag:TagResources', 'tag:UntagResources'],
        'v2.0.2': ['acm:ListCertificates'],
      }),
    ], '*'),
    ...(scopedLinkedRoles ? Object.entries(LINKED_ROLES).map(([service, role]) => allow(['iam:CreateServiceLinkedRole'],
      arn(ctx, 'iam', '', '*', `role/aws-service-role/${service}/${role}`), { StringLike: { 'iam:AWSServiceName': service } })) : []),
  ];
}

export const GATEWAY_API_CONTROLLER: AddonDefinition = {
  id: 'gateway-api-controller',
  description: 'AWS Gateway API Controller for Amazon VPC Lattice',
  repository: 'aws/aws-application-networking-k8s',
  defaultNamespace: 'aws-application-networking-system',
  defaultServiceAccount: 'gateway-api-controller',
  helm: { chart: 'oci://public.ecr.aws/aws-application-networking-k8s/aws-gateway-controller-chart', serviceAccountKey: 'serviceAccount' },
  mechanisms: ['irsa', 'podIdentity'],
  versions: ['v0.0.18', 'v1.0.7', 'v1.1.7', 'v2.0.2', 'v2.1.3'],
  documents: [{ name: 'recommended', description: 'the recommended inline policy', upstreamFile: () => 'recommended-inline-policy.json', statements: recommended }],
  defaultDocuments: ['recommended'],
  changes: {
    'v1.0.7': 'adds firehose:TagDeliveryStream, logs:DescribeLogGroups, DescribeResourcePolicies, PutResourcePolicy, s3:GetBucketPolicy, PutBucketPolicy, tag:GetResources; iam:CreateServiceLinkedRole limited to the VPC Lattice and log delivery roles',
    'v1.1.7': 'adds tag:TagResources and tag:UntagResources',
    'v2.0.2': 'adds acm:ListCertificates',
  },
};
