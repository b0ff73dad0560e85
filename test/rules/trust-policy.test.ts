import { oidcProviderArn } from '../../lib/rules/issuer';
import {
  checkSubject, checkTrustPolicyLength, DEFAULT_TRUST_POLICY_LENGTH, irsaCondition, irsaTrustPolicy, MAX_TRUST_POLICY_LENGTH, WEB_IDENTITY_ACTION,
} from '../../lib/rules/trust-policy';

const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const HP = 'oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const PROVIDER = oidcProviderArn('aws', '111122223333', ISSUER);

describe('checkSubject (wildcards)', () => {
  test('exact names are fine with or without the opt-in', () => {
    expect(checkSubject('serviceAccounts[0]', { namespace: 'team-a', serviceAccountName: 'app' }, false)).toEqual([]);
    expect(checkSubject('serviceAccounts[0]', { namespace: 'team-a', serviceAccountName: 'app' }, true)).toEqual([]);
  });

  test('a * service account without the opt-in is an error', () => {
    const fs = checkSubject('serviceAccounts[0]', { namespace: 'team-a', serviceAccountName: 'app-*' }, false);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'irsa-wildcard-opt-in', severity: 'error', field: 'serviceAccounts[0].serviceAccountName', value: "'app-*'" });
    expect(fs[0].rule).toContain('StringEquals');
    expect(fs[0].fix).toContain('allowWildcards: true');
  });

  test('a ? service account without the opt-in is an error too', () => {
    expect(checkSubject('sa', { namespace: 'team-a', serviceAccountName: 'app-?' }, false))
      .toMatchObject([{ code: 'irsa-wildcard-opt-in', severity: 'error' }]);
  });

  test('a * service account with the opt-in is fine', () => {
    expect(checkSubject('sa', { namespace: 'team-a', serviceAccountName: '*' }, true)).toEqual([]);
  });

  test.each([
    ['*', false],
    ['*', true],
    ['team-*', true],
    ['team-?', true],
  ])('a namespace wildcard %s is always an error (opt-in %s)', (namespace, optIn) => {
    const fs = checkSubject('serviceAccounts[2]', { namespace, serviceAccountName: 'app' }, optIn);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'irsa-namespace-wildcard', severity: 'error', field: 'serviceAccounts[2].namespace', value: `'${namespace}'` });
    expect(fs[0].rule).toContain('namespace');
    expect(fs[0].fix).toContain('each namespace');
  });
});

describe('irsaCondition', () => {
  test('one subject: sub and aud under StringEquals, both keys prefixed by the issuer without https://', () => {
    const c = irsaCondition(HP, [{ namespace: 'team-a', serviceAccountName: 'app' }], 'sts.amazonaws.com');
    expect(c).toEqual({
      StringEquals: {
        [`${HP}:aud`]: 'sts.amazonaws.com',
        [`${HP}:sub`]: 'system:serviceaccount:team-a:app',
      },
    });
  });

  test('several subjects: a list under the same key (OR), duplicates removed', () => {
    const c = irsaCondition(HP, [
      { namespace: 'team-a', serviceAccountName: 'app' },
      { namespace: 'team-b', serviceAccountName: 'app' },
      { namespace: 'team-a', serviceAccountName: 'app' },
    ], 'sts.amazonaws.com');
    expect(c).toEqual({
      StringEquals: {
        [`${HP}:aud`]: 'sts.amazonaws.com',
        [`${HP}:sub`]: ['system:serviceaccount:team-a:app', 'system:serviceaccount:team-b:app'],
      },
    });
  });

  test('wildcards: sub under StringLike, aud kept under StringEquals', () => {
    const c = irsaCondition(HP, [
      { namespace: 'team-a', serviceAccountName: 'app-*' },
      { namespace: 'team-b', serviceAccountName: 'exact' },
    ], 'custom-aud');
    expect(c).toEqual({
      StringEquals: { [`${HP}:aud`]: 'custom-aud' },
      StringLike: { [`${HP}:sub`]: ['system:serviceaccount:team-a:app-*', 'system:serviceaccount:team-b:exact'] },
    });
    expect(Object.keys(c.StringEquals)).not.toContain(`${HP}:sub`);
  });

  test('no StringLike without wildcards', () => {
    const c = irsaCondition(HP, [{ namespace: 'n', serviceAccountName: 's' }], 'sts.amazonaws.com');
    expect(c.StringLike).toBeUndefined();
  });

  test('never an amr key, and never https:// in a key', () => {
    for (const subjects of [[{ namespace: 'n', serviceAccountName: 's' }], [{ namespace: 'n', serviceAccountName: 's*' }]]) {
      const text = JSON.stringify(irsaCondition(HP, subjects, 'sts.amazonaws.com'));
      expect(text).not.toContain(':amr');
      expect(text).not.toContain('https://');
    }
  });
});

describe('irsaTrustPolicy', () => {
  test('Federated principal, sts:AssumeRoleWithWebIdentity, the given condition', () => {
    const condition = irsaCondition(HP, [{ namespace: 'team-a', serviceAccountName: 'app' }], 'sts.amazonaws.com');
    expect(WEB_IDENTITY_ACTION).toBe('sts:AssumeRoleWithWebIdentity');
    expect(irsaTrustPolicy([{ providerArn: PROVIDER, condition }])).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${HP}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: condition,
      }],
    });
  });

  test('the condition key prefix equals the provider ARN suffix', () => {
    const condition = irsaCondition(HP, [{ namespace: 'team-a', serviceAccountName: 'app' }], 'sts.amazonaws.com');
    const doc = irsaTrustPolicy([{ providerArn: PROVIDER, condition }]) as any;
    const suffix = (doc.Statement[0].Principal.Federated as string).split(':oidc-provider/')[1];
    for (const key of Object.keys(doc.Statement[0].Condition.StringEquals)) {
      expect(key.startsWith(`${suffix}:`)).toBe(true);
    }
  });

  test('one statement per issuer', () => {
    const other = 'oidc.eks.eu-west-1.amazonaws.com/id/OTHER';
    const doc = irsaTrustPolicy([
      { providerArn: PROVIDER, condition: irsaCondition(HP, [{ namespace: 'a', serviceAccountName: 'b' }], 'sts.amazonaws.com') },
      { providerArn: `arn:aws:iam::111122223333:oidc-provider/${other}`, condition: irsaCondition(other, [{ namespace: 'a', serviceAccountName: 'b' }], 'sts.amazonaws.com') },
    ]) as any;
    expect(doc.Statement).toHaveLength(2);
  });
});

describe('checkTrustPolicyLength (2048 by default, up to 4096)', () => {
  const docWith = (n: number) => irsaTrustPolicy([{
    providerArn: PROVIDER,
    condition: irsaCondition(HP, Array.from({ length: n }, (_, i) => ({ namespace: `team-${i}`, serviceAccountName: `app-${i}` })), 'sts.amazonaws.com'),
  }]);
  // smallest number of subjects whose policy is longer than `limit`
  const subjectsAbove = (limit: number) => {
    let n = 1;
    while (JSON.stringify(docWith(n)).length <= limit) n++;
    return n;
  };

  test('defaults', () => {
    expect(DEFAULT_TRUST_POLICY_LENGTH).toBe(2048);
    expect(MAX_TRUST_POLICY_LENGTH).toBe(4096);
  });

  test('a small policy is fine', () => {
    expect(checkTrustPolicyLength('serviceAccounts[0].role', docWith(1), DEFAULT_TRUST_POLICY_LENGTH)).toEqual([]);
  });

  test('above 2048 characters is an error whose fix offers raising the quota to 4096', () => {
    const doc = docWith(subjectsAbove(2048));
    const fs = checkTrustPolicyLength('serviceAccounts[0].role', doc, 2048);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'iam-trust-policy-length', severity: 'error', field: 'serviceAccounts[0].role' });
    expect(fs[0].value).toMatch(/^'\d+ characters'$/);
    expect(fs[0].rule).toContain('2048');
    expect(fs[0].rule).toContain('whitespace not counted');
    expect(fs[0].fix).toContain('quotas.trustPolicyLength');
    expect(fs[0].fix).toContain('4096');
  });

  test('the same policy is fine once the limit is raised to 4096', () => {
    const doc = docWith(subjectsAbove(2048));
    expect(checkTrustPolicyLength('role', doc, MAX_TRUST_POLICY_LENGTH)).toEqual([]);
  });

  test('above 4096 the fix no longer offers raising the quota', () => {
    const fs = checkTrustPolicyLength('role', docWith(subjectsAbove(4096)), 4096);
    expect(fs).toMatchObject([{ code: 'iam-trust-policy-length', severity: 'error' }]);
    expect(fs[0].rule).toContain('4096');
    expect(fs[0].fix).not.toContain('quotas.trustPolicyLength');
  });

  test('exactly at the limit is fine; one above is not', () => {
    const doc = { p: 'x'.repeat(2048 - '{"p":""}'.length) };
    expect(JSON.stringify(doc)).toHaveLength(2048);
    expect(checkTrustPolicyLength('role', doc, 2048)).toEqual([]);
    expect(checkTrustPolicyLength('role', { p: `${doc.p}x` }, 2048)).toHaveLength(1);
  });

  test('whitespace is not counted', () => {
    const doc = { p: ' '.repeat(5000) };
    expect(checkTrustPolicyLength('role', doc, 2048)).toEqual([]);
  });
});
