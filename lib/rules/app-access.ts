import { checkAccessEntryCount, checkDuplicatePrincipal, checkEksManagedPrincipal } from './access-entry';
import { AccessEntryRecord, AppFinding, AppModelData, at, EksManagedRoleRecord } from './app-model';
import { checkGroupsBound } from './groups';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'access-entry-duplicate-principal',
    severity: 'error',
    checks: 'one access entry per principal and cluster in the app (ours, aws-eks-v2\'s and raw ones)',
    why: 'EKS allows one entry per principal and cluster: the second fails at deploy with ResourceInUseException',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html',
  },
  {
    code: 'access-entry-eks-managed-role',
    severity: 'error',
    checks: 'no access entry for a managed node group role or a Fargate pod execution role of the app',
    why: 'EKS creates those entries itself: an explicit one fails at deploy with ResourceInUseException',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  },
  {
    code: 'access-entry-quota',
    severity: 'error',
    checks: 'at most 3,000 access entries per cluster',
    why: 'EKS quota',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html',
  },
  {
    code: 'access-entry-group-unbound',
    severity: 'warning',
    checks: 'every Kubernetes group of an access entry is bound by a RoleBinding or ClusterRoleBinding of the app',
    why: 'EKS does not check groups: an unbound group grants nothing',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html',
  },
];

/** Access entries across the app: duplicates, EKS-managed roles, the quota, unbound groups. */
export function checkAccessEntries(m: AppModelData): AppFinding[] {
  const out: AppFinding[] = [];
  // first entry per (cluster key, principal key)
  const firstAt = new Map<string, number>();
  m.accessEntries.forEach((e, i) => {
    for (const ck of e.clusterKeys) for (const pk of e.principalKeys) if (!firstAt.has(`${ck}|${pk}`)) firstAt.set(`${ck}|${pk}`, i);
  });
  const managed = new Map<string, EksManagedRoleRecord[]>();
  for (const r of m.eksManagedRoles) for (const pk of r.principalKeys) push(managed, pk, r);
  const perCluster = new Map<string, AccessEntryRecord[]>();
  for (const e of m.accessEntries) if (e.clusterKeys[0] !== undefined) push(perCluster, e.clusterKeys[0], e);

  m.accessEntries.forEach((e, i) => {
    if (!e.ours) return;
    const { field, display, clusterLabel } = e.ours;
    let first: number | undefined;
    for (const ck of e.clusterKeys) {
      for (const pk of e.principalKeys) {
        const j = firstAt.get(`${ck}|${pk}`);
        if (j !== undefined && j < i && (first === undefined || j < first)) first = j;
      }
    }
    if (first !== undefined) out.push(...at(e.path, checkDuplicatePrincipal(field, display, clusterLabel, m.accessEntries[first].resourcePath)));
    const role = e.principalKeys.flatMap(pk => managed.get(pk) ?? [])
      .find(r => r.clusterKeys.length === 0 || r.clusterKeys.some(k => e.clusterKeys.includes(k)));
    if (role) out.push(...at(e.path, checkEksManagedPrincipal(field, display, role.kind, role.usedBy)));
    const same = e.clusterKeys[0] !== undefined ? perCluster.get(e.clusterKeys[0]) ?? [] : [];
    if (same[0] === e) out.push(...at(e.path, checkAccessEntryCount('accessEntries', clusterLabel, same.length)));
    if (e.ours.groups) out.push(...at(e.path, checkGroupsBound('kubernetesGroups', e.ours.groups, m.boundGroups)));
  });
  return out;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
