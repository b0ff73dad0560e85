import { checkConditions, checkPolicyDocumentJson, checkPolicyStatements } from '../../lib/rules/policy-statements';

const F = 'serviceAccounts[0].role.statements';
const ok = { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] };
const codes = (fs: { field: string; code: string }[]) => fs.map(f => `${f.field} [${f.code}]`);

describe('checkPolicyStatements', () => {
  test('valid statements pass: wildcards, every partition, *, Deny, IfExists, set prefixes, Null, Numeric, Date, Ip, Binary', () => {
    expect(checkPolicyStatements(F, [
      { sid: 'Read1', effect: 'Allow', actions: ['s3:Get*', 's3:List*'], resources: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'] },
      { sid: 'Deny2', effect: 'Deny', notActions: ['iam:*'], notResources: ['arn:aws-cn:iam::111122223333:role/x'] },
      { actions: ['*'], resources: ['*'] },
      { actions: ['sqs:SendMessage'], resources: ['arn:aws-us-gov:sqs:us-gov-west-1:111122223333:q', 'arn:aws-iso-b:sqs:*:*:*', 'arn:aws-eusc:s3:::b'] },
      {
        ...ok,
        conditions: {
          'StringEqualsIfExists': { 'aws:RequestedRegion': 'eu-west-1' },
          'ForAnyValue:StringLike': { 'aws:TagKeys': ['team*', 'app'] },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] },
          'Null': { 'aws:TokenIssueTime': 'false' },
          'Bool': { 'aws:SecureTransport': true },
          'NumericLessThanEquals': { 's3:max-keys': 10 },
          'DateGreaterThan': { 'aws:CurrentTime': '2024-01-01T00:00:00Z' },
          'IpAddress': { 'aws:SourceIp': ['10.0.0.0/8'] },
          'NotIpAddressIfExists': { 'aws:SourceIp': '192.0.2.0/24' },
          'BinaryEquals': { 'aws:x': 'aGVsbG8=' },
          'ArnLike': { 'aws:PrincipalArn': 'arn:aws:iam::*:role/x' },
        },
      },
    ])).toEqual([]);
  });

  test('an unknown operator is refused with a did-you-mean, on the statement\'s path', () => {
    const fs = checkPolicyStatements(F, [ok, { ...ok, conditions: { StringEqualz: { 'aws:x': 'y' } } }]);
    expect(codes(fs)).toEqual([`${F}[1].conditions.StringEqualz [iam-condition-operator]`]);
    expect(fs[0].fix).toBe("did you mean 'StringEquals'?");
    const pre = checkPolicyStatements(F, [{ ...ok, conditions: { 'ForAnyValue:StrinLikeIfExists': { 'aws:x': 'y' } } }]);
    expect(pre[0].fix).toBe("did you mean 'ForAnyValue:StringLikeIfExists'?");
    expect(checkPolicyStatements(F, [{ ...ok, conditions: { NullIfExists: { 'aws:x': 'true' } } }])[0].code).toBe('iam-condition-operator');
    expect(checkPolicyStatements(F, [{ ...ok, conditions: { Frobnicate: { 'aws:x': 'true' } } }])[0].fix).not.toContain('did you mean');
  });

  test('conditions that are not a map of maps are refused', () => {
    expect(codes(checkPolicyStatements(F, [{ ...ok, conditions: ['StringEquals'] }]))).toEqual([`${F}[0].conditions [iam-policy-conditions]`]);
    expect(codes(checkPolicyStatements(F, [{ ...ok, conditions: { StringEquals: 'x' } }]))).toEqual([`${F}[0].conditions.StringEquals [iam-policy-conditions]`]);
    expect(codes(checkConditions('c', { StringEquals: { 'aws:x': { y: 1 } } }))).toEqual(['c.StringEquals.aws:x [iam-policy-conditions]']);
    expect(codes(checkConditions('c', { StringEquals: { 'aws:x': [] } }))).toEqual(['c.StringEquals.aws:x [iam-policy-conditions]']);
  });

  test('an action without a colon, or with characters IAM refuses, is refused', () => {
    const fs = checkPolicyStatements(F, [{ actions: ['s3:GetObject', 'GetObject'], resources: ['*'] }]);
    expect(codes(fs)).toEqual([`${F}[0].actions[1] [iam-policy-action]`]);
    expect(fs[0].rule).toContain("has no ':'");
    expect(fs[0].fix).toContain("'s3:GetObject'");
    expect(codes(checkPolicyStatements(F, [{ notActions: ['s3:Get Object'], resources: ['*'] }]))).toEqual([`${F}[0].notActions[0] [iam-policy-action]`]);
  });

  test('a resource that is neither an ARN nor * is refused', () => {
    const fs = checkPolicyStatements(F, [{ actions: ['s3:*'], resources: ['my-bucket', 'arn:aws:s3'] }]);
    expect(codes(fs)).toEqual([`${F}[0].resources[0] [iam-policy-resource]`, `${F}[0].resources[1] [iam-policy-resource]`]);
    expect(fs[0].fix).toContain('arn:aws:s3:::my-bucket');
  });

  test('Sids: alphanumeric and unique', () => {
    const bad = checkPolicyStatements(F, [{ ...ok, sid: 'read-s3' }]);
    expect(codes(bad)).toEqual([`${F}[0].sid [iam-policy-sid]`]);
    expect(bad[0].fix).toContain("'reads3'");
    const dup = checkPolicyStatements(F, [{ ...ok, sid: 'A' }, { ...ok, sid: 'B' }, { ...ok, sid: 'A' }]);
    expect(codes(dup)).toEqual([`${F}[2].sid [iam-policy-sid]`]);
    expect(dup[0].rule).toContain(`${F}[0]`);
  });

  test('exclusive pairs and the effect', () => {
    expect(codes(checkPolicyStatements(F, [{ actions: ['s3:*'], notActions: ['s3:Delete*'], resources: ['*'] }])))
      .toEqual([`${F}[0].notActions [iam-policy-exclusive]`]);
    expect(codes(checkPolicyStatements(F, [{ actions: ['s3:*'], resources: ['*'], notResources: ['*'] }])))
      .toEqual([`${F}[0].notResources [iam-policy-exclusive]`]);
    const eff = checkPolicyStatements(F, [{ ...ok, effect: 'deny' }]);
    expect(codes(eff)).toEqual([`${F}[0].effect [iam-policy-effect]`]);
    expect(eff[0].fix).toBe("write 'Deny'");
  });

  test('indexes keep the statement positions when only some are checked', () => {
    expect(codes(checkPolicyStatements(F, [{ ...ok, sid: 'a-b' }], undefined, [3]))).toEqual([`${F}[3].sid [iam-policy-sid]`]);
  });
});

describe('checkPolicyDocumentJson (TypeScript PolicyDocuments)', () => {
  test('IAM JSON keys, single values as strings', () => {
    expect(checkPolicyDocumentJson('inlinePolicies.Q', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] })).toEqual([]);
    expect(codes(checkPolicyDocumentJson('inlinePolicies.Q', { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'bucket', Condition: { StringEqualz: {} } }] })))
      .toEqual(['inlinePolicies.Q.Statement[0].Resource [iam-policy-resource]', 'inlinePolicies.Q.Statement[0].Condition.StringEqualz [iam-condition-operator]']);
  });
});
