import { Construct } from 'constructs';
import { AccessEntry, AccessEntryType } from '../access/access-entry';
import { AccessPolicy, AccessPolicyAssociation } from '../access/access-policy';
import { AccessScope } from '../access/access-scope';
import { IIdentityCluster } from '../cluster';
import { BoundAccessEntry } from '../identity-spec/bind-access';
import { RbacBindingSpec } from '../identity-spec/types';
import { IdentityChart } from '../k8s/identity-chart';

/** The access entries, in spec order. */
export function buildAccessEntries(scope: Construct, cluster: IIdentityCluster, entries: BoundAccessEntry[]): AccessEntry[] {
  return entries.map(({ spec: e, id }) => {
    const accessPolicies: AccessPolicyAssociation[] = (e.accessPolicies ?? []).map(p => ({
      policy: p.policy.startsWith('arn:') ? AccessPolicy.fromArn(p.policy) : AccessPolicy.fromName(p.policy),
      scope: p.namespaces === undefined ? AccessScope.cluster() : AccessScope.namespaces(...p.namespaces),
    }));
    return new AccessEntry(scope, id, {
      cluster,
      principalArn: e.principalArn,
      type: e.type as AccessEntryType | undefined,
      username: e.username,
      kubernetesGroups: e.kubernetesGroups,
      accessPolicies,
      tags: e.tags,
    });
  });
}

/** The rbac items: a ClusterRoleBinding, or RoleBindings in the namespaces given. */
export function buildRbac(scope: Construct, cluster: IIdentityCluster, items: RbacBindingSpec[]): void {
  for (const b of items) {
    IdentityChart.forStack(scope).bindGroup({ group: b.group, clusterRole: b.clusterRole, namespaces: b.namespaces, cluster });
  }
}
