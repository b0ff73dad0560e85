import { checkManifestLiteral, checkServiceAccountUnique, checkVerifyRoleArn } from '../../lib/rules/k8s-objects';

describe('checkServiceAccountUnique', () => {
  test('a first declaration passes', () => {
    expect(checkServiceAccountUnique('serviceAccountName', 'default/app', false)).toEqual([]);
  });

  test('a second declaration of the namespace and name is an error naming both', () => {
    const [f, ...rest] = checkServiceAccountUnique('serviceAccountName', 'default/app', true);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ code: 'k8s-service-account-duplicate', severity: 'error', field: 'serviceAccountName', value: '\'default/app\'' });
    expect(f.rule).toContain('declared twice');
  });
});

describe('checkManifestLiteral', () => {
  test('literal YAML passes', () => {
    expect(checkManifestLiteral('manifests', 'kind: ServiceAccount\nmetadata:\n  name: app\n')).toEqual([]);
  });

  test('an unresolved token in the YAML is an error', () => {
    const [f] = checkManifestLiteral('manifests', 'annotations:\n  eks.amazonaws.com/role-arn: ${Token[TOKEN.12]}\n');
    expect(f).toMatchObject({ code: 'k8s-manifest-token', field: 'manifests', value: 'an unresolved CDK token' });
  });
});

describe('checkVerifyRoleArn', () => {
  test('a literal role ARN passes', () => {
    expect(checkVerifyRoleArn('verify', 'arn:aws:iam::111122223333:role/app', true)).toEqual([]);
  });

  test('a token (undefined) is an error saying so', () => {
    expect(checkVerifyRoleArn('verify', undefined, false)[0]).toMatchObject({ code: 'k8s-verify-role-arn', value: '(unresolved token)' });
  });

  test('a literal that is no role ARN is an error showing it', () => {
    expect(checkVerifyRoleArn('verify', 'arn:aws:iam::111122223333:user/bob', false)[0].value).toBe('\'arn:aws:iam::111122223333:user/bob\'');
  });
});
