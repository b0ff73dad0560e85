import { AddonDefinition, allow, arn, PolicyStatementJson, ResolvedContext, scoped, since } from './types';

/** docs/configuration/acme/dns01/route53 policy: DNS-01 challenges in Route 53. */
function route53(ctx: ResolvedContext): PolicyStatementJson[] {
  const zones = scoped(ctx.scope.hostedZoneArns, [arn(ctx, 'route53', '', '', 'hostedzone/*')]);
  return [
    allow(['route53:GetChange'], arn(ctx, 'route53', '', '', 'change/*')),
    allow(['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'], zones,
      since(ctx.version, 'v1.17') ? { 'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] } } : undefined),
    allow(['route53:ListHostedZonesByName'], '*'),
  ];
}

/** Cross-account: cert-manager assumes the DNS role of the zone's account (`scope.roleArns`). */
function crossAccount(ctx: ResolvedContext): PolicyStatementJson[] {
  return [allow(['sts:AssumeRole'], scoped(ctx.scope.roleArns, ['*']))];
}

export const CERT_MANAGER: AddonDefinition = {
  id: 'cert-manager',
  description: 'cert-manager: ACME DNS-01 challenges in Route 53',
  repository: 'cert-manager/website',
  defaultNamespace: 'cert-manager',
  defaultServiceAccount: 'cert-manager',
  helm: { chart: 'jetstack/cert-manager', serviceAccountKey: 'serviceAccount' },
  mechanisms: ['irsa', 'podIdentity'],
  eksAddonName: 'cert-manager',
  versions: ['v1.16', 'v1.17', 'v1.18', 'v1.19', 'v1.20', 'v1.21'],
  documents: [
    { name: 'route53', description: 'the Route 53 DNS-01 policy; `scope.hostedZoneArns` narrows the zones', upstreamFile: () => 'route53-policy.json', statements: route53 },
    { name: 'cross-account', description: 'assume the Route 53 role of another account (`scope.roleArns`)', upstreamFile: () => 'route53-cross-account-assume-role-policy.json', statements: crossAccount },
  ],
  defaultDocuments: ['route53'],
  changes: {
    'v1.17': 'record changes limited to TXT records (ForAllValues:StringEquals route53:ChangeResourceRecordSetsRecordTypes)',
  },
};
