import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'access-entry-authentication-mode',
    severity: 'error',
    checks: 'the cluster authentication mode allows access entries (API or API_AND_CONFIG_MAP)',
    why: 'EKS refuses access entries on a cluster that authenticates through the aws-auth ConfigMap only',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/setting-up-access-entries.html',
  },
  {
    code: 'access-entry-duplicate-principal',
    severity: 'error',
    checks: 'one access entry per principal and cluster across the app',
    why: 'a second entry for the same principal fails at deploy with ResourceInUseException',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  },
  {
    code: 'access-entry-eks-managed-role',
    severity: 'error',
    checks: 'no explicit access entry for a role EKS gives an entry itself (Fargate pod execution roles, managed node group roles)',
    why: 'EKS creates those entries with the profile or node group, so an explicit one fails at deploy with ResourceInUseException',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  },
  {
    code: 'access-entry-quota',
    severity: 'error',
    checks: 'at most 3,000 access entries per cluster',
    why: 'the EKS quota on access entries per cluster',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html',
  },
  {
    code: 'aws-tag-key',
    severity: 'error',
    checks: 'tag keys are 1 to 128 characters of letters, digits, spaces and _ . : / = + - @, and do not start with aws:',
    why: 'AWS refuses empty or longer keys and other characters, and reserves the aws: prefix',
    source: 'https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html',
  },
  {
    code: 'aws-tag-value',
    severity: 'error',
    checks: 'tag values are strings of at most 256 characters of letters, digits, spaces and _ . : / = + - @',
    why: 'AWS refuses longer values and other characters',
    source: 'https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html',
  },
  {
    code: 'aws-tag-count',
    severity: 'error',
    checks: 'at most 50 tags per resource',
    why: 'AWS refuses more than 50 user tags on a resource',
    source: 'https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html',
  },
];

/** EKS quota: access entries per cluster. */
export const MAX_ACCESS_ENTRIES_PER_CLUSTER = 3000;

/** Access entries need authentication mode API or API_AND_CONFIG_MAP; CONFIG_MAP (the API default) refuses them. */
export function checkAuthenticationMode(field: string, mode: string): Finding[] {
  if (mode !== 'CONFIG_MAP') return [];
  return [error('access-entry-authentication-mode', field, mode,
    'does not allow access entries: EKS refuses them on a cluster that authenticates through the aws-auth ConfigMap only',
    'switch the cluster to API_AND_CONFIG_MAP (aws eks update-cluster-config --name <cluster> --access-config authenticationMode=API_AND_CONFIG_MAP; the mode only moves forward) and declare it here')];
}

/** One access entry per principal per cluster: a second one fails at deploy with 409 ResourceInUse. */
export function checkDuplicatePrincipal(field: string, principal: string, cluster: string, firstAt: string): Finding[] {
  return [error('access-entry-duplicate-principal', field, principal,
    `already has an access entry on cluster ${cluster} (${firstAt}): EKS allows one entry per principal and cluster, a second fails at deploy with ResourceInUseException`,
    'merge the two entries into one (one entry takes several groups and access policies)')];
}

export type EksManagedRoleKind = 'fargate-pod-execution-role' | 'managed-node-group-role';

const MANAGED_ROLE_WHAT: Record<EksManagedRoleKind, string> = {
  'fargate-pod-execution-role': 'a Fargate profile\'s pod execution role',
  'managed-node-group-role': 'a managed node group\'s node role',
};

/**
 * EKS creates the access entries of managed node group roles and Fargate pod execution roles
 * itself: an explicit entry for one of them fails at deploy (the principal already has one).
 */
export function checkEksManagedPrincipal(field: string, principal: string, kind: EksManagedRoleKind, usedBy: string): Finding[] {
  return [error('access-entry-eks-managed-role', field, principal,
    `is ${MANAGED_ROLE_WHAT[kind]} in this app (${usedBy}): EKS creates its access entry itself, so this one would fail at deploy with ResourceInUseException`,
    kind === 'fargate-pod-execution-role' ? 'remove this access entry: EKS creates it (type FARGATE_LINUX) with the Fargate profile and deletes it with the profile'
      : 'remove this access entry: EKS creates it (type EC2_LINUX or EC2_WINDOWS) with the managed node group and deletes it with the group')];
}

export function checkAccessEntryCount(field: string, cluster: string, count: number): Finding[] {
  return count <= MAX_ACCESS_ENTRIES_PER_CLUSTER ? [] : [error('access-entry-quota', field, `${count} access entries`,
    `exceed the EKS quota of ${MAX_ACCESS_ENTRIES_PER_CLUSTER} access entries on cluster ${cluster}`,
    'grant groups of people through shared roles (one entry per role, many sessions) instead of one entry per person')];
}

/** AWS's tag character set: letters, separators (spaces), digits and `_ . : / = + - @`. */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
export const MAX_TAGS = 50;

/**
 * Resource tags: at most 50; keys 1..128 characters without the reserved `aws:` prefix, values up
 * to 256; both in AWS's tag character set.
 */
export function checkTags(field: string, tags: Record<string, unknown>): Finding[] {
  const keys = Object.keys(tags);
  const count = keys.length > MAX_TAGS ? [error('aws-tag-count', field, `${keys.length} tags`, `has more than ${MAX_TAGS} tags, the AWS limit per resource`,
    `keep at most ${MAX_TAGS} tags (drop ${keys.length - MAX_TAGS})`)] : [];
  const bad = (s: string) => [...s].filter(c => !TAG_CHARS.test(c)).map(c => JSON.stringify(c)).join(' ');
  return [...count, ...Object.entries(tags).flatMap(([k, v]) => {
    const f = `${field}.${k}`;
    if (k.length === 0) return [error('aws-tag-key', f, k, 'is an empty tag key: keys are 1 to 128 characters', 'give the tag a key, or remove it')];
    if (k.length > 128) return [error('aws-tag-key', f, k, 'is not a valid tag key: 1 to 128 characters', 'shorten the key')];
    if (k.toLowerCase().startsWith('aws:')) return [error('aws-tag-key', f, k, 'starts with \'aws:\', a prefix AWS reserves', 'use a key without the aws: prefix')];
    if (!TAG_CHARS.test(k)) {
      return [error('aws-tag-key', f, k, `has characters AWS does not allow in a tag key (${bad(k)}): only letters, digits, spaces and _ . : / = + - @`,
        `remove or replace them, e.g. '${[...k].map(c => (TAG_CHARS.test(c) ? c : '-')).join('')}'`)];
    }
    if (typeof v !== 'string') return [error('aws-tag-value', f, v, 'is not a string', 'quote the value')];
    if (v.length > 256) return [error('aws-tag-value', f, v, 'is longer than 256 characters, the limit of a tag value', 'shorten the value')];
    if (!TAG_CHARS.test(v)) {
      return [error('aws-tag-value', f, v, `has characters AWS does not allow in a tag value (${bad(v)}): only letters, digits, spaces and _ . : / = + - @`,
        'remove or replace them (a newline or a tab is not allowed)')];
    }
    return [];
  })];
}
