import { takesUsernameAndGroups } from './access-entry-type';
import { error, Finding, warning } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'access-entry-groups-type',
    severity: 'error',
    checks: 'Kubernetes groups only on STANDARD access entries',
    why: 'EKS puts nodes in their groups itself and refuses groups on node entries',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  },
  {
    code: 'access-entry-group',
    severity: 'error',
    checks: 'a Kubernetes group name is not empty',
    why: 'an empty group matches no RoleBinding',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  },
  {
    code: 'access-entry-group-system',
    severity: 'error',
    checks: 'Kubernetes groups of an access entry do not start with system:',
    why: 'EKS refuses system: groups on access entries',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  },
  {
    code: 'access-entry-group-duplicate',
    severity: 'error',
    checks: 'each group of an access entry is listed once',
    why: 'the CloudFormation schema requires unique items',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html',
  },
  {
    code: 'access-entry-group-unbound',
    severity: 'warning',
    checks: 'a group of an access entry is bound by some RoleBinding or ClusterRoleBinding of the app',
    why: 'EKS does not check that a binding exists: an unbound group grants nothing',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  },
];

/**
 * Kubernetes groups of an access entry: STANDARD entries only, never `system:` (EKS refuses it:
 * `system:masters` and friends are not grantable through access entries), non-empty, no duplicates.
 */
export function checkKubernetesGroups(field: string, groups: string[], type: string): Finding[] {
  if (groups.length === 0) return [];
  if (!takesUsernameAndGroups(type)) {
    return [error('access-entry-groups-type', field, groups,
      `are set on a ${type} access entry: only STANDARD entries take kubernetes groups (EKS puts nodes in their groups itself)`,
      'remove kubernetesGroups, or use type STANDARD')];
  }
  const findings: Finding[] = [];
  const seen = new Set<string>();
  groups.forEach((g, i) => {
    const f = `${field}[${i}]`;
    if (g.length === 0) {
      findings.push(error('access-entry-group', f, g, 'is empty', 'give the group name that your RoleBindings or ClusterRoleBindings name'));
    } else if (g.startsWith('system:')) {
      findings.push(error('access-entry-group-system', f, g,
        'starts with \'system:\', which EKS refuses for access entry groups',
        g === 'system:masters'
          ? 'associate AmazonEKSClusterAdminPolicy (cluster scope) for cluster-admin access, or use a group of your own bound to the cluster-admin ClusterRole'
          : 'use a group name of your own and bind it with a RoleBinding or ClusterRoleBinding (rbac)'));
    } else if (seen.has(g)) {
      findings.push(error('access-entry-group-duplicate', f, g, 'is listed twice', 'list each group once'));
    }
    seen.add(g);
  });
  return findings;
}

/**
 * EKS does not check that a group is bound to anything. A group no RoleBinding/ClusterRoleBinding
 * of this app names gives no permissions unless bindings live elsewhere: a warning, never an error.
 */
export function checkGroupsBound(field: string, groups: string[], boundGroups: ReadonlySet<string>): Finding[] {
  return groups.flatMap((g, i) => boundGroups.has(g) ? [] : [warning('access-entry-group-unbound', `${field}[${i}]`, g,
    'is bound by no RoleBinding or ClusterRoleBinding of this app, so it grants nothing unless bindings exist on the cluster already',
    `bind it (spec: rbac: [{ group: ${g}, clusterRole: view }]; TypeScript: IdentityChart.forStack(this).bindGroup(...)), or acknowledge this warning if the bindings live elsewhere`)]);
}
