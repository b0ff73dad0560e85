import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  FargateProfile, IdentityCluster, IdentitySpecFile, PodExecutionRole, PodIdentityRole, ServiceAccountRole, WorkloadIdentity, WorkloadIdentityStack,
} from '../lib';
import { expectIdentityError } from './util/expect-error';
import { resourcesOfType, synth } from './util/synth';
import { checkIssuerRegion } from '../lib/rules/issuer-region';
import { checkConditions } from '../lib/rules/policy-statements';

/** Attacks of the adversarial audit that found gaps: each a failing and a passing case. */

describe('TypeScript roles: managed policy and permissions boundary ARNs are in the region\'s partition', () => {
  const setup = () => {
    const app = new App();
    const stack = new Stack(app, 'T', { env: { account: '111122223333', region: 'cn-north-1' } });
    const cluster = IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'c', oidcIssuerUrl: 'https://oidc.eks.cn-north-1.amazonaws.com.cn/id/X' });
    return { app, stack, cluster };
  };
  const policy = (stack: Stack, id: string, arn: string) => iam.ManagedPolicy.fromManagedPolicyArn(stack, id, arn);
  const subjects = [{ namespace: 'a', serviceAccountName: 'b' }];

  test('an aws-partition boundary or managed policy on a role in cn-north-1 is refused, naming the prop', () => {
    const { stack, cluster } = setup();
    expectIdentityError(() => new ServiceAccountRole(stack, 'R1', { cluster, subjects, permissionsBoundary: policy(stack, 'B1', 'arn:aws:iam::111122223333:policy/b') }),
      'permissionsBoundary', /is in partition 'aws', but the cluster's region cn-north-1 is in partition 'aws-cn'.*fix: use the ARN in partition aws-cn: arn:aws-cn:iam::111122223333:policy\/b \[arn-partition\]/);
    expectIdentityError(() => new ServiceAccountRole(stack, 'R2', {
      cluster, subjects, managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'), policy(stack, 'M2', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess')],
    }), 'managedPolicies[1]', /\[arn-partition\]/);
    expectIdentityError(() => new WorkloadIdentity(stack, 'W', { cluster, namespace: 'a', serviceAccountName: 'w', managedPolicies: [policy(stack, 'M3', 'arn:aws:iam::aws:policy/X')] }),
      'managedPolicies[0]', /\[arn-partition\]/);
    expectIdentityError(() => new PodIdentityRole(stack, 'P', { managedPolicies: [policy(stack, 'M4', 'arn:aws-us-gov:iam::aws:policy/X')] }),
      'managedPolicies[0]', /partition 'aws-us-gov'.*\[arn-partition\]/);
    expectIdentityError(() => new PodExecutionRole(stack, 'F', { cluster, permissionsBoundary: policy(stack, 'B5', 'arn:aws:iam::111122223333:policy/b') }),
      'permissionsBoundary', /\[arn-partition\]/);
  });

  test('a Fargate profile with an imported pod execution role of another partition is refused', () => {
    const { stack, cluster } = setup();
    const role = PodExecutionRole.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111122223333:role/pods');
    expectIdentityError(() => new FargateProfile(stack, 'F', { cluster, podExecutionRole: role, selectors: [{ namespace: 'x' }] }),
      'podExecutionRole', /\[arn-partition\]/);
  });

  test('the right partition, AWS-managed names (partition token) and policies of the stack synthesize', () => {
    const { app, stack, cluster } = setup();
    const own = new iam.ManagedPolicy(stack, 'Own', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] });
    new ServiceAccountRole(stack, 'R', {
      cluster,
      subjects,
      permissionsBoundary: policy(stack, 'B', 'arn:aws-cn:iam::111122223333:policy/b'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'), policy(stack, 'M', 'arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAccess'), own],
    });
    new PodIdentityRole(stack, 'P', { managedPolicies: [policy(stack, 'M2', 'arn:aws-cn:iam::aws:policy/X')] });
    const pods = PodExecutionRole.fromRoleArn(stack, 'Pods', 'arn:aws-cn:iam::111122223333:role/pods');
    new FargateProfile(stack, 'F', { cluster, podExecutionRole: pods, fargateProfileName: 'f', selectors: [{ namespace: 'x' }] });
    const t = synth(app).templates.T;
    expect(resourcesOfType(t, 'AWS::EKS::FargateProfile')[0][1].Properties.PodExecutionRoleArn).toBe('arn:aws-cn:iam::111122223333:role/pods');
    expect(resourcesOfType(t, 'AWS::IAM::Role').map(([, r]) => r.Properties.PermissionsBoundary).filter(Boolean)).toEqual(['arn:aws-cn:iam::111122223333:policy/b']);
  });
});

describe('rule oidc-issuer-region: an EKS issuer names the cluster\'s region and partition', () => {
  test.each([
    ['another region', 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE', 'eu-west-1', /is an EKS issuer of region us-west-2, but the cluster is in region eu-west-1/],
    ['another region, dual-stack', 'https://oidc-eks.us-east-1.api.aws/id/EXAMPLE', 'us-east-2', /region us-east-1, but the cluster is in region us-east-2/],
    ['a China region without .cn', 'https://oidc.eks.cn-north-1.amazonaws.com/id/EXAMPLE', 'cn-north-1', /DNS suffix amazonaws\.com, but region cn-north-1 is in partition aws-cn/],
    ['a .cn host outside China', 'https://oidc.eks.eu-west-1.amazonaws.com.cn/id/EXAMPLE', 'eu-west-1', /partition aws, whose EKS issuers do not end in \.cn/],
  ])('%s is refused', (_, url, region, rule) => {
    const [f] = checkIssuerRegion('cluster.oidcIssuerUrl', url, region);
    expect(f).toMatchObject({ code: 'oidc-issuer-region', severity: 'error', field: 'cluster.oidcIssuerUrl' });
    expect(f.rule).toMatch(rule);
    expect(f.fix).toContain(`aws eks describe-cluster --region ${region}`);
  });

  test.each([
    ['us-west-2', 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE'],
    ['us-east-1', 'https://oidc-eks.us-east-1.api.aws/id/EXAMPLE'],
    ['cn-north-1', 'https://oidc.eks.cn-north-1.amazonaws.com.cn/id/EXAMPLE'],
    ['us-gov-west-1', 'https://oidc.eks.us-gov-west-1.amazonaws.com/id/EXAMPLE'],
    ['us-iso-east-1', 'https://oidc.eks.us-iso-east-1.c2s.ic.gov/id/EXAMPLE'],
    ['us-isob-east-1', 'https://oidc.eks.us-isob-east-1.sc2s.sgov.gov/id/EXAMPLE'],
    ['eusc-de-east-1', 'https://oidc.eks.eusc-de-east-1.amazonaws.eu/id/EXAMPLE'],
    ['eu-west-1', 'https://issuer.example.com/cluster-a'],
    ['eu-west-1', 'https://s3.eu-central-1.amazonaws.com/my-irsa-issuer'],
  ])('%s with %s passes', (region, url) => {
    expect(checkIssuerRegion('f', url, region)).toEqual([]);
  });

  const spec = (region: string, url: string) => `cluster:\n  name: c\n  account: "111122223333"\n  region: ${region}\n  oidcIssuerUrl: ${url}\nserviceAccounts:\n  - { name: a, namespace: b }\n`;
  test('through the spec file and through IdentityCluster.fromAttributes', () => {
    const err = expectIdentityError(() => new WorkloadIdentityStack(new App(), 'S', { spec: IdentitySpecFile.parse(spec('eu-west-1', 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE')), specFile: 'identity.yaml' }),
      'cluster.oidcIssuerUrl', /\[oidc-issuer-region\]/);
    expect(err.file).toBe('identity.yaml');
    const stack = new Stack(new App(), 'T', { env: { account: '111122223333', region: 'cn-northwest-1' } });
    expectIdentityError(() => IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'c', oidcIssuerUrl: 'https://oidc.eks.cn-north-1.amazonaws.com.cn/id/X' }),
      'cluster.oidcIssuerUrl', /\[oidc-issuer-region\]/);
    IdentityCluster.fromAttributes(stack, 'Ok', { clusterName: 'c', oidcIssuerUrl: 'https://oidc.eks.cn-northwest-1.amazonaws.com.cn/id/X' });
    const app = new App();
    new WorkloadIdentityStack(app, 'S', { spec: IdentitySpecFile.parse(spec('eu-west-1', 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE')) });
    synth(app);
  });
});

describe('spec loader messages', () => {
  const C = 'cluster:\n  name: c\n  account: "111122223333"\n  region: eu-west-1\n';
  const caught = (text: string): any => {
    try {
      IdentitySpecFile.parse(text, 'identity.yaml');
    } catch (e) {
      return e;
    }
    return undefined;
  };

  test('a null where a string belongs shows null, not the whole document', () => {
    for (const v of ['null', '~', '']) {
      const e = caught(`${C}serviceAccounts:\n  - { name: ${v}, namespace: b }\n`);
      expect(e.code).toBe('spec-schema');
      expect(e.field).toBe('serviceAccounts[0].name');
      expect(e.value).toBe('null');
      expect(e.message).not.toContain('"cluster"');
    }
    expect(caught(`${C}serviceAccounts:\n  - { name: a, namespace: b }\n`)).toBeUndefined();
  });

  test('a list or a scalar at the top is not a mapping, said so (not the schema\'s "must NOT be valid")', () => {
    for (const t of ['- a\n- b\n', 'hello\n', '[1, 2]\n', '42\n']) {
      const e = caught(t);
      expect(e.code).toBe('spec-mapping');
      expect(e.message).toMatch(/is not a mapping: a spec is a mapping of sections/);
      expect(e.message).not.toMatch(/must NOT be valid/);
    }
  });
});

test('a set prefix on Null is refused with Null as the suggestion, not the same operator again', () => {
  const [f] = checkConditions('c', { 'ForAnyValue:Null': { 'aws:x': 'true' } });
  expect(f.code).toBe('iam-condition-operator');
  expect(f.fix).toBe('did you mean \'Null\'?');
  expect(checkConditions('c', { 'ForAnyValue:StringLik': { 'aws:x': 'a' } })[0].fix).toBe('did you mean \'ForAnyValue:StringLike\'?');
  expect(checkConditions('c', { Null: { 'aws:x': 'true' } })).toEqual([]);
});

describe('spec numbers aws-cdk-lib\'s Duration refuses are our errors', () => {
  const C = 'cluster:\n  name: c\n  account: "111122223333"\n  region: eu-west-1\n  oidcIssuerUrl: https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE\n';
  const build = (yaml: string) => new WorkloadIdentityStack(new App(), 'S', { spec: IdentitySpecFile.parse(yaml) });

  test('a negative tokenExpirationSeconds or maxSessionDuration names the field (not "Duration amounts cannot be negative")', () => {
    const e1 = expectIdentityError(() => build(`${C}serviceAccounts:\n  - { name: a, namespace: b, tokenExpirationSeconds: -600 }\n`),
      'serviceAccounts[0].tokenExpirationSeconds', /-600 is outside 600\.\.86400 seconds.*\[irsa-token-expiration\]/);
    expect(e1.message).not.toMatch(/Duration amounts/);
    expectIdentityError(() => build(`${C}serviceAccounts:\n  - { name: a, namespace: b, role: { maxSessionDuration: -3600 } }\n`),
      'serviceAccounts[0].role.maxSessionDuration', /\[iam-max-session-duration\]/);
    const stack = build(`${C}serviceAccounts:\n  - { name: a, namespace: b, tokenExpirationSeconds: 1200, role: { maxSessionDuration: 7200 } }\n`);
    expect(stack.workloads[0].annotations['eks.amazonaws.com/token-expiration']).toBe('1200');
  });

  test('an infinite number is shown as such, not as null', () => {
    expect(() => IdentitySpecFile.parse(`${C}serviceAccounts:\n  - { name: a, namespace: b, tokenExpirationSeconds: .inf }\n`))
      .toThrow(/serviceAccounts\[0\]\.tokenExpirationSeconds: Infinity must be a whole number/);
  });
});

describe('rule iam-managed-policy-duplicate: a role lists each managed policy once', () => {
  const C = 'cluster:\n  name: c\n  account: "111122223333"\n  region: cn-north-1\n  oidcIssuerUrl: https://oidc.eks.cn-north-1.amazonaws.com.cn/id/EXAMPLE\n';
  const build = (policies: string, app = new App()) => new WorkloadIdentityStack(app, 'S', {
    spec: IdentitySpecFile.parse(`${C}serviceAccounts:\n  - { name: a, namespace: b, role: { managedPolicies: [${policies}] } }\n`),
  });

  test.each([
    ['a name twice', 'ReadOnlyAccess, AmazonS3ReadOnlyAccess, ReadOnlyAccess', 'serviceAccounts[0].role.managedPolicies[2]'],
    ['a name and its ARN in the cluster\'s partition', 'service-role/X, "arn:aws-cn:iam::aws:policy/service-role/X"', 'serviceAccounts[0].role.managedPolicies[1]'],
    ['an ARN twice', '"arn:aws-cn:iam::111122223333:policy/p", "arn:aws-cn:iam::111122223333:policy/p"', 'serviceAccounts[0].role.managedPolicies[1]'],
  ])('%s is refused', (_, policies, field) => {
    expectIdentityError(() => build(policies), field, /is the same managed policy as serviceAccounts\[0\]\.role\.managedPolicies\[0\].*\[iam-managed-policy-duplicate\]/);
  });

  test('distinct policies, and a name of the same text under another path, synthesize', () => {
    const app = new App();
    build('ReadOnlyAccess, service-role/ReadOnlyAccess, "arn:aws-cn:iam::111122223333:policy/ReadOnlyAccess"', app);
    const [[, role]] = resourcesOfType(synth(app).templates.S, 'AWS::IAM::Role');
    expect(role.Properties.ManagedPolicyArns).toHaveLength(3);
  });
});

describe('rule spec-yaml-key: keys are plain strings', () => {
  const C = 'cluster:\n  name: c\n  account: "111122223333"\n  region: eu-west-1\n';
  const where = (text: string) => {
    try {
      IdentitySpecFile.parse(text, 'identity.yaml');
    } catch (e: any) {
      return `${e.field} [${e.code}]`;
    }
    return 'no error';
  };

  test('a merge key is refused on its line with what to write instead', () => {
    const text = `${C}serviceAccounts:\n  - &one { name: a, namespace: b }\n  - { <<: *one, name: c }\n`;
    expect(where(text)).toBe('identity.yaml:7 [spec-yaml-key]');
    expect(() => IdentitySpecFile.parse(text, 'identity.yaml')).toThrow(/is a YAML merge key.*fix: write the keys out/);
  });

  test('a list or a mapping as a key is refused on its line', () => {
    expect(where(`${C}defaults:\n  tags:\n    ? [a, b]\n    : v\n`)).toBe('identity.yaml:7 [spec-yaml-key]');
    expect(where(`${C}defaults:\n  tags: { { a: 1 }: v }\n`)).toBe('identity.yaml:6 [spec-yaml-key]');
  });

  test('a quoted "<<" is a plain (unknown) key, an anchored key and an alias as a whole value pass', () => {
    expect(where(`${C}defaults: { "<<": x }\n`)).toMatch(/\[spec-schema\]/);
    const ok = `${C}serviceAccounts:\n  - { &k name: a, namespace: b, labels: &l { team: x } }\n  - { *k : c, namespace: b, labels: *l }\n`;
    expect(IdentitySpecFile.parse(ok).serviceAccounts!.map(s => [s.name, s.labels])).toEqual([['a', { team: 'x' }], ['c', { team: 'x' }]]);
  });
});

describe('rule generated-name-order: a suffixed default role name depends on the order of the inputs', () => {
  const C = 'cluster:\n  name: c\n  account: "111122223333"\n  region: eu-west-1\n  oidcIssuerUrl: https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE\n';
  const out = (sas: string) => {
    const app = new App();
    new WorkloadIdentityStack(app, 'S', { spec: IdentitySpecFile.parse(`${C}serviceAccounts:\n${sas}`) });
    const s = synth(app);
    const names = resourcesOfType(s.templates.S, 'AWS::IAM::Role').map(([id, r]) => `${id}=${r.Properties.RoleName}`).sort();
    return { names, warnings: s.annotations.filter(a => a.message.includes('generated-name-order')) };
  };

  test('reordering c@a-b and b-c@a swaps their names: the suffixed one is warned about, naming both and the fix', () => {
    const one = out('  - { name: x, namespace: a-b }\n  - { name: b-x, namespace: a }\n');
    const two = out('  - { name: b-x, namespace: a }\n  - { name: x, namespace: a-b }\n');
    expect(one.names).not.toEqual(two.names);
    for (const o of [one, two]) {
      expect(o.warnings).toHaveLength(1);
      expect(o.warnings[0].message).toMatch(/roleName: 'c-a-b-x-[0-9a-f]{8}' took a suffix because service account .* holds the default name 'c-a-b-x'.*fix: give one of the two an explicit role name/);
    }
  });

  test('no warning without a collision, nor when the plain name is a given role.name (reserved whatever the order)', () => {
    expect(out('  - { name: x, namespace: a }\n  - { name: y, namespace: a }\n').warnings).toEqual([]);
    const given = out('  - { name: x, namespace: a-b }\n  - { name: z, namespace: a, role: { name: c-a-b-x } }\n');
    expect(given.names.some(n => /=c-a-b-x-[0-9a-f]{8}$/.test(n))).toBe(true);
    expect(given.warnings).toEqual([]);
  });
});

test('iam-policy-action: a ? wildcard (IAM takes it, aws-cdk-lib\'s PolicyStatement does not) is our error, never aws-cdk-lib\'s ActionInvalid', () => {
  const C = 'cluster:\n  name: c\n  account: "111122223333"\n  region: eu-west-1\n  oidcIssuerUrl: https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE\n';
  const spec = (action: string) => `${C}serviceAccounts:\n  - { name: a, namespace: b, role: { statements: [{ actions: ["${action}"], resources: ["*"] }] } }\n`;
  for (const bad of ['iam:???AccessKey*', 's3:Get Object', 's?:GetObject']) {
    const e = expectIdentityError(() => new WorkloadIdentityStack(new App(), 'S', { spec: IdentitySpecFile.parse(spec(bad)) }),
      'serviceAccounts[0].role.statements[0].actions[0]', /\[iam-policy-action\]/);
    expect(e.message).not.toMatch(/ActionInvalid/);
  }
  const app = new App();
  new WorkloadIdentityStack(app, 'S', { spec: IdentitySpecFile.parse(spec('iam:*AccessKey*')) });
  const [[, role]] = resourcesOfType(synth(app).templates.S, 'AWS::IAM::Role');
  expect(role.Properties.Policies[0].PolicyDocument.Statement[0].Action).toBe('iam:*AccessKey*');
});
