import { clusterText } from './readable';
import { MapSection, sortBy } from './section';
import type { ServiceAccountRow } from './types';

/** The service accounts of `WorkloadIdentity`s (IRSA and Pod Identity): their role and its policies. */
export const SERVICE_ACCOUNTS: MapSection<ServiceAccountRow> = {
  key: 'serviceAccounts',
  title: 'Service accounts',
  build: ctx => sortBy(ctx.slice.serviceAccounts.map(sa => {
    const w = ctx.records.workload(sa);
    const scope = () => ctx.find(sa.path) ?? ctx.stack;
    return {
      cluster: clusterText(sa.clusterLabel),
      namespace: sa.namespace,
      serviceAccount: sa.name,
      mechanism: sa.mechanism,
      roleArn: sa.roleArn ?? ctx.roleArnOf(w?.role, scope, w?.roleArn),
      ...(w?.targetRoleArn !== undefined ? { targetRoleArn: ctx.text(scope(), w.targetRoleArn) } : {}),
      policies: ctx.policiesOf(w?.role),
      verify: w?.verify ?? false,
      path: sa.path,
    };
  }), s => `${s.cluster}/${s.namespace}/${s.serviceAccount}`),
  columns: [
    ['Cluster', s => s.cluster],
    ['Namespace', s => s.namespace],
    ['Service account', s => s.serviceAccount],
    ['Mechanism', s => s.mechanism],
    ['Role', s => `${s.roleArn}${s.targetRoleArn ? ` (then ${s.targetRoleArn})` : ''}`],
    ['Policies', s => s.policies.join('; ') || '(none)'],
    ['Verify Job', s => (s.verify ? 'yes' : 'no')],
  ],
  draw: (rows, d) => {
    for (const s of rows) {
      if (d.overflow) return;
      const c = d.node(`cluster:${s.cluster}`, `cluster ${s.cluster}`, 'c');
      const ns = d.node(`ns:${s.cluster}/${s.namespace}`, `namespace ${s.namespace}`, 'n');
      const sa = d.node(`sa:${s.cluster}/${s.namespace}/${s.serviceAccount}`, `service account ${s.serviceAccount}`, 's');
      const role = d.node(`role:${s.roleArn}`, `role ${s.roleArn.replace(/^arn:[^:]+:iam::\d+:role/, '')}`, 'r');
      d.edge(c, ns);
      d.edge(ns, sa);
      d.edge(sa, role, s.mechanism);
      if (s.targetRoleArn) d.edge(role, d.node(`role:${s.targetRoleArn}`, `role ${s.targetRoleArn}`, 'r'), 'assumes');
      for (const p of s.policies) d.edge(role, d.node(`policy:${p}`, p.length > 80 ? `${p.slice(0, 77)}...` : p, 'p'));
    }
  },
};
