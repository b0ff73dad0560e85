import { checkAccessEntryCount, checkDuplicatePrincipal, checkEksManagedPrincipal } from './access-entry';
import { AccessEntryRecord, AppFinding, AppModelData, at, EksManagedRoleRecord } from './app-model';
import { checkGroupsBound } from './groups';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
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
