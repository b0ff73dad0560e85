import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'k8s-rbac-name',
    severity: 'error',
    checks: 'RBAC object names are valid path segments (not empty, ., .., no / or %)',
    why: 'Kubernetes refuses other RBAC object names',
    source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/',
  },
  {
    code: 'k8s-rbac-group',
    severity: 'error',
    checks: 'a bound group is not empty',
    why: 'an empty group matches no access entry',
    source: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
  },
  {
    code: 'k8s-rbac-namespaces',
    severity: 'error',
    checks: 'a namespaced binding lists at least one namespace',
    why: 'an empty list would create no RoleBinding',
    source: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
  },
  {
    code: 'k8s-namespace-duplicate',
    severity: 'error',
    checks: 'each namespace of a binding is listed once',
    why: 'two RoleBindings of one name in one namespace are one object',
    source: 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/',
  },
];

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
