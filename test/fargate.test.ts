import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AccessEntry, AccessEntryType, FargateProfile, IdentityCluster, PodExecutionRole, WorkloadIdentity, IdentityMechanism } from '../lib';
import { expectIdentityError, expectSynthError } from './util/expect-error';
import { resourcesOfType, synth } from './util/synth';
import { IdentityModel } from '../lib/model/identity-model';

const ENV = { account: '111122223333', region: 'us-west-2' };
const SEED_003_SOURCE_ARN = 'arn:aws:eks:us-west-2:111122223333:fargateprofile/my-cluster/*';

function setup(env: any = ENV, attrs: Record<string, string> = {}) {
  const app = new App();
  const stack = new Stack(app, 'Test', { env });
  const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', { clusterName: 'my-cluster', ...attrs });
  return { app, stack, cluster };
}


const roles = (t: any) => resourcesOfType(t, 'AWS::IAM::Role').map(([, r]) => r);
const warnings = (out: { annotations: Array<{ level: string; message: string }> }) =>
  out.annotations.filter(a => a.level === 'warning').map(a => a.message);

describe('seed 003: the Fargate pod execution role', () => {
  test('trust eks-fargate-pods.amazonaws.com, sts:AssumeRole, ArnLike aws:SourceArn, the managed policy', () => {
    const { app, stack, cluster } = setup();
    new PodExecutionRole(stack, 'PodExecution', { cluster, roleName: 'AmazonEKSFargatePodExecutionRole' });
    const out = synth(app);
    const [role] = roles(out.templates.Test);
    expect(role.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { ArnLike: { 'aws:SourceArn': SEED_003_SOURCE_ARN } },
      }],
    });
    expect(role.Properties.ManagedPolicyArns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy']] },
    ]);
    expect(role.Properties.RoleName).toBe('AmazonEKSFargatePodExecutionRole');
    expect(warnings(out)).toEqual([]);
  });

  test('the source ARN follows the cluster partition, and can be widened only explicitly', () => {
    const { app, stack } = setup({ account: '111122223333', region: 'cn-north-1' });
    const cluster = IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'c' });
    new PodExecutionRole(stack, 'Narrow', { cluster });
    new PodExecutionRole(stack, 'AnyRegion', { cluster, allowAnyRegion: true });
    new PodExecutionRole(stack, 'AnyCluster', { cluster, allowAnyCluster: true });
    const conditions = roles(synth(app).templates.Test).map(r => r.Properties.AssumeRolePolicyDocument.Statement[0].Condition.ArnLike['aws:SourceArn']);
    expect(conditions).toEqual([
      'arn:aws-cn:eks:cn-north-1:111122223333:fargateprofile/c/*',
      'arn:aws-cn:eks:*:111122223333:fargateprofile/c/*',
      'arn:aws-cn:eks:cn-north-1:111122223333:fargateprofile/*/*',
    ]);
  });

  test('application permissions added to it raise a warning with an id', () => {
    const { app, stack, cluster } = setup();
    const per = new PodExecutionRole(stack, 'PodExecution', { cluster });
    new s3.Bucket(stack, 'Bucket').grantRead(per.role);
    per.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonS3ReadOnlyAccess'));
    const w = warnings(synth(app));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^role: '1 statement and managed policy AmazonS3ReadOnlyAccess' were added to a Fargate pod execution role.*WorkloadIdentity.*\[fargate-pod-execution-role-permissions\]/);
  });

  test('the role is recorded in the app model with its literal ARN and trust (imports as existing roles)', () => {
    const { stack, cluster } = setup();
    const named = new PodExecutionRole(stack, 'Named', { cluster, roleName: 'fargate-pods', path: '/eks/' });
    const generated = new PodExecutionRole(stack, 'Generated', { cluster });
    const imported = PodExecutionRole.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111122223333:role/existing-fargate');
    expect(named.literalRoleArn).toBe('arn:aws:iam::111122223333:role/eks/fargate-pods');
    expect(generated.literalRoleArn).toBeUndefined();
    const model = IdentityModel.of(stack);
    expect(model.roles.map(r => [r.path, r.name, r.arn, r.trust.mechanism])).toEqual([
      ['Test/Named', 'fargate-pods', 'arn:aws:iam::111122223333:role/eks/fargate-pods', 'fargate'],
      ['Test/Generated', undefined, undefined, 'fargate'],
    ]);
    expect(model.importedRoles).toEqual([
      { path: 'Test/Imported', arn: 'arn:aws:iam::111122223333:role/existing-fargate', field: 'podExecutionRole', usedAs: 'fargate' },
    ]);
    expect(imported.roleArn).toBe('arn:aws:iam::111122223333:role/existing-fargate');
  });

  test.each([
    ['roleName', { roleName: 'a'.repeat(65) }, /1-64/],
    ['path', { path: 'eks' }, /IAM path/],
  ])('bad %s is refused', (field, extra, message) => {
    const { stack, cluster } = setup();
    expectIdentityError(() => new PodExecutionRole(stack, 'P', { cluster, ...extra }), field, message);
  });

  test('an imported role ARN must be a role ARN', () => {
    const { stack } = setup();
    expectIdentityError(() => PodExecutionRole.fromRoleArn(stack, 'I', 'arn:aws:iam::111122223333:user/x'), 'roleArn', /not an IAM role ARN/);
  });

  test('two roles with one name in one account are refused', () => {
    const { app, stack, cluster } = setup();
    new PodExecutionRole(stack, 'A', { cluster, roleName: 'fargate-pods' });
    new PodExecutionRole(stack, 'B', { cluster, roleName: 'Fargate-Pods' });
    expectSynthError(app, 'Test/B', 'roleName', /unique per account/, 'iam-role-name-unique');
  });
});

describe('FargateProfile', () => {
  test('selectors, labels, subnets and the role; profiles of one cluster are chained', () => {
    const { app, stack, cluster } = setup();
    const podExecutionRole = new PodExecutionRole(stack, 'PodExecution', { cluster });
    new FargateProfile(stack, 'Web', {
      cluster,
      podExecutionRole,
      fargateProfileName: 'web',
      subnetIds: ['subnet-0123456789abcdef0'],
      selectors: [{ namespace: 'web' }, { namespace: 'batch-*', labels: { compute: 'fargate' } }],
    });
    new FargateProfile(stack, 'Jobs', { cluster, podExecutionRole, fargateProfileName: 'jobs', selectors: [{ namespace: 'jobs' }] });
    new FargateProfile(stack, 'Unnamed', { cluster, podExecutionRole, selectors: [{ namespace: 'other' }] });
    const t = synth(app).templates.Test;
    const profiles = resourcesOfType(t, 'AWS::EKS::FargateProfile');
    expect(profiles).toHaveLength(3);
    const [[webId, web], [jobsId, jobs], [, unnamed]] = profiles;
    const [roleId] = resourcesOfType(t, 'AWS::IAM::Role')[0];
    expect(web.Properties).toEqual({
      ClusterName: 'my-cluster',
      FargateProfileName: 'web',
      PodExecutionRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      Selectors: [{ Namespace: 'web' }, { Namespace: 'batch-*', Labels: [{ Key: 'compute', Value: 'fargate' }] }],
      Subnets: ['subnet-0123456789abcdef0'],
    });
    expect(web.DependsOn).toBeUndefined();
    expect(jobs.DependsOn).toEqual([webId]);
    expect(jobs.Properties.Subnets).toBeUndefined();
    expect(unnamed.DependsOn).toEqual([jobsId]);
    expect(unnamed.Properties.FargateProfileName).toBeUndefined();
  });

  test('profiles of different clusters are not chained', () => {
    const { app, stack, cluster } = setup();
    const other = IdentityCluster.fromAttributes(stack, 'Other', { clusterName: 'other' });
    new FargateProfile(stack, 'A', { cluster, podExecutionRole: new PodExecutionRole(stack, 'RA', { cluster }), selectors: [{ namespace: 'a' }] });
    new FargateProfile(stack, 'B', { cluster: other, podExecutionRole: new PodExecutionRole(stack, 'RB', { cluster: other }), selectors: [{ namespace: 'a' }] });
    const profiles = resourcesOfType(synth(app).templates.Test, 'AWS::EKS::FargateProfile');
    expect(profiles.map(([, p]) => p.DependsOn)).toEqual([undefined, undefined]);
  });

  test('a role of another IPodExecutionRole implementation is a pod execution role once a profile uses it: no access entry for it', () => {
    const { app, stack, cluster } = setup();
    const custom = new Construct(stack, 'Custom') as any;
    custom.role = iam.Role.fromRoleArn(custom, 'R', 'arn:aws:iam::111122223333:role/custom-fargate');
    custom.roleArn = 'arn:aws:iam::111122223333:role/custom-fargate';
    new FargateProfile(stack, 'P', { cluster, podExecutionRole: custom, selectors: [{ namespace: 'default' }] });
    new AccessEntry(stack, 'E', { cluster, principalArn: custom.roleArn, type: AccessEntryType.FARGATE_LINUX });
    expect(() => app.synth()).toThrow(/\[Test\/E\] principalArn: 'arn:aws:iam::111122223333:role\/custom-fargate' is a Fargate profile's pod execution role in this app \(Test\/P\/Resource\).*\[access-entry-eks-managed-role\]/);
  });

  test('an imported pod execution role', () => {
    const { app, stack, cluster } = setup();
    const podExecutionRole = PodExecutionRole.fromRoleArn(stack, 'Existing', 'arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole');
    new FargateProfile(stack, 'P', { cluster, podExecutionRole, selectors: [{ namespace: 'default' }] });
    const [[, p]] = resourcesOfType(synth(app).templates.Test, 'AWS::EKS::FargateProfile');
    expect(p.Properties.PodExecutionRoleArn).toBe('arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole');
  });

  test('six selectors need the raised quota', () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ namespace: `ns-${i}` }));
    const a = setup();
    const role = PodExecutionRole.fromRoleArn(a.stack, 'R', 'arn:aws:iam::111122223333:role/x');
    expectIdentityError(() => new FargateProfile(a.stack, 'P', { cluster: a.cluster, podExecutionRole: role, selectors: six }), 'selectors', /6 selectors.*quotas\.selectorsPerFargateProfile/);
    new FargateProfile(a.stack, 'Q', { cluster: a.cluster, podExecutionRole: role, selectors: six, quotas: { selectorsPerFargateProfile: 6 } });
    expect(resourcesOfType(synth(a.app).templates.Test, 'AWS::EKS::FargateProfile')[0][1].Properties.Selectors).toHaveLength(6);
  });

  test('six labels need the raised quota', () => {
    const labels = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`k${i}`, 'v']));
    const { stack, cluster } = setup();
    const role = PodExecutionRole.fromRoleArn(stack, 'R', 'arn:aws:iam::111122223333:role/x');
    expectIdentityError(() => new FargateProfile(stack, 'P', { cluster, podExecutionRole: role, selectors: [{ namespace: 'a', labels }] }), 'selectors[0].labels', /quotas\.labelsPerFargateSelector/);
    new FargateProfile(stack, 'Q', { cluster, podExecutionRole: role, selectors: [{ namespace: 'a', labels }], quotas: { labelsPerFargateSelector: 6 } });
  });

  test.each([
    ['selectors', { selectors: [] }, /at least one selector/],
    ['selectors[0].namespace', { selectors: [{ labels: { a: 'b' } }] }, /is required/],
    ['selectors[0].namespace', { selectors: [{ namespace: 'Prod_*' }] }, /DNS-1123/],
    ['subnetIds[0]', { subnetIds: ['subnet-nothex'] }, /subnet id/],
    ['quotas.selectorsPerFargateProfile', { quotas: { selectorsPerFargateProfile: 4 } }, /5\.\.100/],
  ])('bad %s is refused', (field, extra, message) => {
    const { stack, cluster } = setup();
    const role = PodExecutionRole.fromRoleArn(stack, 'R', 'arn:aws:iam::111122223333:role/x');
    expectIdentityError(() => new FargateProfile(stack, 'P', { cluster, podExecutionRole: role, selectors: [{ namespace: 'a' }], ...extra } as any), field, message);
  });

  test('two profiles with one name on one cluster are refused, also from two stacks', () => {
    const { app, stack, cluster } = setup();
    const role = PodExecutionRole.fromRoleArn(stack, 'R', 'arn:aws:iam::111122223333:role/x');
    new FargateProfile(stack, 'A', { cluster, podExecutionRole: role, fargateProfileName: 'web', selectors: [{ namespace: 'a' }] });
    const other = new Stack(app, 'Other', { env: ENV });
    const again = IdentityCluster.fromAttributes(other, 'Cluster', { clusterName: 'my-cluster' });
    new FargateProfile(other, 'B', { cluster: again, podExecutionRole: PodExecutionRole.fromRoleArn(other, 'R', 'arn:aws:iam::111122223333:role/x'), fargateProfileName: 'web', selectors: [{ namespace: 'b' }] });
    expectSynthError(app, 'Other/B', 'fargateProfileName', /is already the name of the Fargate profile at Fargate profile 'web' of cluster 'my-cluster' \(Test\/A\).*unique per cluster/, 'fargate-profile-name-unique');
  });

  test('profiles of one name on two clusters are fine', () => {
    const { app, stack, cluster } = setup();
    const role = PodExecutionRole.fromRoleArn(stack, 'R', 'arn:aws:iam::111122223333:role/x');
    const other = IdentityCluster.fromAttributes(stack, 'Other', { clusterName: 'other' });
    new FargateProfile(stack, 'A', { cluster, podExecutionRole: role, fargateProfileName: 'web', selectors: [{ namespace: 'a' }] });
    new FargateProfile(stack, 'B', { cluster: other, podExecutionRole: role, fargateProfileName: 'web', selectors: [{ namespace: 'b' }] });
    expect(() => app.synth()).not.toThrow();
  });

  test('more than 10 profiles on one cluster: a warning', () => {
    const { app, stack, cluster } = setup();
    const role = PodExecutionRole.fromRoleArn(stack, 'R', 'arn:aws:iam::111122223333:role/x');
    for (let i = 0; i < 11; i++) new FargateProfile(stack, `P${i}`, { cluster, podExecutionRole: role, selectors: [{ namespace: `ns-${i}` }] });
    expect(warnings(synth(app)).join('\n')).toMatch(/11 profiles.*\[fargate-profiles-per-cluster\]/);
  });

  test('IRSA works on Fargate: a Fargate namespace with an IRSA service account is fine', () => {
    const { app, stack, cluster } = setup(ENV, { oidcIssuerUrl: 'https://oidc.eks.us-west-2.amazonaws.com/id/X' });
    const role = new PodExecutionRole(stack, 'R', { cluster });
    new FargateProfile(stack, 'P', { cluster, podExecutionRole: role, selectors: [{ namespace: 'web' }] });
    new WorkloadIdentity(stack, 'W', { cluster, namespace: 'web', serviceAccountName: 'front', mechanism: IdentityMechanism.IRSA });
    const out = synth(app);
    expect(out.manifests.Test[0].metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::111122223333:role/my-cluster-web-front');
    expect(warnings(out)).toEqual([]);
  });

  test('snapshot: role and two chained profiles', () => {
    const { app, stack, cluster } = setup();
    const podExecutionRole = new PodExecutionRole(stack, 'PodExecution', { cluster, roleName: 'my-cluster-fargate' });
    new FargateProfile(stack, 'DefaultProfile', { cluster, podExecutionRole, fargateProfileName: 'default', selectors: [{ namespace: 'default' }, { namespace: 'kube-system' }] });
    new FargateProfile(stack, 'Web', { cluster, podExecutionRole, fargateProfileName: 'web', subnetIds: ['subnet-0123456789abcdef0'], selectors: [{ namespace: 'web-*', labels: { tier: 'front' } }] });
    expect(synth(app).templates.Test).toMatchSnapshot();
  });
});
