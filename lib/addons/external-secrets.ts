import { added, AddonDefinition, allow, arn, PolicyStatementJson, ResolvedContext, scoped } from './types';

/** Secrets and parameters default to every one of the partition when the scope is open. */
const secrets = (ctx: ResolvedContext) => scoped(ctx.scope.secretArns, [arn(ctx, 'secretsmanager', '*', '*', 'secret:*')]);
const parameters = (ctx: ResolvedContext) => scoped(ctx.scope.parameterArns, [arn(ctx, 'ssm', '*', '*', 'parameter/*')]);
const READ_SECRET = ['secretsmanager:GetResourcePolicy', 'secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret',
  'secretsmanager:ListSecretVersionIds'];
const PUSH = ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:TagResource'];
const RESOURCE_POLICY = ['secretsmanager:GetResourcePolicy', 'secretsmanager:PutResourcePolicy', 'secretsmanager:DeleteResourcePolicy'];
const replication = (ctx: ResolvedContext) => added(ctx.version,
  { 'v2.7.0': ['secretsmanager:ReplicateSecretToRegions', 'secretsmanager:RemoveRegionsFromReplication'] });

/** With `scope.kmsKeyArns`: decrypt (and, for pushes, encrypt) with the customer managed keys of the secrets. */
function kms(ctx: ResolvedContext, push: boolean): PolicyStatementJson[] {
  const keys = ctx.scope.kmsKeyArns;
  if (!keys || keys.length === 0) return [];
  return [allow(['kms:Decrypt', ...(push ? ['kms:Encrypt', 'kms:GenerateDataKey'] : [])], keys)];
}

const ACM_EXPORT = ['acm:DescribeCertificate', 'acm:ExportCertificate', 'acm:GetCertificate'];
const ACM_IMPORT = ['acm:GetCertificate', 'acm:ImportCertificate', 'acm:DeleteCertificate', 'acm:AddTagsToCertificate',
  'acm:ListTagsForCertificate', 'acm:RemoveTagsFromCertificate', 'tag:GetResources'];

export const EXTERNAL_SECRETS: AddonDefinition = {
  id: 'external-secrets',
  description: 'External Secrets Operator: Secrets Manager, Parameter Store and ACM into Kubernetes Secrets',
  repository: 'external-secrets/external-secrets',
  defaultNamespace: 'external-secrets',
  defaultServiceAccount: 'external-secrets',
  helm: { chart: 'external-secrets/external-secrets', serviceAccountKey: 'serviceAccount' },
  mechanisms: ['irsa', 'podIdentity'],
  versions: ['v2.4.1', 'v2.5.0', 'v2.6.0', 'v2.7.0', 'v2.8.0', 'v2.9.0'],
  documents: [
    {
      name: 'secrets-manager',
      description: 'read secrets (`scope.secretArns`); list and batch-get need `*`',
      upstreamFile: () => 'secrets-manager-policy.json',
      statements: ctx => [allow(['secretsmanager:ListSecrets', 'secretsmanager:BatchGetSecretValue'], '*'), allow(READ_SECRET, secrets(ctx)), ...kms(ctx, false)],
    },
    {
      name: 'pod-identity-secrets-manager',
      description: 'the Pod Identity example: read secrets (`scope.secretArns`)',
      upstreamFile: () => 'pod-identity-secrets-manager-policy.json',
      statements: ctx => [allow(READ_SECRET, scoped(ctx.scope.secretArns, ['*'])), ...kms(ctx, false)],
    },
    {
      name: 'secrets-manager-push',
      description: 'PushSecret into Secrets Manager (`scope.secretArns`)',
      upstreamFile: () => 'secrets-manager-pushsecret-statement.json',
      statements: ctx => [allow([...PUSH, 'secretsmanager:DeleteSecret', ...RESOURCE_POLICY, ...replication(ctx)], secrets(ctx)), ...kms(ctx, true)],
    },
    {
      name: 'secrets-manager-push-restrictive',
      description: 'PushSecret, deleting only secrets tagged managed-by=external-secrets',
      upstreamFile: () => 'secrets-manager-pushsecret-restrictive-policy.json',
      statements: ctx => [
        allow([...PUSH, ...RESOURCE_POLICY, ...replication(ctx)], secrets(ctx)),
        allow(['secretsmanager:DeleteSecret'], secrets(ctx), { StringEquals: { 'secretsmanager:ResourceTag/managed-by': 'external-secrets' } }),
        ...kms(ctx, true),
      ],
    },
    {
      name: 'parameter-store',
      description: 'read parameters (`scope.parameterArns`)',
      upstreamFile: () => 'parameter-store-fetch-policy.json',
      statements: ctx => [allow(['ssm:GetParameter*'], parameters(ctx)), ...kms(ctx, false)],
    },
    {
      name: 'parameter-store-push',
      description: 'PushSecret into Parameter Store (`scope.parameterArns`)',
      upstreamFile: () => 'parameter-store-push-statement.json',
      statements: ctx => [allow(['ssm:GetParameter*', 'ssm:PutParameter*', 'ssm:AddTagsToResource', 'ssm:ListTagsForResource'], parameters(ctx)), ...kms(ctx, true)],
    },
    { name: 'acm-export', since: 'v2.8.0', description: 'export ACM certificates', upstreamFile: () => 'certificate-manager-export-policy.json', statements: () => [allow(ACM_EXPORT, '*')] },
    { name: 'acm-import', since: 'v2.8.0', description: 'import certificates into ACM', upstreamFile: () => 'certificate-manager-import-policy.json', statements: () => [allow(ACM_IMPORT, '*')] },
    {
      name: 'acm-export-import',
      since: 'v2.8.0',
      description: 'export and import ACM certificates',
      upstreamFile: () => 'certificate-manager-export-import-policy.json',
      statements: () => [allow([...new Set([...ACM_IMPORT, ...ACM_EXPORT])], '*')],
    },
  ],
  defaultDocuments: ['secrets-manager'],
  changes: {
    'v2.7.0': 'adds secretsmanager:ReplicateSecretToRegions and RemoveRegionsFromReplication to both PushSecret policies',
    'v2.8.0': 'adds the ACM provider policies (export, import, export and import)',
  },
};
