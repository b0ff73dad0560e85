import {
  checkAssociationCount, checkAssociationRoleAccount, checkAssociationUnique, checkIrsaOnlyOptions, checkPodIdentityOnFargate,
  checkPodIdentityOptionsOnIrsa, checkSessionPolicyLength, checkSessionPolicyTags, checkTargetRole,
  MAX_SESSION_POLICY_CHARS, podIdentityTrustPolicy,
} from '../../lib/rules/pod-identity';

describe('podIdentityTrustPolicy', () => {
  test('pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession', () => {
    expect(podIdentityTrustPolicy()).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
    });
  });
});

describe('checkIrsaOnlyOptions', () => {
  test('none set: fine', () => {
    expect(checkIrsaOnlyOptions({})).toEqual([]);
    expect(checkIrsaOnlyOptions({ audience: undefined, tokenExpiration: undefined, stsRegionalEndpoints: undefined })).toEqual([]);
  });

  test('each IRSA key is an error naming it', () => {
    const fs = checkIrsaOnlyOptions({ audience: 'sts.amazonaws.com', tokenExpiration: 3600, stsRegionalEndpoints: false }, { tokenExpiration: 'tokenExpirationSeconds' });
    expect(fs.map(f => [f.code, f.severity, f.field])).toEqual([
      ['pod-identity-irsa-option', 'error', 'audience'],
      ['pod-identity-irsa-option', 'error', 'tokenExpirationSeconds'],
      ['pod-identity-irsa-option', 'error', 'stsRegionalEndpoints'],
    ]);
    expect(fs[0].fix).toContain('mechanism irsa');
  });
});

describe('checkPodIdentityOptionsOnIrsa', () => {
  test('only when present', () => {
    expect(checkPodIdentityOptionsOnIrsa('podIdentity', false)).toEqual([]);
    expect(checkPodIdentityOptionsOnIrsa('podIdentity', true)).toMatchObject([{ code: 'pod-identity-options-on-irsa', severity: 'error', field: 'podIdentity' }]);
  });
});

describe('checkSessionPolicyTags', () => {
  test('a session policy with disableSessionTags true is fine; no session policy is fine', () => {
    expect(checkSessionPolicyTags('podIdentity.disableSessionTags', true, true)).toEqual([]);
    expect(checkSessionPolicyTags('podIdentity.disableSessionTags', false, undefined)).toEqual([]);
    expect(checkSessionPolicyTags('podIdentity.disableSessionTags', false, false)).toEqual([]);
  });

  test.each([[undefined, '(unset)'], [false, 'false']])('a session policy with disableSessionTags %s is an error', (v, shown) => {
    const fs = checkSessionPolicyTags('podIdentity.disableSessionTags', true, v);
    expect(fs).toMatchObject([{ code: 'pod-identity-session-policy-tags', severity: 'error', field: 'podIdentity.disableSessionTags', value: shown }]);
    expect(fs[0].fix).toContain('disableSessionTags: true');
  });
});

describe('checkSessionPolicyLength', () => {
  const doc = (n: number) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'b'.repeat(n)}` }] });
  const base = JSON.stringify(doc(0)).length;

  test('2048 characters is fine, 2049 is not', () => {
    expect(checkSessionPolicyLength('sessionPolicy', doc(MAX_SESSION_POLICY_CHARS - base))).toEqual([]);
    expect(checkSessionPolicyLength('sessionPolicy', doc(MAX_SESSION_POLICY_CHARS - base + 1)))
      .toMatchObject([{ code: 'pod-identity-session-policy-length', severity: 'error', value: "'2049 characters'" }]);
  });
});

describe('checkAssociationRoleAccount and checkTargetRole', () => {
  test('a role of the cluster account is fine', () => {
    expect(checkAssociationRoleAccount('existingRoleArn', 'arn:aws:iam::111122223333:role/x', '111122223333')).toEqual([]);
  });

  test('a role of another account is an error pointing to targetRoleArn', () => {
    const fs = checkAssociationRoleAccount('existingRoleArn', 'arn:aws:iam::444455556666:role/x', '111122223333');
    expect(fs).toMatchObject([{ code: 'pod-identity-role-account', severity: 'error', field: 'existingRoleArn' }]);
    expect(fs[0].fix).toContain('targetRoleArn');
  });

  test('a target role equal to the role is an error; another role is fine', () => {
    expect(checkTargetRole('t', 'arn:aws:iam::444455556666:role/x', 'arn:aws:iam::111122223333:role/x')).toEqual([]);
    expect(checkTargetRole('t', 'arn:aws:iam::111122223333:role/x', undefined)).toEqual([]);
    expect(checkTargetRole('t', 'arn:aws:iam::111122223333:role/x', 'arn:aws:iam::111122223333:role/x')).toMatchObject([{ code: 'pod-identity-target-role' }]);
  });
});

describe('associations', () => {
  const key = { cluster: "'c'", namespace: 'default', serviceAccount: 'app' };

  test('the first association of a service account is fine, a second is an error', () => {
    expect(checkAssociationUnique('serviceAccountName', key)).toEqual([]);
    const fs = checkAssociationUnique('serviceAccountName', key, 'Stack/A/Association');
    expect(fs).toMatchObject([{ code: 'pod-identity-association-unique', severity: 'error', field: 'serviceAccountName', value: "'default/app'" }]);
    expect(fs[0].rule).toContain('Stack/A/Association');
  });

  test('5000 per cluster', () => {
    expect(checkAssociationCount('s', 5000)).toEqual([]);
    expect(checkAssociationCount('s', 5001)).toMatchObject([{ code: 'pod-identity-associations-per-cluster', severity: 'error' }]);
  });
});

describe('Pod Identity on Fargate', () => {
  const sel = (namespace: string, labels?: Record<string, string>) => ({ namespace, labels, where: `profile ${namespace}` });

  test('no matching selector: fine', () => {
    expect(checkPodIdentityOnFargate('namespace', 'payments', [sel('web'), sel('pay')])).toEqual([]);
  });

  test.each(['payments', 'pay*', 'payment?', '*'])('a label-less selector %s is an error', pattern => {
    const fs = checkPodIdentityOnFargate('namespace', 'payments', [sel('web'), sel(pattern)]);
    expect(fs).toMatchObject([{ code: 'pod-identity-on-fargate', severity: 'error', field: 'namespace', value: "'payments'" }]);
    expect(fs[0].rule).toContain(`profile ${pattern}`);
    expect(fs[0].fix).toContain('irsa');
  });

  test('a selector with labels is a warning', () => {
    const fs = checkPodIdentityOnFargate('namespace', 'payments', [sel('pay*', { compute: 'fargate' })]);
    expect(fs).toMatchObject([{ code: 'pod-identity-on-fargate', severity: 'warning', field: 'namespace' }]);
    expect(fs[0].rule).toContain('compute');
  });
});
