import { checkNodePrincipalKind, checkPrincipalChoice } from '../../lib/rules/principal';

describe('checkPrincipalChoice', () => {
  test('a principal ARN alone, or a role or user construct alone, passes', () => {
    expect(checkPrincipalChoice('arn:aws:iam::111122223333:role/x', undefined, undefined)).toEqual([]);
    expect(checkPrincipalChoice(undefined, 'Test/Role', 'role')).toEqual([]);
    expect(checkPrincipalChoice(undefined, 'Test/User', 'user')).toEqual([]);
  });

  test('both is an error on principalArn', () => {
    expect(checkPrincipalChoice('arn:aws:iam::111122223333:role/x', 'Test/Role', 'role')[0])
      .toMatchObject({ code: 'access-entry-principal', field: 'principalArn' });
  });

  test('neither is an error saying it is required', () => {
    const [f] = checkPrincipalChoice(undefined, undefined, undefined);
    expect(f).toMatchObject({ code: 'access-entry-principal', field: 'principal', value: '(unset)', rule: 'is required' });
  });

  test('a construct that is neither role nor user is an error', () => {
    expect(checkPrincipalChoice(undefined, 'Test/Group', undefined)[0].rule).toContain('neither an IAM role nor an IAM user');
  });
});

describe('checkNodePrincipalKind', () => {
  test('a role on a node entry, or a user on STANDARD, passes', () => {
    expect(checkNodePrincipalKind('principal', 'Test/Role', 'role', 'EC2_LINUX')).toEqual([]);
    expect(checkNodePrincipalKind('principal', 'Test/User', 'user', 'STANDARD')).toEqual([]);
  });

  test('a user on a node entry is an error', () => {
    expect(checkNodePrincipalKind('principal', 'Test/User (unresolved ARN)', 'user', 'FARGATE_LINUX')[0].code).toBe('access-entry-principal-node-user');
  });
});
