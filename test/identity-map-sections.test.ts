/**
 * The identity map's sections (roles, Pod Identity associations, RBAC bindings, Fargate profiles,
 * access entries, OIDC providers): each with a case that shows it and one that does not; values
 * known only at deploy are readable, never CDK tokens; one map per deployable stack.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AccessEntry, AccessPolicy, AuthenticationMode, FargateProfile, IdentityChart, IdentityCluster, IdentityMechanism, PodExecutionRole,
  ServiceAccountRole, WorkloadIdentity, WorkloadIdentityStack,
} from '../lib';
import { checkIdentityMaps } from './util/identity-maps';
import { synth } from './util/synth';

const ROOT = path.join(__dirname, '..');
const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const ENV = { account: '111122223333', region: 'us-west-2' };
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'idmap-'));
const md = (dir: string, id: string) => fs.readFileSync(path.join(dir, `${id}.identity.md`), 'utf8');
const SECTIONS = ['serviceAccounts', 'accessEntries', 'roles', 'podIdentityAssociations', 'rbacBindings', 'fargateProfiles', 'oidcProviders'];

const literalCluster = (stack: Stack) => IdentityCluster.fromAttributes(stack, 'C', {
  clusterName: 'my-cluster', account: ENV.account, region: ENV.region, oidcIssuerUrl: ISSUER, authenticationMode: AuthenticationMode.API,
});

function specMap(example: string): { dir: string; map: any } {
  const dir = tmp();
  const app = new App({ outdir: dir });
  WorkloadIdentityStack.fromSpecFile(app, 'Ex', path.join(ROOT, 'examples', example, 'identity.yaml'));
  // aws-cdk-lib's kubectl provider (the apply example) has a DependsOn redundant with its GetAtt (W3005)
  return { dir, map: synth(app, { tolerateWarnings: ['W3005'] }).identityMaps.Ex };
}

describe('absent sections are empty lists and "None." tables', () => {
  test('the quickstart (IRSA only) has no Pod Identity association, access entry, RBAC binding or Fargate profile', () => {
    const { dir, map } = specMap('quickstart');
    expect(map.version).toBe(1);
    expect(Object.keys(map)).toEqual(['version', 'stack', ...SECTIONS]);
    for (const key of ['podIdentityAssociations', 'accessEntries', 'rbacBindings', 'fargateProfiles']) expect(map[key]).toEqual([]);
    for (const title of ['Pod Identity associations', 'Access entries', 'RBAC bindings', 'Fargate profiles']) expect(md(dir, 'Ex')).toContain(`## ${title}\n\nNone.\n`);
  });

  test('an access-entries-only spec has no role, service account or OIDC provider', () => {
    const { dir, map } = specMap('access-entries');
    for (const key of ['roles', 'serviceAccounts', 'oidcProviders', 'podIdentityAssociations', 'fargateProfiles']) expect(map[key]).toEqual([]);
    expect(md(dir, 'Ex')).toContain('## Roles\n\nNone.\n');
    expect(md(dir, 'Ex')).toContain('## OIDC providers\n\nNone.\n');
  });
});

test('roles: a wildcard ServiceAccountRole (StringLike on sub) is marked; an exact one with two subjects is not', () => {
  const dir = tmp();
  const app = new App({ outdir: dir });
  const stack = new Stack(app, 'Roles', { env: ENV });
  const cluster = literalCluster(stack);
  new ServiceAccountRole(stack, 'Runners', { cluster, roleName: 'ci-runners', allowWildcards: true, subjects: [{ namespace: 'ci', serviceAccountName: 'runner-*' }] });
  new ServiceAccountRole(stack, 'Pair', {
    cluster,
    roleName: 'pair',
    subjects: [{ namespace: 'b', serviceAccountName: 'two' }, { namespace: 'a', serviceAccountName: 'one' }],
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSQSReadOnlyAccess')],
  });
  const map = synth(app).identityMaps.Roles;
  const byName = Object.fromEntries(map.roles.map((r: any) => [r.name, r]));
  expect(byName['ci-runners']).toEqual({
    path: 'Roles/Runners',
    mechanism: 'irsa',
    name: 'ci-runners',
    arn: 'arn:aws:iam::111122223333:role/ci-runners',
    subjects: [{ issuer: ISSUER.slice('https://'.length), namespace: 'ci', serviceAccount: 'runner-*', sub: 'system:serviceaccount:ci:runner-*' }],
    wildcard: true,
    providerArns: [`arn:aws:iam::111122223333:oidc-provider/${ISSUER.slice('https://'.length)}`],
    policies: [],
  });
  // the template agrees: StringLike on the sub
  const t = JSON.parse(fs.readFileSync(path.join(dir, 'Roles.template.json'), 'utf8'));
  const runner: any = Object.values(t.Resources).find((r: any) => r.Properties?.RoleName === 'ci-runners');
  expect(Object.keys(runner.Properties.AssumeRolePolicyDocument.Statement[0].Condition)).toEqual(expect.arrayContaining(['StringLike']));
  expect(byName.pair.wildcard).toBe(false);
  expect(byName.pair.subjects.map((s: any) => s.sub)).toEqual(['system:serviceaccount:a:one', 'system:serviceaccount:b:two']);
  expect(byName.pair.policies).toEqual(['AmazonSQSReadOnlyAccess']);
  // the role made for no WorkloadIdentity shows no service account row
  expect(map.serviceAccounts).toEqual([]);
  expect(md(dir, 'Roles')).toContain('| ci-runners | arn:aws:iam::111122223333:role/ci-runners | irsa | system:serviceaccount:ci:runner-* | yes: StringLike on sub, every matching service account | (none) |');
  expect(md(dir, 'Roles')).toContain('| pair | arn:aws:iam::111122223333:role/pair | irsa | system:serviceaccount:a:one, system:serviceaccount:b:two | no | AmazonSQSReadOnlyAccess |');
});

test('Pod Identity associations, Fargate profiles and OIDC providers of the Fargate example', () => {
  const { dir, map } = specMap('fargate-pod-identity');
  expect(map.podIdentityAssociations).toEqual([
    { cluster: 'my-cluster', namespace: 'payments', serviceAccount: 'ledger', roleArn: 'arn:aws:iam::111122223333:role/my-cluster-payments-ledger', path: 'Ex/payments:ledger/Association' },
    {
      cluster: 'my-cluster',
      namespace: 'payments',
      serviceAccount: 'reports',
      roleArn: 'arn:aws:iam::111122223333:role/my-cluster-payments-reports',
      targetRoleArn: 'arn:aws:iam::444455556666:role/reports-reader',
      path: 'Ex/payments:reports/Association',
    },
  ]);
  const exec = 'arn:aws:iam::111122223333:role/my-cluster-fargate-pod-execution';
  expect(map.fargateProfiles.map((p: any) => [p.name, p.selectors, p.podExecutionRoleArn])).toEqual([
    ['batch', [{ namespace: 'batch-*', labels: { compute: 'fargate' } }], exec],
    ['web', [{ namespace: 'web' }], exec],
  ]);
  expect(map.roles.find((r: any) => r.arn === exec)).toEqual(expect.objectContaining({ mechanism: 'fargate', policies: ['AmazonEKSFargatePodExecutionRolePolicy'] }));
  expect(map.oidcProviders).toEqual([{
    created: true, issuerUrl: ISSUER, arn: `arn:aws:iam::111122223333:oidc-provider/${ISSUER.slice('https://'.length)}`, path: 'Ex/Cluster/OidcProvider',
  }]);
  const text = md(dir, 'Ex');
  expect(text).toContain('| my-cluster | batch | batch-* {compute=fargate} | arn:aws:iam::111122223333:role/my-cluster-fargate-pod-execution |');
  expect(text).toContain('| my-cluster | payments | reports | arn:aws:iam::111122223333:role/my-cluster-payments-reports | arn:aws:iam::444455556666:role/reports-reader |');
  expect(text).toMatch(/(f\d+)\["Fargate profile batch"\][\s\S]*c\d+ --> \1\n {2}\1 -- runs pods of --> n\d+/);
});

test('RBAC bindings: group -> ClusterRole, cluster-wide or per namespace, linked to the access entries that name the group', () => {
  const { dir, map } = specMap('access-entries');
  expect(map.rbacBindings).toEqual([
    { kind: 'ClusterRoleBinding', name: 'viewers-view', role: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'Viewers' }] },
    { kind: 'RoleBinding', name: 'developers-edit', namespace: 'dev-a', role: { kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'Group', name: 'developers' }] },
    { kind: 'RoleBinding', name: 'developers-edit', namespace: 'dev-b', role: { kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'Group', name: 'developers' }] },
  ]);
  const text = md(dir, 'Ex');
  expect(text).toContain('| Group developers | ClusterRole edit | namespace dev-a | RoleBinding developers-edit |');
  expect(text).toContain('| Group Viewers | ClusterRole view | cluster-wide | ClusterRoleBinding viewers-view |');
  // the group node of the access entry is the one the binding starts from
  const group = /(g\d+)\["group developers"\]/.exec(text)![1];
  expect(text.match(/\["group developers"\]/g)).toHaveLength(1);
  expect(text).toContain(`${group} -- RoleBinding --> `);
  expect(text).toMatch(new RegExp(`a\\d+ --> ${group}\\n`));
});

test('a binding added to the chart directly shows as validation sees it', () => {
  const app = new App({ outdir: tmp() });
  const stack = new Stack(app, 'Direct', { env: ENV });
  new AccessEntry(stack, 'Auditors', { cluster: literalCluster(stack), principalArn: 'arn:aws:iam::111122223333:role/auditor', kubernetesGroups: ['auditors'] });
  IdentityChart.forStack(stack).bindGroup({ group: 'auditors', clusterRole: 'view', namespaces: ['audit'] });
  const out = synth(app);
  const map = out.identityMaps.Direct;
  // validation saw the binding too: no unbound-group warning
  expect(out.annotations.filter(a => /auditors/.test(a.message))).toEqual([]);
  expect(map.rbacBindings).toEqual([
    { kind: 'RoleBinding', name: 'auditors-view', namespace: 'audit', role: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'Group', name: 'auditors' }] },
  ]);
});

test('access entries: a principal given as a role object is its ARN, from the model when literal, else the CloudFormation expression', () => {
  const app = new App({ outdir: tmp() });
  const stack = new Stack(app, 'Principals', { env: ENV });
  const cluster = literalCluster(stack);
  const ours = new ServiceAccountRole(stack, 'Ours', { cluster, roleName: 'ours', subjects: [{ namespace: 'a', serviceAccountName: 'b' }] });
  new AccessEntry(stack, 'ForOurs', { cluster, principal: ours.role, accessPolicies: [{ policy: AccessPolicy.AMAZON_EKS_VIEW_POLICY }] });
  const generated = new iam.Role(stack, 'Generated', { assumedBy: new iam.AccountRootPrincipal() });
  new AccessEntry(stack, 'ForGenerated', { cluster, principal: generated, kubernetesGroups: ['ops'] });
  const map = synth(app).identityMaps.Principals;
  const logicalId = stack.resolve((generated.node.defaultChild as iam.CfnRole).logicalId);
  expect(map.accessEntries.map((e: any) => [e.path, e.principalArn, e.username, e.accessPolicies])).toEqual([
    ['Principals/ForGenerated', `\${${logicalId}.Arn}`, `arn:aws:sts::111122223333:assumed-role/\${${logicalId}}/{{SessionName}}`, []],
    ['Principals/ForOurs', 'arn:aws:iam::111122223333:role/ours', 'arn:aws:sts::111122223333:assumed-role/ours/{{SessionName}}', [{ policy: 'AmazonEKSViewPolicy', scope: 'cluster' }]],
  ]);
});

describe('values known only at deploy are readable, never a CDK token', () => {
  test('every example spec: the map matches the schema and holds no token', () => {
    const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter(d => fs.existsSync(path.join(ROOT, 'examples', d, 'identity.yaml')));
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const example of examples) {
      const { dir, map } = specMap(example);
      expect(map).toBeDefined();
      expect(Object.keys(checkIdentityMaps(dir))).toEqual(['Ex']);
    }
  });

  test('an aws-eks-v2 Cluster whose name is a Ref: the cluster is a placeholder, generated role names their CloudFormation expression', () => {
    const dir = tmp();
    const app = new App({ outdir: dir });
    const stack = new Stack(app, 'V2', { env: ENV });
    const prod = new eks.Cluster(stack, 'Prod', { version: eks.KubernetesVersion.V1_31 });
    const cluster = IdentityCluster.fromCluster(stack, 'ProdIdentity', prod, { authenticationMode: AuthenticationMode.API });
    new ServiceAccountRole(stack, 'Api', { cluster, subjects: [{ namespace: 'payments', serviceAccountName: 'api' }] });
    new WorkloadIdentity(stack, 'Ledger', { cluster, namespace: 'payments', serviceAccountName: 'ledger', mechanism: IdentityMechanism.POD_IDENTITY, podIdentity: {} } as any);
    new AccessEntry(stack, 'Admin', { cluster, principalArn: 'arn:aws:iam::111122223333:role/admin', accessPolicies: [{ policy: AccessPolicy.AMAZON_EKS_CLUSTER_ADMIN_POLICY }] });
    const pods = new PodExecutionRole(stack, 'Pods', { cluster });
    new FargateProfile(stack, 'Batch', { cluster, podExecutionRole: pods, selectors: [{ namespace: 'batch' }] });
    const out = synth(app, { tolerateWarnings: ['W3005', 'W3010'] });
    const map = out.identityMaps.V2;
    const text = JSON.stringify(map) + md(dir, 'V2');
    expect(text).not.toMatch(/Token\[/);
    const placeholder = '<cluster name of V2/ProdIdentity>';
    expect(map.accessEntries[0].cluster).toBe(placeholder);
    expect(map.podIdentityAssociations[0].cluster).toBe(placeholder);
    expect(map.serviceAccounts[0].cluster).toBe(placeholder);
    expect(map.fargateProfiles[0]).toEqual(expect.objectContaining({ cluster: placeholder, name: '<generated at deploy>' }));
    // the roles' names are IAM's: their CloudFormation expressions, as the template has them
    const api = map.roles.find((r: any) => r.path === 'V2/Api');
    expect(api.name).toMatch(/^\$\{Api[0-9A-F]{8}\}$/);
    expect(api.arn).toMatch(/^\$\{Api[0-9A-F]{8}\.Arn\}$/);
    expect(api.subjects[0].issuer).toBe('<issuer known at deploy>');
    expect(map.fargateProfiles[0].podExecutionRoleArn).toMatch(/^\$\{Pods[0-9A-F]{8}\.Arn\}$/);
    expect(map.oidcProviders[0]).toEqual(expect.objectContaining({ created: true, issuerUrl: '<issuer of V2/ProdIdentity/OidcProvider, known at deploy>' }));
  });

  test('an environment-agnostic stack: the partition and account are CloudFormation expressions', () => {
    const app = new App({ outdir: tmp() });
    const stack = new Stack(app, 'Agnostic');
    const generated = new iam.Role(stack, 'DevRole', { assumedBy: new iam.AccountRootPrincipal() });
    const cluster = IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'c', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: ISSUER });
    new AccessEntry(stack, 'Dev', { cluster, principal: generated, accessPolicies: [{ policy: AccessPolicy.AMAZON_EKS_VIEW_POLICY }] } as any);
    const map = synth(app).identityMaps.Agnostic;
    expect(map.accessEntries[0].accessPolicies).toEqual([{ policy: 'AmazonEKSViewPolicy', scope: 'cluster' }]);
    expect(map.accessEntries[0].principalArn).toMatch(/^\$\{DevRole[0-9A-F]{8}\.Arn\}$/);
    expect(map.accessEntries[0].username).toMatch(/^arn:aws:sts::\$\{AWS::AccountId\}:assumed-role\/\$\{DevRole[0-9A-F]{8}\}\/\{\{SessionName\}\}$/);
  });
});

describe('one map per deployable stack', () => {
  test('two stacks in one app: each map shows only what its stack declares', () => {
    const dir = tmp();
    const app = new App({ outdir: dir });
    const a = new Stack(app, 'A', { env: ENV });
    const b = new Stack(app, 'B', { env: ENV });
    new WorkloadIdentity(a, 'Web', { cluster: literalCluster(a), namespace: 'web', serviceAccountName: 'web' });
    const cb = literalCluster(b);
    new WorkloadIdentity(b, 'Jobs', { cluster: cb, namespace: 'jobs', serviceAccountName: 'runner', mechanism: IdentityMechanism.POD_IDENTITY });
    new AccessEntry(b, 'Ops', { cluster: cb, principalArn: 'arn:aws:iam::111122223333:role/ops' });
    const maps = synth(app).identityMaps;
    expect(Object.keys(maps).sort()).toEqual(['A', 'B']);
    expect(maps.A.serviceAccounts.map((s: any) => s.serviceAccount)).toEqual(['web']);
    expect(maps.A.roles.map((r: any) => r.path)).toEqual(['A/Web/Role']);
    expect(maps.A.accessEntries).toEqual([]);
    expect(maps.B.serviceAccounts.map((s: any) => s.serviceAccount)).toEqual(['runner']);
    expect(maps.B.roles.map((r: any) => r.path)).toEqual(['B/Jobs/Role']);
    expect(maps.B.podIdentityAssociations.map((p: any) => p.path)).toEqual(['B/Jobs/Association']);
    expect(maps.A.podIdentityAssociations).toEqual([]);
    expect(maps.A.oidcProviders.map((p: any) => p.path)).toEqual(['A/C/OidcProvider']);
    expect(maps.B.oidcProviders).toEqual([]);
    expect(maps.B.accessEntries.map((e: any) => e.principalArn)).toEqual(['arn:aws:iam::111122223333:role/ops']);
  });

  test('a nested layout: one map for the top-level stack, with what its nested stacks declare', () => {
    const dir = tmp();
    const spec = path.join(dir, 'identity.yaml');
    fs.writeFileSync(spec, [
      'cluster: { name: my-cluster, account: "111122223333", region: us-west-2, oidcIssuerUrl: "' + ISSUER + '" }',
      'layout: nested',
      'serviceAccounts:',
      '  - { name: a, namespace: one, role: { managedPolicies: [AmazonS3ReadOnlyAccess] } }',
      '  - { name: b, namespace: two }',
      '',
    ].join('\n'));
    const app = new App({ outdir: path.join(dir, 'out') });
    WorkloadIdentityStack.fromSpecFile(app, 'Nested', spec);
    const out = synth(app);
    expect(fs.readdirSync(path.join(dir, 'out')).filter(f => f.includes('.identity.')).sort()).toEqual(['Nested.identity.json', 'Nested.identity.md']);
    const map = out.identityMaps.Nested;
    expect(map.serviceAccounts.map((s: any) => [s.namespace, s.serviceAccount, s.policies])).toEqual([['one', 'a', ['AmazonS3ReadOnlyAccess']], ['two', 'b', []]]);
    expect(map.roles).toHaveLength(2);
  });
});

test('a stack too big for one Mermaid diagram (over 500 edges) gets a note instead; the tables still list everything', () => {
  const dir = tmp();
  const spec = path.join(dir, 'identity.yaml');
  const sas = Array.from({ length: 300 }, (_, i) => `  - { name: app-${i}, namespace: team }`);
  fs.writeFileSync(spec, [`cluster: { name: my-cluster, account: "111122223333", region: us-west-2, oidcIssuerUrl: "${ISSUER}" }`, 'serviceAccounts:', ...sas, ''].join('\n'));
  const app = new App({ outdir: path.join(dir, 'out') });
  WorkloadIdentityStack.fromSpecFile(app, 'Big', spec);
  const map = synth(app).identityMaps.Big;
  const text = md(path.join(dir, 'out'), 'Big');
  expect(text).not.toContain('```mermaid');
  expect(text).toContain('The diagram is left out: it would have more than 500 edges');
  expect(map.serviceAccounts).toHaveLength(300);
  expect(text.match(/^\| my-cluster \| team \| app-\d+ \| irsa \|/gm)).toHaveLength(300);
});
