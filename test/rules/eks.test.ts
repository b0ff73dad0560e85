import { checkAddonVersion, checkClusterName } from '../../lib/rules/eks';

describe('checkClusterName', () => {
  test.each(['my-cluster', 'a', 'Prod_1', 'c'.repeat(100)])('%s is valid', n => {
    expect(checkClusterName('cluster.name', n)).toEqual([]);
  });

  test.each(['', '-x', 'my cluster', 'c'.repeat(101)])('%j is an error', n => {
    expect(checkClusterName('cluster.name', n)[0]).toMatchObject({ code: 'eks-cluster-name', field: 'cluster.name' });
  });
});

describe('checkAddonVersion', () => {
  test('an eksbuild version passes', () => {
    expect(checkAddonVersion('addonVersion', 'v1.3.4-eksbuild.1', 'eks-pod-identity-agent')).toEqual([]);
  });

  test('a bare semver is an error whose fix names the add-on', () => {
    const [f] = checkAddonVersion('addonVersion', '1.3.4', 'eks-pod-identity-agent');
    expect(f.code).toBe('eks-addon-version');
    expect(f.fix).toContain('--addon-name eks-pod-identity-agent');
  });
});
