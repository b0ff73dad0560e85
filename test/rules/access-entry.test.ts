import {
  checkAccessEntryCount, checkAuthenticationMode, checkDuplicatePrincipal, checkEksManagedPrincipal, checkTags, MAX_ACCESS_ENTRIES_PER_CLUSTER,
} from '../../lib/rules/access-entry';

describe('checkAuthenticationMode', () => {
  test('API and API_AND_CONFIG_MAP allow access entries', () => {
    expect(checkAuthenticationMode('cluster.authenticationMode', 'API')).toEqual([]);
    expect(checkAuthenticationMode('cluster.authenticationMode', 'API_AND_CONFIG_MAP')).toEqual([]);
  });

  test('CONFIG_MAP is an error whose fix switches the mode', () => {
    const fs = checkAuthenticationMode('cluster.authenticationMode', 'CONFIG_MAP');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'error', code: 'access-entry-authentication-mode', field: 'cluster.authenticationMode' });
    expect(fs[0].fix).toContain('authenticationMode=API_AND_CONFIG_MAP');
  });
});

describe('app-wide findings', () => {
  test('a duplicate principal names the first entry', () => {
    const fs = checkDuplicatePrincipal('principalArn', 'arn:aws:iam::111122223333:role/r', 'my-cluster', 'Stack/First');
    expect(fs[0]).toMatchObject({ severity: 'error', code: 'access-entry-duplicate-principal' });
    expect(fs[0].rule).toContain('Stack/First');
    expect(fs[0].rule).toContain('my-cluster');
  });

  test('a role EKS maps itself', () => {
    const f = checkEksManagedPrincipal('principal', 'arn:aws:iam::111122223333:role/pods', 'fargate-pod-execution-role', 'Stack/Profile')[0];
    expect(f).toMatchObject({ severity: 'error', code: 'access-entry-eks-managed-role' });
    expect(f.rule).toContain('Fargate profile\'s pod execution role');
    expect(checkEksManagedPrincipal('p', 'x', 'managed-node-group-role', 'S/N')[0].rule).toContain('managed node group');
  });

  test('3,000 access entries per cluster', () => {
    expect(checkAccessEntryCount('accessEntries', 'c', MAX_ACCESS_ENTRIES_PER_CLUSTER)).toEqual([]);
    expect(checkAccessEntryCount('accessEntries', 'c', 3001)[0].code).toBe('access-entry-quota');
  });
});

describe('checkTags', () => {
  test('valid tags pass; aws: keys, long keys and values fail', () => {
    expect(checkTags('tags', { team: 'platform', empty: '' })).toEqual([]);
    expect(checkTags('tags', { 'aws:x': 'y' })[0].code).toBe('aws-tag-key');
    expect(checkTags('tags', { ['k'.repeat(129)]: 'y' })[0].code).toBe('aws-tag-key');
    expect(checkTags('tags', { k: 'v'.repeat(257) })[0].code).toBe('aws-tag-value');
    expect(checkTags('tags', { k: 1 })[0].code).toBe('aws-tag-value');
  });
});
