import { App, Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  FargateProfile, IdentityCluster, IdentityMechanism, PodExecutionRole, PodIdentityAgentAddon, PodIdentityAssociation, PodIdentityRole,
  WorkloadIdentity, WorkloadIdentityProps,
} from '../lib';
import { expectIdentityError, expectSynthError } from './util/expect-error';
import { resourcesOfType, synth } from './util/synth';

const ENV = { account: '111122223333', region: 'us-west-2' };
const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const POD_IDENTITY = IdentityMechanism.POD_IDENTITY;

function setup(attrs: Record<string, string> = {}, env: any = ENV, app = new App(), id = 'Test') {
  const stack = new Stack(app, id, { env });
  const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', { clusterName: 'my-cluster', ...attrs });
  return { app, stack, cluster };
}

function podIdentity(stack: Stack, cluster: IdentityCluster, id: string, extra: Partial<WorkloadIdentityProps> = {}) {
  return new WorkloadIdentity(stack, id, { cluster, namespace: 'payments', serviceAccountName: 'ledger', mechanism: POD_IDENTITY, ...extra });
}


const warnings = (out: { annotations: Array<{ level: string; message: string }> }) =>
  out.annotations.filter(a => a.level === 'warning').map(a => a.message);

describe('WorkloadIdentity with Pod Identity', () => {
  test('a role trusted by pods.eks.amazonaws.com, an association, and a ServiceAccount without role-arn annotation', () => {
    const { app, stack, cluster } = setup();
    const w = podIdentity(stack, cluster, 'Ledger');
    new s3.Bucket(stack, 'Bucket').grantRead(w);
    const out = synth(app);
    const t = out.templates.Test;

    const [[roleId, role]] = resourcesOfType(t, 'AWS::IAM::Role');
    expect(role.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
    });
    expect(role.Properties.RoleName).toBe('my-cluster-payments-ledger');

    const [[, association]] = resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation');
    expect(association.Properties).toEqual({
      ClusterName: 'my-cluster', Namespace: 'payments', ServiceAccount: 'ledger', RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
    });
    // the grant went to the Pod Identity role
    const [[, policy]] = resourcesOfType(t, 'AWS::IAM::Policy');
    expect(policy.Properties.Roles).toEqual([{ Ref: roleId }]);
    // no OIDC provider, no custom resource
    expect(resourcesOfType(t, 'AWS::IAM::OIDCProvider')).toEqual([]);
    expect(Object.values(t.Resources).some((r: any) => r.Type.startsWith('Custom::'))).toBe(false);

    expect(out.manifests.Test).toEqual([{
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'ledger', namespace: 'payments' },
      automountServiceAccountToken: false,
    }]);
    expect(w.roleArn).toBe('arn:aws:iam::111122223333:role/my-cluster-payments-ledger');
    expect(w.podIdentityRole).toBeDefined();
    expect(w.serviceAccountRole).toBeUndefined();
    expect(w.annotations).toEqual({});
  });

  test('IRSA and Pod Identity in one stack: the IRSA service account keeps its annotation', () => {
    const { app, stack, cluster } = setup({ oidcIssuerUrl: ISSUER });
    new WorkloadIdentity(stack, 'Irsa', { cluster, namespace: 'web', serviceAccountName: 'frontend', stsRegionalEndpoints: true });
    podIdentity(stack, cluster, 'Ledger', { labels: { app: 'ledger' }, annotations: { 'example.com/owner': 'payments' } });
    const out = synth(app);
    expect(out.manifests.Test.map(o => [o.metadata.namespace, o.metadata.name, o.metadata.annotations])).toEqual([
      ['web', 'frontend', { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/my-cluster-web-frontend', 'eks.amazonaws.com/sts-regional-endpoints': 'true' }],
      ['payments', 'ledger', { 'example.com/owner': 'payments' }],
    ]);
    expect(out.manifests.Test[1].metadata.labels).toEqual({ app: 'ledger' });
    expect(resourcesOfType(out.templates.Test, 'AWS::EKS::PodIdentityAssociation')).toHaveLength(1);
    expect(resourcesOfType(out.templates.Test, 'AWS::IAM::OIDCProvider')).toHaveLength(1);
  });

  test('role options shape the created role', () => {
    const { app, stack, cluster } = setup();
    podIdentity(stack, cluster, 'Ledger', {
      roleNamePrefix: 'platform-',
      path: '/eks/',
      maxSessionDuration: Duration.hours(2),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonDynamoDBReadOnlyAccess')],
    });
    const [[, role]] = resourcesOfType(synth(app).templates.Test, 'AWS::IAM::Role');
    expect(role.Properties).toMatchObject({ RoleName: 'platform-my-cluster-payments-ledger', Path: '/eks/', MaxSessionDuration: 7200 });
  });

  test('an existing role: no role created, the association names it', () => {
    const { app, stack, cluster } = setup();
    const w = podIdentity(stack, cluster, 'Ledger', { existingRoleArn: 'arn:aws:iam::111122223333:role/team/ledger' });
    const t = synth(app).templates.Test;
    expect(resourcesOfType(t, 'AWS::IAM::Role')).toEqual([]);
    expect(resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation')[0][1].Properties.RoleArn).toBe('arn:aws:iam::111122223333:role/team/ledger');
    expect(w.roleArn).toBe('arn:aws:iam::111122223333:role/team/ledger');
  });

  test('an existing role of another account is refused: that is what targetRoleArn is for', () => {
    const { stack, cluster } = setup();
    expectIdentityError(() => podIdentity(stack, cluster, 'L', { existingRoleArn: 'arn:aws:iam::444455556666:role/ledger' }), 'existingRoleArn', /targetRoleArn/);
  });

  test('cross-account targetRoleArn: the role may assume and tag the target, grants go to the target', () => {
    const { app, stack, cluster } = setup();
    const target = 'arn:aws:iam::444455556666:role/reports-reader';
    const w = podIdentity(stack, cluster, 'Reports', { podIdentity: { targetRoleArn: target } });
    expect(stack.resolve((w.grantPrincipal as iam.IRole).roleArn)).toBe(target);
    const t = synth(app).templates.Test;
    const [[roleId]] = resourcesOfType(t, 'AWS::IAM::Role');
    expect(resourcesOfType(t, 'AWS::IAM::Policy').map(([, p]) => p.Properties)).toEqual([{
      PolicyName: expect.any(String),
      Roles: [{ Ref: roleId }],
      PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: target }] },
    }]);
    expect(resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation')[0][1].Properties.TargetRoleArn).toBe(target);
  });

  test('a session policy with disableSessionTags: the association carries it as JSON text', () => {
    const { app, stack, cluster } = setup();
    const sessionPolicy = new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] })] });
    podIdentity(stack, cluster, 'L', { podIdentity: { sessionPolicy, disableSessionTags: true } });
    const [[, a]] = resourcesOfType(synth(app).templates.Test, 'AWS::EKS::PodIdentityAssociation');
    expect(a.Properties.DisableSessionTags).toBe(true);
    expect(JSON.parse(a.Properties.Policy)).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] });
  });

  test('a cluster without OIDC issuer is fine for Pod Identity, and a token cluster name leaves the role name to CloudFormation', () => {
    const { app, stack } = setup();
    const cluster = IdentityCluster.fromAttributes(stack, 'Tok', { clusterName: Lazy.string({ produce: () => 'late-cluster' }) });
    const w = new WorkloadIdentity(stack, 'W', { cluster, namespace: 'a', serviceAccountName: 'b', mechanism: POD_IDENTITY });
    expect(w.roleArn).toMatch(/\$\{Token/);
    const t = synth(app).templates.Test;
    expect(resourcesOfType(t, 'AWS::IAM::Role').map(([, r]) => r.Properties.RoleName)).toEqual([undefined]);
    expect(resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation')[0][1].Properties.ClusterName).toBe('late-cluster');
  });

  const sessionPolicy = () => new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] });
  test.each<[string, Partial<WorkloadIdentityProps>, RegExp]>([
    ['audience', { audience: 'sts.amazonaws.com' }, /IRSA option/],
    ['tokenExpiration', { tokenExpiration: Duration.hours(1) }, /IRSA option/],
    ['stsRegionalEndpoints', { stsRegionalEndpoints: true }, /IRSA option/],
    ['podIdentity.disableSessionTags', { podIdentity: { sessionPolicy: sessionPolicy() } }, /must be true when a session policy is set/],
    ['podIdentity.disableSessionTags', { podIdentity: { sessionPolicy: sessionPolicy(), disableSessionTags: false } }, /must be true/],
    ['podIdentity.targetRoleArn', { podIdentity: { targetRoleArn: 'arn:aws:sts::444455556666:assumed-role/x/y' } }, /STS session/],
    ['podIdentity.targetRoleArn', { existingRoleArn: 'arn:aws:iam::111122223333:role/x', podIdentity: { targetRoleArn: 'arn:aws:iam::111122223333:role/x' } }, /own role/],
    ['podIdentity.sessionPolicy', {
      podIdentity: {
        disableSessionTags: true,
        sessionPolicy: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: Array.from({ length: 80 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`) })] }),
      },
    }, /2048 characters STS accepts/],
    ['namespace', { namespace: 'Pay_ments' }, /DNS-1123/],
    ['roleName', { roleName: 'x'.repeat(65) }, /1-64/],
    ['existingRoleArn', { existingRoleArn: 'arn:aws:iam::111122223333:role/x', roleName: 'y' }, /not both/],
  ])('bad %s is refused', (field, extra, message) => {
    const { stack, cluster } = setup();
    expectIdentityError(() => podIdentity(stack, cluster, 'W', extra), field, message);
  });

  test('podIdentity options on an IRSA service account are refused', () => {
    const { stack, cluster } = setup({ oidcIssuerUrl: ISSUER });
    expectIdentityError(() => new WorkloadIdentity(stack, 'W', { cluster, namespace: 'a', serviceAccountName: 'b', podIdentity: { disableSessionTags: true } }),
      'podIdentity', /only applies to Pod Identity/);
  });

  test('a second association for one service account is refused app-wide; another cluster is fine', () => {
    const app = new App();
    const a = setup({}, ENV, app, 'A');
    const b = setup({}, ENV, app, 'B');
    podIdentity(a.stack, a.cluster, 'Ledger');
    const other = IdentityCluster.fromAttributes(b.stack, 'Other', { clusterName: 'other-cluster' });
    podIdentity(b.stack, other, 'OtherLedger');
    synth(app);
    // the same service account from a second stack fails synth
    const app2 = new App();
    const c = setup({}, ENV, app2, 'A');
    const d = setup({}, ENV, app2, 'B');
    podIdentity(c.stack, c.cluster, 'Ledger');
    podIdentity(d.stack, d.cluster, 'Ledger', { roleName: 'other-name' });
    expectSynthError(app2, 'B/Ledger/Association', 'serviceAccountName', /already has a Pod Identity association.*A\/Ledger\/Association/, 'pod-identity-association-unique');
  });

  test('a raw association next to a WorkloadIdentity for the same service account is refused, whatever the order', () => {
    const { app, stack, cluster } = setup();
    const role = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111122223333:role/ledger');
    new PodIdentityAssociation(stack, 'Raw', { cluster, namespace: 'payments', serviceAccountName: 'ledger', role });
    podIdentity(stack, cluster, 'Ledger');
    expectSynthError(app, 'Test/Ledger/Association', 'serviceAccountName', /already has a Pod Identity association on cluster 'my-cluster' \(Test\/Raw\): EKS allows one per service account/);
  });
});

describe('Pod Identity and Fargate in one app', () => {
  function withProfile(selectors: Array<{ namespace: string; labels?: Record<string, string> }>) {
    const s = setup();
    const role = new PodExecutionRole(s.stack, 'PodExecution', { cluster: s.cluster });
    const profile = () => new FargateProfile(s.stack, 'Profile', { cluster: s.cluster, podExecutionRole: role, fargateProfileName: 'fp', selectors });
    return { ...s, profile };
  }

  test.each(['payments', 'pay*', 'payment?', '*'])('a label-less selector %s taking the namespace is an error on the service account', pattern => {
    const { app, stack, cluster, profile } = withProfile([{ namespace: 'web' }, { namespace: pattern }]);
    profile();
    podIdentity(stack, cluster, 'Ledger');
    expectSynthError(app, 'Test/Ledger/Association', 'namespace', new RegExp('Fargate profile \'fp\'.*selector 1.*Pod Identity does not work'), 'pod-identity-on-fargate');
  });

  test('declared the other way round: the same one error, on the service account', () => {
    const { app, stack, cluster, profile } = withProfile([{ namespace: 'pay*' }]);
    podIdentity(stack, cluster, 'Ledger');
    profile();
    const message = expectSynthError(app, 'Test/Ledger/Association', 'namespace', /'payments' is matched by Fargate profile 'fp'.*selector 0.*Pod Identity does not work/, 'pod-identity-on-fargate');
    expect(message.match(/\[pod-identity-on-fargate\]/g)).toHaveLength(1);
  });

  test('a selector with labels: a warning, either way round', () => {
    const first = withProfile([{ namespace: 'payments', labels: { compute: 'fargate' } }]);
    first.profile();
    podIdentity(first.stack, first.cluster, 'Ledger');
    expect(warnings(synth(first.app)).join('\n')).toMatch(/^namespace: 'payments' is matched by Fargate profile 'fp'.*compute.*\[pod-identity-on-fargate\]/);

    const second = withProfile([{ namespace: 'payments', labels: { compute: 'fargate' } }]);
    podIdentity(second.stack, second.cluster, 'Ledger');
    second.profile();
    expect(warnings(synth(second.app))).toEqual([expect.stringMatching(/^namespace: 'payments' is matched by Fargate profile 'fp'.*compute.*\[pod-identity-on-fargate\]/)]);
  });

  test('another namespace, or another cluster, is fine', () => {
    const { app, stack, cluster, profile } = withProfile([{ namespace: 'web' }]);
    profile();
    podIdentity(stack, cluster, 'Ledger');
    const other = IdentityCluster.fromAttributes(stack, 'Other', { clusterName: 'other' });
    new FargateProfile(stack, 'OtherProfile', { cluster: other, podExecutionRole: PodExecutionRole.fromRoleArn(stack, 'R', 'arn:aws:iam::111122223333:role/x'), selectors: [{ namespace: '*' }] });
    expect(warnings(synth(app))).toEqual([]);
  });
});

describe('PodIdentityRole, PodIdentityAssociation and the agent add-on', () => {
  test('one role for several clusters', () => {
    const { app, stack, cluster } = setup();
    const other = IdentityCluster.fromAttributes(stack, 'Other', { clusterName: 'other' });
    const role = new PodIdentityRole(stack, 'Shared', { roleName: 'shared-pod-identity' });
    new PodIdentityAssociation(stack, 'A', { cluster, namespace: 'a', serviceAccountName: 'x', role: role.role });
    new PodIdentityAssociation(stack, 'B', { cluster: other, namespace: 'a', serviceAccountName: 'x', role: role.role });
    expect(role.literalRoleArn).toBe('arn:aws:iam::111122223333:role/shared-pod-identity');
    const t = synth(app).templates.Test;
    expect(resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation').map(([, a]) => a.Properties.ClusterName)).toEqual(['my-cluster', 'other']);
  });

  test('PodIdentityRole checks its options', () => {
    const { stack } = setup();
    expectIdentityError(() => new PodIdentityRole(stack, 'R', { maxSessionDuration: Duration.minutes(30) }), 'maxSessionDuration', /3600\.\.43200/);
    expectIdentityError(() => new PodIdentityRole(stack, 'S', { path: 'x' }), 'path', /IAM path/);
  });

  test('the eks-pod-identity-agent add-on, kept on delete by default, once per cluster', () => {
    const { app, stack, cluster } = setup();
    new PodIdentityAgentAddon(stack, 'Agent', { cluster, addonVersion: 'v1.3.4-eksbuild.1' });
    const [[, addon]] = resourcesOfType(synth(app).templates.Test, 'AWS::EKS::Addon');
    expect(addon.Properties).toEqual({ ClusterName: 'my-cluster', AddonName: 'eks-pod-identity-agent', AddonVersion: 'v1.3.4-eksbuild.1', PreserveOnDelete: true });
    const again = setup();
    new PodIdentityAgentAddon(again.stack, 'Agent', { cluster: again.cluster });
    new PodIdentityAgentAddon(again.stack, 'Again', { cluster: IdentityCluster.fromAttributes(again.stack, 'Same', { clusterName: 'my-cluster' }) });
    expectSynthError(again.app, 'Test/Again', 'cluster', /'my-cluster' already gets the eks-pod-identity-agent add-on from Test\/Agent.*once per cluster/, 'eks-addon-unique');
  });

  test('a bad add-on version is refused', () => {
    const { stack, cluster } = setup();
    expectIdentityError(() => new PodIdentityAgentAddon(stack, 'Agent', { cluster, addonVersion: '1.3' }), 'addonVersion', /describe-addon-versions/);
  });

  test('snapshot: Pod Identity with a target role and a session policy, and the add-on', () => {
    const { app, stack, cluster } = setup();
    new PodIdentityAgentAddon(stack, 'Agent', { cluster });
    podIdentity(stack, cluster, 'Reports', {
      serviceAccountName: 'reports',
      podIdentity: {
        targetRoleArn: 'arn:aws:iam::444455556666:role/reports-reader',
        disableSessionTags: true,
        sessionPolicy: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::reports/*'] })] }),
      },
    });
    const out = synth(app);
    expect(out.templates.Test).toMatchSnapshot();
    expect(out.yaml.Test).toMatchSnapshot();
  });
});
