import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { IdentitySpecFile, WorkloadIdentityStack } from '../lib';
import { expectIdentityError } from './util/expect-error';
import { resourcesOfType, synth } from './util/synth';

const EXAMPLE = path.join(__dirname, '..', 'examples', 'access-entries', 'identity.yaml');

const HEAD = `
cluster:
  name: my-cluster
  account: "111122223333"
  region: us-west-2
  authenticationMode: API_AND_CONFIG_MAP
`;

function build(yaml: string): { app: App; stack: WorkloadIdentityStack } {
  const app = new App();
  const stack = new WorkloadIdentityStack(app, 'Spec', { spec: IdentitySpecFile.parse(yaml) });
  return { app, stack };
}

const entries = (t: any) => resourcesOfType(t, 'AWS::EKS::AccessEntry').map(([, r]) => r.Properties);

describe('spec accessEntries: the three CLI examples of seed 002', () => {
  test('come out as CloudFormation properties', () => {
    const { app, stack } = build(`${HEAD}
accessEntries:
  - principalArn: arn:aws:iam::111122223333:role/EKS-my-cluster-self-managed-ng-1
    type: EC2_LINUX
  - principalArn: arn:aws:iam::111122223333:role/my-role
    type: STANDARD
    username: Viewers
    kubernetesGroups: [Viewers]
  - principalArn: arn:aws:iam::111122223333:user/my-user
    type: STANDARD
    username: my-user
rbac:
  - group: Viewers
    clusterRole: view
`);
    const out = synth(app);
    expect(entries(out.templates.Spec)).toEqual([
      { ClusterName: 'my-cluster', PrincipalArn: 'arn:aws:iam::111122223333:role/EKS-my-cluster-self-managed-ng-1', Type: 'EC2_LINUX' },
      { ClusterName: 'my-cluster', PrincipalArn: 'arn:aws:iam::111122223333:role/my-role', Type: 'STANDARD', Username: 'Viewers', KubernetesGroups: ['Viewers'] },
      { ClusterName: 'my-cluster', PrincipalArn: 'arn:aws:iam::111122223333:user/my-user', Type: 'STANDARD', Username: 'my-user' },
    ]);
    expect(stack.accessEntries.map(e => e.effectiveUsername)).toEqual(['system:node:{{EC2PrivateDNSName}}', 'Viewers', 'my-user']);
    expect(out.manifests.Spec.map(o => `${o.kind}/${o.metadata.name}`)).toEqual(['ClusterRoleBinding/viewers-view']);
  });

  test('type defaults to STANDARD', () => {
    const { app } = build(`${HEAD}
accessEntries:
  - principalArn: arn:aws:iam::111122223333:role/my-role
`);
    expect(entries(synth(app).templates.Spec)).toEqual([{ ClusterName: 'my-cluster', PrincipalArn: 'arn:aws:iam::111122223333:role/my-role', Type: 'STANDARD' }]);
  });
});

describe('spec accessEntries: bad input names the spec field', () => {
  const ROLE = 'arn:aws:iam::111122223333:role/my-role';
  test.each<[string, string, string, RegExp]>([
    ['username system:admin', `- { principalArn: ${ROLE}, username: "system:admin" }`, 'accessEntries[0].username', /reserves/],
    ['username john{{SessionName}}', `- { principalArn: ${ROLE}, username: "john{{SessionName}}" }`, 'accessEntries[0].username', /without a ':' before it/],
    ['groups on EC2_LINUX', `- { principalArn: ${ROLE}, type: EC2_LINUX, kubernetesGroups: [nodes] }`, 'accessEntries[0].kubernetesGroups', /only STANDARD/],
    ['group system:masters', `- { principalArn: ${ROLE}, kubernetesGroups: ["system:masters"] }`, 'accessEntries[0].kubernetesGroups[0]', /system:/],
    ['type EC2_Linux', `- { principalArn: ${ROLE}, type: EC2_Linux }`, 'accessEntries[0].type', /is not an access entry type.*fix: use the exact upper-case spelling, e.g. EC2_LINUX/],
    ['a service-linked role', '- principalArn: arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS', 'accessEntries[0].principalArn', /service-linked role/],
    ['an assumed-role principal', '- principalArn: arn:aws:sts::111122223333:assumed-role/my-role/john', 'accessEntries[0].principalArn', /STS session ARN/],
    ['two entries for one principal', `- principalArn: ${ROLE}\n  - principalArn: ${ROLE}`, 'accessEntries[1].principalArn', /already has an access entry on cluster my-cluster \(accessEntries\[0\]\)/],
    ['namespace scope without namespaces', `- principalArn: ${ROLE}\n    accessPolicies: [{ policy: AmazonEKSViewPolicy, namespaces: [] }]`, 'accessEntries[0].accessPolicies[0].namespaces', /without namespaces/],
    ['the same policy twice', `- principalArn: ${ROLE}\n    accessPolicies: [{ policy: AmazonEKSViewPolicy }, { policy: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", namespaces: [dev] }]`,
      'accessEntries[0].accessPolicies[1].policy', /already associated/],
    ['a policy on FARGATE_LINUX', `- principalArn: ${ROLE}\n    type: FARGATE_LINUX\n    accessPolicies: [{ policy: AmazonEKSViewPolicy }]`, 'accessEntries[0].accessPolicies', /STANDARD and EC2 entries only/],
    ['a bad namespace', `- principalArn: ${ROLE}\n    accessPolicies: [{ policy: AmazonEKSViewPolicy, namespaces: [default, Team_A] }]`, 'accessEntries[0].accessPolicies[0].namespaces[1]', /not a namespace/],
    ['an unknown key', `- { principalArn: ${ROLE}, usernme: x }`, 'accessEntries[0].usernme', /did you mean 'username'/],
    ['a missing principal', '- { type: STANDARD }', 'accessEntries[0].principalArn', /is required/],
  ])('%s', (_, items, field, msg) => {
    expectIdentityError(() => build(`${HEAD}accessEntries:\n  ${items}\n`), field, msg);
  });

  test('access entries on a CONFIG_MAP cluster', () => {
    const yaml = `${HEAD.replace('API_AND_CONFIG_MAP', 'CONFIG_MAP')}accessEntries:\n  - principalArn: arn:aws:iam::111122223333:role/my-role\n`;
    expectIdentityError(() => build(yaml), 'cluster.authenticationMode', /does not allow access entries/);
  });

  test.each<[string, string, string, RegExp]>([
    ['a wildcard namespace', '- { group: devs, clusterRole: edit, namespaces: [dev-*] }', 'rbac[0].namespaces[0]', /wildcard/],
    ['a bad ClusterRole', '- { group: devs, clusterRole: "a/b" }', 'rbac[0].clusterRole', /not a valid ClusterRole name/],
    ['empty namespaces', '- { group: devs, clusterRole: edit, namespaces: [] }', 'rbac[0].namespaces', /is empty/],
    ['a duplicate binding', '- { group: devs, clusterRole: edit }\n  - { group: devs, clusterRole: edit }', 'rbac[1]', /'devs -> edit' is already bound by rbac\[0\]: both items make the same ClusterRoleBinding.*fix: merge the rbac items.*\[k8s-rbac-binding-duplicate\]/],
    ['a missing clusterRole', '- { group: devs }', 'rbac[0].clusterRole', /is required/],
  ])('rbac: %s', (_, items, field, msg) => {
    expectIdentityError(() => build(`${HEAD}rbac:\n  ${items}\n`), field, msg);
  });

  test('a group of an entry bound by no rbac item is a warning naming the spec entry', () => {
    const { app } = build(`${HEAD}
accessEntries:
  - principalArn: arn:aws:iam::111122223333:role/my-role
    username: "dev:{{SessionName}}"
    kubernetesGroups: [devs]
`);
    const warnings = synth(app).annotations.filter(a => a.level === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].path).toBe('/Spec/AccessEntry:arn:aws:iam::111122223333:role:my-role');
    expect(warnings[0].message).toMatch(/^kubernetesGroups\[0\]: 'devs' is bound by no RoleBinding/);
  });
});

describe('examples/access-entries/identity.yaml', () => {
  test('synthesizes without warnings: template and manifests (snapshot)', () => {
    const app = new App();
    WorkloadIdentityStack.fromSpecFile(app, 'AccessEntriesIdentity', EXAMPLE);
    const out = synth(app);
    expect(out.annotations).toEqual([]);
    const t = out.templates.AccessEntriesIdentity;
    expect(entries(t).map(e => e.Type)).toEqual(['EC2_LINUX', 'STANDARD', 'STANDARD', 'STANDARD', 'STANDARD', 'EC2']);
    expect(out.manifests.AccessEntriesIdentity.map(o => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`))
      .toEqual(['ClusterRoleBinding//viewers-view', 'RoleBinding/dev-a/developers-edit', 'RoleBinding/dev-b/developers-edit']);
    expect(t).toMatchSnapshot('template');
    expect(out.yaml.AccessEntriesIdentity).toMatchSnapshot('manifests');
  });

  test('same input, same bytes', () => {
    const once = () => {
      const app = new App();
      WorkloadIdentityStack.fromSpecFile(app, 'AccessEntriesIdentity', EXAMPLE);
      const asm = app.synth();
      return JSON.stringify(asm.getStackByName('my-cluster-access').template);
    };
    expect(once()).toBe(once());
  });
});
