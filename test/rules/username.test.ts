import { checkUsername } from '../../lib/rules/username';

const STANDARD_ROLE = { type: 'STANDARD', principalKind: 'role' as const };
const STANDARD_USER = { type: 'STANDARD', principalKind: 'user' as const };

describe('checkUsername', () => {
  test.each([
    ':john{{SessionName}}',
    'jo:hn{{SessionName}}',
    'viewer:{{SessionName}}',
    'admin:{{SessionNameRaw}}',
    'arn:aws:sts::111122223333:assumed-role/my-role/{{SessionName}}',
  ])('%s is valid for a role, without a warning', u => {
    expect(checkUsername('username', u, STANDARD_ROLE)).toEqual([]);
  });

  test('a plain name is valid for a user', () => {
    expect(checkUsername('username', 'my-user', STANDARD_USER)).toEqual([]);
  });

  test('a plain name for a role is a warning recommending {{SessionName}}', () => {
    const fs = checkUsername('username', 'Viewers', STANDARD_ROLE);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'warning', code: 'access-entry-username-session-name' });
    expect(fs[0].fix).toContain("'Viewers:{{SessionName}}'");
  });

  test.each(['system:admin', 'eks:me', 'aws:me', 'amazon:me', 'iam:me', 'system:node:{{SessionName}}'])('%s takes a reserved prefix', u => {
    const fs = checkUsername('accessEntries[0].username', u, STANDARD_ROLE);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'error', code: 'access-entry-username-reserved', field: 'accessEntries[0].username' });
    expect(fs[0].rule).toContain(`'${u.slice(0, u.indexOf(':') + 1)}'`);
  });

  test.each([
    ['john{{SessionName}}', "'john:{{SessionName}}'"],
    ['{{SessionName}}', "':{{SessionName}}'"],
    ['john-{{SessionNameRaw}}', "'john-:{{SessionNameRaw}}'"],
  ])('%s has no colon before the session name', (u, fix) => {
    const fs = checkUsername('username', u, STANDARD_ROLE);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'error', code: 'access-entry-username-session-colon' });
    expect(fs[0].fix).toContain(fix);
  });

  test.each(['EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'EC2', 'HYBRID_LINUX', 'HYPERPOD_LINUX'])('a username on %s is an error', type => {
    const fs = checkUsername('username', 'node', { type, principalKind: 'role' });
    expect(fs).toHaveLength(1);
    expect(fs[0].code).toBe('access-entry-username-type');
    expect(fs[0].rule).toContain(type);
  });

  test('empty is an error', () => {
    expect(checkUsername('username', '', STANDARD_USER)[0].code).toBe('access-entry-username');
  });
});
