import { checkTrustAdmits, iamGlobMatches, providerIssuerHostPath } from '../../lib/rules/trust-analysis';

const HP = 'oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${HP}`;
const doc = (condition: object, federated = PROVIDER) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Federated: federated }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }],
});
const sa = { namespace: 'team-a', serviceAccountName: 'app', audience: 'sts.amazonaws.com' };
const good = { StringEquals: { [`${HP}:aud`]: 'sts.amazonaws.com', [`${HP}:sub`]: 'system:serviceaccount:team-a:app' } };
const codes = (c: object, extra: object = {}) => checkTrustAdmits('t', { document: doc(c), ...sa, ...extra }).map(f => `${f.severity}:${f.code}`);

test('a trust that admits the service account passes', () => {
  expect(checkTrustAdmits('t', { document: doc(good), ...sa, issuerUrl: `https://${HP}`, clientIds: ['sts.amazonaws.com'] })).toEqual([]);
});

test('one of several subjects, and one of several statements, is enough', () => {
  expect(codes({ StringEquals: { ...good.StringEquals, [`${HP}:sub`]: ['system:serviceaccount:x:y', 'system:serviceaccount:team-a:app'] } })).toEqual([]);
  const two = { Statement: [doc({ StringEquals: { [`${HP}:aud`]: 'sts.amazonaws.com', [`${HP}:sub`]: 'system:serviceaccount:x:y' } }).Statement[0], doc(good).Statement[0]] };
  expect(checkTrustAdmits('t', { document: two, ...sa })).toEqual([]);
});

test('another namespace or another service account is an error naming both', () => {
  const f = checkTrustAdmits('t', { document: doc({ StringEquals: { ...good.StringEquals, [`${HP}:sub`]: 'system:serviceaccount:team-b:app' } }), ...sa });
  expect(f).toMatchObject([{ code: 'irsa-trust-subject', field: `t.Statement[0].Condition.StringEquals.${HP}:sub` }]);
  expect(f[0].rule).toContain('it admits namespace team-b, the service account lives in team-a');
  expect(codes({ StringEquals: { ...good.StringEquals, [`${HP}:sub`]: 'system:serviceaccount:team-a:other' } })).toEqual(['error:irsa-trust-subject']);
});

test('condition keys of another issuer than the provider are an error', () => {
  expect(codes({ StringEquals: { 'oidc.eks.us-west-2.amazonaws.com/id/OTHER:aud': 'sts.amazonaws.com', 'oidc.eks.us-west-2.amazonaws.com/id/OTHER:sub': 'system:serviceaccount:team-a:app' } }))
    .toEqual(expect.arrayContaining(['error:irsa-trust-condition-issuer']));
});

test('a provider of another issuer than the cluster is an error', () => {
  expect(codes(good, { issuerUrl: 'https://oidc.eks.us-west-2.amazonaws.com/id/OTHER' })).toEqual(['error:oidc-provider-issuer-mismatch']);
});

test('a missing sub admits everyone: an error; a missing aud is hardening advice: a warning', () => {
  expect(codes({ StringEquals: { [`${HP}:aud`]: 'sts.amazonaws.com' } })).toEqual(['error:irsa-trust-no-sub']);
  expect(codes({ StringEquals: { [`${HP}:sub`]: 'system:serviceaccount:team-a:app' } })).toEqual(['warning:irsa-trust-no-aud']);
  // STS checks the audience against the provider's client ids: the service account's audience must be one
  expect(codes({ StringEquals: { [`${HP}:sub`]: 'system:serviceaccount:team-a:app' } }, { clientIds: ['other'] }))
    .toEqual(['warning:irsa-trust-no-aud', 'error:oidc-client-id']);
});

test('aud other than the service account audience, or not in the client ids, is an error', () => {
  expect(codes({ StringEquals: { ...good.StringEquals, [`${HP}:aud`]: 'sts.amazonaws.com.cn' } })).toEqual(['error:irsa-trust-audience']);
  expect(codes(good, { clientIds: ['other'] })).toEqual(['error:oidc-client-id']);
});

test('wildcards: across namespaces or the issuer error, a name wildcard warns unless opted in', () => {
  const like = (v: string) => ({ StringEquals: { [`${HP}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${HP}:sub`]: v } });
  expect(codes(like('system:serviceaccount:*:*'))).toEqual(['error:irsa-namespace-wildcard']);
  expect(codes(like('system:serviceaccount:team-*:app'))).toEqual(['error:irsa-namespace-wildcard']);
  expect(codes(like('system:serviceaccount:*'))).toEqual(['error:irsa-trust-issuer-wildcard']);
  expect(codes(like('*'))).toEqual(['error:irsa-trust-issuer-wildcard']);
  expect(codes(like('system:serviceaccount:team-a:*'))).toEqual(['warning:irsa-trust-name-wildcard']);
  expect(codes(like('system:serviceaccount:team-a:*'), { wildcardOptIn: true })).toEqual([]);
  // '*' under StringEquals matches literally
  expect(codes({ StringEquals: { ...good.StringEquals, [`${HP}:sub`]: ['system:serviceaccount:team-a:app', 'system:serviceaccount:team-a:*'] } })).toEqual(['error:irsa-wildcard-opt-in']);
});

test('no web identity statement is an error', () => {
  const pi = { Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] };
  const f = checkTrustAdmits('t', { document: pi, ...sa });
  expect(f.map(x => x.code)).toEqual(['irsa-trust-no-web-identity']);
  // a Pod Identity role named by an IRSA annotation: the fix says which mechanism the role is for
  expect(f[0].rule).toContain('it trusts pods.eks.amazonaws.com: a Pod Identity role');
  expect(f[0].fix).toContain('create a Pod Identity association for team-a/app');
  const none = checkTrustAdmits('t', { document: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'sts:AssumeRole' }] }, ...sa });
  expect(none[0].fix).toContain('Principal.Federated');
  expect(checkTrustAdmits('t', { document: doc(good, 'not-an-arn'), ...sa }).map(x => x.code)).toEqual(['oidc-provider-arn']);
});

test('helpers', () => {
  expect(iamGlobMatches('a*c?', 'abbcd')).toBe(true);
  expect(iamGlobMatches('a.c', 'abc')).toBe(false);
  expect(providerIssuerHostPath(PROVIDER)).toBe(HP);
  expect(providerIssuerHostPath('x')).toBeUndefined();
});

describe('judged by what the trust admits (IAM condition evaluation)', () => {
  const OTHER = 'oidc.eks.us-west-2.amazonaws.com/id/0THERCLUSTER0000000000000000000';
  const stmt = (condition: object, federated = PROVIDER) => doc(condition, federated).Statement[0];
  const check = (document: object, extra: object = {}) => checkTrustAdmits('t', { document, ...sa, ...extra });

  test('ForAnyValue:StringLike with two subjects: both pass, a third is refused naming the subjects', () => {
    const two = doc({ 'ForAnyValue:StringLike': { [`${HP}:sub`]: ['system:serviceaccount:team-a:app', 'system:serviceaccount:team-a:worker'] } });
    expect(check(two).map(f => `${f.severity}:${f.code}`)).toEqual(['warning:irsa-trust-no-aud']);
    expect(check(two, { serviceAccountName: 'worker' }).map(f => f.code)).toEqual(['irsa-trust-no-aud']);
    const third = check(two, { serviceAccountName: 'other' });
    expect(third).toMatchObject([{ code: 'irsa-trust-subject', field: `t.Statement[0].Condition.ForAnyValue:StringLike.${HP}:sub` }]);
    expect(third[0].rule).toContain('does not admit system:serviceaccount:team-a:other');
  });

  test('ForAllValues:StringLike on the single-valued sub behaves like StringLike when the key is present', () => {
    const d = doc({ 'ForAllValues:StringLike': { [`${HP}:sub`]: 'system:serviceaccount:team-a:app' }, 'StringEquals': { [`${HP}:aud`]: 'sts.amazonaws.com' } });
    expect(check(d)).toEqual([]);
    expect(check(d, { namespace: 'team-b' }).map(f => f.code)).toEqual(['irsa-trust-subject']);
  });

  test('a sub key under another issuer admits nobody: the issuer is named, not "every service account"', () => {
    const f = check(doc({ StringEquals: { [`${OTHER}:sub`]: 'system:serviceaccount:team-a:app' } }));
    expect(f.map(x => x.code)).toEqual(['irsa-trust-condition-issuer']);
    // under ForAllValues an absent key holds: then the role does admit every service account
    const all = check(doc({ 'ForAllValues:StringLike': { [`${OTHER}:sub`]: 'system:serviceaccount:team-a:app' } }));
    expect(all.map(x => x.code)).toEqual(['irsa-trust-condition-issuer', 'irsa-trust-no-sub', 'irsa-trust-no-aud']);
  });

  test('one role for two clusters without aud: no error, the hardening warning', () => {
    const other = `arn:aws:iam::111122223333:oidc-provider/${OTHER}`;
    const two = {
      Statement: [
        stmt({ StringEquals: { [`${HP}:sub`]: 'system:serviceaccount:team-a:app' } }),
        stmt({ StringEquals: { [`${OTHER}:sub`]: 'system:serviceaccount:team-a:app' } }, other),
      ],
    };
    expect(check(two).map(f => `${f.severity}:${f.code}`)).toEqual(['warning:irsa-trust-no-aud', 'warning:irsa-trust-no-aud']);
    // with the cluster known, only its statement is judged
    expect(check(two, { issuerUrl: `https://${OTHER}` }).map(f => `${f.severity}:${f.code}`)).toEqual(['warning:irsa-trust-no-aud']);
  });

  test('an unknown operator is an error, and the statement admits nobody for it', () => {
    const d = doc({ __doc_comment: 'scope the role', StringEquals: { ...good.StringEquals } });
    expect(check(d)).toMatchObject([{ code: 'iam-condition-operator', field: 't.Statement[0].Condition.__doc_comment', value: "'__doc_comment'" }]);
    expect(check(doc(good))).toEqual([]);
  });

  test('a Deny that matches the subject overrides the Allow', () => {
    const d = { Statement: [stmt(good), { Effect: 'Deny', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { [`${HP}:sub`]: 'system:serviceaccount:team-a:*' } } }] };
    expect(check(d)).toMatchObject([{ code: 'irsa-trust-denied', field: 't.Statement[1]' }]);
    expect(check(d, { namespace: 'team-b' }).map(f => f.code)).toEqual(['irsa-trust-subject']);
    const narrow = { Statement: [d.Statement[0], { ...d.Statement[1], Condition: { StringLike: { [`${HP}:sub`]: 'system:serviceaccount:team-a:x*' } } }] };
    expect(check(narrow)).toEqual([]);
  });

  test('actions match as IAM matches them: case-insensitive, with wildcards', () => {
    const d = (action: unknown) => ({ Statement: [{ ...stmt(good), Action: action }] });
    expect(check(d(['sts:assumerolewithwebidentity']))).toEqual([]);
    expect(check(d('sts:AssumeRoleWith*'))).toEqual([]);
    expect(check(d('sts:AssumeRole')).map(f => f.code)).toEqual(['irsa-trust-no-web-identity']);
  });

  test('a negated sub condition only: every other service account is admitted', () => {
    expect(codes({ StringEquals: { [`${HP}:aud`]: 'sts.amazonaws.com' }, StringNotEquals: { [`${HP}:sub`]: 'system:serviceaccount:kube-system:x' } }))
      .toEqual(['error:irsa-trust-no-sub']);
  });
});
