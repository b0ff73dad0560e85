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
  for (const list of groupBy(m.addons.filter(a => !a.external), a => `${a.cluster}|${a.name}`).values()) {
    for (const a of list.slice(1)) {
      out.push(...at(a.path, [error('eks-addon-unique', 'cluster', a.clusterLabel.replace(/^'(.*)'$/, '$1'),
        `already gets the ${a.name} add-on from ${list[0].path}: an add-on exists once per cluster`,
        'create the add-on once per cluster')]));
    }
  }
  return out;
}
