import {
  checkFargateSelectors, checkPodExecutionRolePermissions, checkProfileCount, checkProfileNameUnique, checkSubnetIds,
  FARGATE_POD_EXECUTION_POLICY, FARGATE_PODS_SERVICE, fargateProfileSourceArn, namespaceMatches, podExecutionTrustPolicy,
} from '../../lib/rules/fargate';

describe('pod execution role trust (seed 003)', () => {
  test('source ARN and trust policy', () => {
    const arn = fargateProfileSourceArn('aws', 'us-west-2', '111122223333', 'my-cluster');
    expect(arn).toBe('arn:aws:eks:us-west-2:111122223333:fargateprofile/my-cluster/*');
    expect(podExecutionTrustPolicy(arn)).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:eks:us-west-2:111122223333:fargateprofile/my-cluster/*' } },
      }],
    });
    expect(FARGATE_PODS_SERVICE).toBe('eks-fargate-pods.amazonaws.com');
    expect(FARGATE_POD_EXECUTION_POLICY).toBe('AmazonEKSFargatePodExecutionRolePolicy');
  });

  test('other partitions and explicit widening', () => {
    expect(fargateProfileSourceArn('aws-cn', 'cn-north-1', '111122223333', 'c')).toBe('arn:aws-cn:eks:cn-north-1:111122223333:fargateprofile/c/*');
    expect(fargateProfileSourceArn('aws', '*', '111122223333', '*')).toBe('arn:aws:eks:*:111122223333:fargateprofile/*/*');
  });
});

describe('checkFargateSelectors', () => {
  const five = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]));

  test('1 to 5 selectors with up to 5 labels, wildcards included, are fine', () => {
    expect(checkFargateSelectors('selectors', [{ namespace: 'default' }], 5, 5)).toEqual([]);
    expect(checkFargateSelectors('selectors', [
      { namespace: 'prod-*' }, { namespace: 'team-?' }, { namespace: '*' }, { namespace: 'a' },
      { namespace: 'web', labels: five(5) },
    ], 5, 5)).toEqual([]);
    expect(checkFargateSelectors('selectors', [{ namespace: 'web', labels: { 'app.kubernetes.io/*': 'front-?' } }], 5, 5)).toEqual([]);
  });

  test('no selector is an error', () => {
    expect(checkFargateSelectors('selectors', [], 5, 5)).toMatchObject([{ code: 'fargate-selectors', severity: 'error', field: 'selectors' }]);
  });

  test('6 selectors: an error naming the quota; fine once the quota is raised', () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ namespace: `ns-${i}` }));
    const fs = checkFargateSelectors('fargate.profiles[0].selectors', six, 5, 5);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'fargate-selectors-per-profile', severity: 'error', field: 'fargate.profiles[0].selectors', value: "'6 selectors'" });
    expect(fs[0].fix).toContain('quotas.selectorsPerFargateProfile');
    expect(checkFargateSelectors('s', six, 6, 5)).toEqual([]);
  });

  test('above a raised quota the fix says to raise it further', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => ({ namespace: `ns-${i}`, labels: five(11) }));
    const fs = checkFargateSelectors('s', eleven, 10, 10);
    expect(fs[0]).toMatchObject({ code: 'fargate-selectors-per-profile', rule: expect.stringContaining('10 selectors') });
    expect(fs[0].fix).toContain('further');
    expect(fs[1]).toMatchObject({ code: 'fargate-labels-per-selector', fix: expect.stringContaining('further') });
  });

  test('a selector without namespace is an error naming it', () => {
    const fs = checkFargateSelectors('selectors', [{ namespace: 'a' }, { labels: { app: 'x' } }], 5, 5);
    expect(fs).toMatchObject([{ code: 'fargate-selector-namespace', severity: 'error', field: 'selectors[1].namespace', value: '(unset)' }]);
    expect(checkFargateSelectors('selectors', [{ namespace: '' }], 5, 5)).toMatchObject([{ field: 'selectors[0].namespace' }]);
  });

  test('a namespace that is not a DNS label (even with wildcards) is an error', () => {
    const fs = checkFargateSelectors('selectors', [{ namespace: 'Team_*' }], 5, 5);
    expect(fs).toMatchObject([{ code: 'k8s-namespace', field: 'selectors[0].namespace', value: "'Team_*'" }]);
    expect(fs[0].rule).toContain('wildcards');
  });

  test('6 labels: an error naming the quota; fine once raised', () => {
    const fs = checkFargateSelectors('selectors', [{ namespace: 'a', labels: five(6) }], 5, 5);
    expect(fs).toMatchObject([{ code: 'fargate-labels-per-selector', field: 'selectors[0].labels', value: "'6 labels'" }]);
    expect(fs[0].fix).toContain('quotas.labelsPerFargateSelector');
    expect(checkFargateSelectors('selectors', [{ namespace: 'a', labels: five(6) }], 5, 6)).toEqual([]);
  });

  test('bad label keys and empty values are errors', () => {
    expect(checkFargateSelectors('s', [{ namespace: 'a', labels: { 'bad key': 'x' } }], 5, 5)).toMatchObject([{ code: 'k8s-label-key', field: 's[0].labels.bad key' }]);
    expect(checkFargateSelectors('s', [{ namespace: 'a', labels: { app: '' } }], 5, 5)).toMatchObject([{ code: 'fargate-label-value', field: 's[0].labels.app' }]);
    expect(checkFargateSelectors('s', [{ namespace: 'a', labels: { app: 'a b' } }], 5, 5)).toMatchObject([{ code: 'k8s-label-value' }]);
  });
});

describe('checkSubnetIds', () => {
  test('8- and 17-digit ids are fine', () => {
    expect(checkSubnetIds('subnetIds', ['subnet-0123456789abcdef0', 'subnet-12345678'])).toEqual([]);
  });

  test('anything else, and duplicates, are errors', () => {
    expect(checkSubnetIds('subnetIds', ['subnet-xyz', 'sg-0123456789abcdef0']).map(f => f.field)).toEqual(['subnetIds[0]', 'subnetIds[1]']);
    expect(checkSubnetIds('subnetIds', ['subnet-12345678', 'subnet-12345678'])).toMatchObject([{ code: 'ec2-subnet-id-duplicate' }]);
  });
});

describe('namespaceMatches', () => {
  test.each([
    ['web', 'web', true],
    ['web', 'web2', false],
    ['w*', 'web', true],
    ['*', 'anything', true],
    ['team-?', 'team-a', true],
    ['team-?', 'team-ab', false],
    ['prod-*-db', 'prod-eu-db', true],
    ['a.b', 'axb', false],
  ])('%s matches %s: %s', (pattern, ns, expected) => {
    expect(namespaceMatches(pattern, ns)).toBe(expected);
  });
});

describe('profiles', () => {
  test('names are unique per cluster', () => {
    expect(checkProfileNameUnique('name', 'web')).toEqual([]);
    expect(checkProfileNameUnique('fargate.profiles[1].name', 'web', 'fargate.profiles[0]'))
      .toMatchObject([{ code: 'fargate-profile-name-unique', severity: 'error', field: 'fargate.profiles[1].name' }]);
  });

  test('more than 10 profiles per cluster is a warning', () => {
    expect(checkProfileCount('profiles', 10)).toEqual([]);
    expect(checkProfileCount('profiles', 11)).toMatchObject([{ code: 'fargate-profiles-per-cluster', severity: 'warning' }]);
  });
});

describe('checkPodExecutionRolePermissions', () => {
  test('nothing added: no finding', () => {
    expect(checkPodExecutionRolePermissions('role', { statements: 0, managedPolicies: [] })).toEqual([]);
  });

  test('statements or managed policies added: a warning that says where they belong', () => {
    const fs = checkPodExecutionRolePermissions('role', { statements: 2, managedPolicies: ['AmazonS3ReadOnlyAccess'] });
    expect(fs).toMatchObject([{ code: 'fargate-pod-execution-role-permissions', severity: 'warning', field: 'role' }]);
    expect(fs[0].value).toContain('2 statements');
    expect(fs[0].value).toContain('AmazonS3ReadOnlyAccess');
    expect(fs[0].fix).toContain('WorkloadIdentity');
    expect(checkPodExecutionRolePermissions('role', { statements: 1, managedPolicies: [] })[0].value).toBe("'1 statement'");
    expect(checkPodExecutionRolePermissions('role', { statements: 0, managedPolicies: ['A', 'B'] })[0].value).toBe("'managed policies A, B'");
  });
});
