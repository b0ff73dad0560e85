import { AddonDefinition, allow, scoped } from './types';

export const SECRETS_STORE_CSI_PROVIDER_AWS: AddonDefinition = {
  id: 'secrets-store-csi-provider-aws',
  description: 'AWS provider of the Secrets Store CSI driver (the policy belongs to the pods that mount secrets)',
  repository: 'aws/secrets-store-csi-driver-provider-aws',
  defaultNamespace: 'kube-system',
  defaultServiceAccount: 'secrets-store-csi-driver-provider-aws',
  mechanisms: ['irsa', 'podIdentity'],
  versions: ['v1.0.1', 'v2.0.0', 'v2.1.1', 'v2.2.2', 'v3.0.1', 'v3.1.1'],
  documents: [{
    name: 'pod',
    description: 'the README\'s pod policy: read `scope.secretArns`',
    upstreamFile: () => 'example-pod-policy.json',
    statements: ctx => [allow(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      scoped(ctx.scope.secretArns, [`arn:${ctx.partition}:secretsmanager:*:*:secret:*`]))],
  }],
  defaultDocuments: ['pod'],
  changes: {},
};
