import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { IdentityFleet, IdentitySpec, IdentitySpecFile, WorkloadIdentityStack } from '../lib';
import { synth } from './util/synth';
import { bindFleet } from '../lib/identity-spec/bind-fleet';

const EXAMPLE = path.join(__dirname, '..', 'examples', 'fleet.yaml');
const issuer = (region: string, id: string) => `https://oidc.eks.${region}.amazonaws.com/id/${id.padEnd(32, '0')}`;
const A = '111122223333';
const B = '444455556666';

/** blue + green in A/us-west-2, eu in B/eu-west-1 */
function fleet(extra: Partial<IdentitySpec> = {}): IdentitySpec {
  return {
    clusters: [
      { name: 'blue', account: A, region: 'us-west-2', oidcIssuerUrl: issuer('us-west-2', 'B1') },
      { name: 'green', account: A, region: 'us-west-2', oidcIssuerUrl: issuer('us-west-2', 'C2') },
      { name: 'eu', account: B, region: 'eu-west-1', oidcIssuerUrl: issuer('eu-west-1', 'E3') },
    ],
    serviceAccounts: [{ name: 'app', namespace: 'backend' }],
    ...extra,
  } as IdentitySpec;
}
const codes = (spec: IdentitySpec) => bindFleet(spec, 'F').findings.map(f => f.code);

describe('IdentityFleet: the stage, stack and dependency graph of a three-cluster, two-account fleet', () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-')) });
  const f = IdentityFleet.fromSpecFile(app, 'Fleet', EXAMPLE);
  const assembly = app.synth();
  const graph = [...f.accountStacks, ...f.clusterStacks].map(s => ({
    stage: s.node.scope!.node.id,
    stack: s.stackName,
    env: `${s.account}/${s.region}`,
    dependsOn: s.dependencies.map(d => (d as Stack).stackName),
  }));

  test('one stage per (account, region); the account stack first in its stage; no dependency across stages', () => {
    expect(f.stages.map(s => s.node.id)).toEqual([`Env-${A}-us-west-2`, `Env-${B}-eu-west-1`]);
    expect(graph).toEqual([
      { stage: `Env-${A}-us-west-2`, stack: `Fleet-account-${A}`, env: `${A}/us-west-2`, dependsOn: [] },
      { stage: `Env-${A}-us-west-2`, stack: 'Fleet-blue', env: `${A}/us-west-2`, dependsOn: [`Fleet-account-${A}`] },
      { stage: `Env-${A}-us-west-2`, stack: 'Fleet-green', env: `${A}/us-west-2`, dependsOn: [`Fleet-account-${A}`] },
      // eu's stage uses account A's stack (fleet-reporter lives there): a later wave, not a stack dependency
      { stage: `Env-${B}-eu-west-1`, stack: 'Fleet-eu', env: `${B}/eu-west-1`, dependsOn: [] },
    ]);
    expect(f.waves.map(w => w.map(s => s.node.id))).toEqual([[`Env-${A}-us-west-2`], [`Env-${B}-eu-west-1`]]);
  });

  test('every stage synthesizes a nested assembly; every template passes cfn-lint; manifests per cluster', () => {
    expect(assembly.nestedAssemblies.map(n => n.nestedAssembly.directory.split(path.sep).pop())).toEqual(
      [`assembly-Fleet-Env-${A}-us-west-2`, `assembly-Fleet-Env-${B}-eu-west-1`]);
    const yaml: Record<string, string> = {};
    for (const stage of f.stages) Object.assign(yaml, synth(stage).yaml);
    expect(Object.keys(yaml).map(k => k.replace(/[0-9A-F]{8}$/, ''))).toEqual(
      [`FleetEnv${A}uswest2Clusterblue`, `FleetEnv${A}uswest2Clustergreen`, `FleetEnv${B}euwest1Clustereu`]);
    const eu = Object.entries(yaml).find(([k]) => k.includes('Clustereu'))![1];
    expect(eu).toContain(`eks.amazonaws.com/role-arn: arn:aws:iam::${A}:role/fleet-reporter`);
  });

  test('a shared role: one role, one trust statement per cluster issuer; providers in the role account', () => {
    const t = synth(f.stages[0]).templates;
    const account = Object.entries(t).find(([k]) => k.includes('Account'))![1];
    const res = Object.values<any>(account.Resources);
    expect(res.filter(r => r.Type === 'AWS::IAM::OIDCProvider').map(r => r.Properties.Url)).toEqual([
      'https://oidc.eks.us-west-2.amazonaws.com/id/B1E0000000000000000000000000000A',
      'https://oidc.eks.us-west-2.amazonaws.com/id/62EE0000000000000000000000000000',
      'https://oidc.eks.eu-west-1.amazonaws.com/id/E0000000000000000000000000000001',
    ]);
    const roles = res.filter(r => r.Type === 'AWS::IAM::Role');
    expect(roles.map(r => [r.Properties.RoleName, r.Properties.AssumeRolePolicyDocument.Statement.length])).toEqual([
      ['blue-backend-app', 2], ['fleet-reporter', 3],
    ]);
    // the cluster stacks import the providers: none created there
    for (const [k, tpl] of Object.entries<any>(t)) {
      if (k.includes('Cluster')) expect(Object.values<any>(tpl.Resources).filter(r => r.Type === 'AWS::IAM::OIDCProvider')).toEqual([]);
    }
  });

  test('the fleet identity map: clusters, accounts and the roles they share', () => {
    const map = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Fleet.fleet.json'), 'utf8'));
    expect(map.clusters.map((c: any) => [c.name, c.account, c.needsStages])).toEqual([
      ['blue', A, []], ['green', A, []], ['eu', B, [`Env-${A}-us-west-2`]],
    ]);
    expect(map.accounts[0].sharedRoles.map((r: any) => r.clusters)).toEqual([['blue', 'green'], ['blue', 'green', 'eu']]);
    expect(fs.readFileSync(path.join(assembly.directory, 'Fleet.fleet.md'), 'utf8')).toContain('| eu | 444455556666 | eu-west-1 |');
  });
});

describe('compatibility: cluster: stays valid', () => {
  test('a single-cluster spec as a fleet of one synthesizes the same template as WorkloadIdentityStack (without providers)', () => {
    const spec = IdentitySpecFile.load(path.join(__dirname, '..', 'examples', 'quickstart', 'identity.yaml'));
    const plan = bindFleet(spec, 'F');
    expect(plan.findings).toEqual([]);
    expect(plan.clusters.map(c => c.name)).toEqual([spec.cluster.name]);
  });

  test('WorkloadIdentityStack refuses clusters:, naming IdentityFleet', () => {
    expect(() => new WorkloadIdentityStack(new App(), 'S', { spec: fleet() })).toThrow(/IdentityFleet/);
  });

  test('single spec: serviceAccounts[].clusters must name its cluster; role.account must be its account', () => {
    const spec = IdentitySpecFile.parse(`
cluster: { name: c1, account: "${A}", region: us-west-2, oidcIssuerUrl: ${issuer('us-west-2', 'A')} }
serviceAccounts:
  - { name: a, namespace: n, clusters: [c2], role: { account: "${B}" } }
`);
    expect(() => new WorkloadIdentityStack(new App(), 'S', { spec })).toThrow(/c2.*did you mean 'c1'/);
    const ok = IdentitySpecFile.parse(`
cluster: { name: c1, account: "${A}", region: us-west-2, oidcIssuerUrl: ${issuer('us-west-2', 'A')} }
serviceAccounts:
  - { name: a, namespace: n, clusters: [c1], role: { account: "${A}" } }
`);
    expect(() => new WorkloadIdentityStack(new App(), 'S', { spec: ok })).not.toThrow();
  });

  test('the schema takes cluster or clusters, not both, not neither', () => {
    expect(() => IdentitySpecFile.parse('serviceAccounts: []')).toThrow(/cluster/);
    expect(() => IdentitySpecFile.parse(`cluster: { name: a, account: "${A}", region: us-west-2 }\nclusters: [{ name: b, account: "${A}", region: us-west-2 }]`)).toThrow(/clusters|cluster/);
    expect(IdentitySpecFile.parse(`clusters: [{ name: b, account: "${A}", region: us-west-2 }]`).clusters).toHaveLength(1);
  });
});

describe('fleet rules: each fails and passes', () => {
  test('the base fleet passes every rule', () => expect(codes(fleet())).toEqual([]));

  test('fleet-cluster-duplicate: two clusters of one name', () => {
    const spec = fleet();
    const clusters = [...spec.clusters!, { ...spec.clusters![0], oidcIssuerUrl: issuer('us-west-2', 'D4') }];
    expect(codes({ ...spec, clusters })).toContain('fleet-cluster-duplicate');
  });

  test('fleet-cluster-unknown: a workload naming a cluster the spec does not have, with did-you-mean', () => {
    const f = bindFleet(fleet({ serviceAccounts: [{ name: 'a', namespace: 'n', clusters: ['bleu'] }] }), 'F').findings;
    expect(f.map(x => [x.code, x.field])).toEqual([['fleet-cluster-unknown', 'serviceAccounts[0].clusters[0]']]);
    expect(f[0].fix).toMatch(/did you mean 'blue'/);
    expect(codes(fleet({ accessEntries: [{ principalArn: `arn:aws:iam::${A}:role/x`, clusters: ['nope'] }] }))).toEqual(['fleet-cluster-unknown']);
    expect(codes(fleet({ serviceAccounts: [{ name: 'a', namespace: 'n', clusters: ['blue'] }] }))).toEqual([]);
  });

  test('fleet-key-per-cluster: oidcProvider and fargate belong to one cluster; manifests.apply is per cluster (its kubectl role and version)', () => {
    expect(codes(fleet({ oidcProvider: { arn: `arn:aws:iam::${A}:oidc-provider/x` } }))).toEqual(['fleet-key-per-cluster']);
    expect(codes(fleet({ fargate: { profiles: [] } }))).toEqual(['fleet-key-per-cluster']);
    // apply is no longer refused: each cluster needs its kubectl role and version (test/fleet-imports.test.ts)
    expect(codes(fleet({ manifests: { apply: true } }))).toEqual(
      [0, 1, 2].flatMap(() => ['manifests-kubectl-role', 'manifests-kubernetes-version']));
  });

  test('fleet-role-account: podIdentity with role.account; role.account with no provider path (no issuer)', () => {
    expect(codes(fleet({ serviceAccounts: [{ name: 'a', namespace: 'n', mechanism: 'podIdentity' as any, role: { account: B } }] }))).toEqual(['fleet-role-account']);
    const spec = fleet({ serviceAccounts: [{ name: 'a', namespace: 'n', clusters: ['eu'], role: { account: A } }] });
    const noIssuer = { ...spec, clusters: spec.clusters!.map(c => (c.name === 'eu' ? { ...c, oidcIssuerUrl: undefined } : c)) };
    expect(codes(noIssuer)).toEqual(['fleet-role-account']);
    expect(codes(spec)).toEqual([]);
  });

  test('fleet-role-partition: a role shared by clusters of two partitions (adversarial: cross-partition)', () => {
    const spec = fleet({ serviceAccounts: [{ name: 'a', namespace: 'n', role: { account: A } }] });
    const cn = { ...spec, clusters: [...spec.clusters!, { name: 'cn', account: '999988887777', region: 'cn-north-1', oidcIssuerUrl: 'https://oidc.eks.cn-north-1.amazonaws.com.cn/id/CN1' }] };
    expect(codes(cn)).toContain('fleet-role-partition');
    // without role.account each partition's clusters get their own role: fine
    expect(codes({ ...cn, serviceAccounts: [{ name: 'a', namespace: 'n' }] })).toEqual([]);
  });

  test('fleet-trust-length: beyond the quota, split by cluster', () => {
    const clusters = Array.from({ length: 12 }, (_, i) => ({ name: `c${i}`, account: A, region: 'us-west-2', oidcIssuerUrl: issuer('us-west-2', `T${String(i).padStart(2, '0')}`) }));
    const f = bindFleet({ clusters, serviceAccounts: [{ name: 'a', namespace: 'n' }] } as any, 'F').findings;
    expect(f.map(x => x.code)).toEqual(['fleet-trust-length']);
    expect(f[0].fix).toMatch(/split by cluster/);
    expect(codes({ clusters: clusters.slice(0, 3), serviceAccounts: [{ name: 'a', namespace: 'n' }] } as any)).toEqual([]);
  });

  test('fleet-issuer-shared: the same issuer in two accounts (adversarial) is one cluster listed twice', () => {
    const spec = fleet();
    const clusters = spec.clusters!.map(c => (c.name === 'eu' ? { ...c, oidcIssuerUrl: spec.clusters![0].oidcIssuerUrl } : c));
    expect(codes({ ...spec, clusters })).toEqual(['fleet-issuer-shared']);
  });

  test('one provider per (account, issuer): a role in account A for eu adds eu\'s provider to A once', () => {
    const plan = bindFleet(fleet({ serviceAccounts: [{ name: 'a', namespace: 'n', role: { account: A } }, { name: 'b', namespace: 'n', clusters: ['eu'], role: { account: A } }] }), 'F');
    expect(plan.accounts.map(a => [a.account, a.providers.map(p => p.clusters)])).toEqual([[A, [['blue'], ['green'], ['eu']]]]);
  });

  test('fleet-access-entry-duplicate: one access entry per (cluster, principal)', () => {
    const e = { principalArn: `arn:aws:iam::${A}:role/x` };
    expect(codes(fleet({ accessEntries: [{ ...e, clusters: ['blue', 'green'] }, { ...e, clusters: ['green'] }] }))).toEqual(['fleet-access-entry-duplicate']);
    expect(codes(fleet({ accessEntries: [{ ...e, clusters: ['blue'] }, { ...e, clusters: ['green'] }] }))).toEqual([]);
  });

  test('fleet-service-account-duplicate: one ServiceAccount per (cluster, namespace, name)', () => {
    expect(codes(fleet({ serviceAccounts: [{ name: 'a', namespace: 'n' }, { name: 'a', namespace: 'n', clusters: ['eu'] }] }))).toContain('fleet-service-account-duplicate');
    expect(codes(fleet({ serviceAccounts: [{ name: 'a', namespace: 'n', clusters: ['blue'] }, { name: 'a', namespace: 'n', clusters: ['eu'] }] }))).toEqual([]);
  });
});

describe('doctor on a fleet assembly', () => {
  test('checks every stage: blue and green find their shared role, eu\'s cross-account role is a note', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { doctorAssembly } = require('../lib/cli/doctor');
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-doctor-'));
    const app = new App({ outdir });
    IdentityFleet.fromSpecFile(app, 'Fleet', EXAMPLE);
    app.synth();
    const report = doctorAssembly(outdir);
    expect(report.checked).toEqual({ serviceAccounts: 8, roles: 5, accessEntries: 1, files: 7, podIdentityAssociations: 3 });
    expect(report.findings.map((f: any) => [f.code, f.severity])).toEqual([['doctor-role-external', 'note']]);
  });
});
