import { checkGroupsBound, checkKubernetesGroups } from '../../lib/rules/groups';

describe('checkKubernetesGroups', () => {
  test('STANDARD groups of your own are valid', () => {
    expect(checkKubernetesGroups('kubernetesGroups', ['Viewers', 'dev-team', 'eks-admins'], 'STANDARD')).toEqual([]);
    expect(checkKubernetesGroups('kubernetesGroups', [], 'EC2_LINUX')).toEqual([]);
  });

  test.each(['EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'EC2', 'HYBRID_LINUX', 'HYPERPOD_LINUX'])('groups on %s are an error', type => {
    const fs = checkKubernetesGroups('accessEntries[0].kubernetesGroups', ['viewers'], type);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'access-entry-groups-type', field: 'accessEntries[0].kubernetesGroups' });
    expect(fs[0].rule).toContain('only STANDARD');
  });

  test('system:masters is refused with a fix that names the cluster admin policy', () => {
    const fs = checkKubernetesGroups('kubernetesGroups', ['viewers', 'system:masters'], 'STANDARD');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'access-entry-group-system', field: 'kubernetesGroups[1]', value: "'system:masters'" });
    expect(fs[0].fix).toContain('AmazonEKSClusterAdminPolicy');
  });

  test('any system: group is refused', () => {
    expect(checkKubernetesGroups('g', ['system:authenticated'], 'STANDARD')[0].code).toBe('access-entry-group-system');
  });

  test('empty and duplicate groups are errors', () => {
    expect(checkKubernetesGroups('g', [''], 'STANDARD')[0].code).toBe('access-entry-group');
    const dup = checkKubernetesGroups('g', ['a', 'a'], 'STANDARD');
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatchObject({ code: 'access-entry-group-duplicate', field: 'g[1]' });
  });
});

describe('checkGroupsBound', () => {
  test('bound groups pass; unbound ones are warnings, never errors', () => {
    const fs = checkGroupsBound('kubernetesGroups', ['viewers', 'editors'], new Set(['viewers']));
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'warning', code: 'access-entry-group-unbound', field: 'kubernetesGroups[1]', value: "'editors'" });
    expect(fs[0].fix).toContain('rbac');
    expect(checkGroupsBound('g', ['viewers'], new Set(['viewers']))).toEqual([]);
  });
});
