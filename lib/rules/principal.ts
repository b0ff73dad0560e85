import { isNodeType } from './access-entry-type';
import { parseRoleArn } from './arns';
import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'access-entry-principal-sts',
    severity: 'error',
    checks: 'the access entry principal is not an STS session ARN',
    why: 'an access entry names the IAM role or user itself; EKS maps every session of a role to it',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  },
  {
    code: 'access-entry-principal',
    severity: 'error',
    checks: 'the access entry principal is given once, as an IAM role or user (or its ARN)',
    why: 'access entries name IAM roles or users only',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html',
  },
  {
    code: 'access-entry-principal-service-linked',
    severity: 'error',
    checks: 'the access entry principal is not a service-linked role',
    why: 'EKS does not accept access entries for service-linked roles',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  },
  {
    code: 'access-entry-principal-node-user',
    severity: 'error',
    checks: 'node access entries name IAM roles, not users',
    why: 'entries of node types are for node roles only',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  },
  {
    code: 'access-entry-principal-account',
    severity: 'error',
    checks: 'node access entries name roles of the cluster\'s account',
    why: 'only STANDARD entries may name principals of other accounts',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  },
];

const PARTITION = '(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc)';
const USER_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):user(/(?:[\\x21-\\x7E]+/)?)([\\w+=,.@-]{1,64})$`);
const STS_ARN = /^arn:[a-z-]+:sts::\d{12}:(assumed-role|federated-user)\//;
const SERVICE_LINKED_PATH = '/aws-service-role/';

/** An IAM principal an access entry can name. */
export interface ParsedPrincipalArn {
  readonly kind: 'role' | 'user';
  readonly partition: string;
  readonly account: string;
  /** '/' or '/a/b/' */
  readonly path: string;
  readonly name: string;
}

/** Parses an IAM role or user ARN; undefined for anything else. */
export function parsePrincipalArn(arn: string): ParsedPrincipalArn | undefined {
  const role = parseRoleArn(arn);
  if (role) return { kind: 'role', partition: role.partition, account: role.account, path: role.path, name: role.roleName };
  const m = USER_ARN.exec(arn);
  if (m) return { kind: 'user', partition: m[1], account: m[2], path: m[3], name: m[4] };
  return undefined;
}

/**
 * The principal of an access entry: an IAM role (paths allowed, SSO `aws-reserved` roles too) or
 * user ARN. Never an STS session ARN, never a service-linked role. Node types (all but STANDARD)
 * take roles only, in the cluster's own account.
 */
export function checkPrincipalArn(field: string, arn: string, type: string, clusterAccount?: string): Finding[] {
  if (STS_ARN.test(arn)) {
    const m = /^arn:([a-z-]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(arn);
    return [error('access-entry-principal-sts', field, arn,
      'is an STS session ARN: an access entry names the IAM role or user itself, and EKS maps every session of a role to it',
      m ? `use the role ARN, e.g. arn:${m[1]}:iam::${m[2]}:role/${m[3]} (with the role's path, if it has one)`
        : 'use the ARN of the IAM role or user (arn:aws:iam::<account>:role/<name>)')];
  }
  const p = parsePrincipalArn(arn);
  if (!p) {
    return [error('access-entry-principal', field, arn,
      'is not an IAM role or user ARN',
      'use arn:<partition>:iam::<12-digit account>:role/<optional/path/>name, or ...:user/<name>')];
  }
  if (p.kind === 'role' && p.path.startsWith(SERVICE_LINKED_PATH)) {
    return [error('access-entry-principal-service-linked', field, arn,
      'is a service-linked role: EKS does not accept access entries for service-linked roles (role/aws-service-role/...)',
      'remove this entry: the AWS service manages the access of its own service-linked role')];
  }
  const findings: Finding[] = [];
  if (isNodeType(type) && p.kind === 'user') {
    findings.push(error('access-entry-principal-node-user', field, arn,
      `is an IAM user, but a ${type} access entry is for nodes and takes an IAM role only`,
      'name the node IAM role, or use type STANDARD for a person or application'));
  }
  if (isNodeType(type) && clusterAccount !== undefined && p.account !== clusterAccount) {
    findings.push(error('access-entry-principal-account', field, arn,
      `is in account ${p.account}, but a ${type} access entry must name a role in the cluster's account (${clusterAccount})`,
      'use a node role of the cluster\'s account; only STANDARD entries may name principals of other accounts'));
  }
  return findings;
}

/**
 * How the principal was given: exactly one of `principal` (an IAM role or user construct) and
 * `principalArn`. `principal` is the construct's path (undefined when unset); `kind` says what it is.
 */
export function checkPrincipalChoice(principalArn: string | undefined, principal: string | undefined, kind: 'role' | 'user' | undefined): Finding[] {
  if (principal !== undefined && principalArn !== undefined) {
    return [error('access-entry-principal', 'principalArn', principalArn,
      'is given together with principal',
      'give the principal either as an IAM role or user (principal) or as an ARN (principalArn), not both')];
  }
  if (principalArn !== undefined || kind !== undefined) return [];
  return [error('access-entry-principal', 'principal', principal,
    principal === undefined ? 'is required' : 'is neither an IAM role nor an IAM user: access entries name roles or users only',
    'pass an iam.IRole or iam.IUser as principal, or its ARN as principalArn')];
}

/** A node access entry takes roles only: for a user whose ARN is a token, `display` names it. */
export function checkNodePrincipalKind(field: string, display: string, kind: 'role' | 'user' | undefined, type: string): Finding[] {
  if (kind !== 'user' || !isNodeType(type)) return [];
  return [error('access-entry-principal-node-user', field, display,
    `is an IAM user, but a ${type} access entry is for nodes and takes an IAM role only`,
    'name the node IAM role, or use type STANDARD for a person or application')];
}

/**
 * The username EKS sets when an entry gives none (creating-access-entries): a user's ARN; for a role
 * on STANDARD, its assumed-role ARN without the path plus `{{SessionName}}`; node types get
 * `system:node:...`. Undefined where AWS does not document it (EC2, HYPERPOD_LINUX).
 */
export function defaultUsername(p: ParsedPrincipalArn, type: string): string | undefined {
  switch (type) {
    case 'STANDARD':
      return p.kind === 'user'
        ? `arn:${p.partition}:iam::${p.account}:user${p.path}${p.name}`
        : `arn:${p.partition}:sts::${p.account}:assumed-role/${p.name}/{{SessionName}}`;
    case 'EC2_LINUX':
    case 'EC2_WINDOWS':
      return 'system:node:{{EC2PrivateDNSName}}';
    case 'FARGATE_LINUX':
    case 'HYBRID_LINUX':
      return 'system:node:{{SessionName}}';
    default:
      return undefined;
  }
}
