import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { pathOf } from './construct-path';
import { enforce, warn } from './enforce';
import { checkNameNotGenerated, uniqueName } from '../rules/generated-names';
import { defaultRoleName, MAX_ROLE_NAME } from '../rules/iam-role';
import { checkSuffixedRoleName } from '../rules/name-order';

/** Who holds a name. */
export interface NameClaim {
  /** The identity of the input the name was generated for; undefined for a name given explicitly. */
  readonly identity?: string;
  /** The input, in words, for messages. */
  readonly what: string;
  /** The path of the construct that claimed it: constructs under it build what the name is for. */
  readonly owner?: string;
}

/**
 * The names claimed so far in one namespace of names (Kubernetes: one kind in one namespace of
 * one cluster; IAM role names: one account, ignoring case), first claimant first.
 */
export class NameSpace {
  private readonly held = new Map<string, NameClaim>();

  constructor(private readonly ignoreCase: boolean) {}

  /** The claim that holds `name`, if any. */
  public holder(name: string): NameClaim | undefined {
    return this.held.get(this.key(name));
  }

  /** Records `claim` for `name` unless the name is held already (the first claimant keeps it). */
  public claim(name: string, claim: NameClaim): void {
    const k = this.key(name);
    if (!this.held.has(k)) this.held.set(k, claim);
  }

  private key(name: string): string {
    return this.ignoreCase ? name.toLowerCase() : name;
  }
}

const SPACES = new WeakMap<IConstruct, Map<string, NameSpace>>();

/** The namespace of names `key` of the construct tree of `scope` (one set per root). */
export function nameSpace(scope: IConstruct, key: string, ignoreCase: boolean = false): NameSpace {
  const root = scope.node.root;
  let byKey = SPACES.get(root);
  if (!byKey) {
    byKey = new Map();
    SPACES.set(root, byKey);
  }
  let space = byKey.get(key);
  if (!space) {
    space = new NameSpace(ignoreCase);
    byKey.set(key, space);
  }
  return space;
}

/**
 * The name a generated input gets: `plain` unless another input holds it in one of `spaces`,
 * else `plain` with the input's suffix (see `uniqueName`). Claims nothing: see `NameSpace.claim`.
 * The same input (same identity) gets `plain` back: a real duplicate is its own rule's to report.
 */
export function pickName(spaces: NameSpace[], plain: string, identity: string, maxLength: number): string {
  return uniqueName(plain, identity, n => spaces.some(s => {
    const h = s.holder(n);
    return h !== undefined && h.identity !== identity;
  }), maxLength);
}

/**
 * Kubernetes objects of one kind in one namespace of one cluster (one `IdentityChart`: pass the
 * chart, whose construct tree is its own). `namespace` undefined: cluster-scoped.
 */
export function k8sNames(chart: IConstruct, kind: string, namespace?: string): NameSpace {
  return nameSpace(chart, `k8s|${kind}|${namespace ?? ''}`);
}

/**
 * IAM role names of the account of `scope`'s stack (the stack path when the account is a token,
 * as the role-name uniqueness check keys them), ignoring case.
 */
function roleNames(scope: IConstruct): NameSpace {
  const stack = Stack.of(scope);
  const account = Token.isUnresolved(stack.account) ? stack.node.path : stack.account;
  return nameSpace(scope, `iam-role|${account}`, true);
}

/**
 * A default role name for the input `identity` (unambiguous: JSON of its parts): `plain` when
 * free in the account, else `plain` cut to 64 characters with the input's 8-hex suffix.
 * @param what the input, in words (`service account a/b of cluster c`)
 */
export function generateRoleName(scope: IConstruct, plain: string, identity: string, what: string): string {
  const space = roleNames(scope);
  const name = pickName([space], plain, identity, MAX_ROLE_NAME);
  // a name held by another generated default depends on the order of the two (a given name does not: reserved first)
  const holder = name !== plain ? space.holder(plain) : undefined;
  if (holder?.identity !== undefined) warn(scope, checkSuffixedRoleName('roleName', name, plain, holder.what));
  space.claim(name, { identity, what, owner: pathOf(scope) });
  return name;
}

/**
 * The default name of a workload role (`defaultRoleName`), unique in the account: a later input
 * whose plain default name another input holds (`c` in `a-b` and `b-c` in `a`, `runner-*` and
 * `runner-?`, clusters `Prod` and `prod`) gets a suffix from its own identity.
 * @param region the cluster's region (a token: left out of the identity)
 * @param otherSubjects further subjects of the role, `[cluster, namespace, name]` each
 */
export function generateDefaultRoleName(
  scope: IConstruct, prefix: string, region: string, clusterName: string, namespace: string, serviceAccount: string,
  otherSubjects: string[][] = [],
): string {
  const identity = JSON.stringify([prefix, Token.isUnresolved(region) ? '' : region, clusterName, namespace, serviceAccount, ...otherSubjects]);
  return generateRoleName(scope, defaultRoleName(prefix, clusterName, namespace, serviceAccount), identity,
    `service account ${namespace}/${serviceAccount} of cluster ${clusterName} (${pathOf(scope)})`);
}

/**
 * Claims the name of a role being created. Refused (`iam-role-name-unique`) when an earlier input
 * of the app got it as its default name (unless `scope` is under the construct it was generated
 * for: the role it names); two given names that are equal are the role-name uniqueness check's
 * to report, not this one's.
 */
export function claimRoleName(scope: IConstruct, name: string | undefined, field: string = 'roleName'): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  const space = roleNames(scope);
  const h = space.holder(name);
  const path = scope.node.path;
  const ours = h?.owner !== undefined && (path === h.owner || path.startsWith(`${h.owner}/`));
  enforce(scope, checkNameNotGenerated('iam-role-name-unique', field, name, 'default role name',
    h?.identity !== undefined && !ours ? h.what : undefined,
    'IAM role names are unique per account, ignoring case',
    `give this role another name, or give ${h?.what ?? 'that input'} a roleName or roleNamePrefix of its own`));
  space.claim(name, { what: `the role named at ${scope.node.path}` });
}

/** A role name given in the input, with its path in the input (`serviceAccounts[2].role.name`). */
export interface ReservedRoleName {
  readonly name: string;
  readonly field: string;
}

/**
 * Reserves role names given explicitly before anything is built (a spec is known whole): a
 * default name that equals one of them gets a suffix instead, whatever the order of the inputs.
 * Call with the stack that will hold the roles.
 */
export function reserveRoleNames(scope: IConstruct, names: ReservedRoleName[]): void {
  const space = roleNames(scope);
  for (const { name, field } of names) {
    if (!Token.isUnresolved(name)) space.claim(name, { what: field });
  }
}
