import { error, Finding, warning } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'quota-range',
    severity: 'error',
    checks: 'a configured quota is between the AWS default and the maximum AWS grants',
    why: 'a value outside the range does not match any quota an account can have',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
  },
  {
    code: 'iam-roles-per-account',
    severity: 'warning',
    checks: 'the roles one app creates stay within quotas.rolesPerAccount (1,000 by default)',
    why: 'deployment fails once the account runs out of roles',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
  },
];

/** AWS defaults and the highest values we accept for each adjustable quota. */
export const QUOTA_RANGES = {
  trustPolicyLength: { default: 2048, max: 4096, what: 'role trust policy length (IAM quota, 4096 at most)' },
  managedPoliciesPerRole: { default: 10, max: 20, what: 'managed policies per role (IAM allows 25, CloudFormation caps at 20)' },
  selectorsPerFargateProfile: { default: 5, max: 100, what: 'selectors per Fargate profile' },
  labelsPerFargateSelector: { default: 5, max: 100, what: 'labels per Fargate selector' },
  rolesPerAccount: { default: 1000, max: 5000, what: 'roles per account (IAM quota, 5000 at most)' },
} as const;

export type QuotaName = keyof typeof QUOTA_RANGES;

/** Quotas can be raised (never below the AWS default, never above the hard maximum). */
export function checkQuota(field: string, name: QuotaName, value: number): Finding[] {
  const r = QUOTA_RANGES[name];
  if (!Number.isInteger(value) || value < r.default || value > r.max) {
    return [error('quota-range', `${field}.${name}`, value,
      `is outside ${r.default}..${r.max} for ${r.what}`,
      `set a whole number from the AWS default ${r.default} up to ${r.max}, matching the quota raised on your account`)];
  }
  return [];
}

export function checkRoleCount(field: string, count: number, limit: number): Finding[] {
  if (count > limit) {
    return [warning('iam-roles-per-account', field, `${count} roles`,
      `exceeds the roles per account quota of ${limit}: deployment fails once the account runs out`,
      'request a higher IAM roles quota (up to 5000) and set quotas.rolesPerAccount, or share roles between service accounts')];
  }
  return [];
}
