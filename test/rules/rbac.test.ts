import { checkGroupBinding, checkRbacName } from '../../lib/rules/rbac';

describe('checkRbacName (path segment names)', () => {
  test.each(['view', 'cluster-admin', 'system:aggregate-to-view', 'Viewers-view', 'a'])('%s is valid', n => {
    expect(checkRbacName('clusterRole', n, 'ClusterRole')).toEqual([]);
  });

  test.each(['', '.', '..', 'a/b', 'a%b'])('%s is not', n => {
    const fs = checkRbacName('rbac[0].clusterRole', n, 'ClusterRole');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'k8s-rbac-name', field: 'rbac[0].clusterRole' });
  });
});

describe('checkGroupBinding', () => {
  test('cluster-wide and namespaced bindings', () => {
    expect(checkGroupBinding('rbac[0]', 'viewers', 'view')).toEqual([]);
    expect(checkGroupBinding('rbac[0]', 'Viewers', 'view', ['default', 'team-a'])).toEqual([]);
  });

  test('fields are prefixed, or bare without a prefix', () => {
    expect(checkGroupBinding('rbac[2]', '', 'view')[0].field).toBe('rbac[2].group');
    expect(checkGroupBinding('', '', 'view')[0].field).toBe('group');
  });

  test('namespaces: not empty, valid labels, no wildcards, no duplicates', () => {
    expect(checkGroupBinding('r', 'g', 'view', [])[0]).toMatchObject({ code: 'k8s-rbac-namespaces', field: 'r.namespaces' });
    expect(checkGroupBinding('r', 'g', 'view', ['Team'])[0]).toMatchObject({ code: 'k8s-namespace', field: 'r.namespaces[0]' });
    const wild = checkGroupBinding('r', 'g', 'view', ['dev-*'])[0];
    expect(wild.rule).toContain('wildcard');
    expect(checkGroupBinding('r', 'g', 'view', ['a', 'a'])[0].code).toBe('k8s-namespace-duplicate');
  });

  test('a bad ClusterRole name', () => {
    expect(checkGroupBinding('r', 'g', 'a/b')[0]).toMatchObject({ code: 'k8s-rbac-name', field: 'r.clusterRole' });
  });
});
