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

test('missing sub or aud keys are errors', () => {
  expect(codes({ StringEquals: { [`${HP}:aud`]: 'sts.amazonaws.com' } })).toEqual(['error:irsa-trust-no-sub']);
  expect(codes({ StringEquals: { [`${HP}:sub`]: 'system:serviceaccount:team-a:app' } })).toEqual(['error:irsa-trust-no-aud']);
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
  expect(checkTrustAdmits('t', { document: pi, ...sa }).map(f => f.code)).toEqual(['irsa-trust-no-web-identity']);
  expect(checkTrustAdmits('t', { document: doc(good, 'not-an-arn'), ...sa }).map(f => f.code)).toEqual(['oidc-provider-arn']);
});

test('helpers', () => {
  expect(iamGlobMatches('a*c?', 'abbcd')).toBe(true);
  expect(iamGlobMatches('a.c', 'abc')).toBe(false);
  expect(providerIssuerHostPath(PROVIDER)).toBe(HP);
  expect(providerIssuerHostPath('x')).toBeUndefined();
});
