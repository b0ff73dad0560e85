/**
 * How aws-iam-authenticator reads one mapping of the aws-auth ConfigMap, and what an access entry
 * makes of it. Pure: no CDK, no files. `migrate aws-auth` and `migrate eksctl` (iamIdentityMappings
 * are aws-auth mappings) both use it.
 *
 * aws-iam-authenticator turns `mapRoles`/`mapUsers` into JSON and decodes every item with Go's
 * encoding/json into `{rolearn|userarn, username, groups, sso}`: keys match those field names
 * case-insensitively (`roleARN`, `userARN`, `rOlEaRn` all count), and when two keys match one
 * field the later one wins. Other keys are ignored.
 */

/** What aws-iam-authenticator reads from one item of mapRoles or mapUsers. */
export interface AwsAuthItem {
  /** The rolearn or userarn value, as written (any type). */
  readonly arn?: unknown;
  /** The key it was read from, as spelled in the file. */
  readonly arnKey?: string;
  readonly username?: unknown;
  readonly groups?: unknown;
  /** The `sso` matcher of a role mapping (permissionSetName, accountID). */
  readonly sso?: unknown;
  /** Keys the authenticator ignores. */
  readonly ignored: string[];
}

/** Reads one item the way aws-iam-authenticator decodes it; undefined when the item is not a mapping. */
export function readAwsAuthItem(item: unknown, kind: 'role' | 'user'): AwsAuthItem | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const fields: Record<string, string> = kind === 'role'
    ? { rolearn: 'arn', username: 'username', groups: 'groups', sso: 'sso' }
    : { userarn: 'arn', username: 'username', groups: 'groups' };
  const out: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
    const field = fields[key.toLowerCase()];
    if (field === undefined) {
      ignored.push(key);
      continue;
    }
    out[field] = value;
    if (field === 'arn') out.arnKey = key;
  }
  return { ...out, ignored } as AwsAuthItem;
}

export const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];
export const WINDOWS_GROUP = 'eks:kube-proxy-windows';
export const FARGATE_GROUP = 'system:node-proxier';
export const SESSION_NODE_USERNAME = 'system:node:{{SessionName}}';

/**
 * The access entry type of a node mapping, by the signatures EKS documents for aws-auth: Fargate pod
 * execution roles carry system:node-proxier, Windows nodes eks:kube-proxy-windows, hybrid nodes
 * system:bootstrappers and system:nodes with the username system:node:{{SessionName}} (and no
 * node-proxier group), EC2 Linux nodes the two node groups. Undefined for anything else (STANDARD).
 */
export function awsAuthNodeType(groups: readonly string[], username: string | undefined): string | undefined {
  if (groups.includes(FARGATE_GROUP)) return 'FARGATE_LINUX';
  if (groups.includes(WINDOWS_GROUP)) return 'EC2_WINDOWS';
  if (!NODE_GROUPS.every(g => groups.includes(g))) return undefined;
  return username?.trim() === SESSION_NODE_USERNAME ? 'HYBRID_LINUX' : 'EC2_LINUX';
}

/**
 * A placeholder left in a value instead of the real one: `<system:nodes>`, `<ARN of the role>`,
 * `${CLUSTER_NAME}`, or (for an ARN) an all-capitals name like `HYBRID_NODES_ROLE_ARN`. Returns the
 * placeholder found, or undefined. aws-iam-authenticator uses such values as written.
 */
export function placeholderIn(value: string, isArn = false): string | undefined {
  const m = /<[^<>]*>|\$\{[^}]*\}/.exec(value);
  if (m) return m[0];
  if (isArn && /^[A-Z][A-Z0-9_]*$/.test(value.trim())) return value.trim();
  return undefined;
}

/**
 * A group that is two list items run together: `- system:bootstrappers\n   - system:nodes` with the
 * second item indented one space deeper is, in YAML, the single string
 * `system:bootstrappers - system:nodes`. Returns that group, or undefined.
 */
export function runTogetherGroup(groups: readonly string[]): string | undefined {
  return groups.find(g => /\s-\s/.test(g));
}
