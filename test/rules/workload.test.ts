import { checkExistingRoleOptions, checkMechanism, checkRoleArnPartKnown, checkSubjectCount } from '../../lib/rules/workload';

describe('checkMechanism', () => {
  test('a known mechanism passes', () => {
    expect(checkMechanism('mechanism', 'irsa', ['irsa', 'podIdentity'])).toEqual([]);
  });

  test('another value is an error', () => {
    expect(checkMechanism('mechanism', 'IRSA', ['irsa', 'podIdentity'])[0]).toMatchObject({ code: 'identity-mechanism', value: '\'IRSA\'' });
  });
});

describe('checkExistingRoleOptions', () => {
  test('existingRoleArn alone, or role options alone, pass', () => {
    expect(checkExistingRoleOptions('existingRoleArn', 'arn:aws:iam::111122223333:role/x', false)).toEqual([]);
    expect(checkExistingRoleOptions('existingRoleArn', undefined, true)).toEqual([]);
  });

  test('both are an error', () => {
    expect(checkExistingRoleOptions('existingRoleArn', 'arn:aws:iam::111122223333:role/x', true)[0].code).toBe('role-conflict');
  });
});

describe('checkSubjectCount', () => {
  test('one subject passes', () => {
    expect(checkSubjectCount('subjects', 1)).toEqual([]);
  });

  test('none is an error', () => {
    expect(checkSubjectCount('subjects', 0)[0]).toMatchObject({ code: 'irsa-subjects-empty', field: 'subjects', value: '[]' });
  });
});

describe('checkRoleArnPartKnown', () => {
  test('a known part passes', () => {
    expect(checkRoleArnPartKnown('account', true)).toEqual([]);
  });

  test.each([
    ['account', 'cluster.account'], ['region', 'cluster.region'], ['roleName', 'roleName'], ['existingRoleArn', 'existingRoleArn'],
  ] as const)('an unknown %s is an error on %s', (part, field) => {
    expect(checkRoleArnPartKnown(part, false)[0]).toMatchObject({ code: 'irsa-role-arn-literal', field, value: '(unresolved token)' });
  });
});
