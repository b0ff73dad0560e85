/** Add-ons whose identity is AWS managed policies only (no upstream policy document). */
import { AddonDefinition } from './types';

const managedOnly = (id: string, description: string, namespace: string, serviceAccount: string,
  managedPolicies: string[], eksAddonName?: string): AddonDefinition => ({
  id,
  description,
  repository: 'aws',
  defaultNamespace: namespace,
  defaultServiceAccount: serviceAccount,
  mechanisms: ['irsa', 'podIdentity'],
  eksAddonName,
  versions: ['managed'],
  documents: [],
  defaultDocuments: [],
  managedPolicies,
  changes: {},
});

export const AMAZON_CLOUDWATCH_OBSERVABILITY = managedOnly('amazon-cloudwatch-observability',
  'Amazon CloudWatch Observability (CloudWatch agent, Container Insights, Application Signals)',
  'amazon-cloudwatch', 'cloudwatch-agent', ['CloudWatchAgentServerPolicy', 'AWSXrayWriteOnlyAccess'], 'amazon-cloudwatch-observability');

export const ADOT = managedOnly('adot', 'AWS Distro for OpenTelemetry (preconfigured collectors)',
  'opentelemetry-operator-system', 'adot-col-prom-metrics',
  ['AmazonPrometheusRemoteWriteAccess', 'CloudWatchAgentServerPolicy', 'AWSXrayWriteOnlyAccess'], 'adot');

export const AMAZON_MANAGED_PROMETHEUS = managedOnly('amazon-managed-prometheus',
  'remote write into an Amazon Managed Service for Prometheus workspace (ADOT collector or Prometheus server)',
  'prometheus', 'amp-iamproxy-ingest-service-account', ['AmazonPrometheusRemoteWriteAccess']);
