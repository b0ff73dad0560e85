import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { WorkloadIdentityStack } from '../lib';
import { cli } from './util/cli';
import { resourcesOfType, synth } from './util/synth';
import { migrateAwsAuth } from '../lib/cli/migrate';
import { IdentitySpecFile } from '../lib/identity-spec/loader';

const FIXTURE = path.join(__dirname, 'fixtures', 'aws-auth.yaml');
const CLUSTER = `cluster:
  name: my-cluster
  account: "111122223333"
  region: us-west-2
  authenticationMode: API_AND_CONFIG_MAP
`;


const configMap = (mapRoles: string, extra = '') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
${mapRoles.split('\n').map(l => `    ${l}`).join('\n')}
${extra}`;

test('a node role, a system:masters role, a user with groups and a service-linked role: a spec that synthesizes, and the skip report', () => {
  const r = cli('migrate', 'aws-auth', FIXTURE);
  expect(r.code).toBe(0);
  // stdout is a spec fragment: with a cluster section it loads through the schema and synthesizes
  const spec = IdentitySpecFile.parse(`${CLUSTER}${r.out}`);
  const app = new App();
  new WorkloadIdentityStack(app, 'Migrated', { spec });
  const out = synth(app);
  const entries = resourcesOfType(out.templates.Migrated, 'AWS::EKS::AccessEntry').map(([, e]) => e.Properties);
  expect(entries.map(e => [e.PrincipalArn, e.Type ?? 'STANDARD'])).toEqual([
    ['arn:aws:iam::111122223333:role/my-node-role', 'EC2_LINUX'],
    ['arn:aws:iam::111122223333:role/platform-admin', 'STANDARD'],
    ['arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Developers_0123456789abcdef', 'STANDARD'],
    ['arn:aws:iam::111122223333:user/alice', 'STANDARD'],
  ]);
  const admin = entries.find(e => e.PrincipalArn.endsWith('platform-admin'));
  expect(admin.AccessPolicies).toEqual([{ PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', AccessScope: { Type: 'cluster' } }]);
  expect(admin.Username).toBe('admin:{{SessionName}}');
  expect(entries.find(e => e.PrincipalArn.endsWith('user/alice'))).toMatchObject({ Username: 'alice', KubernetesGroups: ['viewers', 'developers'] });
  // the groups are bound in the cluster already: the synthesized stack warns, as it should
  expect(out.annotations.filter(a => a.message.includes('access-entry-group-unbound')).length).toBe(3);
  // stderr: the skips and the things to check
  expect(r.err).toContain('skipped mapRoles[2]');
  expect(r.err).toContain('is a service-linked role');
  expect(r.err).toContain('not copied from mapRoles[3]: group system:authenticated');
  expect(r.err).toContain('IAM Identity Center role');
  expect(r.err).toContain("EKS creates the access entry of a managed node group's role itself");
  expect(r.err).toContain('skipped mapAccounts[0]');
  expect(r.out).not.toContain('aws-service-role');
  // the rbac hints are comments: the fragment stays valid YAML with accessEntries only
  expect(Object.keys(parse(r.out))).toEqual(['accessEntries']);
  expect(r.out).toContain('# rbac:');
  expect(r.out).toContain('#   - group: developers');
});

test('Windows nodes, Fargate pod execution roles, partitions, reserved usernames', () => {
  const r = migrateAwsAuth(configMap(`- rolearn: arn:aws-cn:iam::111122223333:role/win-nodes
  username: system:node:{{EC2PrivateDNSName}}
  groups: [system:bootstrappers, system:nodes, eks:kube-proxy-windows]
- rolearn: arn:aws-cn:iam::111122223333:role/fargate-pods
  username: system:node:{{SessionName}}
  groups: [system:bootstrappers, system:nodes, system:node-proxier]
- rolearn: arn:aws-cn:iam::111122223333:role/admins
  username: system:admin
  groups: [system:masters, ops]
- rolearn: arn:aws-cn:iam::111122223333:role/ci
  username: ci-{{AccountID}}
- rolearn: arn:aws-cn:iam::111122223333:role/admins
  groups: [other]
- rolearn: arn:aws-cn:sts::111122223333:assumed-role/x/session
- username: nobody`), 'aws-auth.yaml');
  expect(r.entries).toEqual([
    { principalArn: 'arn:aws-cn:iam::111122223333:role/win-nodes', type: 'EC2_WINDOWS' },
    { principalArn: 'arn:aws-cn:iam::111122223333:role/fargate-pods', type: 'FARGATE_LINUX' },
    { principalArn: 'arn:aws-cn:iam::111122223333:role/admins', kubernetesGroups: ['ops'], accessPolicies: [{ policy: 'arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy' }] },
    { principalArn: 'arn:aws-cn:iam::111122223333:role/ci' },
  ]);
  const report = r.report.join('\n');
  expect(report).toContain('Fargate pod execution role');
  expect(report).toContain('dropped username of mapRoles[2]');
  expect(report).toContain('{{AccountID}}');
  expect(report).toContain('skipped mapRoles[4]: arn:aws-cn:iam::111122223333:role/admins is already mapped by mapRoles[0]'.replace('mapRoles[0]', 'mapRoles[2]'));
  expect(report).toContain('skipped mapRoles[5]');
  expect(report).toContain('STS session ARN');
  expect(report).toContain('skipped mapRoles[6]: no rolearn');
  expect(report).toContain('granted nothing');
});

test('bad input exits 2', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-'));
  fs.writeFileSync(path.join(dir, 'x.yaml'), 'a: [');
  fs.writeFileSync(path.join(dir, 'y.yaml'), 'kind: Pod\n');
  expect(cli('migrate', 'aws-auth', path.join(dir, 'x.yaml')).code).toBe(2);
  expect(cli('migrate', 'aws-auth', path.join(dir, 'y.yaml')).err).toContain('not an aws-auth ConfigMap');
  expect(cli('migrate', 'aws-auth', path.join(dir, 'none.yaml')).err).toContain('cannot be read');
  expect(cli('migrate', 'configmap', FIXTURE).code).toBe(2);
  expect(cli('migrate', 'aws-auth', FIXTURE, '--json').code).toBe(2);
  expect(migrateAwsAuth(configMap('[]'), 'e.yaml').yaml).toBe('accessEntries: []\n');
});

test('broken YAML inside mapRoles, or around it: exit 2 with the file and the line, never a stack trace', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-yaml-'));
  // the hybrid nodes aws-auth file as the EKS docs publish it: the list under groups is not indented (line 11 is rolearn)
  const inner = path.join(dir, 'hybrid.yaml');
  fs.writeFileSync(inner, configMap('- groups:\n- system:bootstrappers\n- system:nodes\nrolearn: arn:aws:iam::111122223333:role/hybrid\nusername: system:node:{{SessionName}}'));
  const r = cli('migrate', 'aws-auth', inner);
  expect(r.code).toBe(2);
  expect(r.err).toContain(`${inner}: data.mapRoles: line 11: not valid YAML (`);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.err).not.toContain('usage:');
  const outer = path.join(dir, 'outer.yaml');
  fs.writeFileSync(outer, 'apiVersion: v1\nkind: ConfigMap\ndata:\n  mapRoles: |\n    - rolearn: x\n - oops: [\n');
  expect(cli('migrate', 'aws-auth', outer).err).toMatch(new RegExp(`${outer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line \\d+: not valid YAML`));
  const json = cli('migrate', 'aws-auth', inner, '--json');
  expect(json.code).toBe(2);
  expect(JSON.parse(json.out)).toMatchObject({ ok: false, exitCode: 2 });
});

test('an object in mapAccounts is shown as it is written', () => {
  const r = migrateAwsAuth(configMap('[]', '  mapAccounts: |\n    - default: 123456789123\n'), 'a.yaml');
  expect(r.report[0]).toContain('skipped mapAccounts[0] ({"default":123456789123}): not an account id');
  // it was the only mapping: nothing migrated, exit 1
  expect(r.exitCode).toBe(1);
});

describe('aws-auth read as aws-iam-authenticator reads it', () => {
  test('mapping keys are case-insensitive (roleARN, userARN, rOlEaRn); an unknown key is not an ARN', () => {
    const r = migrateAwsAuth(configMap(`- roleARN: arn:aws:iam::111122223333:role/a
  groups: [team-a]
- rOlEaRn: arn:aws:iam::111122223333:role/b
  UsErNaMe: b-user
  gRoUpS: [team-b]
- role_arn: arn:aws:iam::111122223333:role/c`, `  mapUsers: |
    - userARN: arn:aws:iam::111122223333:user/admin
      groups: [system:masters]
`), 'a.yaml');
    expect(r.entries.map(e => [e.principalArn, e.username, e.kubernetesGroups])).toEqual([
      ['arn:aws:iam::111122223333:role/a', undefined, ['team-a']],
      ['arn:aws:iam::111122223333:role/b', 'b-user', ['team-b']],
      ['arn:aws:iam::111122223333:user/admin', undefined, undefined],
    ]);
    expect(r.entries[2].accessPolicies).toEqual([{ policy: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy' }]);
    expect(r.report).toContain('note mapRoles[0]: read roleARN as rolearn (aws-iam-authenticator matches keys case-insensitively)');
    // role_arn is no spelling of rolearn: the authenticator ignores it, so do we
    expect(r.report).toContain('skipped mapRoles[2]: no rolearn (keys: role_arn)');
    expect(r.exitCode).toBe(0);
  });

  test('node signatures: EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, HYBRID_LINUX (system:node:{{SessionName}} without node-proxier)', () => {
    const node = (name: string, username: string, extra = '') => `- rolearn: arn:aws:iam::111122223333:role/${name}
  username: ${username}
  groups: [system:bootstrappers, system:nodes${extra}]`;
    const r = migrateAwsAuth(configMap([
      node('linux', 'system:node:{{EC2PrivateDNSName}}'),
      node('windows', 'system:node:{{EC2PrivateDNSName}}', ', eks:kube-proxy-windows'),
      node('fargate', 'system:node:{{SessionName}}', ', system:node-proxier'),
      node('hybrid', 'system:node:{{SessionName}}'),
      node('no-username', '""'),
    ].join('\n')), 'n.yaml');
    expect(r.entries.map(e => [e.principalArn.split('/')[1], e.type])).toEqual([
      ['linux', 'EC2_LINUX'], ['windows', 'EC2_WINDOWS'], ['fargate', 'FARGATE_LINUX'], ['hybrid', 'HYBRID_LINUX'], ['no-username', 'EC2_LINUX'],
    ]);
    expect(r.report.join('\n')).toContain('hybrid nodes role');
  });

  test('the hybrid nodes entry synthesizes as HYBRID_LINUX', () => {
    const r = migrateAwsAuth(configMap(`- groups:
  - system:bootstrappers
  - system:nodes
  rolearn: arn:aws:iam::111122223333:role/AmazonEKSHybridNodesRole
  username: system:node:{{SessionName}}`), 'h.yaml');
    const app = new App();
    new WorkloadIdentityStack(app, 'Hybrid', { spec: IdentitySpecFile.parse(`${CLUSTER}${r.yaml}`) });
    const [[, entry]] = resourcesOfType(synth(app).templates.Hybrid, 'AWS::EKS::AccessEntry');
    expect(entry.Properties).toMatchObject({ PrincipalArn: 'arn:aws:iam::111122223333:role/AmazonEKSHybridNodesRole', Type: 'HYBRID_LINUX' });
  });

  test('placeholders (<system:nodes>, <ARN ...>, ALL_CAPS ARNs) are skipped, never copied into groups or rbac hints', () => {
    const r = migrateAwsAuth(configMap(`- rolearn: arn:aws:iam::111122223333:role/nodes
  username: <system:node:{{EC2PrivateDNSName}}>
  groups: [<system:bootstrappers>, <system:nodes>]
- rolearn: HYBRID_NODES_ROLE_ARN
  username: system:node:{{SessionName}}
  groups: [system:bootstrappers, system:nodes]
- rolearn: arn:aws:iam::111122223333:role/viewer
  groups: [<viewers>, real-viewers]
- rolearn: arn:aws:iam::111122223333:role/ok
  groups: [viewers]`), 'p.yaml');
    expect(r.entries).toEqual([{ principalArn: 'arn:aws:iam::111122223333:role/ok', kubernetesGroups: ['viewers'] }]);
    expect(r.yaml).not.toContain('<');
    expect(r.report[0]).toMatch(/^skipped mapRoles\[0\]: '<system:node:\{\{EC2PrivateDNSName\}\}>', '<system:bootstrappers>', '<system:nodes>' are placeholders/);
    expect(r.report[1]).toMatch(/^skipped mapRoles\[1\]: 'HYBRID_NODES_ROLE_ARN' is a placeholder/);
    expect(r.report[2]).toMatch(/^skipped mapRoles\[2\]: '<viewers>' is a placeholder/);
  });

  test('two group items run together by one space of indentation are reported, not migrated as a bare role', () => {
    const r = migrateAwsAuth(configMap(`- rolearn: arn:aws:iam::111122223333:role/nodes
  groups:
    - system:bootstrappers
     - system:nodes`), 's.yaml');
    expect(r.entries).toEqual([]);
    expect(r.report[0]).toContain("the group 'system:bootstrappers - system:nodes' is two list items run together");
    expect(r.exitCode).toBe(1);
  });

  test('a ConfigMap that is not kube-system/aws-auth is refused (exit 2); one without metadata (an edit buffer) is read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-cm-'));
    const other = path.join(dir, 'other.yaml');
    fs.writeFileSync(other, configMap('- rolearn: arn:aws:iam::111122223333:role/a').replace('name: aws-auth', 'name: coredns'));
    const r = cli('migrate', 'aws-auth', other);
    expect(r.code).toBe(2);
    expect(r.err).toContain('the ConfigMap kube-system/coredns, not kube-system/aws-auth');
    const bare = path.join(dir, 'bare.yaml');
    fs.writeFileSync(bare, 'data:\n  mapRoles: |\n    - rolearn: arn:aws:iam::111122223333:role/a\n      groups: [g]\n');
    expect(cli('migrate', 'aws-auth', bare)).toMatchObject({ code: 0, out: expect.stringContaining('role/a') });
  });

  test('mapRoles written as a list (no |) is refused like the API server refuses it; mapRoles outside data is named', () => {
    expect(() => migrateAwsAuth('kind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n  mapRoles:\n    - rolearn: arn:aws:iam::111122223333:role/a\n', 'l.yaml'))
      .toThrow("data.mapRoles is a YAML list, not a string: ConfigMap data values are strings, so the API server refuses this ConfigMap; write 'mapRoles: |'");
    expect(() => migrateAwsAuth('apiVersion: v1\ndata:\nmapRoles: |\n  - rolearn: arn:aws:iam::111122223333:role/a\n', 't.yaml'))
      .toThrow('mapRoles sits at the top level, not under data (data is empty)');
  });

  test('exit 1 when mappings existed and none migrated; 0 when one did, or when there were none', () => {
    const none = cli('migrate', 'aws-auth', writeTmp(configMap('- rolearn: arn:aws:iam::111122223333:role/teams/*\n  groups: [g]')));
    expect(none.code).toBe(1);
    expect(none.err).toContain('has a wildcard');
    expect(none.err).toContain('nothing migrated: 1 mapping, none could become an access entry (exit 1)');
    expect(none.out).toBe('accessEntries: []\n');
    const some = cli('migrate', 'aws-auth', writeTmp(configMap('- rolearn: arn:aws:iam::111122223333:role/teams/*\n- rolearn: arn:aws:iam::111122223333:role/ok\n  groups: [g]')));
    expect(some.code).toBe(0);
    expect(cli('migrate', 'aws-auth', writeTmp(configMap('[]'))).code).toBe(0);
  });
});

function writeTmp(text: string): string {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-x-')), 'aws-auth.yaml');
  fs.writeFileSync(f, text);
  return f;
}

test('sso mappings name no single role: skipped with the way to find it; with rolearn as well, refused as the authenticator refuses it', () => {
  const r = migrateAwsAuth(configMap(`- sso: {permissionSetName: Admins, accountID: "111122223333"}
  groups: [admins]
- rolearn: arn:aws:iam::111122223333:role/x
  sso: {permissionSetName: Admins, accountID: "111122223333"}
  groups: [admins]
- rolearn: arn:aws:iam::111122223333:role/y
  groups: [admins]`), 'sso.yaml');
  expect(r.entries.map(e => e.principalArn)).toEqual(['arn:aws:iam::111122223333:role/y']);
  expect(r.report[0]).toContain('skipped mapRoles[0]: an sso mapping');
  expect(r.report[0]).toContain('aws iam list-roles --path-prefix /aws-reserved/sso.amazonaws.com/');
  expect(r.report[1]).toContain('skipped mapRoles[1]: both rolearn and sso');
});

test('a multi-document file: the aws-auth ConfigMap is read, not the first ConfigMap', () => {
  const other = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: coredns, namespace: kube-system}\ndata: {Corefile: "."}\n';
  const r = migrateAwsAuth(`${other}---\n${configMap('- rolearn: arn:aws:iam::111122223333:role/a\n  groups: [g]')}`, 'multi.yaml');
  expect(r.entries.map(e => e.principalArn)).toEqual(['arn:aws:iam::111122223333:role/a']);
  expect(() => migrateAwsAuth(other, 'coredns.yaml')).toThrow('the ConfigMap kube-system/coredns, not kube-system/aws-auth');
});
