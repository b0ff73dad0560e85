import { added, AddonDefinition, allow, arn, PolicyStatementJson, ResolvedContext, scoped, since } from './types';

/** docs/tutorials/aws.md policies (route53-policy.json, and the ABAC variant from v0.18). */
function route53(ctx: ResolvedContext, abac: boolean): PolicyStatementJson[] {
  const v = ctx.version;
  // v0.20 moves the two List actions from the `*` statement to the hosted-zone statement
  const lists = ['route53:ListResourceRecordSets', 'route53:ListTagsForResources'];
  const listsOnZones = since(v, 'v0.20.0');
  const zones = scoped(ctx.scope.hostedZoneArns, [arn(ctx, 'route53', '', '', 'hostedzone/*')]);
  const condition = abac ? {
    'ForAllValues:StringLike': {
      'route53:ChangeResourceRecordSetsNormalizedRecordNames': scoped(ctx.scope.recordNames, ['*']),
      'route53:ChangeResourceRecordSetsActions': ['CREATE', 'UPSERT', 'DELETE'],
      'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', ...added(v, { 'v0.20.0': ['CNAME'] }), 'MX', ...added(v, { 'v0.20.0': ['TXT'] })],
    },
  } : undefined;
  return [
    allow(['route53:ChangeResourceRecordSets', ...(listsOnZones ? lists : [])], zones, condition),
    allow(['route53:ListHostedZones', ...(listsOnZones ? [] : lists)], '*'),
  ];
}

export const EXTERNAL_DNS: AddonDefinition = {
  id: 'external-dns',
  description: 'ExternalDNS: Route 53 records for Services and Ingresses',
  repository: 'kubernetes-sigs/external-dns',
  defaultNamespace: 'external-dns',
  defaultServiceAccount: 'external-dns',
  helm: { chart: 'external-dns/external-dns', serviceAccountKey: 'serviceAccount', notes: 'provider.name: aws; domainFilters to the zones of scope.hostedZoneArns' },
  mechanisms: ['irsa', 'podIdentity'],
  eksAddonName: 'external-dns',
  versions: ['v0.17.0', 'v0.18.0', 'v0.19.0', 'v0.20.0', 'v0.21.0', 'v0.22.0'],
  documents: [
    { name: 'route53', description: 'route53-policy.json; `scope.hostedZoneArns` narrows the zones', upstreamFile: () => 'route53-policy.json', statements: ctx => route53(ctx, false) },
    { name: 'route53-abac', description: 'route53-abac-policy.json: record names (`scope.recordNames`), actions and types limited by condition', since: 'v0.18.0', upstreamFile: () => 'route53-abac-policy.json', statements: ctx => route53(ctx, true) },
  ],
  defaultDocuments: ['route53'],
  changes: {
    'v0.18.0': 'adds the ABAC policy (option `route53-abac`)',
    'v0.20.0': 'route53:ListResourceRecordSets and ListTagsForResources move to the hosted-zone statement; ABAC record types gain CNAME and TXT',
  },
};
