import type * as kplus from 'cdk8s-plus-28';

let loaded: typeof kplus | undefined;

/**
 * cdk8s-plus-28, loaded on first use. Its generated Kubernetes API (several megabytes of
 * JavaScript) is parsed only by apps that make a cdk8s-plus object: the workloads' own
 * ServiceAccounts are written by the chart without one.
 */
export function cdk8sPlus(): typeof kplus {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('cdk8s-plus-28') as typeof kplus;
  return loaded;
}
