import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'aws-account',
    severity: 'error',
    checks: 'an account id is exactly 12 digits',
    why: 'every ARN and principal names a 12-digit account; YAML drops the leading zeros of an unquoted number',
    source: 'https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html',
  },
  {
    code: 'aws-region',
    severity: 'error',
    checks: 'a region is a region code such as us-west-2',
    why: 'the region picks the partition and the endpoints',
    source: 'https://docs.aws.amazon.com/general/latest/gr/rande.html',
  },
  {
    code: 'iam-role-arn',
    severity: 'error',
    checks: 'a role ARN is arn:<partition>:iam::<account>:role/<path/>name',
    why: 'EKS, STS and the pod identity webhook take role ARNs only (not STS session ARNs)',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html',
  },
  {
    code: 'iam-policy-arn',
    severity: 'error',
    checks: 'a managed policy ARN is arn:<partition>:iam::<account or aws>:policy/<path/>name',
    why: 'IAM refuses anything else as a managed policy or permissions boundary',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html',
  },
  {
    code: 'arn-partition',
    severity: 'error',
    checks: 'an ARN is in the partition of the cluster\'s region',
    why: 'IAM, STS and EKS resolve ARNs within one partition (aws, aws-cn, aws-us-gov, aws-iso*, aws-eusc): a role, principal, policy or provider ARN of another partition is refused at deploy or never matches',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html',
  },
  {
    code: 'iam-policy-name',
    severity: 'error',
    checks: 'an AWS-managed policy name (with its path) is well formed',
    why: 'IAM policy names are 1-128 characters of letters, digits and +=,.@_-; an AWS-managed policy is found by its path and name',
    source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicy.html',
  },
];

/**
 * The partition of a region. `Stack.partition` stays a token, but a manifest needs a literal ARN.
 * Region prefixes as AWS documents them (AWS General Reference, "ARN formats").
 */
export function partitionForRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-isof-')) return 'aws-iso-f';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  if (region.startsWith('eusc-')) return 'aws-eusc';
  return 'aws';
}

const DNS_SUFFIX: Record<string, string> = {
  'aws-cn': 'amazonaws.com.cn',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
  'aws-iso-e': 'cloud.adc-e.uk',
  'aws-iso-f': 'csp.hci.ic.gov',
  'aws-eusc': 'amazonaws.eu',
};

/** The DNS suffix of a partition's STS audience etc. */
export function partitionDnsSuffix(partition: string): string {
  return DNS_SUFFIX[partition] ?? 'amazonaws.com';
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;
const PARTITION = '(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc)';
const ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):role(/(?:[\\x21-\\x7E]+/)?)([\\w+=,.@-]{1,64})$`);
const POLICY_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}|aws):policy/([\\x21-\\x7E]+)$`);

export function checkAccount(field: string, account: string): Finding[] {
  return ACCOUNT.test(account) ? [] : [error('aws-account', field, account,
    'is not an AWS account id: it must be exactly 12 digits',
    'quote the account id in YAML ("111122223333") so leading zeros survive')];
}

export function checkRegion(field: string, region: string): Finding[] {
  return REGION.test(region) ? [] : [error('aws-region', field, region,
    'is not an AWS region name', 'use a region code such as \'us-west-2\'')];
}

export interface ParsedRoleArn {
  readonly partition: string;
  readonly account: string;
  /** '/' or '/a/b/' */
  readonly path: string;
  readonly roleName: string;
}

/** Parses `arn:<partition>:iam::<12 digits>:role/<path>/<name>`; undefined when it is not one. */
export function parseRoleArn(arn: string): ParsedRoleArn | undefined {
  const m = ROLE_ARN.exec(arn);
  if (!m) return undefined;
  return { partition: m[1], account: m[2], path: m[3], roleName: m[4] };
}

export function checkRoleArn(field: string, arn: string): Finding[] {
  if (parseRoleArn(arn)) return [];
  const hint = arn.includes(':sts::') ? 'an STS session ARN is not a role ARN; use arn:aws:iam::<account>:role/<name>'
    : 'use arn:<partition>:iam::<12-digit account>:role/<optional/path/>name';
  return [error('iam-role-arn', field, arn, 'is not an IAM role ARN', hint)];
}

export function checkManagedPolicyArn(field: string, arn: string): Finding[] {
  return POLICY_ARN.test(arn) ? [] : [error('iam-policy-arn', field, arn,
    'is not an IAM managed policy ARN',
    'use arn:<partition>:iam::<account or aws>:policy/<path/>name, or an AWS-managed policy name such as \'AmazonS3ReadOnlyAccess\'')];
}

/** `arn:<p>:iam::<acct>:role<path><name>` — the literal ARN a manifest needs. */
export function formatRoleArn(partition: string, account: string, path: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role${path}${roleName}`;
}

/**
 * Every ARN a cluster's identity names (roles, principals, policies, providers) lives in the
 * partition of the cluster's region: IAM refuses, or never matches, an ARN of another partition
 * (`arn:aws:...` in `cn-north-1`, `arn:aws-cn:...` in `us-east-1`). ARNs that do not parse are left
 * to the format rules.
 */
export function checkArnPartition(field: string, arn: string, region: string): Finding[] {
  const m = /^arn:([^:]*):/.exec(arn);
  if (!m) return [];
  const expected = partitionForRegion(region);
  if (m[1] === expected) return [];
  return [error('arn-partition', field, arn,
    `is in partition '${m[1]}', but the cluster's region ${region} is in partition '${expected}': IAM and EKS do not accept ARNs of another partition`,
    `use the ARN in partition ${expected}: ${arn.replace(/^arn:[^:]*:/, `arn:${expected}:`)}`)];
}

const MANAGED_POLICY_NAME = /^([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/;

/**
 * A managed policy as a spec names it: a full policy ARN, or an AWS-managed policy name with its
 * path (`service-role/AmazonEBSCSIDriverPolicy`).
 */
export function checkManagedPolicyReference(field: string, policy: string): Finding[] {
  if (policy.startsWith('arn:')) return checkManagedPolicyArn(field, policy);
  return MANAGED_POLICY_NAME.test(policy) ? [] : [error('iam-policy-name', field, policy,
    'is neither an AWS-managed policy name nor a policy ARN',
    'use a name with its path such as service-role/AmazonEBSCSIDriverPolicy, or a full arn:aws:iam::... ARN')];
}

