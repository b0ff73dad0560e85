import {
  checkInlinePolicySize, checkManagedPolicyCount, checkMaxSessionDuration, checkRoleName, checkRolePath,
  defaultRoleName, fitRoleName, MAX_INLINE_POLICY_CHARS, MAX_ROLE_NAME, MAX_SESSION_SECONDS, MIN_SESSION_SECONDS, policyLength,
} from '../../lib/rules/iam-role';

describe('checkRoleName (1..64 of [\\w+=,.@-])', () => {
  test.each(['a', 'my-cluster-team-a-app', 'A+b=c,d.e@f_g-h', 'r'.repeat(64)])('%s is valid', name => {
    expect(checkRoleName('role.roleName', name)).toEqual([]);
  });

  test('65 characters is an error, and the fix says to shorten it', () => {
    const fs = checkRoleName('role.roleName', 'r'.repeat(65));
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'iam-role-name', severity: 'error', field: 'role.roleName' });
    expect(fs[0].rule).toContain('1-64');
    expect(fs[0].fix).toContain('64');
  });

  test.each(['', 'my role', 'team/app', 'app:1', 'rôle'])('%j is an error (bad characters)', name => {
    const fs = checkRoleName('role.roleName', name);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'iam-role-name', severity: 'error', field: 'role.roleName', value: `'${name}'` });
    expect(fs[0].rule).toContain('+=,.@_-');
    expect(fs[0].fix).toBe('remove the other characters');
  });
});

describe('checkRolePath (/ or /.../, <= 512, 0x21..0x7E)', () => {
  test.each(['/', '/eks/', '/team/app/', '/a-b_c.d@e/', `/${'p'.repeat(510)}/`])('%s is valid', p => {
    expect(checkRolePath('role.path', p)).toEqual([]);
  });

  test('eks (no slashes) is an error and the fix suggests /eks/', () => {
    const fs = checkRolePath('role.path', 'eks');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'iam-role-path', severity: 'error', field: 'role.path', value: "'eks'" });
    expect(fs[0].rule).toContain("'/'");
    expect(fs[0].fix).toContain("'/eks/'");
  });

  test.each([
    ['no trailing slash', '/eks'],
    ['no leading slash', 'eks/'],
    ['an empty segment', '//'],
    ['a space', '/my team/'],
    ['non-ASCII', '/équipe/'],
    ['empty', ''],
    ['513 characters', `/${'p'.repeat(511)}/`],
  ])('%s is an error', (_, p) => {
    expect(checkRolePath('role.path', p)).toMatchObject([{ code: 'iam-role-path', severity: 'error', field: 'role.path' }]);
  });

  test('the suggested path is itself valid', () => {
    for (const bad of ['eks', '/eks', 'team/app', '']) {
      const fix = checkRolePath('p', bad)[0].fix;
      const suggested = /'([^']+)'/.exec(fix)![1];
      expect(checkRolePath('p', suggested)).toEqual([]);
    }
  });
});

describe('checkMaxSessionDuration (3600..43200)', () => {
  test.each([MIN_SESSION_SECONDS, 7200, MAX_SESSION_SECONDS])('%d is valid', s => {
    expect(checkMaxSessionDuration('role.maxSessionDuration', s)).toEqual([]);
  });

  test.each([3599, 43201, 0, -3600, 3600.5, NaN])('%d is an error', s => {
    const fs = checkMaxSessionDuration('role.maxSessionDuration', s);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'iam-max-session-duration', severity: 'error', field: 'role.maxSessionDuration' });
    expect(fs[0].rule).toContain('3600..43200');
  });
});

describe('checkManagedPolicyCount', () => {
  test('up to the limit is fine', () => {
    expect(checkManagedPolicyCount('role.managedPolicies', 10, 10)).toEqual([]);
    expect(checkManagedPolicyCount('role.managedPolicies', 0, 10)).toEqual([]);
    expect(checkManagedPolicyCount('role.managedPolicies', 20, 20)).toEqual([]);
  });

  test('above the limit is an error naming the count and the limit', () => {
    const fs = checkManagedPolicyCount('role.managedPolicies', 11, 10);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'iam-managed-policies-per-role', severity: 'error', field: 'role.managedPolicies', value: "'11 policies'" });
    expect(fs[0].rule).toContain('10');
    expect(fs[0].fix).toContain('quotas.managedPoliciesPerRole');
    expect(fs[0].fix).toContain('20');
  });
});

describe('policyLength (whitespace not counted)', () => {
  test('counts the JSON without whitespace', () => {
    expect(policyLength({ a: 'b' })).toBe('{"a":"b"}'.length);
    expect(policyLength({ a: 'b c  d' })).toBe('{"a":"bcd"}'.length);
  });
});

describe('checkInlinePolicySize (<= 10,240 per role)', () => {
  test('up to the limit is fine', () => {
    expect(MAX_INLINE_POLICY_CHARS).toBe(10240);
    expect(checkInlinePolicySize('role.inlinePolicy', 10240)).toEqual([]);
  });

  test('above the limit is an error', () => {
    const fs = checkInlinePolicySize('role.inlinePolicy', 10241);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'iam-inline-policy-size', severity: 'error', field: 'role.inlinePolicy', value: "'10241 characters'" });
    expect(fs[0].rule).toContain('10240');
  });
});

describe('defaultRoleName / fitRoleName', () => {
  test('short names are <prefix><cluster>-<namespace>-<serviceaccount>, unchanged', () => {
    expect(defaultRoleName('', 'prod', 'team-a', 'app')).toBe('prod-team-a-app');
    expect(defaultRoleName('irsa-', 'prod', 'kube-system', 'aws-node')).toBe('irsa-prod-kube-system-aws-node');
  });

  test('a name of exactly 64 characters is kept', () => {
    const full = 'n'.repeat(MAX_ROLE_NAME);
    expect(fitRoleName(full)).toBe(full);
  });

  test('a long name is cut to 64 characters and ends with a stable 8-hex hash', () => {
    const args: [string, string, string, string] = ['eks-', 'production-cluster-eu-west-1', 'payments-processing', 'settlement-worker-service-account'];
    const name = defaultRoleName(...args);
    expect(name.length).toBeLessThanOrEqual(MAX_ROLE_NAME);
    expect(name).toMatch(/^eks-production-cluster-eu-west-1-payments-processing-.*-[0-9a-f]{8}$/);
    expect(defaultRoleName(...args)).toBe(name); // stable
    expect(checkRoleName('role.roleName', name)).toEqual([]);
  });

  test('different long inputs that share the first 55 characters get different names', () => {
    const a = defaultRoleName('', 'c'.repeat(40), 'team-a', 'service-account-one-with-a-long-name');
    const b = defaultRoleName('', 'c'.repeat(40), 'team-a', 'service-account-two-with-a-long-name');
    expect(a).toHaveLength(64);
    expect(b).toHaveLength(64);
    expect(a).not.toBe(b);
    expect(a.slice(0, -8)).toBe(b.slice(0, -8));
  });

  test('the cut does not leave a dash or dot before the hash separator', () => {
    // character 55 is a '-': the cut part would end with '-', so it is trimmed
    const full = `${'a'.repeat(54)}-.${'b'.repeat(20)}`;
    const name = fitRoleName(full);
    expect(name).toMatch(/^a{54}-[0-9a-f]{8}$/);
  });
});
