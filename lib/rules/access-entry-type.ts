import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'access-entry-type',
    severity: 'error',
    checks: 'the access entry type is one of the values the EKS API takes, spelled as the API spells it',
    why: 'CreateAccessEntry refuses any other spelling at deploy (the user guide writes EC2_Linux, the API EC2_LINUX)',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html',
  },
];

/**
 * The access entry types of the EKS API, spelled exactly as the API takes them (the user guide's
 * `EC2_Linux`/`EC2_Windows` are not the API values).
 */
export const ACCESS_ENTRY_TYPES = [
  'STANDARD', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'EC2', 'HYBRID_LINUX', 'HYPERPOD_LINUX',
] as const;

export type AccessEntryTypeName = typeof ACCESS_ENTRY_TYPES[number];

export const DEFAULT_ACCESS_ENTRY_TYPE: AccessEntryTypeName = 'STANDARD';

/** Types that may carry access policies: STANDARD, and EC2 (Auto Mode node roles use AmazonEKSAutoNodePolicy). */
const POLICY_TYPES: readonly string[] = ['STANDARD', 'EC2'];

export function isAccessEntryType(value: string): value is AccessEntryTypeName {
  return (ACCESS_ENTRY_TYPES as readonly string[]).includes(value);
}

/** Every type but STANDARD is for nodes: roles only, in the cluster's own account. */
export function isNodeType(type: string): boolean {
  return type !== 'STANDARD';
}

/** Only STANDARD entries take a username and Kubernetes groups. */
export function takesUsernameAndGroups(type: string): boolean {
  return type === 'STANDARD';
}

export function takesAccessPolicies(type: string): boolean {
  return POLICY_TYPES.includes(type);
}

/** The type must be one of the seven API values, exactly. */
export function checkAccessEntryType(field: string, type: string): Finding[] {
  if (isAccessEntryType(type)) return [];
  const near = ACCESS_ENTRY_TYPES.find(t => t === type.toUpperCase().replace(/-/g, '_'));
  return [error('access-entry-type', field, type,
    `is not an access entry type: the EKS API takes exactly ${ACCESS_ENTRY_TYPES.join(', ')}`,
    near ? `write '${near}' (upper case, as the API spells it)` : `use one of ${ACCESS_ENTRY_TYPES.join(', ')} (STANDARD for people and applications)`)];
}
