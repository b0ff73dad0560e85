import { AppFinding, AppModelData, at, groupBy } from './app-model';
import {
  checkProfileCount, checkProfileNameUnique, DEFAULT_PROFILES_PER_CLUSTER,
} from './fargate';
import { error } from './finding';
import {
  checkAssociationCount, checkAssociationUnique, checkPodIdentityOnFargate, checkTargetRole, FargateSelectorRef,
} from './pod-identity';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'pod-identity-association-unique',
    severity: 'error',
    checks: 'one Pod Identity association per cluster, namespace and service account in the app',
    why: 'EKS refuses a second association for a service account',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreatePodIdentityAssociation.html',
  },
  {
    code: 'pod-identity-associations-per-cluster',
    severity: 'error',
    checks: 'at most 5,000 Pod Identity associations per cluster',
    why: 'EKS quota: the create fails beyond it',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html',
  },
  {
    code: 'pod-identity-on-fargate',
    severity: 'error',
    checks: 'no Pod Identity service account in a namespace a Fargate profile of the same cluster takes (a warning when the selector has labels)',
    why: 'EKS Pod Identity does not work for pods on Fargate: those pods get no credentials',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html#pod-id-considerations',
  },
  {
    code: 'pod-identity-target-role',
    severity: 'error',
    checks: 'a Pod Identity targetRoleArn is not the association\'s own role',
    why: 'the target role is assumed with the association role\'s credentials: chaining a role into itself is a mistake',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-assign-target-role.html',
  },
  {
    code: 'fargate-profile-name-unique',
    severity: 'error',
    checks: 'Fargate profile names are unique per cluster in the app',
    why: 'EKS fails the second create of a profile name on one cluster',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateFargateProfile.html',
  },
  {
    code: 'fargate-profiles-per-cluster',
    severity: 'warning',
    checks: 'at most 10 Fargate profiles per cluster (the default quota)',
    why: 'EKS refuses profiles beyond the quota unless it was raised',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html',
  },
  {
    code: 'eks-addon-unique',
    severity: 'error',
    checks: 'an EKS add-on is created once per cluster in the app',
    why: 'an add-on exists once per cluster: the second create fails with ResourceInUseException',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html',
  },
];

/** Associations: one per (cluster, namespace, service account), 5,000 per cluster, a target role that is another role. */
export function checkAssociations(m: AppModelData): AppFinding[] {
  const out: AppFinding[] = [];
  const createdArn = new Map<string, string>();
  for (const r of m.roles) if (r.rolePath !== undefined && r.arn !== undefined) createdArn.set(r.rolePath, r.arn);
  for (const [, list] of groupBy(m.associations, a => a.cluster)) {
    const first = new Map<string, string>();
    list.forEach((a, i) => {
      const key = `${a.namespace}/${a.serviceAccount}`;
      out.push(...at(a.path, checkAssociationUnique('serviceAccountName',
        { cluster: a.clusterLabel, namespace: a.namespace, serviceAccount: a.serviceAccount }, first.get(key))));
      if (!first.has(key)) first.set(key, a.path);
      if (i === list.length - 1) out.push(...at(a.path, checkAssociationCount('serviceAccountName', list.length)));
    });
  }
  for (const a of m.associations) {
    if (a.targetRoleArn === undefined) continue;
    const own = a.roleArn ?? (a.rolePath !== undefined ? createdArn.get(a.rolePath) : undefined);
    out.push(...at(a.path, checkTargetRole('targetRoleArn', a.targetRoleArn, own)));
  }
  return out;
}

/** Pod Identity service accounts in namespaces a Fargate profile of the same cluster takes: one rule, whatever was built first. */
export function checkPodIdentityFargate(m: AppModelData): AppFinding[] {
  const selectors = new Map<string, FargateSelectorRef[]>();
  for (const p of m.fargateProfiles) {
    const list = selectors.get(p.cluster) ?? [];
    p.selectors.forEach((s, i) => list.push({ namespace: s.namespace, labels: s.labels, where: `${p.where} selector ${i}` }));
    selectors.set(p.cluster, list);
  }
  if (selectors.size === 0) return [];
  return m.associations.flatMap(a => at(a.path, checkPodIdentityOnFargate('namespace', a.namespace, selectors.get(a.cluster) ?? [])));
}

/** Profile names unique per cluster; the default quota of profiles per cluster (a warning). */
export function checkFargateProfiles(m: AppModelData): AppFinding[] {
  const out: AppFinding[] = [];
  for (const list of groupBy(m.fargateProfiles, p => p.cluster).values()) {
    const names = new Map<string, string>();
    for (const p of list) {
      if (p.name === undefined) continue;
      out.push(...at(p.path, checkProfileNameUnique('fargateProfileName', p.name, names.get(p.name))));
      if (!names.has(p.name)) names.set(p.name, p.where);
    }
    if (list.length > DEFAULT_PROFILES_PER_CLUSTER) out.push(...at(list[list.length - 1].path, checkProfileCount('selectors', list.length)));
  }
  return out;
}

/** An add-on once per cluster. */
export function checkAddonsUnique(m: AppModelData): AppFinding[] {
  const out: AppFinding[] = [];
  for (const list of groupBy(m.addons, a => `${a.cluster}|${a.name}`).values()) {
    for (const a of list.slice(1)) {
      out.push(...at(a.path, [error('eks-addon-unique', 'cluster', a.clusterLabel.replace(/^'(.*)'$/, '$1'),
        `already gets the ${a.name} add-on from ${list[0].path}: an add-on exists once per cluster`,
        'create the add-on once per cluster')]));
    }
  }
  return out;
}
