import { changedCreateOnly, CREATE_ONLY_FACTS, replacementKeepsIdentity } from './create-only';
import { error, Finding, show, warning } from './finding';
import { RuleMeta } from './rule-meta';

/**
 * The pre-deploy check (`cdk-eks-identity diff OLD_ASSEMBLY NEW_ASSEMBLY`): what an update from
 * the deployed cloud assembly to a new one asks of CloudFormation, resource by resource, and which
 * of it CloudFormation cannot carry out or would cut access with. Pure: two read assemblies in,
 * findings out.
 */
export const RULES: RuleMeta[] = [
  {
    code: 'diff-replace-impossible',
    severity: 'error',
    checks: 'a create-only property of a deployed resource does not change while its name (or other identity) stays',
    why: 'CloudFormation replaces the resource by creating the new one first, and the service refuses a second resource of the same name (IAM EntityAlreadyExists, EKS ResourceInUseException): the update fails and rolls back',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html',
  },
  {
    code: 'diff-role-replaced-in-use',
    severity: 'error',
    checks: 'a role a service account or Pod Identity association uses is not replaced',
    why: 'running pods keep the old role ARN (the IRSA webhook sets AWS_ROLE_ARN when a pod starts) and lose their credentials when CloudFormation deletes the old role at the end of the update',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-configuration.html',
  },
  {
    code: 'diff-replaced',
    severity: 'warning',
    checks: 'a deployed resource without a kept name is replaced (a create-only property changed)',
    why: 'the replacement is a new physical resource: its ARN or id changes, and what it held (sessions, credentials) goes with the old one',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html',
  },
  {
    code: 'diff-type-changed',
    severity: 'error',
    checks: 'a logical id keeps its resource type',
    why: 'CloudFormation refuses to update a resource to another type (Update of resource type is not permitted)',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html',
  },
  {
    code: 'diff-moved',
    severity: 'error',
    checks: 'a named resource (role name, access entry principal, association service account) stays in the stack it was deployed by',
    why: 'the new stack creates it while the old stack still holds it (EntityAlreadyExists, ResourceInUseException), or the old stack deletes it first and access is cut until the new one has created it',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stack-refactoring.html',
  },
  {
    code: 'diff-logical-id-changed',
    severity: 'error',
    checks: 'a named resource keeps its logical id',
    why: 'a new logical id is a new resource: CloudFormation creates it before deleting the old one, and the old one still holds the name',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stack-refactoring.html',
  },
  {
    code: 'diff-identity-taken',
    severity: 'error',
    checks: 'a new resource does not take the name (or identity) of a deployed resource that stays',
    why: 'the service holds one resource per name: the create fails while the deployed one exists',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html',
  },
  {
    code: 'diff-deleted',
    severity: 'warning',
    checks: 'the resources an update deletes are listed',
    why: 'a deleted role, access entry or association cuts the access it gave; a retained one stays in the account unmanaged and blocks adding it back (EntityAlreadyExists)',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html',
  },
  {
    code: 'diff-role-deleted-in-use',
    severity: 'error',
    checks: 'a deleted role is not named by a service account of the new assembly',
    why: 'the pods of that service account would try to assume a role that no longer exists and get no credentials',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'diff-association-interrupted',
    severity: 'error',
    checks: 'a Pod Identity association is not replaced or deleted while the new assembly still declares its service account',
    why: 'the pods of that service account lose their EKS Pod Identity credentials',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html',
  },
];

/** A role's name and path, and its account when known: what a role ARN names. */
export interface RoleRef {
  readonly account?: string;
  readonly path: string;
  readonly name: string;
}

/** A resource of a template of a cloud assembly, as the diff compares it. */
export interface DiffResource {
  /** The stack, as shown: its name, nested stacks as `Parent/NestedLogicalId`. */
  readonly stack: string;
  /** The stack's key: its environment and its name. */
  readonly stackKey: string;
  /** The template file (as shown). */
  readonly file: string;
  readonly logicalId: string;
  readonly type: string;
  /** `Properties`, as written in the template. */
  readonly properties: Record<string, unknown>;
  /** Who it is in its service (type, account/region, identity properties), when those are literal. */
  readonly identity?: string;
  /** DeletionPolicy Retain: a deletion leaves it in the account. */
  readonly retained: boolean;
  /** For a role with a literal name: the ARN it has. */
  readonly role?: RoleRef;
  /** `account/region` of its stack (`*` when unknown). */
  readonly scope: string;
}

/** A ServiceAccount of the manifests of an assembly (`*.k8s.yaml`, in-stack manifests). */
export interface DiffServiceAccount {
  /** `account/region` of the stack it belongs to. */
  readonly scope: string;
  readonly namespace: string;
  readonly name: string;
  readonly roleArn?: string;
  readonly file: string;
}

/** What the diff reads of one assembly. */
export interface AssemblyContents {
  readonly resources: readonly DiffResource[];
  readonly serviceAccounts: readonly DiffServiceAccount[];
}

/** A finding of the diff, at a resource. */
export interface DiffFinding extends Finding {
  readonly stack: string;
  readonly file: string;
  readonly logicalId: string;
  readonly type: string;
}

const REPLACED = 'cdk-eks-identity:replaced';
const slot = (r: DiffResource) => `${r.stackKey}\u0000${r.logicalId}`;

/** The logical ids a value refers to by Ref or Fn::GetAtt. */
export function referencedIds(v: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(v)) {v.forEach(x => referencedIds(x, out));} else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.Ref === 'string') out.add(o.Ref);
    const g = o['Fn::GetAtt'];
    if (Array.isArray(g) && typeof g[0] === 'string') out.add(g[0]);
    else if (typeof g === 'string') out.add(g.split('.')[0]);
    Object.values(o).forEach(x => referencedIds(x, out));
  }
  return out;
}

/** `v` with every Ref / GetAtt of a replaced logical id marked: its value changes with the replacement. */
function markReplaced(v: unknown, ids: Set<string>): unknown {
  if (Array.isArray(v)) return v.map(x => markReplaced(x, ids));
  if (!v || typeof v !== 'object') return v;
  const hit = [...referencedIds(v)].find(id => ids.has(id));
  const o = v as Record<string, unknown>;
  if (hit !== undefined && Object.keys(o).length === 1 && (o.Ref !== undefined || o['Fn::GetAtt'] !== undefined)) return { [REPLACED]: hit };
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, markReplaced(x, ids)]));
}

/** A finding at a resource; `value` is shown as given (`'/' -> '/eks/'`). */
const at = (r: DiffResource, value: string, f: Finding): DiffFinding =>
  ({ ...f, value, stack: r.stack, file: r.file, logicalId: r.logicalId, type: r.type });
const where = (r: DiffResource) => `Resources.${r.logicalId} of stack ${r.stack}`;
const conflict = (type: string) => (type.startsWith('AWS::IAM::') ? 'EntityAlreadyExists' : type.startsWith('AWS::EKS::') ? 'ResourceInUseException, 409' : 'AlreadyExists');

function showValue(v: unknown): string {
  if (v && typeof v === 'object' && REPLACED in (v as object)) return `(the new ${(v as any)[REPLACED]}, which is replaced)`;
  return show(v);
}

/** The property that names a resource of a type (`RoleName`), when its identity has one. */
function nameProperty(type: string): string | undefined {
  return CREATE_ONLY_FACTS[type]?.identity.find(p => /Name$/.test(p) && p !== 'ClusterName' && p !== 'AddonName');
}

/** The identity properties of a resource, but the cluster (`RoleName`, `PrincipalArn`, `Namespace, ServiceAccount`), and their values. */
function identityField(r: DiffResource): { field: string; value: string } {
  const facts = CREATE_ONLY_FACTS[r.type];
  const props = (facts?.identity ?? []).filter(p => p !== 'ClusterName' || facts!.identity.length === 1);
  if (props.every(p => r.properties[p] === undefined)) return { field: 'logical id', value: `'${r.logicalId}'` };
  return { field: props.join(', '), value: props.map(p => show(r.properties[p])).join(', ') };
}

/** `RoleName 'x'`, `ClusterName 'c', PrincipalArn 'arn:...'`: the identity of a resource as it is written. */
function identityText(r: DiffResource): string {
  return (CREATE_ONLY_FACTS[r.type]?.identity ?? []).map(p => `${p} ${show(r.properties[p])}`).join(', ');
}

/** Whether a role ARN names a role. */
function arnNames(arn: string | undefined, role: RoleRef): boolean {
  const m = /^arn:[^:]+:iam::(\d{12}):role(\/(?:[^/]+\/)*)?([^/]+)$/.exec(arn ?? '');
  return m !== null && m[3] === role.name && (m[2] ?? '/') === role.path && (role.account === undefined || role.account === m[1]);
}

/** Who uses a role in an assembly: the service accounts naming it, the associations referring to it. */
function usersOf(role: DiffResource, side: AssemblyContents): string[] {
  const users: string[] = [];
  if (role.role) {
    for (const sa of side.serviceAccounts) if (arnNames(sa.roleArn, role.role)) users.push(`service account ${sa.namespace}/${sa.name} (${sa.file})`);
  }
  for (const a of side.resources) {
    if (a.type !== 'AWS::EKS::PodIdentityAssociation') continue;
    const refs = [a.properties.RoleArn, a.properties.TargetRoleArn];
    const byRef = a.stackKey === role.stackKey && refs.some(v => referencedIds(v).has(role.logicalId));
    const byArn = role.role !== undefined && refs.some(v => typeof v === 'string' && arnNames(v, role.role!));
    if (byRef || byArn) users.push(`Pod Identity association ${String(a.properties.Namespace)}/${String(a.properties.ServiceAccount)} (${where(a)})`);
  }
  return users;
}

/** The service accounts of an assembly an association is for. */
function declaredServiceAccounts(assoc: DiffResource, side: AssemblyContents): DiffServiceAccount[] {
  const { Namespace: ns, ServiceAccount: name } = assoc.properties;
  return side.serviceAccounts.filter(sa => sa.scope === assoc.scope && sa.namespace === ns && sa.name === name);
}

/** The pairs of one logical id in one stack, and which of them CloudFormation replaces (references to a replaced resource included). */
function replacements(pairs: Array<[DiffResource, DiffResource]>): Map<string, { changed: string[]; marked: Record<string, unknown> }> {
  const replaced = new Map<string, { changed: string[]; marked: Record<string, unknown> }>();
  for (let grew = true; grew;) {
    grew = false;
    for (const [o, n] of pairs) {
      if (replaced.has(slot(o)) || o.type !== n.type) continue;
      const ids = new Set([...replaced.keys()].filter(k => k.startsWith(`${n.stackKey}\u0000`)).map(k => k.slice(n.stackKey.length + 1)));
      const marked = markReplaced(n.properties, ids) as Record<string, unknown>;
      const changed = changedCreateOnly(o.type, o.properties, marked);
      if (changed.length > 0) {
        replaced.set(slot(o), { changed, marked });
        grew = true;
      }
    }
  }
  return replaced;
}

/** Every finding of an update from the `before` assembly to the `after` one. */
export function diffAssemblies(before: AssemblyContents, after: AssemblyContents): DiffFinding[] {
  const findings: DiffFinding[] = [];
  const afterBySlot = new Map(after.resources.map(r => [slot(r), r]));
  const beforeBySlot = new Map(before.resources.map(r => [slot(r), r]));
  const pairs = before.resources.filter(o => afterBySlot.has(slot(o))).map(o => [o, afterBySlot.get(slot(o))!] as [DiffResource, DiffResource]);
  const replaced = replacements(pairs);
  const claimed = new Set<string>();
  const byIdentity = (rs: readonly DiffResource[]) => {
    const m = new Map<string, DiffResource[]>();
    for (const r of rs) if (r.identity !== undefined) m.set(r.identity, [...(m.get(r.identity) ?? []), r]);
    return m;
  };
  const afterByIdentity = byIdentity(after.resources);
  const beforeByIdentity = byIdentity(before.resources);

  for (const o of before.resources) {
    const n = afterBySlot.get(slot(o));
    if (n && n.type !== o.type) {
      findings.push(at(n, `${o.type} -> ${n.type}`, error('diff-type-changed', 'Type', '',
        `changes the type of logical id ${o.logicalId} in stack ${o.stack}: CloudFormation refuses to update a resource to another type`,
        'give the new resource another construct id (another logical id), or remove the old one in a deploy of its own first')));
      continue;
    }
    if (n) {
      const r = replaced.get(slot(o));
      if (r) findings.push(replacementFinding(o, n, r.changed, r.marked, before, after));
      continue;
    }
    const m = o.identity === undefined ? undefined
      : afterByIdentity.get(o.identity)?.find(x => !beforeBySlot.has(slot(x)) && !claimed.has(slot(x)));
    if (m) {
      claimed.add(slot(m));
      findings.push(m.stackKey === o.stackKey ? logicalIdChanged(o, m) : moved(o, m));
      continue;
    }
    findings.push(deleted(o, after));
  }
  // a new resource with the identity of a deployed one that stays
  for (const n of after.resources) {
    if (n.identity === undefined || beforeBySlot.has(slot(n)) || claimed.has(slot(n))) continue;
    const o = beforeByIdentity.get(n.identity)?.find(x => afterBySlot.get(slot(x))?.identity === n.identity);
    if (!o) continue;
    const { field, value } = identityField(n);
    findings.push(at(n, value, error('diff-identity-taken', field, '',
      `is created in stack ${n.stack} with the identity of ${where(o)}, which stays deployed: the create fails (${conflict(n.type)})`,
      `give it another ${nameProperty(n.type) ?? 'identity'}, or remove ${o.logicalId} from stack ${o.stack} in a deploy of its own first`)));
  }
  return findings;
}

function replacementFinding(o: DiffResource, n: DiffResource, changed: string[], marked: Record<string, unknown>,
  before: AssemblyContents, after: AssemblyContents): DiffFinding {
  const field = changed.join(', ');
  const value = changed.map(p => `${show(o.properties[p])} -> ${showValue(marked[p])}`).join(', ');
  const createOnly = `${changed.length > 1 ? 'are' : 'is'} create-only on ${o.type}`;
  const kept = replacementKeepsIdentity(o.type, o.properties, marked) || (o.identity !== undefined && o.identity === n.identity);
  if (kept) {
    const name = nameProperty(o.type);
    const fix = name && !changed.includes(name)
      ? `give it a new ${name} along with the change${name === 'RoleName' ? ' (role.name, or a generated name: the lock file renames it)' : ''}, or deploy in two steps: remove it and deploy, then add it back with the new ${field}`
      : `deploy in two steps: remove it and deploy, then add it back with the new ${field} (what it gives is gone in between)`;
    return at(n, value, error('diff-replace-impossible', field, '',
      `${createOnly}: CloudFormation replaces ${where(n)} by creating the new one first, and it keeps ${identityText(n)} which the old one still holds (${conflict(o.type)}): the update fails`,
      fix));
  }
  if (o.type === 'AWS::IAM::Role') {
    const users = usersOf(o, before);
    if (users.length > 0) {
      return at(n, value, error('diff-role-replaced-in-use', field, '',
        `${createOnly}: CloudFormation replaces role ${where(n)} while ${users.join(', ')} use${users.length === 1 ? 's' : ''} it: running pods keep the old role and lose their credentials when the old one is deleted at the end of the update`,
        'add the new role beside the old one first (a new service account, or keep the old role until the pods run with the new one), restart the pods (kubectl rollout restart), then remove the old role; if the pods can be restarted right after this deploy, acknowledge with --allow diff-role-replaced-in-use'));
    }
  }
  if (o.type === 'AWS::EKS::PodIdentityAssociation') {
    const still = declaredServiceAccounts(o, after);
    if (still.length > 0) return associationInterrupted(o, n, field, value, `${createOnly}: CloudFormation replaces it`, still);
  }
  return at(n, value, warning('diff-replaced', field, '',
    `${createOnly}: CloudFormation replaces ${where(n)} with a new ${o.type} (a new physical id; what refers to it is updated in the same deploy)`,
    `expected when you changed ${field}; otherwise keep the deployed value`));
}

function associationInterrupted(o: DiffResource, shownAt: DiffResource, field: string, value: string, what: string,
  still: DiffServiceAccount[]): DiffFinding {
  return at(shownAt, value, error('diff-association-interrupted', field, '',
    `${what}, while the new assembly still declares service account ${still.map(s => `${s.namespace}/${s.name} (${s.file})`).join(', ')}: its pods lose their EKS Pod Identity credentials`,
    `keep the association of ${String(o.properties.Namespace)}/${String(o.properties.ServiceAccount)} while its pods use it; when the change is intended (another mechanism, another role), restart the pods right after the deploy (kubectl rollout restart) and acknowledge with --allow diff-association-interrupted`));
}

function moved(o: DiffResource, n: DiffResource): DiffFinding {
  const retained = o.retained ? ' (it is retained, so stack ' + o.stack + ' leaves it in the account and the create fails)' : '';
  const { field, value } = identityField(o);
  return at(n, value, error('diff-moved', field, '',
    `moves from ${where(o)} to ${where(n)}: stack ${n.stack} creates it while stack ${o.stack} still holds it (${conflict(o.type)}), or ${o.stack} deletes it first and the access it gives is cut until ${n.stack} has created it${retained}`,
    `keep it in stack ${o.stack} (with layout: nested, commit the lock file identity.lock.json so placement never moves a deployed role), or move it with a CloudFormation stack refactor before deploying (cdk refactor, or aws cloudformation create-stack-refactor), or deploy in two steps: remove it, deploy, add it back`));
}

function logicalIdChanged(o: DiffResource, n: DiffResource): DiffFinding {
  return at(n, `'${o.logicalId}' -> '${n.logicalId}'`, error('diff-logical-id-changed', 'logical id', '',
    `in stack ${o.stack} keeps ${identityText(o)}: CloudFormation creates ${n.logicalId} before deleting ${o.logicalId}, which still holds it (${conflict(o.type)})`,
    `keep the construct id that gave logical id ${o.logicalId}, or rename the logical id with a CloudFormation stack refactor before deploying (cdk refactor), or deploy in two steps: remove it, deploy, add it back`));
}

function deleted(o: DiffResource, after: AssemblyContents): DiffFinding {
  const { field, value } = identityField(o);
  if (o.type === 'AWS::IAM::Role' && o.role) {
    const users = after.serviceAccounts.filter(sa => arnNames(sa.roleArn, o.role!));
    if (users.length > 0) {
      return at(o, value, error('diff-role-deleted-in-use', field, '',
        `is deleted from ${where(o)}, but the new assembly's service account${users.length === 1 ? '' : 's'} ${users.map(s => `${s.namespace}/${s.name} (${s.file})`).join(', ')} still name${users.length === 1 ? 's' : ''} it: their pods get no credentials`,
        'keep the role, or point the service account at a role that exists (role, or existingRoleArn)'));
    }
  }
  if (o.type === 'AWS::EKS::PodIdentityAssociation') {
    const still = declaredServiceAccounts(o, after);
    if (still.length > 0) return associationInterrupted(o, o, field, value, `is deleted from ${where(o)}`, still);
  }
  const consequence = o.type === 'AWS::EKS::AccessEntry' ? `: principal ${show(o.properties.PrincipalArn)} loses its access to cluster ${show(o.properties.ClusterName)}`
    : o.type === 'AWS::EKS::PodIdentityAssociation' ? ': its service account gets no EKS Pod Identity credentials'
      : o.type === 'AWS::IAM::Role' ? ': sessions of the role stop working' : '';
  const retained = o.retained
    ? `; it is retained (DeletionPolicy Retain): it stays in the account unmanaged, and adding it back later fails (${conflict(o.type)}) unless it is imported (cdk import)`
    : '';
  return at(o, value, warning('diff-deleted', field, '', `is deleted from ${where(o)}${consequence}${retained}`,
    'expected when you removed it from the spec or the app; otherwise restore it'));
}
