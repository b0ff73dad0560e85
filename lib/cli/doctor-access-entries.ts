import { K8sObject } from './doctor-inputs';
import { at, DoctorFinding } from './doctor-report';
import { Template } from './template-resolver';
import { checkDuplicatePrincipal } from '../rules/access-entry';
import { checkAccessEntryType } from '../rules/access-entry-type';
import { AccessPolicyInput, checkAccessPolicies, parseAccessPolicyArn } from '../rules/access-policy';
import { Finding } from '../rules/finding';
import { checkGroupsBound, checkKubernetesGroups } from '../rules/groups';
import { checkPrincipalArn, parsePrincipalArn } from '../rules/principal';
import { checkUsername } from '../rules/username';

/** The groups the RoleBindings and ClusterRoleBindings of the manifests bind. */
export function boundGroups(objects: K8sObject[]): Set<string> {
  const bound = new Set<string>();
  for (const o of objects) {
    if (o.obj.kind !== 'RoleBinding' && o.obj.kind !== 'ClusterRoleBinding') continue;
    for (const s of Array.isArray(o.obj.subjects) ? o.obj.subjects : []) if (s?.kind === 'Group' && typeof s.name === 'string') bound.add(s.name);
  }
  return bound;
}

/**
 * The `AWS::EKS::AccessEntry` resources of the templates: each alone (type, principal, username,
 * groups, access policies), across entries (one per principal and cluster) and against the
 * groups the manifests bind.
 */
export function checkAccessEntries(templates: Template[], objects: K8sObject[]): { findings: DoctorFinding[]; count: number } {
  const bound = boundGroups(objects);
  const findings: DoctorFinding[] = [];
  const seen = new Map<string, string>();
  let count = 0;
  for (const t of templates) {
    for (const [id, r] of Object.entries<any>(t.resources)) {
      if (r?.Type !== 'AWS::EKS::AccessEntry') continue;
      count++;
      const where = `Resources.${id} (AWS::EKS::AccessEntry)`;
      const p = r.Properties ?? {};
      const principal = typeof p.PrincipalArn === 'string' ? p.PrincipalArn : undefined;
      const type = typeof p.Type === 'string' ? p.Type : 'STANDARD';
      const fs_: Finding[] = [...checkAccessEntryType('Type', type)];
      const parsed = principal ? parsePrincipalArn(principal) : undefined;
      if (principal) fs_.push(...checkPrincipalArn('PrincipalArn', principal, type));
      if (typeof p.Username === 'string') fs_.push(...checkUsername('Username', p.Username, { type, principalKind: parsed?.kind }));
      const groups: string[] = Array.isArray(p.KubernetesGroups) ? p.KubernetesGroups.filter((g: any) => typeof g === 'string') : [];
      fs_.push(...checkKubernetesGroups('KubernetesGroups', groups, type));
      const policies: AccessPolicyInput[] = (Array.isArray(p.AccessPolicies) ? p.AccessPolicies : []).map((ap: any) => {
        const arn = typeof ap?.PolicyArn === 'string' ? ap.PolicyArn : undefined;
        const scopeType = String(ap?.AccessScope?.Type ?? 'cluster').toLowerCase() === 'namespace' ? 'namespace' as const : 'cluster' as const;
        const namespaces = Array.isArray(ap?.AccessScope?.Namespaces) && ap.AccessScope.Namespaces.every((n: any) => typeof n === 'string')
          ? ap.AccessScope.Namespaces : (ap?.AccessScope?.Namespaces === undefined ? [] : undefined);
        return { arn, name: arn ? parseAccessPolicyArn(arn)?.name : undefined, scopeType, namespaces };
      });
      fs_.push(...checkAccessPolicies('AccessPolicies', policies, type, parsed?.partition));
      if (type === 'STANDARD') fs_.push(...checkGroupsBound('KubernetesGroups', groups, bound));
      const cluster = typeof p.ClusterName === 'string' ? p.ClusterName : JSON.stringify(p.ClusterName);
      if (principal) {
        const key = `${cluster}\u0000${principal}`;
        const first = seen.get(key);
        if (first) fs_.push(...checkDuplicatePrincipal('PrincipalArn', principal, cluster, first));
        else seen.set(key, `${t.file} ${where}`);
      }
      findings.push(...at(t.file, where, fs_));
    }
  }
  return { findings, count };
}
