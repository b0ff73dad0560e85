import { AT_DEPLOY, clusterText } from './readable';
import { MapSection, sortBy } from './section';
import type { AccessEntryRow, AccessPolicyRow } from './types';
import { cfnProp } from '../../model/collect';

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** The access entries of `AccessEntry`s: principal, type, username, groups, access policies and their scopes. */
export const ACCESS_ENTRIES: MapSection<AccessEntryRow> = {
  key: 'accessEntries',
  title: 'Access entries',
  build: ctx => sortBy(ctx.slice.accessEntries.flatMap(e => {
    const r = ctx.records.accessEntry(e);
    if (!r) return [];
    const res = r.resource;
    const principal = cfnProp(res, 'principalArn', 'PrincipalArn');
    const principalRole = r.principalRole ? ctx.records.roleRecord(r.principalRole)?.arn : undefined;
    const text = (v: unknown) => ctx.text(res, v);
    const accessPolicies: AccessPolicyRow[] = list(cfnProp(res, 'accessPolicies', 'AccessPolicies')).map((p: any) => {
      const scope = p?.accessScope ?? p?.AccessScope;
      const namespaces = scope?.namespaces ?? scope?.Namespaces;
      const scopeType = scope?.type ?? scope?.Type;
      return {
        policy: text(p?.policyArn ?? p?.PolicyArn).replace(/^.*:cluster-access-policy\//, ''),
        scope: scopeType !== undefined ? text(scopeType) : 'cluster',
        ...(namespaces !== undefined ? { namespaces: list(namespaces).map(text) } : {}),
      };
    });
    const type = cfnProp(res, 'type', 'Type');
    return [{
      cluster: clusterText(r.clusterLabel),
      principalArn: principalRole ?? (principal === undefined ? AT_DEPLOY : text(principal)),
      type: type === undefined ? 'STANDARD' : text(type),
      ...(r.effectiveUsername !== undefined ? { username: text(r.effectiveUsername) } : {}),
      kubernetesGroups: list(cfnProp(res, 'kubernetesGroups', 'KubernetesGroups')).map(text),
      accessPolicies,
      path: e.path,
    }];
  }), e => `${e.cluster}/${e.principalArn}|${e.path}`),
  columns: [
    ['Cluster', e => e.cluster],
    ['Principal', e => e.principalArn],
    ['Type', e => e.type],
    ['Username', e => e.username ?? ''],
    ['Groups', e => e.kubernetesGroups.join(', ')],
    ['Access policies', e => e.accessPolicies.map(policyText).join('; ')],
  ],
  draw: (rows, d) => {
    for (const e of rows) {
      if (d.overflow) return;
      const c = d.node(`cluster:${e.cluster}`, `cluster ${e.cluster}`, 'c');
      const pr = d.node(`principal:${e.principalArn}`, e.principalArn, 'u');
      const ae = d.node(`entry:${e.cluster}/${e.principalArn}`, `access entry ${e.type}`, 'a');
      d.edge(pr, ae);
      d.edge(ae, c);
      for (const g of e.kubernetesGroups) d.edge(ae, d.node(`group:${e.cluster}/${g}`, `group ${g}`, 'g', `group ${g}`));
      for (const p of e.accessPolicies) d.edge(ae, d.node(`ap:${p.policy}:${p.scope}:${(p.namespaces ?? []).join(',')}`, policyText(p), 'ap'));
    }
  },
};

function policyText(p: AccessPolicyRow): string {
  return `${p.policy} (${p.scope}${p.namespaces ? `: ${p.namespaces.join(', ')}` : ''})`;
}
