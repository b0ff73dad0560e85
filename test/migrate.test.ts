import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { WorkloadIdentityStack } from '../lib';
import { resourcesOfType, synth } from './util/synth';
import { run } from '../lib/cli/main';
import { migrateAwsAuth } from '../lib/cli/migrate';
import { IdentitySpecFile } from '../lib/identity-spec/loader';

const FIXTURE = path.join(__dirname, 'fixtures', 'aws-auth.yaml');
const CLUSTER = `cluster:
  name: my-cluster
  account: "111122223333"
  region: us-west-2
  authenticationMode: API_AND_CONFIG_MAP
`;

function cli(...args: string[]) {
  let out = '';
  let err = '';
  const code = run(args, { out: s => { out += s; }, err: s => { err += s; } });
  return { code, out, err };
}

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
  expect(r.report).toEqual([expect.stringContaining('skipped mapAccounts[0] ({"default":123456789123})')]);
});
