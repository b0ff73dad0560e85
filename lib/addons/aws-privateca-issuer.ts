import { AddonDefinition, allow, arn, scoped, sid } from './types';

export const AWS_PRIVATECA_ISSUER: AddonDefinition = {
  id: 'aws-privateca-issuer',
  description: 'AWS Private CA issuer for cert-manager',
  repository: 'cert-manager/aws-privateca-issuer',
  defaultNamespace: 'aws-privateca-issuer',
  defaultServiceAccount: 'aws-privateca-issuer',
  helm: { chart: 'awspca/aws-privateca-issuer', serviceAccountKey: 'serviceAccount' },
  mechanisms: ['irsa', 'podIdentity'],
  // the EKS add-on "AWS Private CA Connector for Kubernetes" installs this issuer (namespace aws-privateca-issuer)
  eksAddonName: 'aws-privateca-connector-for-kubernetes',
  versions: ['v1.4.1', 'v1.5.0', 'v1.6.0', 'v1.7.1', 'v1.8.1', 'v1.9.0'],
  documents: [{
    name: 'minimal',
    description: 'the README\'s minimal policy for the CAs of `scope.certificateAuthorityArns`',
    upstreamFile: () => 'issuer-minimal-policy.json',
    statements: ctx => [sid('awspcaissuer', allow(['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificate', 'acm-pca:IssueCertificate'],
      scoped(ctx.scope.certificateAuthorityArns, [arn(ctx, 'acm-pca', ctx.region, ctx.account, 'certificate-authority/*')])))],
  }],
  defaultDocuments: ['minimal'],
  changes: {},
};
