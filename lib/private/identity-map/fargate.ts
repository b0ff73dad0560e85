import { AT_DEPLOY, clusterText } from './readable';
import { MapSection, sortBy } from './section';
import type { FargateProfileRow } from './types';

/** The Fargate profiles: which pods (namespace and labels) run on Fargate, under which pod execution role. */
export const FARGATE_PROFILES: MapSection<FargateProfileRow> = {
  key: 'fargateProfiles',
  title: 'Fargate profiles',
  build: ctx => sortBy(ctx.slice.fargateProfiles.flatMap(p => {
    const r = ctx.records.fargateProfile(p);
    if (!r) return [];
    const scope = r.scope;
    const text = (v: unknown) => ctx.text(scope, v);
    return [{
      cluster: clusterText(p.clusterLabel),
      name: p.name ?? (r.name !== undefined ? text(r.name) : '<generated at deploy>'),
      selectors: r.selectors.map(s => ({
        namespace: text(s.namespace),
        ...(s.labels && Object.keys(s.labels).length > 0
          ? { labels: Object.fromEntries(Object.keys(s.labels).sort().map(k => [text(k), text(s.labels![k])])) } : {}),
      })),
      podExecutionRoleArn: r.podExecutionRoleArn === undefined ? AT_DEPLOY : ctx.roleArnOf(r.podExecutionRole, () => scope, r.podExecutionRoleArn),
      path: p.path,
    }];
  }), p => `${p.cluster}/${p.name}|${p.path}`),
  columns: [
    ['Cluster', p => p.cluster],
    ['Profile', p => p.name],
    ['Selectors', p => p.selectors.map(s => `${s.namespace}${s.labels ? ` {${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(', ')}}` : ''}`).join('; ')],
    ['Pod execution role', p => p.podExecutionRoleArn],
  ],
  draw: (rows, d) => {
    for (const p of rows) {
      if (d.overflow) return;
      const c = d.node(`cluster:${p.cluster}`, `cluster ${p.cluster}`, 'c');
      const f = d.node(`fargate:${p.cluster}/${p.name}`, `Fargate profile ${p.name}`, 'f');
      d.edge(c, f);
      for (const s of p.selectors) d.edge(f, d.node(`ns:${p.cluster}/${s.namespace}`, `namespace ${s.namespace}`, 'n'), 'runs pods of');
    }
  },
};
