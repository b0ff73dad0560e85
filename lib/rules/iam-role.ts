import { createHash } from 'crypto';
import { error, Finding } from './finding';

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
