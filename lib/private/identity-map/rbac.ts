import { MapSection, sortBy } from './section';
import type { RbacBindingRow } from './types';

/** The RoleBindings and ClusterRoleBindings of the stack's manifest: which groups (and users, service accounts) get which role, where. */
export const RBAC_BINDINGS: MapSection<RbacBindingRow> = {
  key: 'rbacBindings',
  title: 'RBAC bindings',
  build: ctx => sortBy(ctx.slice.rbac.map(b => ({
    kind: b.kind,
    name: b.name,
    ...(b.namespace !== '' ? { namespace: b.namespace } : {}),
    role: { kind: b.roleRef.kind, name: b.roleRef.name },
    subjects: sortBy(b.subjects.map(s => ({ ...s })), s => `${s.kind}/${s.namespace ?? ''}/${s.name}`),
  })), b => `${b.kind}/${b.namespace ?? ''}/${b.name}`),
  columns: [
    ['Subjects', b => b.subjects.map(s => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`).join(', ')],
    ['Role', b => `${b.role.kind} ${b.role.name}`],
    ['Where', b => (b.namespace !== undefined ? `namespace ${b.namespace}` : 'cluster-wide')],
    ['Binding', b => `${b.kind} ${b.name}`],
  ],
  draw: (rows, d) => {
    for (const b of rows) {
      if (d.overflow) return;
      const role = d.node(`k8srole:${b.role.kind}/${b.namespace ?? ''}/${b.role.name}`, `${b.role.kind} ${b.role.name}${b.namespace !== undefined ? ` in ${b.namespace}` : ''}`, 'k');
      for (const s of b.subjects.filter(x => x.kind === 'Group')) {
        // the group nodes access entries drew (one per cluster), else one of its own
        const groups = d.tagged(`group ${s.name}`);
        for (const g of groups.length > 0 ? groups : [d.node(`group:/${s.name}`, `group ${s.name}`, 'g', `group ${s.name}`)]) d.edge(g, role, b.kind);
      }
    }
  },
};
