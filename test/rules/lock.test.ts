import { checkAccessEntryType, checkFargateProfileChange, checkLockFrozen, checkLockMode, checkLockVersion, checkRolePathChange } from '../../lib/rules/lock';

describe('lock rules (pure)', () => {
  test('lock-version-unsupported: a newer version says upgrade; version 1 passes', () => {
    expect(checkLockVersion(1)).toEqual([]);
    expect(checkLockVersion(2)[0]).toMatchObject({ code: 'lock-version-unsupported', field: 'version', value: '2' });
    expect(checkLockVersion(2)[0].fix).toMatch(/upgrade/);
    expect(checkLockVersion('x')[0].fix).toMatch(/restore/);
  });

  test('lock-frozen: a changed or missing entry fails; an equal one passes', () => {
    expect(checkLockFrozen('Id', '{}', '{}')).toEqual([]);
    expect(checkLockFrozen('Id', '{}', '{"a":1}')[0]).toMatchObject({ code: 'lock-frozen', field: 'stacks.Id', value: "'changed'" });
    expect(checkLockFrozen('Id', undefined, '{}')[0].value).toBe("'missing'");
  });

  test('lock-mode-invalid', () => {
    expect(checkLockMode('V', 'Frozen', ['frozen'])).toEqual([]);
    expect(checkLockMode('V', 'frozn', ['frozen'])[0]).toMatchObject({ code: 'lock-mode-invalid', field: 'V' });
  });

  test('lock-role-replaced-kept-name: a fixed name fails, a generated one is renamed, an unchanged path passes', () => {
    const locked = { name: 'r', given: true, path: '/a/' };
    expect(checkRolePathChange('f', locked, 'r', true, '/a/')).toEqual({ findings: [], rename: false });
    const fixed = checkRolePathChange('f', locked, 'r', true, '/b/');
    expect(fixed.findings[0]).toMatchObject({ code: 'lock-role-replaced-kept-name', field: 'f', value: "'/b/'" });
    expect(checkRolePathChange('f', { ...locked, given: false }, 'r', false, '/b/')).toEqual({ findings: [], rename: true });
    // a new name along with the new path: the replacement has a name of its own
    expect(checkRolePathChange('f', locked, 'r2', true, '/b/').findings).toEqual([]);
    expect(checkRolePathChange('f', undefined, 'r', true, '/b/').findings).toEqual([]);
  });

  test('lock-fargate-profile-replaced: selectors, subnets or the pod execution role change under the same name', () => {
    const p = { selectors: [{ namespace: 'a' }], subnets: ['s1'], podExecutionRole: 'x|/' };
    expect(checkFargateProfileChange('f', 'web', p, p)).toEqual([]);
    expect(checkFargateProfileChange('f', 'web', undefined, p)).toEqual([]);
    expect(checkFargateProfileChange('f', 'web', p, { ...p, subnets: ['s2'] })[0].rule).toMatch(/changes subnetIds/);
    expect(checkFargateProfileChange('f', 'web', p, { ...p, selectors: [] })[0].code).toBe('lock-fargate-profile-replaced');
  });

  test('lock-access-entry-type-changed', () => {
    expect(checkAccessEntryType('f', 'arn', 'STANDARD', 'STANDARD')).toEqual([]);
    expect(checkAccessEntryType('f', 'arn', undefined, 'EC2_LINUX')).toEqual([]);
    expect(checkAccessEntryType('f', 'arn', 'STANDARD', 'EC2_LINUX')[0]).toMatchObject({ code: 'lock-access-entry-type-changed', value: "'EC2_LINUX'" });
  });
});
