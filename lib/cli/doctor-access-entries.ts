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

/** An access entry, from a template or from aws eks describe-access-entry. */
export interface AccessEntryInput {
  readonly file: string;
  readonly where: string;
  readonly cluster: string;
  readonly principal?: string;
  readonly type: string;
  readonly username?: string;
  readonly groups: string[];
  readonly policies: AccessPolicyInput[];
}

/**
 * Access entries each alone (type, principal, username, groups, access policies), across entries
 * (one per principal and cluster) and, when the bindings are known, against the groups the
 * RoleBindings and ClusterRoleBindings bind.
 */
export function checkAccessEntryList(entries: AccessEntryInput[], bound: Set<string> | undefined): DoctorFinding[] {
  const findings: DoctorFinding[] = [];
  const seen = new Map<string, string>();
  for (const e of entries) {
    const fs_: Finding[] = [...checkAccessEntryType('Type', e.type)];
    const parsed = e.principal ? parsePrincipalArn(e.principal) : undefined;
    if (e.principal) fs_.push(...checkPrincipalArn('PrincipalArn', e.principal, e.type));
    if (e.username !== undefined) fs_.push(...checkUsername('Username', e.username, { type: e.type, principalKind: parsed?.kind }));
    fs_.push(...checkKubernetesGroups('KubernetesGroups', e.groups, e.type));
    fs_.push(...checkAccessPolicies('AccessPolicies', e.policies, e.type, parsed?.partition));
    if (e.type === 'STANDARD' && bound !== undefined) fs_.push(...checkGroupsBound('KubernetesGroups', e.groups, bound));
    if (e.principal) {
      const key = `${e.cluster}\u0000${e.principal}`;
      const first = seen.get(key);
      if (first) fs_.push(...checkDuplicatePrincipal('PrincipalArn', e.principal, e.cluster, first));
      else seen.set(key, `${e.file} ${e.where}`);
    }
    findings.push(...at(e.file, e.where, fs_));
  }
  return findings;
}

/** An access policy association as the template or aws eks list-associated-access-policies writes it. */
export function accessPolicyInput(arn: unknown, scope: any): AccessPolicyInput {
  const a = typeof arn === 'string' ? arn : undefined;
  const scopeType = String(scope?.Type ?? scope?.type ?? 'cluster').toLowerCase() === 'namespace' ? 'namespace' as const : 'cluster' as const;
  const ns = scope?.Namespaces ?? scope?.namespaces;
  const namespaces = Array.isArray(ns) && ns.every((n: any) => typeof n === 'string') ? ns : (ns === undefined ? [] : undefined);
  return { arn: a, name: a ? parseAccessPolicyArn(a)?.name : undefined, scopeType, namespaces };
}

/**
 * The `AWS::EKS::AccessEntry` resources of the templates, checked by `checkAccessEntryList`
 * against the groups the manifests bind.
 */
export function checkAccessEntries(templates: Template[], objects: K8sObject[]): { findings: DoctorFinding[]; count: number } {
  const entries: AccessEntryInput[] = [];
  for (const t of templates) {
    for (const [id, r] of Object.entries<any>(t.resources)) {
      if (r?.Type !== 'AWS::EKS::AccessEntry') continue;
      const p = r.Properties ?? {};
      entries.push({
        file: t.file,
        where: `Resources.${id} (AWS::EKS::AccessEntry)`,
        cluster: typeof p.ClusterName === 'string' ? p.ClusterName : JSON.stringify(p.ClusterName),
        principal: typeof p.PrincipalArn === 'string' ? p.PrincipalArn : undefined,
        type: typeof p.Type === 'string' ? p.Type : 'STANDARD',
        username: typeof p.Username === 'string' ? p.Username : undefined,
        groups: Array.isArray(p.KubernetesGroups) ? p.KubernetesGroups.filter((g: any) => typeof g === 'string') : [],
        policies: (Array.isArray(p.AccessPolicies) ? p.AccessPolicies : []).map((ap: any) => accessPolicyInput(ap?.PolicyArn, ap?.AccessScope)),
      });
    }
  }
  return { findings: checkAccessEntryList(entries, boundGroups(objects)), count: entries.length };
}
