import { App, CfnResource, RemovalPolicy, Stack, Stage } from 'aws-cdk-lib';
import { CfnFargateProfile, CfnNodegroup } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kplus from 'cdk8s-plus-28';
import {
  AccessEntry, AccessEntryProps, AccessEntryType, AccessPolicy, AccessScope, AuthenticationMode, IdentityChart, IdentityCluster,
} from '../lib';
import { expectIdentityError } from './util/expect-error';
import { resourcesOfType, synth } from './util/synth';
import { IdentityModel } from '../lib/model/identity-model';

const ENV = { account: '111122223333', region: 'us-west-2' };
const MY_ROLE = 'arn:aws:iam::111122223333:role/my-role';

function setup(authenticationMode: AuthenticationMode | undefined = AuthenticationMode.API_AND_CONFIG_MAP) {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: ENV });
  const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', { clusterName: 'my-cluster', authenticationMode });
  const entry = (id: string, props: Omit<AccessEntryProps, 'cluster'>) => new AccessEntry(stack, id, { cluster, ...props });
  return { app, stack, cluster, entry };
}

const entries = (t: any) => resourcesOfType(t, 'AWS::EKS::AccessEntry').map(([, r]) => r);

/** Synth fails through node validation; the message names the field first. */
function expectSynthError(app: App, field: string, msg: RegExp) {
  let caught: any;
  try {
    app.synth();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeDefined();
  expect(caught.message).toMatch(new RegExp(`\\] ${field.replace(/[[\].]/g, '\\$&')}: `));
  expect(caught.message).toMatch(msg);
}

describe('seed 002: the three CLI examples as CloudFormation properties', () => {
  test('EC2_LINUX node role; STANDARD role with username and group; STANDARD user with username', () => {
    const { app, entry } = setup();
    const ng = entry('Ng', { principalArn: 'arn:aws:iam::111122223333:role/EKS-my-cluster-self-managed-ng-1', type: AccessEntryType.EC2_LINUX });
    const role = entry('Role', { principalArn: MY_ROLE, type: AccessEntryType.STANDARD, username: 'Viewers', kubernetesGroups: ['Viewers'] });
    const user = entry('User', { principalArn: 'arn:aws:iam::111122223333:user/my-user', type: AccessEntryType.STANDARD, username: 'my-user' });
    IdentityChart.forStack(role).bindGroup({ group: 'Viewers', clusterRole: 'view' });
    const out = synth(app);
    expect(entries(out.templates.Test)).toEqual([
      { Type: 'AWS::EKS::AccessEntry', Properties: { ClusterName: 'my-cluster', PrincipalArn: 'arn:aws:iam::111122223333:role/EKS-my-cluster-self-managed-ng-1', Type: 'EC2_LINUX' } },
      { Type: 'AWS::EKS::AccessEntry', Properties: { ClusterName: 'my-cluster', PrincipalArn: MY_ROLE, Type: 'STANDARD', Username: 'Viewers', KubernetesGroups: ['Viewers'] } },
      { Type: 'AWS::EKS::AccessEntry', Properties: { ClusterName: 'my-cluster', PrincipalArn: 'arn:aws:iam::111122223333:user/my-user', Type: 'STANDARD', Username: 'my-user' } },
    ]);
    expect(ng.effectiveUsername).toBe('system:node:{{EC2PrivateDNSName}}');
    expect(role.effectiveUsername).toBe('Viewers');
    expect(user.effectiveUsername).toBe('my-user');
    // the role's username names no session: a warning (recommended, not required)
    expect(out.annotations.filter(a => a.level === 'warning').map(a => a.message))
      .toEqual([expect.stringMatching(/^username: 'Viewers' .*\{\{SessionName\}\}.*\[access-entry-username-session-name\]/)]);
  });
});

describe('bad input fails synth naming the field', () => {
  test.each<[string, Omit<AccessEntryProps, 'cluster'>, string, RegExp]>([
    ['username system:admin', { principalArn: MY_ROLE, username: 'system:admin' }, 'username', /starts with 'system:', a prefix EKS reserves/],
    ['username john{{SessionName}}', { principalArn: MY_ROLE, username: 'john{{SessionName}}' }, 'username', /without a ':' before it/],
    ['groups on EC2_LINUX', { principalArn: MY_ROLE, type: AccessEntryType.EC2_LINUX, kubernetesGroups: ['nodes'] }, 'kubernetesGroups', /only STANDARD entries take kubernetes groups/],
    ['group system:masters', { principalArn: MY_ROLE, kubernetesGroups: ['system:masters'] }, 'kubernetesGroups[0]', /starts with 'system:'.*fix: associate AmazonEKSClusterAdminPolicy/],
    ['type EC2_Linux', { principalArn: MY_ROLE, type: 'EC2_Linux' as AccessEntryType }, 'type', /is not an access entry type.*fix: write 'EC2_LINUX'/],
    ['a service-linked role', { principalArn: 'arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS' }, 'principalArn', /service-linked role/],
    ['an assumed-role session', { principalArn: 'arn:aws:sts::111122223333:assumed-role/my-role/john' }, 'principalArn', /STS session ARN.*fix: use the role ARN, e.g. arn:aws:iam::111122223333:role\/my-role/],
    ['namespace scope without namespaces', { principalArn: MY_ROLE, accessPolicies: [{ policy: AccessPolicy.AMAZON_EKS_VIEW_POLICY, scope: AccessScope.namespaces() }] }, 'accessPolicies[0].scope.namespaces', /namespace scope without namespaces/],
    ['the same policy twice', {
      principalArn: MY_ROLE,
      accessPolicies: [AccessPolicy.AMAZON_EKS_VIEW_POLICY.scoped(), AccessPolicy.fromName('AmazonEKSViewPolicy').scoped(AccessScope.namespaces('dev'))],
    }, 'accessPolicies[1].policy', /already associated as accessPolicies\[0\]/],
    ['a policy on FARGATE_LINUX', { principalArn: MY_ROLE, type: AccessEntryType.FARGATE_LINUX, accessPolicies: [AccessPolicy.AMAZON_EKS_VIEW_POLICY.scoped()] }, 'accessPolicies', /STANDARD and EC2 entries only/],
    ['a service-linked-only policy', { principalArn: MY_ROLE, accessPolicies: [AccessPolicy.AMAZON_EKS_HYBRID_POLICY.scoped()] }, 'accessPolicies[0].policy', /service-linked roles only/],
    ['an IAM user on a node type', { principalArn: 'arn:aws:iam::111122223333:user/bob', type: AccessEntryType.EC2_WINDOWS }, 'principalArn', /takes an IAM role only/],
    ['a node role of another account', { principalArn: 'arn:aws:iam::444455556666:role/nodes', type: AccessEntryType.EC2_LINUX }, 'principalArn', /cluster's account \(111122223333\)/],
    ['a policy ARN of another partition', { principalArn: MY_ROLE, accessPolicies: [AccessPolicy.fromArn('arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy').scoped()] }, 'accessPolicies[0].policy', /partition aws-cn/],
    ['an aws: tag', { principalArn: MY_ROLE, tags: { 'aws:team': 'x' } }, 'tags.aws:team', /reserves/],
  ])('%s', (_, props, field, msg) => {
    const { entry } = setup();
    expectIdentityError(() => entry('E', props), field, msg);
  });

  test('access entries on a CONFIG_MAP cluster', () => {
    const { entry } = setup(AuthenticationMode.CONFIG_MAP);
    expectIdentityError(() => entry('E', { principalArn: MY_ROLE }), 'cluster.authenticationMode', /CONFIG_MAP.*fix: switch the cluster to API_AND_CONFIG_MAP/);
  });

  test('principal and principalArn together, or neither, or an IAM group', () => {
    const { stack, entry } = setup();
    const role = iam.Role.fromRoleArn(stack, 'R', MY_ROLE);
    expectIdentityError(() => entry('A', { principal: role, principalArn: MY_ROLE }), 'principalArn', /together with principal/);
    expectIdentityError(() => entry('B', {}), 'principal', /is required/);
    expectIdentityError(() => entry('C', { principal: new iam.Group(stack, 'G') }), 'principal', /neither an IAM role nor an IAM user/);
  });

  test('two entries for one principal on one cluster: the second fails synth', () => {
    const { app, entry } = setup();
    entry('First', { principalArn: MY_ROLE });
    entry('Second', { principalArn: MY_ROLE, username: 'x:{{SessionName}}' });
    expectSynthError(app, 'principalArn', /\[Test\/Second\] principalArn: 'arn:aws:iam::111122223333:role\/my-role' already has an access entry on cluster my-cluster \(Test\/First\/Resource\)/);
  });

  test('one principal as an IRole and as its ARN on one cluster', () => {
    const { app, stack, entry } = setup();
    const role = new iam.Role(stack, 'R', { roleName: 'my-role', assumedBy: new iam.AccountRootPrincipal() });
    entry('ByObject', { principal: role });
    entry('ByArn', { principalArn: MY_ROLE });
    expectSynthError(app, 'principalArn', /already has an access entry .*Test\/ByObject\/Resource/);
  });

  test('inside a Stage, and found again after more entries are added between two syntheses', () => {
    const app = new App();
    const stage = new Stage(app, 'Prod');
    const stack = new Stack(stage, 'Test', { env: ENV });
    const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', { clusterName: 'my-cluster' });
    new AccessEntry(stack, 'First', { cluster, principalArn: MY_ROLE });
    stage.synth({ force: true });
    new AccessEntry(stack, 'Second', { cluster, principalArn: MY_ROLE });
    expect(() => stage.synth({ force: true })).toThrow(/\[Prod\/Test\/Second\] principalArn: .* already has an access entry .*Prod\/Test\/First\/Resource/);
  });

  test('one principal on two clusters is fine', () => {
    const { app, stack, entry } = setup();
    const other = IdentityCluster.fromAttributes(stack, 'Other', { clusterName: 'other-cluster' });
    entry('A', { principalArn: MY_ROLE });
    new AccessEntry(stack, 'B', { cluster: other, principalArn: MY_ROLE });
    expect(entries(synth(app).templates.Test)).toHaveLength(2);
  });
});

describe('roles EKS maps itself', () => {
  test('a managed node group\'s role (L1 AWS::EKS::Nodegroup, role named literally)', () => {
    const { app, stack, entry } = setup();
    const nodes = new iam.Role(stack, 'Nodes', { roleName: 'my-nodes', assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    new CfnNodegroup(stack, 'Ng', { clusterName: 'my-cluster', nodeRole: nodes.roleArn, subnets: ['subnet-0123456789abcdef0'] });
    entry('E', { principalArn: 'arn:aws:iam::111122223333:role/my-nodes', type: AccessEntryType.EC2_LINUX });
    expectSynthError(app, 'principalArn', /managed node group's node role in this app \(Test\/Ng\).*EKS creates its access entry itself/);
  });

  test('a Fargate pod execution role (L1 AWS::EKS::FargateProfile, same IRole)', () => {
    const { app, stack, entry } = setup();
    const pods = new iam.Role(stack, 'Pods', { assumedBy: new iam.ServicePrincipal('eks-fargate-pods.amazonaws.com') });
    new CfnFargateProfile(stack, 'Fp', { clusterName: 'my-cluster', podExecutionRoleArn: pods.roleArn, selectors: [{ namespace: 'default' }] });
    entry('E', { principal: pods, type: AccessEntryType.FARGATE_LINUX });
    expectSynthError(app, 'principal', /Fargate profile's pod execution role in this app \(Test\/Fp\)/);
  });

  test('a role recorded by another construct (IdentityModel.addEksManagedRole)', () => {
    const { app, stack, entry } = setup();
    IdentityModel.of(stack).addEksManagedRole(stack, 'arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole', 'fargate-pod-execution-role', 'my-cluster');
    entry('E', { principalArn: 'arn:aws:iam::111122223333:role/AmazonEKSFargatePodExecutionRole', type: AccessEntryType.FARGATE_LINUX });
    expectSynthError(app, 'principalArn', /Fargate profile's pod execution role in this app \(Test\)/);
  });

  test('the same role name on another literal cluster is not a conflict', () => {
    const { app, stack, entry } = setup();
    IdentityModel.of(stack).addEksManagedRole(stack, 'arn:aws:iam::111122223333:role/pods', 'fargate-pod-execution-role', 'other-cluster');
    entry('E', { principalArn: 'arn:aws:iam::111122223333:role/pods', type: AccessEntryType.FARGATE_LINUX });
    expect(entries(synth(app).templates.Test)).toHaveLength(1);
  });

  test('aws-eks-v2: Nodegroup and FargateProfile roles, and a duplicate of cluster.grantAccess', () => {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: ENV });
    const eksCluster = new eks.Cluster(stack, 'Eks', { clusterName: 'prod', version: eks.KubernetesVersion.V1_31 });
    const cluster = IdentityCluster.fromCluster(stack, 'Ref', eksCluster, { clusterName: 'prod', authenticationMode: AuthenticationMode.API });
    const ng = new eks.Nodegroup(stack, 'Ng', { cluster: eksCluster });
    const fp = new eks.FargateProfile(stack, 'Fp', { cluster: eksCluster, selectors: [{ namespace: 'default' }] });
    eksCluster.grantAccess('Admin', 'arn:aws:iam::111122223333:role/admin', [eks.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eks.AccessScopeType.CLUSTER })]);
    new AccessEntry(stack, 'NgEntry', { cluster, principal: ng.role, type: AccessEntryType.EC2_LINUX });
    new AccessEntry(stack, 'FpEntry', { cluster, principal: fp.podExecutionRole, type: AccessEntryType.FARGATE_LINUX });
    new AccessEntry(stack, 'AdminEntry', { cluster, principalArn: 'arn:aws:iam::111122223333:role/admin' });
    let message = '';
    try {
      app.synth();
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toMatch(/\[Test\/NgEntry\] principal: 'Test\/Ng\/NodeGroupRole \(unresolved ARN\)' is a managed node group's node role in this app \(Test\/Ng\/Resource\)/);
    expect(message).toMatch(/\[Test\/FpEntry\] principal: .* Fargate profile's pod execution role in this app \(Test\/Fp\/Resource\)/);
    expect(message).toMatch(/\[Test\/AdminEntry\] principalArn: 'arn:aws:iam::111122223333:role\/admin' already has an access entry on cluster prod \(Test\/Eks\/Admin\/Resource\)/);
  });
});

describe('good input synthesizes (cfn-lint clean, manifests schema-valid)', () => {
  test(':john{{SessionName}}, role paths, SSO roles, EC2 with AmazonEKSAutoNodePolicy, policies by name and ARN', () => {
    const { app, entry } = setup(AuthenticationMode.API);
    entry('John', { principalArn: MY_ROLE, username: ':john{{SessionName}}' });
    entry('Path', { principalArn: 'arn:aws:iam::111122223333:role/development/apps/my-role', kubernetesGroups: ['devs'] });
    entry('Sso', {
      principalArn: 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef',
      accessPolicies: [
        AccessPolicy.AMAZON_EKS_ADMIN_POLICY.scoped(AccessScope.namespaces('team-a', 'dev-*')),
        { policy: AccessPolicy.fromArn('arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy') },
      ],
    });
    entry('Auto', { principalArn: 'arn:aws:iam::111122223333:role/auto-nodes', type: AccessEntryType.EC2, accessPolicies: [AccessPolicy.AMAZON_EKS_AUTO_NODE_POLICY.scoped()] });
    entry('Cross', { principalArn: 'arn:aws:iam::444455556666:role/auditor', accessPolicies: [AccessPolicy.AMAZON_EKS_VIEW_POLICY.scoped()] });
    const chart = IdentityChart.forStack(app.node.findChild('Test'));
    chart.bindGroup({ group: 'devs', clusterRole: 'edit', namespaces: ['dev-a'] });
    const out = synth(app);
    const [john, path, sso, auto, cross] = entries(out.templates.Test).map(e => e.Properties);
    expect(john.Username).toBe(':john{{SessionName}}');
    expect(path.PrincipalArn).toBe('arn:aws:iam::111122223333:role/development/apps/my-role');
    expect(sso.AccessPolicies).toEqual([
      { PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy', AccessScope: { Type: 'namespace', Namespaces: ['team-a', 'dev-*'] } },
      { PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', AccessScope: { Type: 'cluster' } },
    ]);
    expect(auto).toEqual({
      ClusterName: 'my-cluster',
      PrincipalArn: 'arn:aws:iam::111122223333:role/auto-nodes',
      Type: 'EC2',
      AccessPolicies: [{ PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy', AccessScope: { Type: 'cluster' } }],
    });
    expect(cross.PrincipalArn).toBe('arn:aws:iam::444455556666:role/auditor');
    expect(out.annotations.filter(a => a.level === 'warning')).toEqual([]);
  });

  test('the partition of a policy name follows the cluster\'s region', () => {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: '111122223333', region: 'cn-north-1' } });
    const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', { clusterName: 'c' });
    new AccessEntry(stack, 'E', { cluster, principalArn: 'arn:aws-cn:iam::111122223333:role/r', accessPolicies: [AccessPolicy.AMAZON_EKS_VIEW_POLICY.scoped()] });
    expect(entries(synth(app).templates.Test)[0].Properties.AccessPolicies[0].PolicyArn).toBe('arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy');
  });

  test('principal as iam.IRole and iam.IUser; effective usernames; tags; removal policy', () => {
    const { app, stack, entry } = setup();
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    const user = iam.User.fromUserArn(stack, 'U', 'arn:aws:iam::111122223333:user/team/bob');
    const byRole = entry('ByRole', { principal: role, tags: { team: 'a', env: 'dev' }, removalPolicy: RemovalPolicy.RETAIN });
    const byUser = entry('ByUser', { principal: user });
    const imported = entry('Imported', { principal: iam.Role.fromRoleArn(stack, 'I', 'arn:aws:iam::111122223333:role/ops/imported') });
    expect(stack.resolve(byRole.effectiveUsername)).toEqual({ 'Fn::Join': ['', ['arn:aws:sts::111122223333:assumed-role/', { Ref: 'RC21A1702' }, '/{{SessionName}}']] });
    expect(byUser.effectiveUsername).toBe('arn:aws:iam::111122223333:user/team/bob');
    expect(imported.effectiveUsername).toBe('arn:aws:sts::111122223333:assumed-role/imported/{{SessionName}}');
    const t = synth(app).templates.Test;
    const [r, u] = resourcesOfType(t, 'AWS::EKS::AccessEntry').map(([, x]) => x);
    expect(r.Properties.PrincipalArn).toEqual({ 'Fn::GetAtt': ['RC21A1702', 'Arn'] });
    expect(r.Properties.Tags).toEqual([{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'a' }]);
    expect(r.DeletionPolicy).toBe('Retain');
    expect(u.Properties.PrincipalArn).toBe('arn:aws:iam::111122223333:user/team/bob');
    expect(u.DeletionPolicy).toBeUndefined();
  });

  test('an IAM user object on a node type is refused even when its ARN is a token', () => {
    const { stack, entry } = setup();
    const user = new iam.User(stack, 'U');
    expectIdentityError(() => entry('E', { principal: user, type: AccessEntryType.EC2_LINUX }), 'principal', /takes an IAM role only/);
  });

  test('an unknown policy name is a warning, not an error', () => {
    const { app, entry } = setup();
    entry('E', { principalArn: MY_ROLE, accessPolicies: [AccessPolicy.fromName('AmazonEKSBrandNewPolicy').scoped()] });
    expect(synth(app).annotations.map(a => a.message)).toEqual([expect.stringContaining('[access-policy-unknown]')]);
  });

  test('unresolved tokens are not validated', () => {
    const { app, stack, entry } = setup();
    const p = new CfnResource(stack, 'P', { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x' } });
    const v = p.getAtt('Value').toString();
    entry('E', {
      principalArn: v,
      username: v,
      kubernetesGroups: [v],
      accessPolicies: [AccessPolicy.fromName(v).scoped(AccessScope.namespaces(v)), AccessPolicy.fromArn(v).scoped()],
    });
    expect(entries(synth(app).templates.Test)).toHaveLength(1);
  });
});

describe('groups and RBAC', () => {
  test('a group bound by no binding of the app is a warning; bound ones are not', () => {
    const { app, stack, entry } = setup();
    entry('E', { principalArn: MY_ROLE, kubernetesGroups: ['viewers', 'editors', 'admins'] });
    const chart = IdentityChart.forStack(stack);
    chart.bindGroup({ group: 'viewers', clusterRole: 'view' });
    // a binding added to the chart directly counts too
    new kplus.ClusterRoleBinding(chart, 'Direct', { role: kplus.ClusterRole.fromClusterRoleName(chart, 'Admin', 'admin') })
      .addSubjects(kplus.Group.fromName(chart, 'Admins', 'admins'));
    const out = synth(app);
    const warnings = out.annotations.filter(a => a.level === 'warning').map(a => a.message);
    expect(warnings).toEqual([expect.stringMatching(/^kubernetesGroups\[1\]: 'editors' is bound by no RoleBinding or ClusterRoleBinding/)]);
  });

  test('a binding in another stack of the app counts', () => {
    const { app, entry } = setup();
    const other = new Stack(app, 'Rbac', { env: ENV });
    new CfnResource(other, 'Placeholder', { type: 'AWS::CloudFormation::WaitConditionHandle' });
    IdentityChart.forStack(other).bindGroup({ group: 'viewers', clusterRole: 'view' });
    entry('E', { principalArn: MY_ROLE, kubernetesGroups: ['viewers'] });
    expect(synth(app).annotations.filter(a => a.level === 'warning')).toEqual([]);
  });

  test('bindGroup: ClusterRoleBinding or RoleBindings, schema-valid', () => {
    const { app, stack, entry } = setup();
    entry('E', { principalArn: MY_ROLE, kubernetesGroups: ['Viewers', 'developers'] });
    const chart = IdentityChart.forStack(stack);
    chart.bindGroup({ group: 'Viewers', clusterRole: 'view' });
    const rbs = chart.bindGroup({ group: 'developers', clusterRole: 'system:aggregate-to-edit', namespaces: ['dev-a', 'dev-b'], name: 'developers-edit' });
    expect(rbs).toHaveLength(2);
    expect(synth(app).manifests.Test).toEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'viewers-view' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'Viewers' }],
      },
      ...['dev-a', 'dev-b'].map(namespace => ({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'developers-edit', namespace },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:aggregate-to-edit' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'developers' }],
      })),
    ]);
  });

  test('bindGroup refuses bad names, wildcards and duplicates', () => {
    const { stack } = setup();
    const chart = IdentityChart.forStack(stack);
    expectIdentityError(() => chart.bindGroup({ group: 'g', clusterRole: 'a/b' }), 'clusterRole', /not a valid ClusterRole name/);
    expectIdentityError(() => chart.bindGroup({ group: '', clusterRole: 'view' }), 'group', /is empty/);
    expectIdentityError(() => chart.bindGroup({ group: 'g', clusterRole: 'view', namespaces: ['dev-*'] }), 'namespaces[0]', /wildcard/);
    expectIdentityError(() => chart.bindGroup({ group: 'g', clusterRole: 'view', namespaces: [] }), 'namespaces', /is empty/);
    expectIdentityError(() => chart.bindGroup({ group: 'g', clusterRole: 'view', name: '..' }), 'name', /not a valid ClusterRoleBinding name/);
    chart.bindGroup({ group: 'g', clusterRole: 'view', namespaces: ['a'] });
    expectIdentityError(() => chart.bindGroup({ group: 'g', clusterRole: 'view', namespaces: ['b', 'a'] }), 'name', /'a\/g-view' is already a RoleBinding/);
  });
});

describe('cfn-lint custom rule: an independent gate on the type', () => {
  test('a type that slips past our rules (escape hatch) fails cfn-lint', () => {
    const { app, entry } = setup();
    const e = entry('E', { principalArn: MY_ROLE });
    (e.node.defaultChild as CfnResource).addPropertyOverride('Type', 'EC2_Linux');
    expect(() => synth(app)).toThrow(/E9001 Error: AWS::EKS::AccessEntry Type must be one of STANDARD, .* at Resources\/E\w+\/Properties\/Type/);
  });
});
