import { takesUsernameAndGroups } from './access-entry-type';
import { error, Finding, warning } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'access-entry-username-type',
    severity: 'error',
    checks: 'a username only on STANDARD access entries',
    why: 'EKS names nodes itself and refuses a username on node entries',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html',
  },
  {
    code: 'access-entry-username',
    severity: 'error',
    checks: 'a given username is not empty',
    why: 'an empty username is refused',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html',
  },
  {
    code: 'access-entry-username-reserved',
    severity: 'error',
    checks: 'the username does not start with system:, eks:, aws:, amazon: or iam:',
    why: 'EKS reserves these prefixes',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html',
  },
  {
    code: 'access-entry-username-session-colon',
    severity: 'error',
    checks: '{{SessionName}} and {{SessionNameRaw}} come after a :',
    why: 'EKS refuses them otherwise',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html',
  },
  {
    code: 'access-entry-username-session-name',
    severity: 'warning',
    checks: 'a role\'s username includes {{SessionName}}',
    why: 'otherwise every session of the role has the same username, and audit logs and RBAC cannot tell them apart',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/set-custom-username.html',
  },
];

/** Prefixes EKS reserves for itself and Kubernetes (set-custom-username). */
export const RESERVED_USERNAME_PREFIXES = ['system:', 'eks:', 'aws:', 'amazon:', 'iam:'];
const SESSION_NAME = /\{\{SessionName(Raw)?\}\}/;

export interface UsernameContext {
  /** The access entry type. */
  readonly type: string;
  /** What the principal is, when known. */
  readonly principalKind?: 'role' | 'user';
}

/**
 * A custom username: STANDARD entries only; not starting with a reserved prefix; a `:` before any
 * `{{SessionName}}`/`{{SessionNameRaw}}`. For roles, recommend a session name (a warning).
 */
export function checkUsername(field: string, username: string, ctx: UsernameContext): Finding[] {
  if (!takesUsernameAndGroups(ctx.type)) {
    return [error('access-entry-username-type', field, username,
      `is set on a ${ctx.type} access entry: only STANDARD entries take a username (EKS names nodes itself)`,
      'remove the username, or use type STANDARD')];
  }
  if (username.length === 0) {
    return [error('access-entry-username', field, username, 'is empty', 'remove it to let EKS generate the username, or give a name')];
  }
  const reserved = RESERVED_USERNAME_PREFIXES.find(p => username.startsWith(p));
  if (reserved) {
    return [error('access-entry-username-reserved', field, username,
      `starts with '${reserved}', a prefix EKS reserves (${RESERVED_USERNAME_PREFIXES.join(', ')} are refused)`,
      'choose a username without a reserved prefix, or omit it to let EKS generate one')];
  }
  const m = SESSION_NAME.exec(username);
  if (m && !username.slice(0, m.index).includes(':')) {
    return [error('access-entry-username-session-colon', field, username,
      `has ${m[0]} without a ':' before it, which EKS refuses`,
      `put a colon before it, e.g. '${username.slice(0, m.index).length > 0 ? `${username.slice(0, m.index)}:` : ':'}${username.slice(m.index)}'`)];
  }
  if (!m && ctx.principalKind === 'role') {
    return [warning('access-entry-username-session-name', field, username,
      'names every session of the role alike, so audit logs and RBAC cannot tell the people or jobs behind it apart',
      `end the username with ':{{SessionName}}' (e.g. '${username}:{{SessionName}}'), or omit it to let EKS generate one`)];
  }
  return [];
}
