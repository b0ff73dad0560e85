import { checkPrincipalArn, defaultUsername, parsePrincipalArn } from '../../lib/rules/principal';

const ROLE = 'arn:aws:iam::111122223333:role/my-role';

describe('parsePrincipalArn', () => {
  test.each([
    [ROLE, { kind: 'role', partition: 'aws', account: '111122223333', path: '/', name: 'my-role' }],
    ['arn:aws:iam::111122223333:role/development/apps/my-role', { kind: 'role', path: '/development/apps/', name: 'my-role' }],
    ['arn:aws:iam::111122223333:user/my-user', { kind: 'user', path: '/', name: 'my-user' }],
    ['arn:aws-cn:iam::111122223333:user/team/bob', { kind: 'user', partition: 'aws-cn', path: '/team/', name: 'bob' }],
  ])('%s', (arn, expected) => {
    expect(parsePrincipalArn(arn)).toMatchObject(expected);
  });

  test.each(['arn:aws:iam::111122223333:group/admins', 'arn:aws:iam::111122223333:root', 'my-role', 'arn:aws:sts::111122223333:assumed-role/r/s'])('%s is not a principal', arn => {
    expect(parsePrincipalArn(arn)).toBeUndefined();
  });
});

describe('checkPrincipalArn', () => {
  test.each([
    ROLE,
    'arn:aws:iam::111122223333:role/development/apps/my-role', // role paths allowed
    'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef', // SSO roles are fine
    'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/us-west-2/AWSReservedSSO_Dev_0123456789abcdef',
    'arn:aws:iam::111122223333:user/my-user',
    'arn:aws:iam::444455556666:role/cross-account', // STANDARD may be cross-account
  ])('STANDARD %s is valid', arn => {
    expect(checkPrincipalArn('principalArn', arn, 'STANDARD', '111122223333')).toEqual([]);
  });

  test('an assumed-role session ARN is refused, and the fix names the role ARN', () => {
    const fs = checkPrincipalArn('accessEntries[0].principalArn', 'arn:aws:sts::111122223333:assumed-role/my-role/john', 'STANDARD');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'access-entry-principal-sts', field: 'accessEntries[0].principalArn' });
    expect(fs[0].rule).toContain('STS session ARN');
    expect(fs[0].fix).toContain('arn:aws:iam::111122223333:role/my-role');
  });

  test('a federated-user session ARN is refused', () => {
    expect(checkPrincipalArn('p', 'arn:aws:sts::111122223333:federated-user/bob', 'STANDARD')[0].code).toBe('access-entry-principal-sts');
  });

  test('a service-linked role is refused', () => {
    const fs = checkPrincipalArn('principalArn', 'arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS', 'STANDARD');
    expect(fs).toHaveLength(1);
    expect(fs[0].code).toBe('access-entry-principal-service-linked');
    expect(fs[0].rule).toContain('service-linked role');
  });

  test.each(['arn:aws:iam::111122223333:group/admins', 'arn:aws:iam::111122223333:root', 'my-role', 'arn:aws:iam::11112222333:role/x'])('%s is not a role or user', arn => {
    expect(checkPrincipalArn('principalArn', arn, 'STANDARD')[0].code).toBe('access-entry-principal');
  });

  test('node types take roles only', () => {
    const fs = checkPrincipalArn('principalArn', 'arn:aws:iam::111122223333:user/my-user', 'EC2_LINUX', '111122223333');
    expect(fs.map(f => f.code)).toEqual(['access-entry-principal-node-user']);
    expect(fs[0].rule).toContain('EC2_LINUX');
  });

  test('node types take roles of the cluster\'s account only', () => {
    const fs = checkPrincipalArn('principalArn', 'arn:aws:iam::444455556666:role/nodes', 'FARGATE_LINUX', '111122223333');
    expect(fs.map(f => f.code)).toEqual(['access-entry-principal-account']);
    expect(fs[0].rule).toContain('444455556666');
    expect(checkPrincipalArn('principalArn', 'arn:aws:iam::111122223333:role/nodes', 'FARGATE_LINUX', '111122223333')).toEqual([]);
    // account unknown: nothing to compare
    expect(checkPrincipalArn('principalArn', 'arn:aws:iam::444455556666:role/nodes', 'EC2_LINUX')).toEqual([]);
  });
});

describe('defaultUsername (what EKS sets when none is given)', () => {
  const role = parsePrincipalArn('arn:aws:iam::111122223333:role/development/apps/my-role')!;
  const user = parsePrincipalArn('arn:aws:iam::111122223333:user/my-user')!;
  test.each([
    [user, 'STANDARD', 'arn:aws:iam::111122223333:user/my-user'],
    [role, 'STANDARD', 'arn:aws:sts::111122223333:assumed-role/my-role/{{SessionName}}'], // path removed
    [role, 'EC2_LINUX', 'system:node:{{EC2PrivateDNSName}}'],
    [role, 'EC2_WINDOWS', 'system:node:{{EC2PrivateDNSName}}'],
    [role, 'FARGATE_LINUX', 'system:node:{{SessionName}}'],
    [role, 'HYBRID_LINUX', 'system:node:{{SessionName}}'],
    [role, 'EC2', undefined],
    [role, 'HYPERPOD_LINUX', undefined],
  ])('%o %s -> %s', (p, type, expected) => {
    expect(defaultUsername(p, type)).toBe(expected);
  });
});
