import { createHash } from 'crypto';
import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'iam-role-name',
    severity: 'error',
    checks: 'a role name is 1-64 characters of letters, digits and +=,.@_-',
    why: 'IAM refuses other names at deploy',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
  },
  {
    code: 'iam-role-path',
    severity: 'error',
    checks: 'a role path is / or starts and ends with / (printable ASCII, at most 512 characters)',
    why: 'IAM refuses other paths at deploy',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html',
  },
  {
    code: 'iam-max-session-duration',
    severity: 'error',
    checks: 'the maximum session duration is 3600..43200 seconds',
    why: 'IAM refuses other values',
    source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html',
  },
  {
    code: 'iam-managed-policies-per-role',
    severity: 'error',
    checks: 'at most quotas.managedPoliciesPerRole managed policies per role (10 by default)',
    why: 'the IAM quota on managed policies attached to a role',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
  },
  {
    code: 'iam-inline-policy-size',
    severity: 'error',
    checks: 'all inline policies of a role total at most 10,240 characters',
    why: 'the IAM quota on the inline policy size of a role',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
  },
];


export const MAX_ROLE_NAME = 64;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ROLE_PATH = /^\/([\x21-\x7E]+\/)?$/;
export const MIN_SESSION_SECONDS = 3600;
export const MAX_SESSION_SECONDS = 43200;
export const MAX_INLINE_POLICY_CHARS = 10240;

export function checkRoleName(field: string, name: string): Finding[] {
  if (!ROLE_NAME.test(name)) {
    return [error('iam-role-name', field, name,
      'is not a valid IAM role name: 1-64 characters of letters, digits and +=,.@_-',
      name.length > MAX_ROLE_NAME ? 'shorten it, or omit it: default names are cut to 64 characters with a hash suffix' : 'remove the other characters')];
  }
  return [];
}

export function checkRolePath(field: string, path: string): Finding[] {
  if (path.length > 512 || !ROLE_PATH.test(path)) {
    return [error('iam-role-path', field, path,
      'is not a valid IAM path: it must be \'/\' or start and end with \'/\' (printable ASCII, at most 512 characters)',
      `use a path like '/${path.replace(/^\/+|\/+$/g, '') || 'eks'}/'`)];
  }
  return [];
}

export function checkMaxSessionDuration(field: string, seconds: number): Finding[] {
  if (!Number.isInteger(seconds) && seconds >= MIN_SESSION_SECONDS && seconds <= MAX_SESSION_SECONDS) {
    return [error('iam-max-session-duration', field, seconds, `is not a whole number of seconds: IAM takes the maximum session duration in whole seconds (${MIN_SESSION_SECONDS}..${MAX_SESSION_SECONDS})`,
      `use a whole number of seconds, e.g. ${Math.round(seconds)} (Duration.seconds(${Math.round(seconds)}) in TypeScript)`)];
  }
  if (!Number.isInteger(seconds) || seconds < MIN_SESSION_SECONDS || seconds > MAX_SESSION_SECONDS) {
    return [error('iam-max-session-duration', field, seconds,
      `is outside the range IAM accepts for a role's maximum session duration (${MIN_SESSION_SECONDS}..${MAX_SESSION_SECONDS} seconds)`,
      'use a whole number of seconds between 3600 (1 hour) and 43200 (12 hours)')];
  }
  return [];
}

export function checkManagedPolicyCount(field: string, count: number, limit: number): Finding[] {
  if (count > limit) {
    return [error('iam-managed-policies-per-role', field, `${count} policies`,
      `exceeds the managed policies per role quota of ${limit}`,
      'merge permissions into fewer policies or an inline statement, or raise quotas.managedPoliciesPerRole after raising the IAM quota (CloudFormation caps it at 20)')];
  }
  return [];
}

/** IAM counts policy characters without whitespace. */
export function policyLength(doc: unknown): number {
  return JSON.stringify(doc).replace(/\s/g, '').length;
}

export function checkInlinePolicySize(field: string, totalChars: number): Finding[] {
  if (totalChars > MAX_INLINE_POLICY_CHARS) {
    return [error('iam-inline-policy-size', field, `${totalChars} characters`,
      `exceeds the ${MAX_INLINE_POLICY_CHARS}-character limit for all inline policies of one role`,
      'move statements into a customer managed policy (managedPolicies) or use wildcards in resources')];
  }
  return [];
}

/**
 * `<prefix><cluster>-<namespace>-<serviceaccount>`; longer than 64 characters, it is cut and
 * ends in '-' + the first 8 hex characters of the SHA-256 of the full name: stable and unique.
 */
export function defaultRoleName(prefix: string, clusterName: string, namespace: string, serviceAccount: string): string {
  // a wildcard service account name ('runner-*') has characters IAM refuses: they become '_'
  return fitRoleName(`${prefix}${clusterName}-${namespace}-${serviceAccount.replace(/[^\w+=,.@-]/g, '_')}`);
}

export function fitRoleName(full: string): string {
  if (full.length <= MAX_ROLE_NAME) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX_ROLE_NAME - 9).replace(/[-.]+$/, '')}-${hash}`;
}

/** Role names are unique per account ignoring case. */
export function checkRoleNamesUnique(field: string, names: Array<{ name: string; where: string }>): Finding[] {
  const seen = new Map<string, string>();
  const out: Finding[] = [];
  for (const { name, where } of names) {
    const key = name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      out.push(error('iam-role-name-unique', field, name,
        `is used by two roles (${first} and ${where}): IAM role names are unique per account, ignoring case`,
        'give one of them another role name, or share one role between the service accounts'));
    } else {
      seen.set(key, where);
    }
  }
  return out;
}
