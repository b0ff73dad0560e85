/**
 * Rules of the spec's `addons:` and `podIdentityAgent:` sections. Pure.
 */
import { editDistance } from './edit-distance';
import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'addon-mechanism-unsupported',
    severity: 'error',
    checks: 'the add-on supports the identity mechanism asked for',
    why: 'an add-on whose SDK or chart does not take Pod Identity credentials gets none',
    source: 'observed: the catalogue records the mechanisms each add-on documents',
  },
  {
    code: 'addon-not-managed',
    severity: 'error',
    checks: '`managed:` names an EKS add-on: the catalogue has one for the add-on, or addonName is given',
    why: 'an add-on EKS does not offer cannot be installed as AWS::EKS::Addon',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/workloads-add-ons-available-eks.html',
  },
  {
    code: 'addon-resolve-conflicts',
    severity: 'error',
    checks: 'managed.resolveConflicts is OVERWRITE, NONE or PRESERVE',
    why: 'CloudFormation rejects any other value at deploy time',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-eks-addon.html',
  },
  {
    code: 'addon-managed-duplicate',
    severity: 'error',
    checks: 'one managed add-on per EKS add-on name and cluster',
    why: 'EKS holds one add-on of a name per cluster; the second create fails with ResourceInUseException',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html',
  },
  {
    code: 'addon-duplicate',
    severity: 'error',
    checks: 'an add-on is listed once per namespace and service account',
    why: 'the second entry would make a second role and association (or annotation) for the same service account: EKS refuses a second association, and the manifest holds one ServiceAccount',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreatePodIdentityAssociation.html',
  },
];

export const RESOLVE_CONFLICTS = ['OVERWRITE', 'NONE', 'PRESERVE'];

/** The catalogue id closest to a misspelt one, when close enough to be a typo. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) { bestD = d; best = k; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/** `addon-unknown` with a did-you-mean. */
export function checkAddonNameSpec(field: string, name: string, known: readonly string[]): Finding[] {
  if (known.includes(name)) return [];
  const guess = closest(name, known);
  return [error('addon-unknown', field, name, 'is not an add-on of the catalogue',
    guess ? `did you mean '${guess}'? (the catalogue: ${known.join(', ')})` : `use one of: ${known.join(', ')}`)];
}

export function checkAddonMechanism(field: string, addon: string, mechanism: string, supported: readonly string[]): Finding[] {
  return supported.includes(mechanism) ? [] : [error('addon-mechanism-unsupported', field, mechanism,
    `is not a mechanism ${addon} supports`, `use ${supported.join(' or ')}`)];
}

export function checkManagedAddonName(field: string, addon: string, eksName: string | undefined, given: string | undefined): Finding[] {
  return eksName !== undefined || given !== undefined ? [] : [error('addon-not-managed', field, addon,
    'is not offered by EKS as a managed add-on (the catalogue has no EKS add-on name for it)',
    'install it with Helm (leave out managed:), or give managed.addonName if EKS now offers it')];
}

export function checkResolveConflicts(field: string, value: string): Finding[] {
  return RESOLVE_CONFLICTS.includes(value) ? [] : [error('addon-resolve-conflicts', field, value,
    'is not a resolveConflicts value', `use one of: ${RESOLVE_CONFLICTS.join(', ')}`)];
}

export function checkManagedDuplicate(field: string, addonName: string, cluster: string, first: string | undefined): Finding[] {
  return first === undefined ? [] : [error('addon-managed-duplicate', field, addonName,
    `is installed on cluster '${cluster}' already (${first}); EKS holds one add-on of a name per cluster`,
    'keep one of the two')];
}

export function checkAddonDuplicate(field: string, addon: string, namespace: string, serviceAccount: string, first: string | undefined): Finding[] {
  return first === undefined ? [] : [error('addon-duplicate', field, addon,
    `is listed already (${first}) for service account ${namespace}/${serviceAccount}`,
    'keep one entry, or give the second its own namespace or serviceAccountName (two instances of one add-on)')];
}
