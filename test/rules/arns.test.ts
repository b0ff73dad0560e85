import {
  checkAccount, checkManagedPolicyArn, checkRegion, checkRoleArn, formatRoleArn, parseRoleArn, partitionDnsSuffix, partitionForRegion,
} from '../../lib/rules/arns';

describe('partitionForRegion', () => {
  test.each([
    ['us-east-1', 'aws'],
    ['eu-west-1', 'aws'],
    ['ap-southeast-7', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['eusc-de-east-1', 'aws-eusc'],
  ])('%s -> %s', (region, partition) => {
    expect(partitionForRegion(region)).toBe(partition);
  });
});

describe('partitionDnsSuffix', () => {
  test.each([
    ['aws', 'amazonaws.com'],
    ['aws-us-gov', 'amazonaws.com'],
    ['aws-cn', 'amazonaws.com.cn'],
    ['aws-iso', 'c2s.ic.gov'],
    ['aws-iso-b', 'sc2s.sgov.gov'],
    ['aws-eusc', 'amazonaws.eu'],
  ])('%s -> %s', (partition, suffix) => {
    expect(partitionDnsSuffix(partition)).toBe(suffix);
  });
});

describe('checkAccount (12 digits)', () => {
  test.each(['111122223333', '012345678901'])('%s is valid', a => {
    expect(checkAccount('cluster.account', a)).toEqual([]);
  });

  test.each(['12345678901', '1111222233334', '11112222333a', '', '1111-2222-3333'])('%j is an error', a => {
    const fs = checkAccount('cluster.account', a);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'aws-account', severity: 'error', field: 'cluster.account' });
    expect(fs[0].rule).toContain('12 digits');
    expect(fs[0].fix).toContain('quote');
  });
});

describe('checkRegion', () => {
  test.each(['us-east-1', 'us-gov-west-1', 'cn-north-1', 'us-isob-east-1', 'eu-isoe-west-1', 'eusc-de-east-1', 'ap-southeast-7'])('%s is valid', r => {
    expect(checkRegion('cluster.region', r)).toEqual([]);
  });

  test.each(['US-EAST-1', 'us-east', 'useast1', 'us-east-1a', ''])('%j is an error', r => {
    const fs = checkRegion('cluster.region', r);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'aws-region', severity: 'error', field: 'cluster.region' });
    expect(fs[0].fix).toContain('us-west-2');
  });
});

describe('parseRoleArn / checkRoleArn', () => {
  test('a role without path', () => {
    expect(parseRoleArn('arn:aws:iam::111122223333:role/app')).toEqual({ partition: 'aws', account: '111122223333', path: '/', roleName: 'app' });
    expect(checkRoleArn('existingRoleArn', 'arn:aws:iam::111122223333:role/app')).toEqual([]);
  });

  test('a role with a path (RULES.md example)', () => {
    const arn = 'arn:aws:iam::111122223333:role/team/app/name';
    expect(parseRoleArn(arn)).toEqual({ partition: 'aws', account: '111122223333', path: '/team/app/', roleName: 'name' });
    expect(checkRoleArn('existingRoleArn', arn)).toEqual([]);
  });

  test('other partitions and allowed name characters', () => {
    expect(parseRoleArn('arn:aws-cn:iam::111122223333:role/a+b=c,d.e@f_g-h')).toMatchObject({ partition: 'aws-cn', roleName: 'a+b=c,d.e@f_g-h' });
    expect(parseRoleArn('arn:aws-us-gov:iam::111122223333:role/x')).toMatchObject({ partition: 'aws-us-gov' });
    expect(parseRoleArn('arn:aws-eusc:iam::111122223333:role/x')).toMatchObject({ partition: 'aws-eusc' });
    expect(parseRoleArn('arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef'))
      .toMatchObject({ path: '/aws-reserved/sso.amazonaws.com/', roleName: 'AWSReservedSSO_Admin_0123456789abcdef' });
  });

  test('a 64-character role name is valid, 65 is not', () => {
    expect(checkRoleArn('arn', `arn:aws:iam::111122223333:role/${'r'.repeat(64)}`)).toEqual([]);
    expect(checkRoleArn('arn', `arn:aws:iam::111122223333:role/${'r'.repeat(65)}`)).toMatchObject([{ code: 'iam-role-arn', severity: 'error' }]);
  });

  test.each([
    ['no slash after role', 'arn:aws:iam::111122223333:roleapp'],
    ['empty path segment', 'arn:aws:iam::111122223333:role//app'],
    ['no name', 'arn:aws:iam::111122223333:role/'],
    ['11-digit account', 'arn:aws:iam::11112222333:role/app'],
    ['unknown partition', 'arn:aws-moon:iam::111122223333:role/app'],
    ['region in an IAM ARN', 'arn:aws:iam:us-east-1:111122223333:role/app'],
    ['a user ARN', 'arn:aws:iam::111122223333:user/alice'],
    ['a bare name', 'app'],
  ])('%s is not a role ARN', (_, arn) => {
    expect(parseRoleArn(arn)).toBeUndefined();
    const fs = checkRoleArn('serviceAccounts[0].existingRoleArn', arn);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'iam-role-arn', severity: 'error', field: 'serviceAccounts[0].existingRoleArn', value: `'${arn}'` });
    expect(fs[0].rule).toContain('IAM role ARN');
    expect(fs[0].fix).toContain(':role/');
  });

  test('an STS session ARN gets a dedicated hint', () => {
    const fs = checkRoleArn('arn', 'arn:aws:sts::111122223333:assumed-role/app/session');
    expect(fs).toMatchObject([{ code: 'iam-role-arn', severity: 'error', field: 'arn' }]);
    expect(fs[0].fix).toContain('STS session ARN');
  });
});

describe('checkManagedPolicyArn', () => {
  test.each([
    'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
    'arn:aws:iam::aws:policy/service-role/AmazonEKSFargatePodExecutionRolePolicy',
    'arn:aws-cn:iam::111122223333:policy/team/app-policy',
  ])('%s is valid', arn => {
    expect(checkManagedPolicyArn('managedPolicies[0]', arn)).toEqual([]);
  });

  test.each(['AmazonS3ReadOnlyAccess', 'arn:aws:iam::aws:role/x', 'arn:aws:iam::abc:policy/x', 'arn:aws:iam::aws:policy/'])('%s is an error', arn => {
    const fs = checkManagedPolicyArn('managedPolicies[0]', arn);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'iam-policy-arn', severity: 'error', field: 'managedPolicies[0]' });
    expect(fs[0].fix).toContain(':policy/');
  });
});

describe('formatRoleArn', () => {
  test('joins partition, account, path and name', () => {
    expect(formatRoleArn('aws', '111122223333', '/', 'app')).toBe('arn:aws:iam::111122223333:role/app');
    expect(formatRoleArn('aws-cn', '111122223333', '/team/app/', 'name')).toBe('arn:aws-cn:iam::111122223333:role/team/app/name');
  });

  test('round-trips through parseRoleArn', () => {
    const arn = formatRoleArn('aws-us-gov', '111122223333', '/eks/', 'r');
    expect(parseRoleArn(arn)).toEqual({ partition: 'aws-us-gov', account: '111122223333', path: '/eks/', roleName: 'r' });
  });
});
