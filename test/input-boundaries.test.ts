import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityCluster, IdentityMechanism, IdentitySpec, IdentitySpecFile, ServiceAccountRole, WorkloadIdentity, WorkloadIdentityStack } from '../lib';
import { expectIdentityError } from './util/expect-error';
import { bindSpec } from '../lib/identity-spec/bind';

const CLUSTER = { name: 'c', account: '111122223333', region: 'eu-west-1', oidcIssuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE' };
const withStatements = (statements: any[], extra: any = {}): IdentitySpec => ({
  cluster: CLUSTER,
  serviceAccounts: [{ name: 'a', namespace: 'apps', role: { statements }, ...extra }],
});
const build = (spec: IdentitySpec) => new WorkloadIdentityStack(new App(), 'S', { spec });
const errorsOf = (spec: IdentitySpec) => bindSpec(spec).findings.filter(f => f.severity === 'error').map(f => `${f.field} [${f.code}]`);
const OK = { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] };

describe('policy statements of the spec: our errors, on the statement path, before aws-cdk-lib sees them', () => {
  test.each([
    ['an action without a colon', { actions: ['GetObject'], resources: ['*'] }, 'serviceAccounts[0].role.statements[1].actions[0]', /has no ':'.*\[iam-policy-action\]/],
    ['conditions that is not a map', { ...OK, conditions: { StringEquals: 'x' } }, 'serviceAccounts[0].role.statements[1].conditions.StringEquals', /\[iam-policy-conditions\]/],
    ['actions with notActions', { ...OK, notActions: ['s3:Delete*'] }, 'serviceAccounts[0].role.statements[1].notActions', /\[iam-policy-exclusive\]/],
    ['resources with notResources', { ...OK, notResources: ['*'] }, 'serviceAccounts[0].role.statements[1].notResources', /\[iam-policy-exclusive\]/],
    ['StringEqualz', { ...OK, conditions: { StringEqualz: { 'aws:x': 'y' } } }, 'serviceAccounts[0].role.statements[1].conditions.StringEqualz', /did you mean 'StringEquals'\?/],
    ['a resource that is not an ARN', { actions: ['s3:*'], resources: ['my-bucket'] }, 'serviceAccounts[0].role.statements[1].resources[0]', /\[iam-policy-resource\]/],
    ['a non-alphanumeric Sid', { ...OK, sid: 'read-s3' }, 'serviceAccounts[0].role.statements[1].sid', /\[iam-policy-sid\]/],
    ['a duplicate Sid', { ...OK, sid: 'Read' }, 'serviceAccounts[0].role.statements[1].sid', /unique.*\[iam-policy-sid\]/],
  ])('%s', (_, bad, field, message) => {
    const err = expectIdentityError(() => build(withStatements([{ ...OK, sid: 'Read' }, bad])), field, message);
    expect(err.message).not.toMatch(/Cannot add|is invalid\. An action string|Expected an object/);
  });

  test('a session policy under podIdentity is checked the same way', () => {
    const spec: IdentitySpec = {
      cluster: CLUSTER,
      serviceAccounts: [{
        name: 'a',
        namespace: 'apps',
        mechanism: IdentityMechanism.POD_IDENTITY,
        podIdentity: { disableSessionTags: true, sessionPolicy: { statements: [{ actions: ['s3'], resources: ['*'] }] } },
      }],
    };
    expectIdentityError(() => build(spec), 'serviceAccounts[0].podIdentity.sessionPolicy.statements[0].actions[0]', /\[iam-policy-action\]/);
  });

  test('valid statements of every partition with IfExists, set prefixes and Null synthesize', () => {
    const stack = build(withStatements([
      { sid: 'A1', actions: ['s3:Get*'], resources: ['arn:aws:s3:::b/*', 'arn:aws-cn:s3:::b', 'arn:aws-us-gov:s3:::b', 'arn:aws-iso:s3:::b', 'arn:aws-eusc:s3:::b'] },
      { sid: 'A2', effect: 'Deny', notActions: ['iam:*'], resources: ['*'], conditions: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['x*'] }, 'Null': { 'aws:x': 'true' }, 'NumericLessThan': { 's3:max-keys': 5 } } },
    ]));
    const roles = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Role')) as any[];
    expect(roles.flatMap(r => r.Properties.Policies[0].PolicyDocument.Statement.map((x: any) => x.Sid))).toEqual(['A1', 'A2']);
    expect(errorsOf(withStatements([OK]))).toEqual([]);
  });
});

describe('TypeScript PolicyDocuments', () => {
  const setup = () => {
    const stack = new Stack(new App(), 'T', { env: { account: '111122223333', region: 'eu-west-1' } });
    return { stack, cluster: IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'c', oidcIssuerUrl: CLUSTER.oidcIssuerUrl }) };
  };
  const doc = (props: iam.PolicyStatementProps) => new iam.PolicyDocument({ statements: [new iam.PolicyStatement(props)] });

  test('a literal inline policy with a bad resource or operator is refused naming the policy', () => {
    const { stack, cluster } = setup();
    expectIdentityError(() => new ServiceAccountRole(stack, 'R', {
      cluster,
      subjects: [{ namespace: 'a', serviceAccountName: 'b' }],
      inlinePolicies: { Q: doc({ actions: ['s3:GetObject'], resources: ['bucket'] }) },
    }), 'inlinePolicies.Q.Statement[0].Resource', /\[iam-policy-resource\]/);
    expectIdentityError(() => new ServiceAccountRole(stack, 'R2', {
      cluster,
      subjects: [{ namespace: 'a', serviceAccountName: 'b' }],
      inlinePolicies: { Q: doc({ actions: ['s3:GetObject'], resources: ['*'], conditions: { StringEqualz: { 'aws:x': 'y' } } }) },
    }), 'inlinePolicies.Q.Statement[0].Condition.StringEqualz', /did you mean/);
  });

  test('a session policy with an unknown operator is refused; valid ones and token resources pass', () => {
    const { stack, cluster } = setup();
    expectIdentityError(() => new WorkloadIdentity(stack, 'W', {
      cluster,
      namespace: 'a',
      serviceAccountName: 'b',
      mechanism: IdentityMechanism.POD_IDENTITY,
      podIdentity: { disableSessionTags: true, sessionPolicy: doc({ actions: ['s3:GetObject'], resources: ['*'], conditions: { Boolean: { 'aws:x': 'true' } } }) },
    }), 'podIdentity.sessionPolicy.Statement[0].Condition.Boolean', /\[iam-condition-operator\]/);
    const bucket = new iam.Role(stack, 'Any', { assumedBy: new iam.AccountRootPrincipal() });
    new ServiceAccountRole(stack, 'Ok', {
      cluster,
      subjects: [{ namespace: 'a', serviceAccountName: 'z' }],
      inlinePolicies: { Q: doc({ actions: ['iam:PassRole'], resources: [bucket.roleArn] }), P: doc({ actions: ['s3:Get*'], resources: ['arn:aws:s3:::b/*'] }) },
    });
  });
});

describe('tags', () => {
  const tagsSpec = (tags: Record<string, string>): IdentitySpec => ({ cluster: CLUSTER, defaults: { tags } });
  test.each([
    ['more than 50', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])), 'defaults.tags [aws-tag-count]'],
    ['an empty key', { '': 'v' }, 'defaults.tags. [aws-tag-key]'],
    ['the aws: prefix in any case', { 'AWS:team': 'v' }, 'defaults.tags.AWS:team [aws-tag-key]'],
    ['a key of 129 characters', { ['k'.repeat(129)]: 'v' }, `defaults.tags.${'k'.repeat(129)} [aws-tag-key]`],
    ['a value of 257 characters', { k: 'v'.repeat(257) }, 'defaults.tags.k [aws-tag-value]'],
    ['a key outside the tag pattern', { 'team#1': 'v' }, 'defaults.tags.team#1 [aws-tag-key]'],
    ['a value with a newline', { k: 'a\nb' }, 'defaults.tags.k [aws-tag-value]'],
  ])('%s is refused', (_, tags, expected) => {
    expect(errorsOf(tagsSpec(tags))).toEqual([expected]);
  });

  test('50 tags, unicode letters, spaces, _.:/=+-@, empty values and 128/256 characters pass', () => {
    const tags = Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`k${i}`, '']));
    Object.assign(tags, { 'équipe Ops': 'Zürich 1', 'a_b.c:d/e=f+g-h@i': 'x_y.z:/=+-@', ['k'.repeat(128)]: 'v'.repeat(256), '東京': '値' });
    expect(Object.keys(tags)).toHaveLength(50);
    expect(errorsOf(tagsSpec(tags))).toEqual([]);
  });

  test('access entry tags in the spec are checked with their path', () => {
    const spec: IdentitySpec = { cluster: CLUSTER, accessEntries: [{ principalArn: 'arn:aws:iam::111122223333:role/admin', tags: { 'bad*key': 'v' } }] };
    expect(errorsOf(spec)).toEqual(['accessEntries[0].tags.bad*key [aws-tag-key]']);
  });
});

describe('audiences', () => {
  test('an audience over 255 characters is refused; 255 passes', () => {
    const spec = (audience: string): IdentitySpec => ({ cluster: CLUSTER, serviceAccounts: [{ name: 'a', namespace: 'apps', audience }] });
    expect(errorsOf(spec('a'.repeat(256)))).toEqual(['serviceAccounts[0].audience [irsa-audience]']);
    expect(bindSpec(spec('a'.repeat(256))).findings[0].rule).toContain('255');
    expect(errorsOf(spec('a'.repeat(255)))).toEqual([]);
  });

  test('a spec with 101 distinct audiences is refused at the 101st; repeated audiences count once', () => {
    const sas = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `s${i}`, namespace: 'apps', audience: i === 0 ? undefined : `aud-${i}` }));
    const spec = (n: number): IdentitySpec => ({ cluster: CLUSTER, serviceAccounts: [...sas(n), { name: 'again', namespace: 'apps', audience: 'aud-1' }] });
    expect(errorsOf(spec(101))).toEqual(['serviceAccounts[100].audience [oidc-client-id-count]']);
    expect(errorsOf(spec(100))).toEqual([]);
  });

  test('the 101st distinct audience of a cluster is refused (ClientIdList holds at most 100); 100 pass', () => {
    const stack = new Stack(new App(), 'T', { env: { account: '111122223333', region: 'eu-west-1' } });
    const cluster = IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'c', oidcIssuerUrl: CLUSTER.oidcIssuerUrl });
    for (let i = 0; i < 100; i++) cluster.addAudience(`aud-${i}`);
    cluster.addAudience('aud-0');
    expectIdentityError(() => cluster.addAudience('aud-100'), 'audience', /\[oidc-client-id-count\]/);
  });
});

describe('the issuer URL must already be in its normal form', () => {
  const issuerErrors = (url: string) => bindSpec({ cluster: { ...CLUSTER, oidcIssuerUrl: url } }).findings.filter(f => f.code === 'oidc-issuer-url');
  test.each([
    ['a trailing newline (oidcIssuerUrl: |)', 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE\n'],
    ['an embedded space', 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXA MPLE'],
    ['a dot-dot path', 'https://oidc.eks.eu-west-1.amazonaws.com/id/../id/EXAMPLE'],
    ['an upper-case host', 'https://OIDC.EKS.eu-west-1.amazonaws.com/id/EXAMPLE'],
  ])('%s is refused with the normal form as the fix', (_, url) => {
    const found = issuerErrors(url);
    expect(found.map(f => f.field)).toEqual(['cluster.oidcIssuerUrl']);
    expect(found[0].rule).toContain('normal form');
    expect(found[0].fix).toBe('write the issuer exactly as https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE');
  });

  test('the YAML block scalar case is refused from the file', () => {
    const yaml = 'cluster:\n  name: c\n  account: "111122223333"\n  region: eu-west-1\n  oidcIssuerUrl: |\n    https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE\n';
    expectIdentityError(() => new WorkloadIdentityStack(new App(), 'S', { spec: IdentitySpecFile.parse(yaml) }), 'cluster.oidcIssuerUrl', /normal form/);
  });

  test.each([
    ['us-east-1', 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE'],
    ['us-east-1', 'https://oidc-eks.us-east-1.api.aws/id/EXAMPLE'],
    ['cn-north-1', 'https://oidc.eks.cn-north-1.amazonaws.com.cn/id/EXAMPLE'],
    ['us-gov-west-1', 'https://oidc.eks.us-gov-west-1.amazonaws.com/id/EXAMPLE'],
    ['us-iso-east-1', 'https://oidc.eks.us-iso-east-1.c2s.ic.gov/id/EXAMPLE'],
    ['us-isob-east-1', 'https://oidc.eks.us-isob-east-1.sc2s.sgov.gov/id/EXAMPLE'],
    ['eusc-de-east-1', 'https://oidc.eks.eusc-de-east-1.amazonaws.eu/id/EXAMPLE'],
  ])('%s issuer %s passes', (region, url) => {
    expect(bindSpec({ cluster: { ...CLUSTER, region, oidcIssuerUrl: url } }).findings.filter(f => f.severity === 'error')).toEqual([]);
  });
});

describe('YAML input', () => {
  const C = 'cluster:\n  name: c\n  account: "111122223333"\n  region: eu-west-1\n';
  const fieldOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e: any) {
      return `${e.field} [${e.code}]`;
    }
    return 'no error';
  };

  test('an empty file says so', () => {
    for (const t of ['', '\n# only a comment\n', '---\n']) {
      expect(fieldOf(() => IdentitySpecFile.parse(t, 'identity.yaml'))).toBe('identity.yaml [spec-empty]');
    }
    expect(() => IdentitySpecFile.parse('', 'identity.yaml')).toThrow(/the spec file is empty.*fix: write at least a cluster section/);
  });

  test('an alias bomb is refused with our error and the line', () => {
    const bomb = `${C}a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`;
    expect(fieldOf(() => IdentitySpecFile.parse(bomb, 'identity.yaml'))).toBe('identity.yaml:6 [spec-yaml-alias]');
    expect(() => IdentitySpecFile.parse(bomb, 'identity.yaml')).toThrow(/alias bomb.*fix: /);
  });

  test('a recursive alias is refused with our error and the line', () => {
    const text = `${C}serviceAccounts: &sa\n  - name: a\n    namespace: apps\n    labels: *sa\n`;
    expect(fieldOf(() => IdentitySpecFile.parse(text, 'identity.yaml'))).toBe('identity.yaml:8 [spec-yaml-alias]');
  });

  test('aliases that are not bombs still work', () => {
    const text = `${C}serviceAccounts:\n  - { name: a, namespace: apps, labels: &l { team: x } }\n  - { name: b, namespace: apps, labels: *l }\n`;
    expect(IdentitySpecFile.parse(text).serviceAccounts![1].labels).toEqual({ team: 'x' });
  });

  test('explicit tags other than the plain ones are refused (a !!set dropped labels); !!str and friends pass', () => {
    const set = `${C}serviceAccounts:\n  - name: a\n    namespace: apps\n    labels: !!set { team, app }\n`;
    expect(fieldOf(() => IdentitySpecFile.parse(set, 'identity.yaml'))).toBe('identity.yaml:8 [spec-yaml-tag]');
    expect(() => IdentitySpecFile.parse(set, 'identity.yaml')).toThrow(/'!!set'.*fix: write a mapping/);
    const setWithValues = `${C}serviceAccounts:\n  - name: a\n    namespace: apps\n    labels: !!set { team: x }\n`;
    expect(fieldOf(() => IdentitySpecFile.parse(setWithValues, 'identity.yaml'))).toBe('identity.yaml:8 [spec-yaml-tag]');
    expect(fieldOf(() => IdentitySpecFile.parse(`${C}x: !!binary aGVsbG8=\n`, 'identity.yaml'))).toBe('identity.yaml:5 [spec-yaml-tag]');
    expect(fieldOf(() => IdentitySpecFile.parse(`${C}x: !custom a\n`, 'identity.yaml'))).toBe('identity.yaml:5 [spec-yaml-tag]');
    const plain = 'cluster:\n  name: !!str c\n  account: !!str 111122223333\n  region: eu-west-1\nquotas: !!map\n  managedPoliciesPerRole: !!int 20\nserviceAccounts: !!seq\n  - { name: a, namespace: apps, automountServiceAccountToken: !!bool true, labels: !!null }\n';
    expect(fieldOf(() => IdentitySpecFile.parse(plain))).not.toMatch(/spec-yaml-tag/);
  });

  test('non-UTF-8 bytes are refused with the file and line; UTF-8 passes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spec-'));
    const bad = path.join(dir, 'latin1.yaml');
    fs.writeFileSync(bad, Buffer.concat([Buffer.from(`${C}defaults:\n  tags:\n    owner: "`), Buffer.from([0x4a, 0xe9, 0x72]), Buffer.from('"\n')]));
    expect(fieldOf(() => IdentitySpecFile.load(bad))).toBe('latin1.yaml:7 [spec-encoding]');
    expect(() => IdentitySpecFile.load(bad)).toThrow(/is not UTF-8.*fix: save the file as UTF-8/);
    const good = path.join(dir, 'utf8.yaml');
    fs.writeFileSync(good, `${C}defaults:\n  tags:\n    owner: "Jérôme"\n`);
    expect(IdentitySpecFile.load(good).defaults!.tags).toEqual({ owner: 'Jérôme' });
  });

  test('an unknown key whose value is a mapping is reported on its own line', () => {
    const text = `${C}defaults:\n  roleNamePrefix: x\n  bogus:\n    a: 1\n`;
    expect(() => IdentitySpecFile.parse(text, 'identity.yaml')).toThrow(/defaults\.bogus: 'bogus' is not a key of the spec format here \(identity\.yaml line 7\)/);
  });
});

describe('fractional durations in TypeScript', () => {
  const setup = () => {
    const stack = new Stack(new App(), 'T', { env: { account: '111122223333', region: 'eu-west-1' } });
    return { stack, cluster: IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'c', oidcIssuerUrl: CLUSTER.oidcIssuerUrl }) };
  };

  test('maxSessionDuration of 3600.5 seconds is our error naming the prop; whole seconds pass', () => {
    const { stack, cluster } = setup();
    const err = expectIdentityError(() => new ServiceAccountRole(stack, 'R', {
      cluster, subjects: [{ namespace: 'a', serviceAccountName: 'b' }], maxSessionDuration: Duration.seconds(3600.5),
    }), 'maxSessionDuration', /whole number of seconds.*\[iam-max-session-duration\]/);
    expect(err.message).not.toContain('CannotConvertedIntoWhole');
    new ServiceAccountRole(stack, 'Ok', { cluster, subjects: [{ namespace: 'a', serviceAccountName: 'b' }], maxSessionDuration: Duration.minutes(90) });
  });

  test('tokenExpiration of 1200.5 seconds is our error naming the prop; whole seconds pass', () => {
    const { stack, cluster } = setup();
    expectIdentityError(() => new WorkloadIdentity(stack, 'W', { cluster, namespace: 'a', serviceAccountName: 'b', tokenExpiration: Duration.seconds(1200.5) }),
      'tokenExpiration', /whole number of seconds.*\[irsa-token-expiration\]/);
    new WorkloadIdentity(stack, 'Ok', { cluster, namespace: 'a', serviceAccountName: 'c', tokenExpiration: Duration.minutes(20) });
  });

  test('maxSessionDuration on a WorkloadIdentity is checked before the role is built', () => {
    const { stack, cluster } = setup();
    expectIdentityError(() => new WorkloadIdentity(stack, 'W', { cluster, namespace: 'a', serviceAccountName: 'b', maxSessionDuration: Duration.seconds(3600.5) }),
      'maxSessionDuration', /whole number/);
  });
});
