import {
  arnLikeMatches, evaluateCondition, evaluateOperator, evaluatePolicy, iamGlobMatches, isIamOperator, parseOperator,
  providerSuffix, subjectsAdmitted, webIdentityRequest,
} from '../../lib/rules/iam-conditions';

const HP = 'oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const OTHER = 'oidc.eks.us-west-2.amazonaws.com/id/0THERCLUSTER0000000000000000000';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${HP}`;
const OTHER_PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${OTHER}`;
const sub = (ns: string, sa: string) => `system:serviceaccount:${ns}:${sa}`;
const op = (name: string) => {
  const o = parseOperator(name);
  if (!o) throw new Error(`no operator ${name}`);
  return o;
};
const holds = (name: string, key: string, values: unknown, context: { [k: string]: string | string[] }) =>
  evaluateOperator(op(name), key, values, context);

describe('operators', () => {
  test('parsing: prefixes, IfExists, negation; unknown operators are undefined', () => {
    expect(parseOperator('ForAnyValue:StringLikeIfExists')).toEqual({ set: 'ForAnyValue', base: 'StringLike', ifExists: true, negated: false });
    expect(parseOperator('StringNotEqualsIgnoreCase')).toMatchObject({ base: 'StringNotEqualsIgnoreCase', negated: true });
    expect(parseOperator('Null')).toMatchObject({ base: 'Null' });
    expect(parseOperator('NullIfExists')).toBeUndefined();
    expect(parseOperator('__doc_comment')).toBeUndefined();
    expect(parseOperator('StringLikeIgnoreCase')).toBeUndefined(); // IAM has no such operator
    expect(isIamOperator('NumericLessThan')).toBe(true);
    expect(isIamOperator('__doc_comment')).toBe(false);
  });

  test('StringEquals is exact and case-sensitive; IgnoreCase is not; values are ORed', () => {
    expect(holds('StringEquals', 'k', ['a', 'b'], { k: 'b' })).toBe(true);
    expect(holds('StringEquals', 'k', 'A', { k: 'a' })).toBe(false);
    expect(holds('StringEqualsIgnoreCase', 'k', 'A', { k: 'a' })).toBe(true);
    expect(holds('StringEquals', 'k', 'a*', { k: 'abc' })).toBe(false); // no wildcards under StringEquals
  });

  test('condition keys match case-insensitively', () => {
    expect(holds('StringEquals', `${HP}:SUB`, 'x', { [`${HP}:sub`]: 'x' })).toBe(true);
  });

  test('StringLike globs; StringNotLike and StringNotEquals negate (NOR over the values)', () => {
    expect(holds('StringLike', 'k', 'system:serviceaccount:ns:*', { k: sub('ns', 'a') })).toBe(true);
    expect(holds('StringLike', 'k', 'a?c', { k: 'abc' })).toBe(true);
    expect(holds('StringNotLike', 'k', ['x*', 'a*'], { k: 'abc' })).toBe(false);
    expect(holds('StringNotLike', 'k', ['x*', 'y*'], { k: 'abc' })).toBe(true);
    expect(holds('StringNotEquals', 'k', 'abc', { k: 'abc' })).toBe(false);
  });

  test('absent keys: false, except negated operators, IfExists, Null and ForAllValues', () => {
    expect(holds('StringEquals', 'k', 'a', {})).toBe(false);
    expect(holds('StringLike', 'k', '*', {})).toBe(false);
    expect(holds('ForAnyValue:StringLike', 'k', '*', {})).toBe(false);
    expect(holds('StringEqualsIfExists', 'k', 'a', {})).toBe(true);
    expect(holds('ForAllValues:StringLike', 'k', 'nothing', {})).toBe(true);
    expect(holds('StringNotEquals', 'k', 'a', {})).toBe(true);
    expect(holds('Null', 'k', 'true', {})).toBe(true);
    expect(holds('Null', 'k', 'false', {})).toBe(false);
    expect(holds('Null', 'k', 'false', { k: 'x' })).toBe(true);
    expect(holds('StringEqualsIfExists', 'k', 'a', { k: 'b' })).toBe(false); // present: checked
  });

  test('set prefixes over a multivalued key', () => {
    const ctx = { tags: ['a', 'b'] };
    expect(holds('ForAnyValue:StringEquals', 'tags', ['b', 'z'], ctx)).toBe(true);
    expect(holds('ForAllValues:StringEquals', 'tags', ['b', 'z'], ctx)).toBe(false);
    expect(holds('ForAllValues:StringEquals', 'tags', ['a', 'b', 'z'], ctx)).toBe(true);
    expect(holds('ForAnyValue:StringNotEquals', 'tags', ['a'], ctx)).toBe(true);
    expect(holds('ForAllValues:StringNotEquals', 'tags', ['a'], ctx)).toBe(false);
    expect(holds('ForAllValues:StringEquals', 'tags', ['a'], { tags: [] })).toBe(true); // empty set
  });

  test('ArnLike and ArnEquals match part by part; Bool compares true/false', () => {
    const fp = 'arn:aws:eks:us-west-2:111122223333:fargateprofile/my-cluster/web/abc';
    expect(holds('ArnLike', 'aws:SourceArn', 'arn:aws:eks:us-west-2:111122223333:fargateprofile/my-cluster/*', { 'aws:SourceArn': fp })).toBe(true);
    expect(holds('ArnEquals', 'aws:SourceArn', 'arn:aws:eks:*:111122223333:fargateprofile/my-cluster/*', { 'aws:SourceArn': fp })).toBe(true);
    expect(holds('ArnLike', 'aws:SourceArn', 'arn:aws:eks:us-west-2:444455556666:*', { 'aws:SourceArn': fp })).toBe(false);
    expect(holds('ArnNotLike', 'aws:SourceArn', 'arn:aws:eks:us-west-2:444455556666:*', { 'aws:SourceArn': fp })).toBe(true);
    expect(arnLikeMatches('arn:aws:s3:::bucket', 'not-an-arn')).toBe(false);
    expect(arnLikeMatches('arn:aws:iam::1:role/a:b', 'arn:aws:iam::1:role/a:b')).toBe(true);
    expect(holds('Bool', 'aws:SecureTransport', 'true', { 'aws:SecureTransport': 'true' })).toBe(true);
    expect(holds('Bool', 'aws:SecureTransport', true, { 'aws:SecureTransport': 'false' })).toBe(false);
  });

  test('a condition block ANDs operators and keys; an unknown operator fails it and is reported', () => {
    const ctx = { a: '1', b: '2' };
    expect(evaluateCondition({ StringEquals: { a: '1', b: '2' } }, ctx).holds).toBe(true);
    expect(evaluateCondition({ StringEquals: { a: '1' }, StringLike: { b: '3*' } }, ctx).holds).toBe(false);
    const r = evaluateCondition({ __doc_comment: 'scope the role', StringEquals: { a: '1' } }, ctx);
    expect(r.holds).toBe(false);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'unknown', value: '__doc_comment', path: 'Condition.__doc_comment' })]);
    expect(evaluateCondition({ NumericLessThan: { a: '3' } }, ctx).problems[0].kind).toBe('unsupported');
    expect(evaluateCondition('x', ctx).problems[0].kind).toBe('malformed');
    expect(evaluateCondition(undefined, ctx).holds).toBe(true);
  });

  test('helpers', () => {
    expect(iamGlobMatches('a.c', 'abc')).toBe(false);
    expect(iamGlobMatches('a*', 'a\nb')).toBe(true);
    expect(providerSuffix(PROVIDER)).toBe(HP);
    expect(providerSuffix('x')).toBeUndefined();
    expect(webIdentityRequest({ providerArn: PROVIDER, namespace: 'n', serviceAccountName: 's' }).context).toMatchObject({
      [`${HP}:sub`]: 'system:serviceaccount:n:s', [`${HP}:aud`]: 'sts.amazonaws.com',
    });
  });
});

describe('policies', () => {
  const allow = (condition?: object, federated: string | string[] = PROVIDER, action: unknown = 'sts:AssumeRoleWithWebIdentity') => ({
    Effect: 'Allow', Principal: { Federated: federated }, Action: action, ...(condition ? { Condition: condition } : {}),
  });
  const req = (ns: string, sa: string, providerArn = PROVIDER) => webIdentityRequest({ providerArn, namespace: ns, serviceAccountName: sa });

  test('OR across statements, Deny overrides Allow', () => {
    const doc = {
      Statement: [
        allow({ StringEquals: { [`${HP}:sub`]: sub('a', 'x') } }),
        allow({ StringEquals: { [`${HP}:sub`]: sub('b', 'y') } }),
        { Effect: 'Deny', Principal: { Federated: PROVIDER }, Action: 'sts:*', Condition: { StringEquals: { [`${HP}:sub`]: sub('b', 'y') } } },
      ],
    };
    expect(evaluatePolicy(doc, req('a', 'x'))).toMatchObject({ allowed: true, allowedBy: [0], deniedBy: [] });
    expect(evaluatePolicy(doc, req('b', 'y'))).toMatchObject({ allowed: false, allowedBy: [1], deniedBy: [2] });
    expect(evaluatePolicy(doc, req('c', 'z')).allowed).toBe(false);
  });

  test('principal and action must match (lists, wildcards, case-insensitive actions, NotAction)', () => {
    expect(evaluatePolicy({ Statement: [allow(undefined, OTHER_PROVIDER)] }, req('a', 'x')).allowed).toBe(false);
    expect(evaluatePolicy({ Statement: [allow(undefined, [OTHER_PROVIDER, PROVIDER])] }, req('a', 'x')).allowed).toBe(true);
    expect(evaluatePolicy({ Statement: [allow(undefined, PROVIDER, ['sts:AssumeRole'])] }, req('a', 'x')).allowed).toBe(false);
    expect(evaluatePolicy({ Statement: [allow(undefined, PROVIDER, 'STS:assumerole*')] }, req('a', 'x')).allowed).toBe(true);
    expect(evaluatePolicy({ Statement: { Effect: 'Allow', Principal: '*', NotAction: 'sts:AssumeRole' } }, req('a', 'x')).allowed).toBe(true);
    expect(evaluatePolicy({ Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] }, req('a', 'x')).allowed).toBe(false);
  });

  test('ForAnyValue:StringLike with two subjects admits exactly those two', () => {
    const doc = { Statement: [allow({ 'ForAnyValue:StringLike': { [`${HP}:sub`]: [sub('backend', 'app-a'), sub('backend', 'app-b')] } })] };
    const v = subjectsAdmitted(doc, [
      { providerArn: PROVIDER, namespace: 'backend', serviceAccountName: 'app-a' },
      { providerArn: PROVIDER, namespace: 'backend', serviceAccountName: 'app-b' },
      { providerArn: PROVIDER, namespace: 'backend', serviceAccountName: 'app-c' },
      { providerArn: PROVIDER, namespace: 'frontend', serviceAccountName: 'app-a' },
    ]);
    expect(v.map(x => x.admitted)).toEqual([true, true, false, false]);
  });

  test('a sub key under another issuer admits nobody (absent key); under ForAllValues it admits everyone', () => {
    const subjects = [{ providerArn: PROVIDER, namespace: 'a', serviceAccountName: 'x' }, { providerArn: PROVIDER, namespace: 'b', serviceAccountName: 'y' }];
    const other = { Statement: [allow({ StringEquals: { [`${OTHER}:sub`]: sub('a', 'x'), [`${OTHER}:aud`]: 'sts.amazonaws.com' } })] };
    expect(subjectsAdmitted(other, subjects).map(x => x.admitted)).toEqual([false, false]);
    const forAll = { Statement: [allow({ 'ForAllValues:StringLike': { [`${OTHER}:sub`]: sub('a', 'x') } })] };
    expect(subjectsAdmitted(forAll, subjects).map(x => x.admitted)).toEqual([true, true]);
  });

  test('missing aud admits the subject (STS checks the audience against the provider, not the policy)', () => {
    const doc = { Statement: [allow({ StringEquals: { [`${HP}:sub`]: sub('a', 'x') } })] };
    expect(subjectsAdmitted(doc, [{ providerArn: PROVIDER, namespace: 'a', serviceAccountName: 'x', audience: 'anything' }])[0].admitted).toBe(true);
    const pinned = { Statement: [allow({ StringEquals: { [`${HP}:sub`]: sub('a', 'x'), [`${HP}:aud`]: 'sts.amazonaws.com' } })] };
    expect(subjectsAdmitted(pinned, [{ providerArn: PROVIDER, namespace: 'a', serviceAccountName: 'x', audience: 'other' }])[0].admitted).toBe(false);
  });

  test('an unknown operator is reported and its statement admits nobody', () => {
    const doc = { Statement: [allow({ __doc_comment: 'x', StringEquals: { [`${HP}:sub`]: sub('a', 'x') } })] };
    const d = evaluatePolicy(doc, req('a', 'x'));
    expect(d.allowed).toBe(false);
    expect(d.problems).toEqual([expect.objectContaining({ kind: 'unknown', path: 'Statement[0].Condition.__doc_comment' })]);
  });
});
