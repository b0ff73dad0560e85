import {
  accessPolicyArn, AccessPolicyInput, checkAccessPolicies, checkAccessPolicyArn, checkAccessPolicyName, checkAccessScope,
  KNOWN_ACCESS_POLICIES, parseAccessPolicyArn,
} from '../../lib/rules/access-policy';

const view: AccessPolicyInput = { name: 'AmazonEKSViewPolicy', scopeType: 'cluster', namespaces: [] };

describe('access policy ARNs', () => {
  test('format and parse', () => {
    expect(accessPolicyArn('aws', 'AmazonEKSViewPolicy')).toBe('arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy');
    expect(parseAccessPolicyArn('arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSEditPolicy')).toEqual({ partition: 'aws-cn', name: 'AmazonEKSEditPolicy' });
    expect(parseAccessPolicyArn('arn:aws:iam::aws:policy/AmazonEKSViewPolicy')).toBeUndefined();
  });

  test('checkAccessPolicyArn: the pattern, then the name', () => {
    expect(checkAccessPolicyArn('p', 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', 'aws')).toEqual([]);
    const iamArn = checkAccessPolicyArn('p', 'arn:aws:iam::aws:policy/AmazonEKSViewPolicy');
    expect(iamArn[0]).toMatchObject({ code: 'access-policy-arn', severity: 'error' });
    expect(iamArn[0].fix).toContain('not an IAM policy ARN');
  });

  test('checkAccessPolicyArn: the partition must be the cluster\'s', () => {
    const fs = checkAccessPolicyArn('p', 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', 'aws-cn');
    expect(fs[0].code).toBe('access-policy-partition');
    expect(fs[0].fix).toContain('arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy');
  });
});

describe('checkAccessPolicyName', () => {
  test('every documented customer policy passes', () => {
    const customer = Object.entries(KNOWN_ACCESS_POLICIES).filter(([, v]) => !v.serviceLinkedOnly).map(([k]) => k);
    expect(customer).toContain('AmazonEKSClusterAdminPolicy');
    expect(customer).toContain('AmazonEKSAutoNodePolicy');
    for (const n of customer) expect(checkAccessPolicyName('p', n)).toEqual([]);
  });

  test.each([
    'AmazonEKSBlockStoragePolicy', 'AmazonEKSComputePolicy', 'AmazonEKSHybridPolicy', 'AmazonEKSClusterInsightsPolicy',
    'AmazonEKSBlockStorageClusterPolicy', 'AmazonEKSComputeClusterPolicy',
  ])('%s is for service-linked roles only: an error', n => {
    const fs = checkAccessPolicyName('accessPolicies[0].policy', n);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'error', code: 'access-policy-service-linked-only' });
  });

  test('an unknown name is a warning (AWS adds policies), a wrong case an error', () => {
    const unknown = checkAccessPolicyName('p', 'AmazonEKSFuturePolicy');
    expect(unknown[0]).toMatchObject({ severity: 'warning', code: 'access-policy-unknown' });
    const cased = checkAccessPolicyName('p', 'amazoneksviewpolicy');
    expect(cased[0]).toMatchObject({ severity: 'error', code: 'access-policy-name' });
    expect(cased[0].fix).toContain("'AmazonEKSViewPolicy'");
    expect(checkAccessPolicyName('p', 'not a policy')[0].code).toBe('access-policy-name');
  });
});

describe('checkAccessScope', () => {
  test('cluster without namespaces, namespaces with labels and trailing wildcards', () => {
    expect(checkAccessScope('s', 'cluster', [])).toEqual([]);
    expect(checkAccessScope('s', 'namespace', ['default', 'dev-*', 'team-a', '*'])).toEqual([]);
  });

  test('a namespace scope without namespaces is an error', () => {
    const fs = checkAccessScope('accessPolicies[0].scope', 'namespace', []);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'access-scope-namespaces-required', field: 'accessPolicies[0].scope.namespaces' });
  });

  test.each(['Team', 'team.a', 'dev-*-x', 'a'.repeat(64), '-dev*'])('%s is not a namespace', ns => {
    const fs = checkAccessScope('s', 'namespace', [ns]);
    expect(fs[0]).toMatchObject({ code: 'access-scope-namespace', field: 's.namespaces[0]' });
  });

  test('a duplicated namespace and namespaces on a cluster scope are errors', () => {
    expect(checkAccessScope('s', 'namespace', ['a', 'a'])[0].code).toBe('access-scope-namespace-duplicate');
    expect(checkAccessScope('s', 'cluster', ['a'])[0].code).toBe('access-scope-cluster-namespaces');
  });
});

describe('checkAccessPolicies', () => {
  test('STANDARD and EC2 take policies', () => {
    expect(checkAccessPolicies('accessPolicies', [view], 'STANDARD')).toEqual([]);
    expect(checkAccessPolicies('accessPolicies', [{ name: 'AmazonEKSAutoNodePolicy', scopeType: 'cluster', namespaces: [] }], 'EC2')).toEqual([]);
  });

  test.each(['EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX', 'HYPERPOD_LINUX'])('a policy on %s is an error', type => {
    const fs = checkAccessPolicies('accessEntries[0].accessPolicies', [view], type);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'access-policy-type', field: 'accessEntries[0].accessPolicies' });
    expect(fs[0].rule).toContain(type);
  });

  test('the same policy twice is an error on the second, whatever the scope', () => {
    const fs = checkAccessPolicies('accessPolicies', [view, { ...view, scopeType: 'namespace', namespaces: ['dev'] }], 'STANDARD');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'access-policy-duplicate', field: 'accessPolicies[1].policy' });
    expect(fs[0].rule).toContain('accessPolicies[0]');
  });

  test('a policy given by ARN and by name counts once', () => {
    const byArn = { name: 'AmazonEKSViewPolicy', arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', scopeType: 'cluster' as const, namespaces: [] };
    expect(checkAccessPolicies('p', [view, byArn], 'STANDARD', 'aws')[0].code).toBe('access-policy-duplicate');
  });

  test('at most 20 policies', () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ name: `AmazonEKSFuture${i}Policy`, scopeType: 'cluster' as const, namespaces: [] }));
    const fs = checkAccessPolicies('p', many, 'STANDARD');
    expect(fs.filter(f => f.severity === 'error').map(f => f.code)).toEqual(['access-policy-count']);
    expect(checkAccessPolicies('p', many.slice(0, 20), 'STANDARD').filter(f => f.severity === 'error')).toEqual([]);
  });

  test('scope errors carry the policy index', () => {
    const fs = checkAccessPolicies('accessPolicies', [{ ...view, scopeType: 'namespace', namespaces: [] }], 'STANDARD');
    expect(fs[0].field).toBe('accessPolicies[0].scope.namespaces');
  });
});
