import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Names of RBAC objects (Role, ClusterRole, RoleBinding, ClusterRoleBinding) are path segment names
 * (apimachinery ValidatePathSegmentName): not empty, not '.' or '..', no '/' and no '%'. So
 * `system:aggregate-to-view` is a valid ClusterRole name.
 */
export function checkRbacName(field: string, name: string, what: string): Finding[] {
  if (name.length === 0 || name === '.' || name === '..' || /[/%]/.test(name)) {
    return [error('k8s-rbac-name', field, name,
      `is not a valid ${what} name: kubernetes refuses empty names, '.', '..' and names containing '/' or '%'`,
      `use a name like '${name.replace(/[/%]+/g, '-').replace(/^\.{1,2}$/, '') || 'view'}'`)];
  }
  return [];
}

/** A group binding: a group (any non-empty name), a ClusterRole, and optional namespaces (no wildcards). */
export function checkGroupBinding(field: string, group: string, clusterRole: string, namespaces?: string[]): Finding[] {
  const at = (key: string) => (field ? `${field}.${key}` : key);
  const findings: Finding[] = [];
  if (group.length === 0) {
    findings.push(error('k8s-rbac-group', at('group'), group, 'is empty', 'give the group name that your access entries list in kubernetesGroups'));
  }
  findings.push(...checkRbacName(at('clusterRole'), clusterRole, 'ClusterRole'));
  if (namespaces !== undefined) {
    if (namespaces.length === 0) {
      findings.push(error('k8s-rbac-namespaces', at('namespaces'), namespaces, 'is empty',
        'list the namespaces to create RoleBindings in, or omit namespaces for one ClusterRoleBinding'));
    }
    const seen = new Set<string>();
    namespaces.forEach((ns, i) => {
      const f = `${at('namespaces')}[${i}]`;
      if (ns.length > 63 || !NAMESPACE.test(ns)) {
        findings.push(error('k8s-namespace', f, ns,
          ns.includes('*') ? 'is a wildcard: a RoleBinding lives in one concrete namespace'
            : 'is not a valid namespace: it must be a DNS-1123 label (lower-case letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters)',
          ns.includes('*') ? 'list each namespace, or omit namespaces for a ClusterRoleBinding' : 'use a namespace like \'team-a\''));
      } else if (seen.has(ns)) {
        findings.push(error('k8s-namespace-duplicate', f, ns, 'is listed twice', 'list each namespace once'));
      }
      seen.add(ns);
    });
  }
  return findings;
}

/**
 * The default name of a group binding: `<group>-<clusterRole>`, lower-cased, characters other than
 * letters, digits, '-' and '.' replaced by '-', trimmed to start and end with a letter or digit.
 * Distinct bindings can share it (`Viewers`/`viewers`, `team-a`/`team_a`, `(a-b, c)`/`(a, b-c)`):
 * the later one then gets a suffix (`uniqueName` in `generated-names`).
 */
export function defaultBindingName(group: string, clusterRole: string): string {
  const name = `${group}-${clusterRole}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name || 'group-binding';
}

/** The identity of a group binding whose name is generated: its group and ClusterRole, unambiguous. */
export function bindingIdentity(group: string, clusterRole: string): string {
  return JSON.stringify([group, clusterRole]);
}

/** Who holds a binding name already: a name generated for another binding, or a binding of that name. */
export interface BindingHolder {
  /** true when the name was generated for another binding (group and ClusterRole) */
  readonly generated: boolean;
  /** that binding, in words */
  readonly what: string;
}

/**
 * One RoleBinding per namespace and name, one ClusterRoleBinding per name. `holder` is the binding
 * that has the name already (undefined: the name is free).
 */
export function checkBindingNameFree(
  field: string, kind: string, namespace: string | undefined, name: string, holder: BindingHolder | undefined, nameGiven: boolean,
): Finding[] {
  if (holder === undefined) return [];
  const value = namespace !== undefined ? `${namespace}/${name}` : name;
  if (holder.generated && nameGiven) {
    return [error('k8s-rbac-binding-duplicate', field, value,
      `is the ${kind} name generated for ${holder.what}, which comes first: one object per namespace and name`,
      'give this binding another name, or give that binding a name of its own')];
  }
  return [error('k8s-rbac-binding-duplicate', field, value,
    `is already a ${kind} of this stack: one object per namespace and name`,
    'give the binding another name, or bind the group once (list all its namespaces in one binding)')];
}

const RBAC_DOCS = 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/';

export const RULES: RuleMeta[] = [
  {
    code: 'k8s-rbac-name',
    severity: 'error',
    checks: 'names of Roles, ClusterRoles and their bindings',
    why: "the API server refuses an RBAC object whose name is empty, '.', '..' or contains '/' or '%' (a path segment name)",
    source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#path-segment-names',
  },
  {
    code: 'k8s-rbac-group',
    severity: 'error',
    checks: 'the group of a group binding',
    why: 'a binding subject of kind Group needs a name: the group that access entries list in kubernetesGroups',
    source: RBAC_DOCS,
  },
  {
    code: 'k8s-rbac-namespaces',
    severity: 'error',
    checks: 'the namespaces of a group binding',
    why: 'an empty list would bind nothing; omitting it is what binds cluster-wide (a ClusterRoleBinding)',
    source: RBAC_DOCS,
  },
  {
    code: 'k8s-namespace-duplicate',
    severity: 'error',
    checks: 'namespaces listed twice in one group binding',
    why: 'one RoleBinding of a name per namespace: the second would be the same object',
    source: RBAC_DOCS,
  },
  {
    code: 'k8s-rbac-binding-duplicate',
    severity: 'error',
    checks: 'one RoleBinding per namespace and name, one ClusterRoleBinding per name, in a stack',
    why: 'two objects of one kind, namespace and name are one object: the last one applied silently replaces the other (default names of distinct bindings never clash: the later one gets a hash suffix)',
    source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/',
  },
];
