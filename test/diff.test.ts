/**
 * `cdk-eks-identity diff OLD NEW` on real cloud assemblies: two versions of a spec synthesized
 * in-process into temp directories, compared through the command's main entry.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { IdentityFleet, LockMode, StackLayout, WorkloadIdentityStack } from '../lib';
import { cli } from './util/cli';
import { generateSpec } from './util/generate-spec';
import { synth } from './util/synth';

const HEAD = `cluster:
  name: c1
  account: "111122223333"
  region: us-west-2
  oidcIssuerUrl: https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE
  authenticationMode: API
`;

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

const json = (...args: string[]) => {
  const r = cli(...args, '--json');
  return { code: r.code, report: JSON.parse(r.out) };
};
const noStack = (r: { out: string; err: string }) => expect(`${r.out}${r.err}`).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);

/**
 * Synthesizes the spec (written as `identity.yaml` in `specDir`, the lock file beside it) into a
 * fresh cloud assembly directory and returns it. `lint`: cfn-lint over every template too.
 */
function assembly(yaml: string, o: { specDir?: string; lockMode?: LockMode; lint?: boolean } = {}): string {
  const specDir = o.specDir ?? tmp('diff-spec-');
  const spec = path.join(specDir, 'identity.yaml');
  fs.writeFileSync(spec, typeof yaml === 'string' ? HEAD + yaml : yaml);
  const outdir = tmp('diff-out-');
  const app = new App({ outdir });
  WorkloadIdentityStack.fromSpecFile(app, 'Id', spec, { lockMode: o.lockMode ?? LockMode.OFF });
  if (o.lint) synth(app);
  else app.synth();
  return outdir;
}

const codes = (report: any) => report.findings.map((f: any) => `${f.severity} ${f.code}`);

describe('identical assemblies', () => {
  test('are clean: exit 0, no finding, the summary says what was compared', () => {
    const yaml = 'serviceAccounts:\n  - { name: api, namespace: shop }\n  - { name: web, namespace: shop, mechanism: podIdentity }\n';
    const a = assembly(yaml, { lint: true });
    const b = assembly(yaml);
    const r = cli('diff', a, b);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`diff: 0 errors, 0 warnings from ${a} to ${b} (4 resources in 1 stack before, 4 resources in 1 stack after)\n`);
    expect(json('diff', a, b)).toEqual({ code: 0, report: { ok: true, errors: 0, warnings: 0, compared: { before: { stacks: 1, resources: 4 }, after: { stacks: 1, resources: 4 } }, findings: [] } });
  });
});

describe('a create-only property changes', () => {
  test('role path with a name you fixed: an error naming the stack, logical id, type, property, old -> new and the fix; exit 1', () => {
    const before = assembly('serviceAccounts:\n  - { name: db, namespace: data, role: { name: fixed-db } }\n');
    const after = assembly('serviceAccounts:\n  - { name: db, namespace: data, role: { name: fixed-db, path: /eks/ } }\n');
    const r = cli('diff', before, after);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`^error   ${after}/Id.template.json: stack Id: Resources\\.dataDbRole\\w+ \\(AWS::IAM::Role\\)\n`, 'i'));
    expect(r.out).toMatch(/Path: \(unset\) -> '\/eks\/' is create-only on AWS::IAM::Role: CloudFormation replaces Resources\.dataDbRole\w+ of stack Id /i);
    expect(r.out).toContain("it keeps RoleName 'fixed-db' which the old one still holds (EntityAlreadyExists): the update fails [diff-replace-impossible]");
    expect(r.out).toContain('fix: give it a new RoleName along with the change');
    expect(r.out).toMatch(/diff: 1 error, 0 warnings .*; do not deploy before the errors are fixed\n$/);
    const { report } = json('diff', before, after);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ severity: 'error', code: 'diff-replace-impossible', stack: 'Id', type: 'AWS::IAM::Role', field: 'Path', value: "(unset) -> '/eks/'" });
    noStack(r);
  });

  test('role path with a generated name and the lock file: renamed, so CloudFormation can replace it; the pods using it are the error', () => {
    const specDir = tmp('diff-lock-');
    const before = assembly('serviceAccounts:\n  - { name: api, namespace: shop }\n', { specDir, lockMode: LockMode.WRITE });
    const after = assembly('serviceAccounts:\n  - { name: api, namespace: shop, role: { path: /eks/ } }\n', { specDir, lockMode: LockMode.WRITE });
    const { code, report } = json('diff', before, after);
    expect(codes(report)).toEqual(['error diff-role-replaced-in-use']);
    expect(code).toBe(1);
    const f = report.findings[0];
    expect(f.field).toBe('Path, RoleName');
    expect(f.value).toMatch(/^\(unset\) -> '\/eks\/', 'c1-shop-api' -> 'c1-shop-api-[0-9a-f]{8}'$/);
    expect(f.rule).toContain(`service account shop/api (${before}/Id.k8s.yaml)`);
    expect(f.fix).toContain('kubectl rollout restart');
    // acknowledged: a warning, exit 0
    const allowed = json('diff', before, after, '--allow', 'diff-role-replaced-in-use');
    expect(allowed.code).toBe(0);
    expect(allowed.report.findings[0]).toMatchObject({ severity: 'warning', allowed: true });
  });

  test('without the lock the generated name stays: replaced under the same name, an error', () => {
    const before = assembly('serviceAccounts:\n  - { name: api, namespace: shop }\n');
    const after = assembly('serviceAccounts:\n  - { name: api, namespace: shop, role: { path: /eks/ } }\n');
    expect(codes(json('diff', before, after).report)).toEqual(['error diff-replace-impossible']);
  });

  const PROFILE = (selectors: string) => `fargate:\n  profiles:\n    - { name: web, subnetIds: [subnet-0123456789abcdef0], selectors: [${selectors}] }\n`;

  test('a Fargate selector added to a profile that keeps its name: an error on Selectors; an unchanged profile passes', () => {
    const before = assembly(PROFILE('{ namespace: web }'));
    const after = assembly(PROFILE('{ namespace: web }, { namespace: api }'));
    const { code, report } = json('diff', before, after);
    expect(code).toBe(1);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      code: 'diff-replace-impossible',
      type: 'AWS::EKS::FargateProfile',
      field: 'Selectors',
      value: '[{"Namespace":"web"}] -> [{"Namespace":"web"},{"Namespace":"api"}]',
    });
    expect(report.findings[0].rule).toContain("FargateProfileName 'web'");
    expect(report.findings[0].rule).toContain('ResourceInUseException, 409');
    expect(report.findings[0].fix).toContain('new FargateProfileName');
    expect(json('diff', before, assembly(PROFILE('{ namespace: web }'))).report.findings).toEqual([]);
  });

  test('an access entry type change for the same principal: an error with a two-step fix', () => {
    const entry = (type: string) => `accessEntries:\n  - { principalArn: "arn:aws:iam::111122223333:role/nodes", type: ${type} }\n`;
    const before = assembly(entry('STANDARD'));
    const { code, report } = json('diff', before, assembly(entry('EC2_LINUX')));
    expect(code).toBe(1);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'diff-replace-impossible', type: 'AWS::EKS::AccessEntry', field: 'Type', value: "'STANDARD' -> 'EC2_LINUX'" })]);
    expect(report.findings[0].fix).toMatch(/^deploy in two steps: remove it and deploy, then add it back with the new Type/);
  });
});

describe('Pod Identity associations', () => {
  test('a namespace change: the old association and role go (warnings), nothing of the old service account is left', () => {
    const before = assembly('serviceAccounts:\n  - { name: web, namespace: shop, mechanism: podIdentity }\n');
    const after = assembly('serviceAccounts:\n  - { name: web, namespace: store, mechanism: podIdentity }\n');
    const { code, report } = json('diff', before, after);
    expect(code).toBe(0);
    expect(codes(report).sort()).toEqual(['warning diff-deleted', 'warning diff-deleted']);
    const assoc = report.findings.find((f: any) => f.type === 'AWS::EKS::PodIdentityAssociation');
    expect(assoc).toMatchObject({ field: 'Namespace, ServiceAccount', value: "'shop', 'web'" });
    expect(cli('diff', before, after, '--strict').code).toBe(1);
  });

  test('switched to IRSA while the service account stays: the association is deleted under its pods, an error', () => {
    const before = assembly('serviceAccounts:\n  - { name: web, namespace: shop, mechanism: podIdentity }\n');
    const after = assembly('serviceAccounts:\n  - { name: web, namespace: shop }\n');
    const { code, report } = json('diff', before, after);
    expect(code).toBe(1);
    const f = report.findings.find((x: any) => x.code === 'diff-association-interrupted');
    expect(f.rule).toContain(`service account shop/web (${after}/Id.k8s.yaml)`);
  });
});

describe('moved and renamed resources', () => {
  test('a namespace stack that outgrew its shard moves named roles between nested stacks: errors; with the lock file none moves', () => {
    const write = (n: number) => JSON.stringify(generateSpec({ serviceAccounts: n, namespaces: 1, layout: StackLayout.NESTED }));
    const synthJson = (n: number, specDir: string, lockMode: LockMode) => {
      fs.writeFileSync(path.join(specDir, 'identity.json'), write(n));
      const outdir = tmp('diff-out-');
      const app = new App({ outdir });
      WorkloadIdentityStack.fromSpecFile(app, 'Big', path.join(specDir, 'identity.json'), { lockMode });
      app.synth();
      return outdir;
    };
    // writing the lock changes no template byte: one synth is the deployed assembly of both cases
    const locked = tmp('diff-locked-');
    const before = synthJson(300, locked, LockMode.WRITE);
    const after = synthJson(420, tmp('diff-nolock-'), LockMode.OFF);
    const { code, report } = json('diff', before, after);
    expect(code).toBe(1);
    const moved = report.findings.filter((f: any) => f.code === 'diff-moved');
    expect(moved.length).toBeGreaterThan(10);
    expect(moved[0]).toMatchObject({ type: 'AWS::IAM::Role', field: 'RoleName', stack: 'big-cluster-identity/Namespace-team-000:1' });
    expect(moved[0].rule).toMatch(/^moves from Resources\.\w+ of stack big-cluster-identity\/Namespace-team-000 to Resources\.\w+ of stack big-cluster-identity\/Namespace-team-000:1: /);
    expect(moved[0].fix).toContain('commit the lock file');
    expect(codes(report).filter((c: string) => c !== 'error diff-moved')).toEqual([]);

    const lockedAfter = synthJson(420, locked, LockMode.WRITE);
    expect(json('diff', before, lockedAfter)).toMatchObject({ code: 0, report: { findings: [] } });
  });

  test('a fixed role name under a new logical id (the service account renamed): an error', () => {
    const before = assembly('serviceAccounts:\n  - { name: db, namespace: data, role: { name: fixed-db } }\n');
    const after = assembly('serviceAccounts:\n  - { name: database, namespace: data, role: { name: fixed-db } }\n');
    const { code, report } = json('diff', before, after);
    expect(code).toBe(1);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'diff-logical-id-changed', field: 'logical id', type: 'AWS::IAM::Role' })]);
    expect(report.findings[0].value).toMatch(/^'dataDbRole\w+' -> 'dataDatabaseRole\w+'$/i);
  });
});

describe('deletions', () => {
  test('a removed workload: its role is deleted, a warning; exit 0', () => {
    const before = assembly('serviceAccounts:\n  - { name: api, namespace: shop }\n  - { name: old, namespace: shop }\n');
    const after = assembly('serviceAccounts:\n  - { name: api, namespace: shop }\n');
    const r = cli('diff', before, after);
    expect(r.code).toBe(0);
    expect(r.out).toContain("RoleName: 'c1-shop-old' is deleted from Resources.shopoldRole");
    expect(r.out).toMatch(/diff: 0 errors, 1 warning .*; warnings do not fail without --strict\n$/);
  });
});

describe('fleets: every stage\'s nested assembly', () => {
  const EXAMPLE = fs.readFileSync(path.join(__dirname, '..', 'examples', 'fleet.yaml'), 'utf8');
  const fleet = (text: string) => {
    const dir = tmp('diff-fleet-');
    fs.writeFileSync(path.join(dir, 'fleet.yaml'), text);
    const outdir = tmp('diff-out-');
    const app = new App({ outdir });
    IdentityFleet.fromSpecFile(app, 'Fleet', path.join(dir, 'fleet.yaml'));
    app.synth();
    return outdir;
  };

  test('the same fleet is clean; a fixed role name\'s path change is found in its stage', () => {
    const before = fleet(EXAMPLE);
    expect(json('diff', before, fleet(EXAMPLE))).toMatchObject({ code: 0, report: { findings: [] } });
    const changed = EXAMPLE.replace('      name: fleet-reporter\n', '      name: fleet-reporter\n      path: /fleet/\n');
    expect(changed).not.toBe(EXAMPLE);
    const after = fleet(changed);
    const { code, report } = json('diff', before, after);
    expect(code).toBe(1);
    const f = report.findings.find((x: any) => x.code === 'diff-replace-impossible');
    expect(f).toMatchObject({ stack: 'Fleet-account-111122223333', field: 'Path', value: "'/' -> '/fleet/'" });
    expect(f.file).toBe(path.join(after, 'assembly-Fleet-Env-111122223333-us-west-2', 'FleetEnv111122223333uswest2Account111122223333C6EA1956.template.json'));
    expect(report.compared.before.stacks).toBe(4);
  });
});

describe('bad invocations and unreadable input: exit 2, the file and the reason, never a stack trace', () => {
  const good = assembly('serviceAccounts:\n  - { name: api, namespace: shop }\n');
  const broken = (files: Record<string, string>) => {
    const d = tmp('diff-bad-');
    for (const [n, t] of Object.entries(files)) fs.writeFileSync(path.join(d, n), t);
    return d;
  };

  test('garbage templates and manifests', () => {
    const cases: Array<[string, RegExp]> = [
      [broken({ 'App.template.json': '{\n  "Resources": {\n    "Role": {\n' }), /App\.template\.json: line \d+: not valid JSON/],
      [broken({ 'App.template.json': '[1, 2]' }), /App\.template\.json: line 1: not a CloudFormation template/],
      [broken({ 'manifest.json': 'garbage', 'App.template.json': '{}' }), /manifest\.json: line 1: not valid JSON/],
      [broken({ 'manifest.json': '{"artifacts": {"App": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Gone.template.json"}}}}' }), /Gone\.template\.json: the template of stack App is missing/],
      [broken({ 'App.template.json': '{"Resources": {"X": {"Properties": {}}}}' }), /App\.template\.json: Resources\.X has no Type/],
      [broken({ 'notes.txt': 'hello' }), /no stack template \(is this a cloud assembly\? run cdk synth\)/],
      ['/nonexistent/cdk.out', /\/nonexistent\/cdk\.out: no such directory/],
    ];
    for (const [dir, message] of cases) {
      for (const [a, b] of [[good, dir], [dir, good]]) {
        const r = cli('diff', a, b);
        expect({ dir, code: r.code }).toEqual({ dir, code: 2 });
        expect(r.err).toMatch(message);
        noStack(r);
        const j = cli('diff', a, b, '--json');
        expect(JSON.parse(j.out)).toMatchObject({ ok: false, exitCode: 2, error: expect.stringMatching(message) });
      }
    }
  });

  test('usage errors, as JSON with --json', () => {
    for (const args of [['diff'], ['diff', good], ['diff', good, good, good], ['diff', good, good, '--allow', 'diff-nope'], ['diff', good, good, '--trust-policy', 'x.json']]) {
      const r = cli(...args, '--json');
      expect(r.code).toBe(2);
      expect(JSON.parse(r.out)).toMatchObject({ ok: false, exitCode: 2 });
    }
    expect(cli('diff', good).err).toContain('usage:');
    expect(JSON.parse(cli('diff', good, good, '--allow', 'diff-nope', '--json').out).error).toContain('not a diff code');
    expect(cli('doctor', good, '--allow', 'diff-moved').code).toBe(2);
  });
});

describe('docs/diff.md', () => {
  test('shows the output of a real run', () => {
    const HEAD_PROD = HEAD.replace('name: c1', 'name: prod');
    const v1 = HEAD_PROD + `serviceAccounts:
  - { name: api, namespace: shop, role: { name: shop-api } }
  - { name: cart, namespace: shop, mechanism: podIdentity }
  - { name: legacy, namespace: shop }
accessEntries:
  - { principalArn: "arn:aws:iam::111122223333:role/ci-deployer", accessPolicies: [{ policy: AmazonEKSClusterAdminPolicy }] }
fargate:
  profiles:
    - { name: web, subnetIds: [subnet-0123456789abcdef0], selectors: [{ namespace: web }] }
`;
    const v2 = v1.replace('role: { name: shop-api }', 'role: { name: shop-api, path: /shop/ }')
      .replace('  - { name: cart, namespace: shop, mechanism: podIdentity }', '  - { name: cart, namespace: shop }')
      .replace('  - { name: legacy, namespace: shop }\n', '')
      .replace('selectors: [{ namespace: web }]', 'selectors: [{ namespace: web }, { namespace: api }]');
    const dir = tmp('diff-doc-');
    for (const [text, out] of [[v1, 'deployed.out'], [v2, 'cdk.out']]) {
      fs.writeFileSync(path.join(dir, 'identity.yaml'), text);
      const app = new App({ outdir: path.join(dir, out) });
      WorkloadIdentityStack.fromSpecFile(app, 'ProdIdentity', path.join(dir, 'identity.yaml'), { lockMode: LockMode.OFF });
      app.synth();
    }
    const cwd = process.cwd();
    let r: ReturnType<typeof cli>;
    try {
      process.chdir(dir);
      r = cli('diff', 'deployed.out', 'cdk.out');
    } finally {
      process.chdir(cwd);
    }
    expect(r.code).toBe(1);
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'diff.md'), 'utf8');
    expect(doc).toContain(`$ npx cdk-eks-identity diff deployed.out cdk.out\n${r.out}$ echo $?\n1\n`);
  });
});

describe('assemblies without manifest.json or asset manifests (templates only, cdk synth metadata)', () => {
  const dirOf = (files: Record<string, unknown>) => {
    const d = tmp('diff-hand-');
    for (const [n, t] of Object.entries(files)) fs.writeFileSync(path.join(d, n), JSON.stringify(t));
    return d;
  };
  const role = (p: string) => ({ Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'x', Path: p, AssumeRolePolicyDocument: {} } } } });
  const parent = { Resources: { Ns: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example/t.json' }, Metadata: { 'aws:asset:path': 'AppNs.nested.template.json' } } } };

  test('a nested stack found by its aws:asset:path metadata is shown under its parent', () => {
    const { code, report } = json('diff', dirOf({ 'App.template.json': parent, 'AppNs.nested.template.json': role('/') }),
      dirOf({ 'App.template.json': parent, 'AppNs.nested.template.json': role('/eks/') }));
    expect(code).toBe(1);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'diff-replace-impossible', stack: 'App/Ns', logicalId: 'Role' })]);
  });

  test('a nested template no parent names is compared as a stack of its own', () => {
    const { report } = json('diff', dirOf({ 'App.template.json': {}, 'AppNs.nested.template.json': role('/') }),
      dirOf({ 'App.template.json': {}, 'AppNs.nested.template.json': role('/eks/') }));
    expect(report.findings).toEqual([expect.objectContaining({ code: 'diff-replace-impossible', stack: 'AppNs' })]);
    expect(report.compared.before.stacks).toBe(2);
  });
});
