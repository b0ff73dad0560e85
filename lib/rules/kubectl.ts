import { error, Finding } from './finding';
import { kubectlLayerPackage } from './manifests';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'kubectl-layer',
    severity: 'error',
    checks: 'a kubectl Lambda layer matches the cluster\'s Kubernetes version and is installed',
    why: 'in-stack apply runs kubectl in a Lambda function: the layer package of the cluster\'s minor version (@aws-cdk/lambda-layer-kubectl-v<minor>) must be in the project',
    source: 'https://docs.aws.amazon.com/cdk/api/v2/docs/aws-eks-v2-readme.html',
  },
  {
    code: 'kubectl-provider',
    severity: 'error',
    checks: 'a cluster given to apply manifests through has a kubectl provider',
    why: 'aws-eks-v2 applies a KubernetesManifest through the cluster\'s kubectl provider: without one no manifest can be applied',
    source: 'https://docs.aws.amazon.com/cdk/api/v2/docs/aws-eks-v2-readme.html',
  },
];

/** The kubectl layer is picked by the cluster's Kubernetes version: it is required without an explicit layer. */
export function checkKubectlLayerSource(field: string, kubernetesVersion: string | undefined, hasLayer: boolean): Finding[] {
  if (hasLayer || kubernetesVersion !== undefined) return [];
  return [error('kubectl-layer', field, undefined,
    'is required to pick the kubectl layer when no kubectlLayer is given',
    'set the cluster\'s Kubernetes version, e.g. "1.31", or pass kubectlLayer')];
}

/** The layer package exists for 1.x minor versions only. */
export function checkKubectlLayerVersion(field: string, kubernetesVersion: string): Finding[] {
  if (kubectlLayerPackage(kubernetesVersion)) return [];
  return [error('kubectl-layer', field, kubernetesVersion,
    'is not a Kubernetes 1.x minor version, so no kubectl layer matches it',
    'write the cluster version as a quoted string like "1.31"')];
}

/** What resolving the layer package found: `missing` (not installed) or `no-class` (wrong export). */
export function checkKubectlLayerPackage(field: string, kubernetesVersion: string, found: 'ok' | 'missing' | 'no-class'): Finding[] {
  const pkg = kubectlLayerPackage(kubernetesVersion);
  if (found === 'ok' || !pkg) return [];
  if (found === 'missing') {
    return [error('kubectl-layer', field, kubernetesVersion,
      `needs the kubectl layer package ${pkg.packageName}, which is not installed in this project`,
      `npm install --save-dev ${pkg.packageName} (or pass a kubectl layer of your own)`)];
  }
  return [error('kubectl-layer', field, kubernetesVersion,
    `found ${pkg.packageName}, but it exports no ${pkg.className}`,
    `install a release of ${pkg.packageName} made for aws-cdk-lib v2, or pass a kubectl layer of your own`)];
}

/** A cluster reference to apply manifests through must carry a kubectl provider. */
export function checkKubectlCluster(field: string, clusterPath: string, hasProvider: boolean): Finding[] {
  if (hasProvider) return [];
  return [{
    ...error('kubectl-provider', field, undefined,
      'has no kubectl provider, so no manifest can be applied through it',
      'pass ImportedClusterKubectl.cluster, or an aws-eks-v2 Cluster made with kubectlProviderOptions'),
    value: clusterPath,
  }];
}
