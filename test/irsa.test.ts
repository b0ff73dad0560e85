import { App, Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IdentityChart, IdentityCluster, ServiceAccountRole, WorkloadIdentity } from '../lib';
import { expectIdentityError, expectSynthError } from './util/expect-error';
import { resourcesOfType, synth } from './util/synth';

const SEED_ISSUER = 'https://oidc.eks.us-east-2.amazonaws.com/id/xxxx';
const SEED_PROVIDER = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-2.amazonaws.com/id/xxxx';
const ENV = { account: '111122223333', region: 'us-east-2' };

function setup(attrs: Partial<Parameters<typeof IdentityCluster.fromAttributes>[2]> = {}, env: any = ENV) {
  const app = new App();
  const stack = new Stack(app, 'Test', { env });
  const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', { clusterName: 'my-cluster', oidcIssuerUrl: SEED_ISSUER, ...attrs });
  return { app, stack, cluster };
}


const onlyRole = (t: any) => {
  const roles = resourcesOfType(t, 'AWS::IAM::Role');
  expect(roles).toHaveLength(1);
  return roles[0][1];
};

describe('seed 004: IRSA for default/my-sa', () => {
  test('trust policy, manifest and no custom resource with an imported provider', () => {
    const { app, stack, cluster } = setup({ oidcProviderArn: SEED_PROVIDER });
    new WorkloadIdentity(stack, 'MySa', { cluster, namespace: 'default', serviceAccountName: 'my-sa' });
    const out = synth(app);
    const t = out.templates.Test;

    expect(onlyRole(t).Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Federated: SEED_PROVIDER },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'oidc.eks.us-east-2.amazonaws.com/id/xxxx:aud': 'sts.amazonaws.com',
            'oidc.eks.us-east-2.amazonaws.com/id/xxxx:sub': 'system:serviceaccount:default:my-sa',
          },
        },
      }],
    });
    // imported: no provider created, no custom resource, no Lambda
    const types = Object.values(t.Resources).map((r: any) => r.Type);
    expect(types).toEqual(['AWS::IAM::Role']);
    expect(types.some((x: string) => x.startsWith('Custom::') || x === 'AWS::Lambda::Function')).toBe(false);

    expect(out.manifests.Test).toEqual([{
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'my-sa',
        namespace: 'default',
        annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/my-cluster-default-my-sa' },
      },
      automountServiceAccountToken: false,
    }]);
  });

  test('a created provider: native, client id = audience, retained, and the same literal trust', () => {
    const { app, stack, cluster } = setup();
    new WorkloadIdentity(stack, 'MySa', { cluster, namespace: 'default', serviceAccountName: 'my-sa' });
    const t = synth(app).templates.Test;
    const providers = resourcesOfType(t, 'AWS::IAM::OIDCProvider');
    expect(providers).toHaveLength(1);
    const [providerId, provider] = providers[0];
    expect(provider.Properties).toEqual({ Url: SEED_ISSUER, ClientIdList: ['sts.amazonaws.com'] });
    expect(provider.DeletionPolicy).toBe('Retain');
    expect(provider.UpdateReplacePolicy).toBe('Retain');
    const role = onlyRole(t);
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Federated: SEED_PROVIDER });
    expect(role.DependsOn).toEqual([providerId]);
    expect(Object.values(t.Resources).some((r: any) => r.Type.startsWith('Custom::') || r.Type === 'AWS::Lambda::Function')).toBe(false);
  });

  test('an environment-agnostic stack references the created provider', () => {
    const { app, stack, cluster } = setup({ account: '111122223333', region: 'us-east-2' }, {});
    new WorkloadIdentity(stack, 'MySa', { cluster, namespace: 'default', serviceAccountName: 'my-sa' });
    const t = synth(app).templates.Test;
    const [providerId] = resourcesOfType(t, 'AWS::IAM::OIDCProvider')[0];
    expect(onlyRole(t).Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Federated: { Ref: providerId } });
    // the manifest still gets the literal ARN from the cluster's account and region
    expect(synth(app).manifests.Test[0].metadata.annotations['eks.amazonaws.com/role-arn'])
      .toBe('arn:aws:iam::111122223333:role/my-cluster-default-my-sa');
  });
});

describe('ServiceAccountRole', () => {
  test('several subjects on several clusters: one statement per issuer, subjects OR-ed under one key', () => {
    const { app, stack, cluster } = setup();
    const other = IdentityCluster.fromAttributes(stack, 'Other', {
      clusterName: 'other', oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/yyyy',
    });
    new ServiceAccountRole(stack, 'Shared', {
      cluster,
      subjects: [
        { namespace: 'a', serviceAccountName: 'x' },
        { namespace: 'b', serviceAccountName: 'y' },
        { namespace: 'a', serviceAccountName: 'x', cluster: other },
      ],
    });
    const t = synth(app).templates.Test;
    const stmts = onlyRole(t).Properties.AssumeRolePolicyDocument.Statement;
    expect(stmts).toHaveLength(2);
    expect(stmts[0].Condition.StringEquals['oidc.eks.us-east-2.amazonaws.com/id/xxxx:sub'])
      .toEqual(['system:serviceaccount:a:x', 'system:serviceaccount:b:y']);
    expect(stmts[1].Principal.Federated).toBe('arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-2.amazonaws.com/id/yyyy');
    expect(stmts[1].Condition.StringEquals['oidc.eks.us-east-2.amazonaws.com/id/yyyy:sub']).toBe('system:serviceaccount:a:x');
    expect(JSON.stringify(stmts)).not.toContain(':amr');
    expect(resourcesOfType(t, 'AWS::IAM::OIDCProvider')).toHaveLength(2);
  });

  test('wildcards only with the explicit opt-in: StringLike for sub, aud stays StringEquals, role tagged', () => {
    const { app, stack, cluster } = setup();
    expectIdentityError(() => new ServiceAccountRole(stack, 'NoOptIn', { cluster, subjects: [{ namespace: 'jobs', serviceAccountName: 'runner-*' }] }),
      'subjects[0].serviceAccountName', /literally/);
    new ServiceAccountRole(stack, 'OptIn', { cluster, allowWildcards: true, subjects: [{ namespace: 'jobs', serviceAccountName: 'runner-*' }, { namespace: 'jobs', serviceAccountName: 'main' }] });
    const role = onlyRole(synth(app).templates.Test);
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      StringEquals: { 'oidc.eks.us-east-2.amazonaws.com/id/xxxx:aud': 'sts.amazonaws.com' },
      StringLike: { 'oidc.eks.us-east-2.amazonaws.com/id/xxxx:sub': ['system:serviceaccount:jobs:runner-*', 'system:serviceaccount:jobs:main'] },
    });
    expect(role.Properties.Tags).toEqual([{ Key: 'cdk-eks-identity:wildcard-subjects', Value: 'true' }]);
  });

  test('a namespace wildcard is refused even with the opt-in', () => {
    const { stack, cluster } = setup();
    expectIdentityError(() => new ServiceAccountRole(stack, 'R', { cluster, allowWildcards: true, subjects: [{ namespace: '*', serviceAccountName: 'x' }] }),
      'subjects[0].namespace', /spans namespaces/);
  });

  test('no subject is refused', () => {
    const { stack, cluster } = setup();
    expectIdentityError(() => new ServiceAccountRole(stack, 'R', { cluster, subjects: [] }), 'subjects');
  });

  test('trust policy length: 2048 by default, raisable to 4096', () => {
    const subjects = Array.from({ length: 40 }, (_, i) => ({ namespace: 'team', serviceAccountName: `service-account-${i}` }));
    const a = setup();
    expectIdentityError(() => new ServiceAccountRole(a.stack, 'R', { cluster: a.cluster, subjects }), 'trustPolicy', /2048/);
    const b = setup();
    new ServiceAccountRole(b.stack, 'R', { cluster: b.cluster, subjects, quotas: { trustPolicyLength: 4096 } });
    expect(onlyRole(synth(b.app).templates.Test).Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals['oidc.eks.us-east-2.amazonaws.com/id/xxxx:sub']).toHaveLength(40);
  });

  test('role options: name, path, boundary, session duration, managed and inline policies', () => {
    const { app, stack, cluster } = setup();
    const role = new ServiceAccountRole(stack, 'R', {
      cluster,
      subjects: [{ namespace: 'default', serviceAccountName: 'app' }],
      roleName: 'app-role',
      path: '/eks/',
      permissionsBoundary: iam.ManagedPolicy.fromManagedPolicyArn(stack, 'B', 'arn:aws:iam::111122223333:policy/boundary'),
      maxSessionDuration: Duration.hours(12),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonS3ReadOnlyAccess')],
      inlinePolicies: { Q: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] })] }) },
    });
    expect(role.literalRoleArn).toBe('arn:aws:iam::111122223333:role/eks/app-role');
    const p = onlyRole(synth(app).templates.Test).Properties;
    expect(p.RoleName).toBe('app-role');
    expect(p.Path).toBe('/eks/');
    expect(p.MaxSessionDuration).toBe(43200);
    expect(p.PermissionsBoundary).toBe('arn:aws:iam::111122223333:policy/boundary');
    expect(p.ManagedPolicyArns).toHaveLength(1);
    expect(p.Policies[0].PolicyName).toBe('Q');
  });

  test.each([
    ['roleName', { roleName: 'bad name!' }],
    ['path', { path: 'eks' }],
    ['maxSessionDuration', { maxSessionDuration: Duration.minutes(30) }],
    ['managedPolicies', { managedPolicies: Array.from({ length: 11 }, (_, i) => iam.ManagedPolicy.fromAwsManagedPolicyName(`P${i}`)) }],
  ])('bad %s is refused', (field, extra) => {
    const { stack, cluster } = setup();
    expectIdentityError(() => new ServiceAccountRole(stack, 'R', { cluster, subjects: [{ namespace: 'default', serviceAccountName: 'app' }], ...extra }), field);
  });

  test('11 managed policies pass once the quota is raised', () => {
    const { stack, cluster } = setup();
    const r = new ServiceAccountRole(stack, 'R', {
      cluster,
      subjects: [{ namespace: 'default', serviceAccountName: 'app' }],
      quotas: { managedPoliciesPerRole: 11 },
      managedPolicies: Array.from({ length: 11 }, (_, i) => iam.ManagedPolicy.fromAwsManagedPolicyName(`P${i}`)),
    });
    expect(r.roleName).toBe('my-cluster-default-app');
  });

  test('default names longer than 64 characters are cut and end in a stable hash', () => {
    const { stack, cluster } = setup({ clusterName: 'a-very-long-production-cluster-name' });
    const r = new ServiceAccountRole(stack, 'R', { cluster, subjects: [{ namespace: 'payments-processing', serviceAccountName: 'settlement-reconciler' }] });
    expect(r.roleName).toHaveLength(64);
    expect(r.roleName).toMatch(/^a-very-long-production-cluster-name-payments-processing-[0-9a-f]{8}$/);
  });

  test('role names are unique in an account ignoring case (at synth, whatever the order)', () => {
    const { app, stack, cluster } = setup();
    new ServiceAccountRole(stack, 'A', { cluster, subjects: [{ namespace: 'default', serviceAccountName: 'app' }], roleName: 'App' });
    new ServiceAccountRole(stack, 'B', { cluster, subjects: [{ namespace: 'default', serviceAccountName: 'other' }], roleName: 'app' });
    expectSynthError(app, 'Test/B', 'roleName', /'app' is already used by Test\/A: IAM role names are unique per account, ignoring case/, 'iam-role-name-unique');
  });

  test('inline policies over 10,240 characters fail synth through node validation', () => {
    const { app, stack, cluster } = setup();
    const statements = Array.from({ length: 300 }, (_, i) => new iam.PolicyStatement({ actions: [`s3:GetObject${i % 7}`], resources: [`arn:aws:s3:::bucket-number-${i}/*`] }));
    new ServiceAccountRole(stack, 'R', { cluster, subjects: [{ namespace: 'default', serviceAccountName: 'app' }], inlinePolicies: { Big: new iam.PolicyDocument({ statements }) } });
    expect(() => app.synth()).toThrow(/inlinePolicies: .* exceeds the 10240-character limit/);
  });

  test('grants beyond the inline limit are split by aws-cdk-lib into managed policies and pass', () => {
    const { app, stack, cluster } = setup();
    const r = new ServiceAccountRole(stack, 'R', { cluster, subjects: [{ namespace: 'default', serviceAccountName: 'app' }] });
    for (let i = 0; i < 400; i++) r.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-number-${i}/*`] }));
    expect(() => app.synth()).not.toThrow();
  });
});

describe('WorkloadIdentity', () => {
  test('is grantable and writes the typed annotations', () => {
    const { app, stack, cluster } = setup();
    const w = new WorkloadIdentity(stack, 'W', {
      cluster,
      namespace: 'backend',
      serviceAccountName: 's3-reader',
      stsRegionalEndpoints: true,
      tokenExpiration: Duration.hours(12),
      audience: 'my-audience',
      labels: { 'app.kubernetes.io/name': 'reader' },
      annotations: { 'example.com/owner': 'team-a' },
    });
    new s3.Bucket(stack, 'Bucket').grantRead(w);
    const out = synth(app);
    expect(resourcesOfType(out.templates.Test, 'AWS::IAM::Policy')).toHaveLength(1);
    expect(resourcesOfType(out.templates.Test, 'AWS::IAM::OIDCProvider')[0][1].Properties.ClientIdList).toEqual(['my-audience']);
    expect(onlyRole(out.templates.Test).Properties.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals['oidc.eks.us-east-2.amazonaws.com/id/xxxx:aud']).toBe('my-audience');
    expect(out.manifests.Test[0].metadata).toEqual({
      name: 's3-reader',
      namespace: 'backend',
      labels: { 'app.kubernetes.io/name': 'reader' },
      annotations: {
        'eks.amazonaws.com/audience': 'my-audience',
        'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/my-cluster-backend-s3-reader',
        'eks.amazonaws.com/sts-regional-endpoints': 'true',
        'eks.amazonaws.com/token-expiration': '43200',
        'example.com/owner': 'team-a',
      },
    });
    expect(w.annotationsChecksum).toMatch(/^[0-9a-f]{16}$/);
  });

  test('an existing role is annotated as given and no role is created', () => {
    const { app, stack, cluster } = setup();
    new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x', existingRoleArn: 'arn:aws:iam::111122223333:role/team/app/name' });
    new WorkloadIdentity(stack, 'Other', { cluster, namespace: 'default', serviceAccountName: 'y' });
    const out = synth(app);
    expect(resourcesOfType(out.templates.Test, 'AWS::IAM::Role').map(([, r]) => r.Properties.RoleName)).toEqual(['my-cluster-default-y']);
    expect(out.manifests.Test[0].metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::111122223333:role/team/app/name');
  });

  test('the partition follows the region', () => {
    const { app, stack, cluster } = setup({ region: 'cn-north-1', oidcIssuerUrl: 'https://oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC' }, { account: '111122223333', region: 'cn-north-1' });
    new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x' });
    const out = synth(app);
    expect(out.manifests.Test[0].metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws-cn:iam::111122223333:role/my-cluster-default-x');
    expect(onlyRole(out.templates.Test).Properties.AssumeRolePolicyDocument.Statement[0].Principal.Federated)
      .toBe('arn:aws-cn:iam::111122223333:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC');
  });

  test('automountServiceAccountToken can be turned on', () => {
    const { app, stack, cluster } = setup();
    new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x', automountServiceAccountToken: true });
    expect(synth(app).manifests.Test[0].automountServiceAccountToken).toBe(true);
  });

  test.each([
    ['namespace', { namespace: 'Team_A' }, /DNS-1123 label/],
    ['namespace', { namespace: 'a'.repeat(64) }, /63/],
    ['serviceAccountName', { serviceAccountName: 'My_SA' }, /DNS-1123 subdomain/],
    ['tokenExpiration', { tokenExpiration: Duration.seconds(60) }, /600\.\.86400/],
    ['tokenExpiration', { tokenExpiration: Duration.seconds(86401) }, /600\.\.86400/],
    ['annotations.eks.amazonaws.com/role-arn', { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/x' } }, /existingRoleArn/],
    ['annotations.eks.amazonaws.com/token-expiration', { annotations: { 'eks.amazonaws.com/token-expiration': '600' } }, /tokenExpirationSeconds/],
    ['labels.bad key', { labels: { 'bad key': 'x' } }, /label key/],
    ['existingRoleArn', { existingRoleArn: 'arn:aws:sts::111122223333:assumed-role/x/y' }, /STS session/],
    ['audience', { audience: '' }, /audience/],
  ])('bad %s is refused', (field, extra, message) => {
    const { stack, cluster } = setup();
    expectIdentityError(() => new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x', ...extra }), field, message);
  });

  test('boundary values are accepted: one-character names, 63-character namespace, 600 and 86400 seconds', () => {
    const { app, stack, cluster } = setup();
    new WorkloadIdentity(stack, 'A', { cluster, namespace: 'a'.repeat(63), serviceAccountName: 'a', tokenExpiration: Duration.seconds(600), roleName: 'a1' });
    new WorkloadIdentity(stack, 'B', { cluster, namespace: 'kube-system', serviceAccountName: 'ebs-csi-controller-sa', tokenExpiration: Duration.seconds(86400) });
    expect(synth(app).manifests.Test.map(o => o.metadata.annotations['eks.amazonaws.com/token-expiration'])).toEqual(['600', '86400']);
  });

  test('an existing role together with role options is refused', () => {
    const { stack, cluster } = setup();
    expectIdentityError(() => new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x', existingRoleArn: 'arn:aws:iam::111122223333:role/x', roleName: 'y' }), 'existingRoleArn');
  });

  test('the same service account twice in one stack is refused', () => {
    const { stack, cluster } = setup();
    new WorkloadIdentity(stack, 'A', { cluster, namespace: 'default', serviceAccountName: 'x' });
    expectIdentityError(() => new WorkloadIdentity(stack, 'B', { cluster, namespace: 'default', serviceAccountName: 'x', roleName: 'other' }), 'serviceAccountName', /declared twice/);
  });

  test('a role ARN that cannot be literal is an error with a fix', () => {
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    const cluster = IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'c', oidcIssuerUrl: SEED_ISSUER });
    expectIdentityError(() => new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x' }), 'cluster.account', /set account/);
  });

  test('sts regional endpoints on a version below the table: a warning', () => {
    const { app, stack, cluster } = setup({ kubernetesVersion: '1.30', platformVersion: 'eks.1' });
    new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x', stsRegionalEndpoints: true });
    const warnings = synth(app).annotations.filter(a => a.level === 'warning');
    expect(warnings.map(w => w.message).join('\n')).toMatch(/below eks\.2.*\[irsa-sts-regional-version\]/);
  });

  test('sts regional endpoints on a version in the table: no warning', () => {
    const { app, stack, cluster } = setup({ kubernetesVersion: '1.31', platformVersion: 'eks.4' });
    new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x', stsRegionalEndpoints: false });
    const out = synth(app);
    expect(out.annotations.filter(a => a.level === 'warning')).toEqual([]);
    expect(out.manifests.Test[0].metadata.annotations['eks.amazonaws.com/sts-regional-endpoints']).toBe('false');
  });
});

describe('IdentityCluster and OidcProvider', () => {
  test.each([
    ['cluster.oidcIssuerUrl', { oidcIssuerUrl: 'http://oidc.eks.us-east-2.amazonaws.com/id/xxxx' }, /https/],
    ['cluster.oidcIssuerUrl', { oidcIssuerUrl: 'https://oidc.example.com:8443/id/x' }, /port/],
    ['cluster.account', { account: '1234' }, /12 digits/],
    ['cluster.region', { region: 'oregon' }, /region/],
    ['oidcProvider.arn', { oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-2.amazonaws.com/id/OTHER' }, /another cluster/],
    ['oidcProvider.arn', { oidcProviderArn: 'arn:aws:iam::111122223333:role/not-a-provider' }, /not an IAM OIDC provider ARN/],
    ['cluster.kubernetesVersion', { kubernetesVersion: '1.3x' }, /minor version/],
  ])('bad %s is refused', (field, attrs, message) => {
    expectIdentityError(() => setup(attrs), field, message);
  });

  test('IRSA without an issuer is refused with the command that prints it', () => {
    const { stack, cluster } = setup({ oidcIssuerUrl: undefined });
    expectIdentityError(() => new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x' }), 'cluster.oidcIssuerUrl', /describe-cluster/);
  });

  test('two providers for one issuer in one account are refused, naming cluster.oidcIssuerUrl', () => {
    const { app, stack, cluster } = setup();
    new WorkloadIdentity(stack, 'A', { cluster, namespace: 'default', serviceAccountName: 'a' });
    const twin = IdentityCluster.fromAttributes(stack, 'Twin', { clusterName: 'my-cluster', oidcIssuerUrl: SEED_ISSUER });
    new WorkloadIdentity(stack, 'B', { cluster: twin, namespace: 'default', serviceAccountName: 'b' });
    expectSynthError(app, 'Test/Twin/OidcProvider', 'cluster.oidcIssuerUrl', /already has an OIDC provider created in this app \(Test\/Cluster\/OidcProvider\).*one provider per issuer/, 'oidc-provider-duplicate');
  });

  test('one provider per issuer and account: two accounts may each create theirs', () => {
    const app = new App();
    for (const [id, account] of [['A', '111122223333'], ['B', '444455556666']]) {
      const stack = new Stack(app, id, { env: { account, region: 'us-east-2' } });
      const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', { clusterName: 'my-cluster', oidcIssuerUrl: SEED_ISSUER });
      new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'a' });
    }
    expect(() => app.synth()).not.toThrow();
  });

  test('an aws-eks-v2 cluster: its own native provider is reused and condition keys need no CfnJson', () => {
    const app = new App({ context: { '@aws-cdk/aws-eks:useNativeOidcProvider': true } });
    const stack = new Stack(app, 'Test', { env: ENV });
    const eksCluster = new eks.Cluster(stack, 'Eks', { clusterName: 'prod', version: eks.KubernetesVersion.V1_31 });
    const cluster = IdentityCluster.fromCluster(stack, 'Ref', eksCluster, { kubernetesVersion: '1.31', clusterName: 'prod' });
    new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x' });
    new WorkloadIdentity(stack, 'V', { cluster, namespace: 'default', serviceAccountName: 'y' });
    // W3005/W3010: aws-eks-v2's own VPC and custom-resource handlers, not ours
    const out = synth(app, { tolerateWarnings: ['W3005', 'W3010'] });
    const t = out.templates.Test;
    expect(resourcesOfType(t, 'AWS::IAM::OIDCProvider')).toHaveLength(1);
    expect(resourcesOfType(t, 'Custom::AWSCDKOpenIdConnectProvider')).toHaveLength(0);
    expect(resourcesOfType(t, 'Custom::AWSCDKCfnJson')).toHaveLength(0);
    expect(out.manifests.Test.map(o => o.metadata.annotations['eks.amazonaws.com/role-arn']))
      .toEqual(['arn:aws:iam::111122223333:role/prod-default-x', 'arn:aws:iam::111122223333:role/prod-default-y']);
  });

  test('an aws-eks-v2 cluster without a literal name: the manifest ARN error says what to set', () => {
    const app = new App({ context: { '@aws-cdk/aws-eks:useNativeOidcProvider': true } });
    const stack = new Stack(app, 'Test', { env: ENV });
    const eksCluster = new eks.Cluster(stack, 'Eks', { version: eks.KubernetesVersion.V1_31 });
    const cluster = IdentityCluster.fromCluster(stack, 'Ref', eksCluster);
    expectIdentityError(() => new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x' }), 'roleName', /clusterName/);
    // a role alone needs no literal name
    new ServiceAccountRole(stack, 'R', { cluster, subjects: [{ namespace: 'default', serviceAccountName: 'z' }] });
  });

  test('a custom audience on an aws-eks-v2 cluster is refused: its provider lists only sts.amazonaws.com', () => {
    const app = new App({ context: { '@aws-cdk/aws-eks:useNativeOidcProvider': true } });
    const stack = new Stack(app, 'Test', { env: ENV });
    const cluster = IdentityCluster.fromCluster(stack, 'Ref', new eks.Cluster(stack, 'Eks', { clusterName: 'prod', version: eks.KubernetesVersion.V1_31 }));
    expectIdentityError(() => new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x', audience: 'other' }), 'oidcProvider.clientIds', /other/);
  });

  test('IdentityChart is one per stack', () => {
    const { stack } = setup();
    expect(IdentityChart.forStack(stack)).toBe(IdentityChart.forStack(stack));
  });
});
