import { Token } from 'aws-cdk-lib';
import { AccessEntrySpec, IdentitySpec, RbacBindingSpec } from './types';
import { onLiteral } from '../private/enforce';
import { checkAuthenticationMode, checkDuplicatePrincipal, checkTags } from '../rules/access-entry';
import { checkAccessEntryType } from '../rules/access-entry-type';
import { AccessPolicyInput, checkAccessPolicies, parseAccessPolicyArn } from '../rules/access-policy';
import { checkArnPartition, partitionForRegion } from '../rules/arns';
import { Finding } from '../rules/finding';
import { checkKubernetesGroups } from '../rules/groups';
import { checkPrincipalArn, parsePrincipalArn } from '../rules/principal';
import { checkGroupBinding } from '../rules/rbac';
import { checkRbacItemUnique } from '../rules/spec-sections';
import { checkUsername } from '../rules/username';

/** One access entry of the spec, bound. */
export interface BoundAccessEntry {
  readonly spec: AccessEntrySpec;
  /** The construct id of its `AccessEntry` (see `accessEntryIds`). */
  readonly id: string;
}

/** The rules of AccessEntry, with spec paths; one entry per principal. */
export function bindAccessEntries(spec: IdentitySpec): { bound: BoundAccessEntry[]; findings: Finding[] } {
  const entries = spec.accessEntries ?? [];
  const findings: Finding[] = [];
  const mode = spec.cluster.authenticationMode;
  if (entries.length > 0 && mode !== undefined) findings.push(...checkAuthenticationMode('cluster.authenticationMode', mode));
  const { region, account } = spec.cluster;
  const partition = Token.isUnresolved(region) ? undefined : partitionForRegion(region);
  const clusterAccount = Token.isUnresolved(account) ? undefined : account;
  const first = new Map<string, string>();
  entries.forEach((e, i) => {
    const field = `accessEntries[${i}]`;
    const type = (e.type as string | undefined) ?? 'STANDARD';
    const policies: AccessPolicyInput[] = (e.accessPolicies ?? []).map(p => ({
      name: p.policy.startsWith('arn:') ? parseAccessPolicyArn(p.policy)?.name : p.policy,
      arn: p.policy.startsWith('arn:') ? p.policy : undefined,
      scopeType: p.namespaces === undefined ? 'cluster' : 'namespace',
      namespaces: p.namespaces,
    }));
    findings.push(
      ...onLiteral(type, t => checkAccessEntryType(`${field}.type`, t)),
      ...onLiteral(e.principalArn, a => [
        ...checkPrincipalArn(`${field}.principalArn`, a, type, clusterAccount),
        ...checkArnPartition(`${field}.principalArn`, a, region),
        ...(first.has(a) ? checkDuplicatePrincipal(`${field}.principalArn`, a, spec.cluster.name, first.get(a)!) : []),
      ]),
      ...onLiteral(e.username, u => checkUsername(`${field}.username`, u, { type, principalKind: parsePrincipalArn(e.principalArn)?.kind })),
      ...onLiteral(e.kubernetesGroups, g => checkKubernetesGroups(`${field}.kubernetesGroups`, g, type)),
      ...onLiteral(policies, p => checkAccessPolicies(`${field}.accessPolicies`, p, type, partition, f => f)),
      ...onLiteral(e.tags, t => checkTags(`${field}.tags`, t)),
    );
    if (!first.has(e.principalArn)) first.set(e.principalArn, field);
  });
  const ids = accessEntryIds(entries.map(e => e.principalArn));
  return { bound: entries.map((e, i) => ({ spec: e, id: ids[i] })), findings };
}

/**
 * Construct ids of access entries: `AccessEntry:<ARN with '/' as ':'>`, as ever. Two principals
 * can map to one such id (`role/team:x/app` and `role/team/x/app`, an IAM path may hold ':'):
 * then the one whose path or name holds a ':' gets `AccessEntry:<ARN with '/' as ' '>` instead (an
 * ARN holds no space, so the ids stay distinct), and every id that was distinct before is kept.
 */
export function accessEntryIds(principalArns: string[]): string[] {
  const plain = principalArns.map(a => `AccessEntry:${a.replace(/\//g, ':')}`);
  const count = new Map<string, number>();
  for (const id of plain) count.set(id, (count.get(id) ?? 0) + 1);
  return principalArns.map((a, i) => {
    const resource = a.slice(a.indexOf('/') + 1);
    return count.get(plain[i])! > 1 && a.includes('/') && resource.includes(':') ? `AccessEntry:${a.replace(/\//g, ' ')}` : plain[i];
  });
}

/** The rules of IdentityChart.bindGroup, with spec paths; one object per kind, namespace and name. */
export function bindRbac(spec: IdentitySpec): { bound: RbacBindingSpec[]; findings: Finding[] } {
  const items = spec.rbac ?? [];
  const findings: Finding[] = [];
  const objects = new Map<string, string>();
  items.forEach((b, i) => {
    const field = `rbac[${i}]`;
    findings.push(...onLiteral(b, x => checkGroupBinding(field, x.group, x.clusterRole, x.namespaces)));
    // the same group and ClusterRole make objects of the same name: the same ClusterRoleBinding, or
    // the same RoleBinding in a namespace both list
    const keys = b.namespaces === undefined ? ['ClusterRoleBinding'] : b.namespaces.map(ns => `RoleBinding in namespace ${ns}`);
    for (const object of keys) {
      const key = `${b.group}|${b.clusterRole}|${object}`;
      const at = objects.get(key);
      findings.push(...checkRbacItemUnique(field, b, at, object));
      if (at === undefined) objects.set(key, field);
    }
  });
  return { bound: items, findings };
}
