import { bindingIdentity, checkBindingNameFree, checkGroupBinding, checkRbacName, defaultBindingName, RULES } from '../../lib/rules/rbac';

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

describe('defaultBindingName', () => {
  test('the names of today: <group>-<clusterRole>, lower-cased, other characters as \'-\'', () => {
    expect(defaultBindingName('Viewers', 'view')).toBe('viewers-view');
    expect(defaultBindingName('team_a', 'view')).toBe('team-a-view');
    expect(defaultBindingName('developers', 'system:aggregate-to-edit')).toBe('developers-system-aggregate-to-edit');
    expect(defaultBindingName('%%', '::')).toBe('group-binding');
  });

  test('distinct bindings can share it; their identities differ', () => {
    expect(defaultBindingName('a-b', 'c')).toBe(defaultBindingName('a', 'b-c'));
    expect(bindingIdentity('a-b', 'c')).not.toBe(bindingIdentity('a', 'b-c'));
    expect(bindingIdentity('Viewers', 'view')).not.toBe(bindingIdentity('viewers', 'view'));
  });
});

describe('checkBindingNameFree', () => {
  test('a free name passes', () => {
    expect(checkBindingNameFree('name', 'RoleBinding', 'a', 'x', undefined, true)).toEqual([]);
  });

  test('a name held by a binding of the same name, or the same binding again', () => {
    const [f] = checkBindingNameFree('name', 'RoleBinding', 'a', 'g-view', { generated: true, what: "group 'g' bound to ClusterRole 'view'" }, false);
    expect(f).toMatchObject({ code: 'k8s-rbac-binding-duplicate', field: 'name', value: "'a/g-view'" });
    expect(f.rule).toMatch(/is already a RoleBinding/);
  });

  test('a given name that another binding got as its default name says which one', () => {
    const [f] = checkBindingNameFree('name', 'ClusterRoleBinding', undefined, 'viewers-view', { generated: true, what: "group 'viewers' bound to ClusterRole 'view'" }, true);
    expect(f).toMatchObject({ code: 'k8s-rbac-binding-duplicate', value: "'viewers-view'" });
    expect(f.rule).toMatch(/generated for group 'viewers' bound to ClusterRole 'view', which comes first/);
    expect(f.fix).toMatch(/another name/);
  });
});

test('every code of this file has metadata', () => {
  const codes = RULES.map(r => r.code);
  expect(codes).toEqual(expect.arrayContaining(['k8s-rbac-name', 'k8s-rbac-group', 'k8s-rbac-namespaces', 'k8s-namespace-duplicate', 'k8s-rbac-binding-duplicate']));
  RULES.forEach(r => expect(r.source).toMatch(/^https:\/\//));
});
