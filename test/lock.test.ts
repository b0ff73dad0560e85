import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { IdentityValidationError, LockMode, StackLayout, WorkloadIdentityStack } from '../lib';
import { expectIdentityError } from './util/expect-error';
import { generateSpec } from './util/generate-spec';
import { resourcesOfType, synth } from './util/synth';
import { placeWithLock } from '../lib/lock/placement';

const HEAD = `cluster:
  name: c1
  account: "111122223333"
  region: us-west-2
  oidcIssuerUrl: https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE
  authenticationMode: API
`;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-'));
});
afterEach(() => {
  delete process.env.CI;
  delete process.env.CDK_EKS_IDENTITY_LOCK;
  delete process.env.CDK_OUTDIR;
});

/** Writes the spec, synthesizes it (cfn-lint over every template) and returns the template and the lock text. */
function run(yaml: string, mode: LockMode | undefined = LockMode.WRITE, file = 'identity.yaml') {
  const spec = path.join(dir, file);
  fs.writeFileSync(spec, HEAD + yaml);
  const app = new App();
  const stack = WorkloadIdentityStack.fromSpecFile(app, 'Id', spec, { lockMode: mode });
  const out = synth(app);
  const lockFile = path.join(dir, file.replace(/\.ya?ml$/, '.lock.json'));
  return { stack, template: out.templates.Id, lock: fs.existsSync(lockFile) ? fs.readFileSync(lockFile, 'utf8') : undefined };
}

const roles = (t: any) => Object.fromEntries(resourcesOfType(t, 'AWS::IAM::Role').map(([id, r]) => [id, r.Properties.RoleName]));

const IRSA = 'serviceAccounts:\n  - { name: api, namespace: shop }\n';
const POD = 'serviceAccounts:\n  - { name: web, namespace: shop, mechanism: podIdentity }\n';

describe('without a lock file the output is exactly today\'s', () => {
  test('auto mode outside the CDK CLI writes no lock, and the template equals the lock-less one', () => {
    const a = run(IRSA, LockMode.AUTO);
    expect(a.lock).toBeUndefined();
    const b = run(IRSA, LockMode.OFF);
    expect(a.template).toEqual(b.template);
  });

  test('writing the lock for the first time, and reading it back, changes no template byte', () => {
    const first = run(IRSA + '  - { name: db, namespace: data, role: { name: fixed-db, path: /x/ } }\n');
    expect(first.lock).toBeDefined();
    const second = run(IRSA + '  - { name: db, namespace: data, role: { name: fixed-db, path: /x/ } }\n');
    expect(JSON.stringify(second.template)).toBe(JSON.stringify(first.template));
    expect(second.lock).toBe(first.lock);
    const off = run(IRSA + '  - { name: db, namespace: data, role: { name: fixed-db, path: /x/ } }\n', LockMode.OFF);
    expect(JSON.stringify(off.template)).toBe(JSON.stringify(first.template));
  });

  test('the lock is versioned, its keys sorted, its bytes stable', () => {
    const { lock } = run(IRSA);
    const data = JSON.parse(lock!);
    expect(data.version).toBe(1);
    expect(Object.keys(data)).toEqual(['$comment', 'stacks', 'version']);
    expect(data.stacks.Id.roles['shop/api']).toEqual({ base: 'c1-shop-api', given: false, name: 'c1-shop-api', path: '/' });
    expect(lock!.endsWith('}\n')).toBe(true);
  });

  test('auto mode writes the lock when the CDK CLI runs the app (CDK_OUTDIR set)', () => {
    process.env.CDK_OUTDIR = path.join(dir, 'out');
    expect(run(IRSA, LockMode.AUTO).lock).toBeDefined();
  });
});

describe('the created OIDC provider stays while the spec describes its cluster', () => {
  const providers = (t: any) => resourcesOfType(t, 'AWS::IAM::OIDCProvider');

  test('the last IRSA workload goes: with the lock the provider stays (same logical id, client ids)', () => {
    const v1 = run(IRSA);
    const before = providers(v1.template);
    expect(before).toHaveLength(1);
    const v2 = run(POD);
    expect(providers(v2.template)).toEqual(before);
    // IRSA comes back: still one provider, the same
    const v3 = run(IRSA);
    expect(providers(v3.template)).toEqual(before);
  });

  test('without the lock the provider leaves (today\'s output), and a spec that never created one gets none', () => {
    run(IRSA);
    expect(providers(run(POD, LockMode.OFF).template)).toHaveLength(0);
    fs.rmSync(path.join(dir, 'identity.lock.json'));
    expect(providers(run(POD).template)).toHaveLength(0);
  });

  test('oidcProvider.keep: false stops managing it: it leaves the template and the lock forgets it', () => {
    run(IRSA);
    const v2 = run(POD + 'oidcProvider: { keep: false }\n');
    expect(providers(v2.template)).toHaveLength(0);
    expect(JSON.parse(v2.lock!).stacks.Id.oidcProvider).toBeUndefined();
  });

  test('another issuer (the cluster was recreated): the old provider is not kept', () => {
    run(IRSA);
    const other = POD.replace('shop', 'shop');
    fs.writeFileSync(path.join(dir, 'identity.yaml'), HEAD.replace('EXAMPLED539', 'OTHERED539') + other);
    const app = new App();
    WorkloadIdentityStack.fromSpecFile(app, 'Id', path.join(dir, 'identity.yaml'), { lockMode: LockMode.WRITE });
    expect(providers(synth(app).templates.Id)).toHaveLength(0);
  });
});

describe('a create-only property of a deployed resource changes', () => {
  test('role path: a generated name changes with it (hash suffix) and then stays', () => {
    const v1 = run(IRSA.replace('}', ', role: { path: /a/ } }'));
    const v2 = run(IRSA.replace('}', ', role: { path: /b/ } }'));
    const [id] = Object.keys(roles(v1.template));
    expect(roles(v1.template)[id]).toBe('c1-shop-api');
    expect(roles(v2.template)[id]).toMatch(/^c1-shop-api-[0-9a-f]{8}$/);
    const v3 = run(IRSA.replace('}', ', role: { path: /b/ } }'));
    expect(roles(v3.template)).toEqual(roles(v2.template));
  });

  test('role path: a name the spec fixed is a synth error naming the field, the value, the rule and the fix', () => {
    run(IRSA.replace('}', ', role: { name: fixed, path: /a/ } }'));
    const err = expectIdentityError(() => run(IRSA.replace('}', ', role: { name: fixed, path: /b/ } }')),
      'serviceAccounts[0].role.path', /deployed role 'fixed'.*fix: give the role a new name/);
    expect(err.code).toBe('lock-role-replaced-kept-name');
    expect(err.file).toBe('identity.yaml');
    // a new name with the new path passes
    expect(() => run(IRSA.replace('}', ', role: { name: fixed-2, path: /b/ } }'))).not.toThrow();
  });

  const FARGATE = (selectors: string, name = 'web') => `fargate:
  profiles:
    - { name: ${name}, subnetIds: [subnet-0123456789abcdef0], selectors: [${selectors}] }
`;

  test('fargate selectors: the fixed profile name is an error; a renamed profile passes', () => {
    run(FARGATE('{ namespace: web }'));
    const err = expectIdentityError(() => run(FARGATE('{ namespace: web }, { namespace: api }')), 'fargate.profiles[0].name', /changes selectors/);
    expect(err.code).toBe('lock-fargate-profile-replaced');
    expect(() => run(FARGATE('{ namespace: web }, { namespace: api }', 'web-2'))).not.toThrow();
  });

  test('fargate pod execution role renamed: its profile would be replaced under its name', () => {
    run(FARGATE('{ namespace: web }'));
    expectIdentityError(() => run('fargate:\n  podExecutionRole: { name: exec }\n' + FARGATE('{ namespace: web }').replace('fargate:\n', '')),
      'fargate.profiles[0].name', /the pod execution role/);
  });

  const ENTRY = (type: string, role = 'admin') => `accessEntries:\n  - { principalArn: "arn:aws:iam::111122223333:role/${role}", type: ${type} }\n`;

  test('access entry type: an error for the same principal; another principal passes', () => {
    run(ENTRY('STANDARD'));
    const err = expectIdentityError(() => run(ENTRY('EC2_LINUX')), 'accessEntries[0].type', /was 'STANDARD'/);
    expect(err.code).toBe('lock-access-entry-type-changed');
    expect(() => run(ENTRY('EC2_LINUX', 'nodes'))).not.toThrow();
  });
});

describe('placement in the nested layout', () => {
  const writeSpec = (n: number) => {
    const spec = generateSpec({ serviceAccounts: n, namespaces: 1, layout: StackLayout.NESTED });
    fs.writeFileSync(path.join(dir, 'identity.json'), JSON.stringify(spec));
  };
  const placed = (mode: LockMode) => {
    const app = new App();
    const s = WorkloadIdentityStack.fromSpecFile(app, 'Big', path.join(dir, 'identity.json'), { lockMode: mode });
    app.synth();
    return new Map(s.workloads.map(w => [w.node.id, Stack.of(w).node.id]));
  };

  test('a namespace that outgrows its shard places only new roles: deployed ones never move', () => {
    writeSpec(300);
    const v1 = placed(LockMode.WRITE);
    expect(new Set(v1.values())).toEqual(new Set(['Namespace-team-000']));
    writeSpec(500);
    const noLock = placed(LockMode.OFF);
    // today: the hash split moves some deployed roles
    expect([...v1].some(([id, st]) => noLock.get(id) !== st)).toBe(true);
    const v2 = placed(LockMode.WRITE);
    for (const [id, st] of v1) expect(v2.get(id)).toBe(st);
    expect(new Set(v2.values()).size).toBeGreaterThan(1);
    // and stays so on the next synth
    expect(placed(LockMode.WRITE)).toEqual(v2);
  });

  test('placeWithLock: no deployed item returns the plan; a full shard sends new items on', () => {
    const w = { resources: 1, bytes: 1 };
    expect(placeWithLock([w, w], [undefined, undefined], [1, 0], { resources: 1, bytes: 10 })).toEqual([1, 0]);
    expect(placeWithLock([w, w, w], [0, undefined, undefined], [0, 0, 1], { resources: 1, bytes: 10 })).toEqual([0, 1, 2]);
  });
});

describe('lock files of several stacks', () => {
  test('two stacks with two specs in one app: two lock files, each its own', () => {
    fs.writeFileSync(path.join(dir, 'a.yaml'), HEAD + IRSA);
    fs.writeFileSync(path.join(dir, 'b.yaml'), HEAD.replace('c1', 'c2') + POD);
    const app = new App();
    WorkloadIdentityStack.fromSpecFile(app, 'A', path.join(dir, 'a.yaml'), { lockMode: LockMode.WRITE });
    WorkloadIdentityStack.fromSpecFile(app, 'B', path.join(dir, 'b.yaml'), { lockMode: LockMode.WRITE });
    synth(app);
    const a = JSON.parse(fs.readFileSync(path.join(dir, 'a.lock.json'), 'utf8'));
    const b = JSON.parse(fs.readFileSync(path.join(dir, 'b.lock.json'), 'utf8'));
    expect(Object.keys(a.stacks)).toEqual(['A']);
    expect(Object.keys(b.stacks)).toEqual(['B']);
    expect(b.stacks.B.cluster).toBe('c2');
  });

  test('two stacks of one spec share its lock: one entry each', () => {
    fs.writeFileSync(path.join(dir, 'identity.yaml'), HEAD);
    const app = new App();
    WorkloadIdentityStack.fromSpecFile(app, 'A', path.join(dir, 'identity.yaml'), { lockMode: LockMode.WRITE });
    WorkloadIdentityStack.fromSpecFile(app, 'B', path.join(dir, 'identity.yaml'), { lockMode: LockMode.WRITE, env: { account: '444455556666', region: 'us-west-2' } });
    app.synth();
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(dir, 'identity.lock.json'), 'utf8')).stacks)).toEqual(['A', 'B']);
  });
});

describe('a bad lock is our error naming the file', () => {
  const withLock = (text: string) => {
    fs.writeFileSync(path.join(dir, 'identity.lock.json'), text);
    return () => run(IRSA);
  };

  test('not JSON', () => {
    const err = expectIdentityError(withLock('{"version": 1, "stacks": '), '(file)', /not JSON/);
    expect(err.code).toBe('lock-file-invalid');
    expect(err.file).toBe('identity.lock.json');
  });

  test('a wrong type deep inside names the JSON path', () => {
    const bad = { version: 1, stacks: { Id: { cluster: 'c1', layout: 'single', roles: { 'shop/api': { given: 'no', path: '/' } }, fargateProfiles: {}, accessEntries: {} } } };
    expectIdentityError(withLock(JSON.stringify(bad)), 'stacks.Id.roles.shop/api.given', /must be boolean/);
  });

  test('an unknown key', () => {
    expectIdentityError(withLock(JSON.stringify({ version: 1, stacks: {}, extra: 1 })), '(file)', /'extra'/);
  });

  test('a lock from a future version: upgrade', () => {
    const err = expectIdentityError(withLock(JSON.stringify({ version: 2, stacks: {}, newThing: {} })), 'version', /newer cdk-eks-identity.*fix: upgrade/);
    expect(err.code).toBe('lock-version-unsupported');
  });

  test('a valid lock passes', () => {
    expect(() => withLock(JSON.stringify({ version: 1, stacks: {} }))()).not.toThrow();
  });
});

describe('CI: the frozen lock', () => {
  test('CI=true with a lock: a change fails synth, no change passes and the file is untouched', () => {
    const { lock } = run(IRSA);
    process.env.CI = 'true';
    expect(run(IRSA, LockMode.AUTO).lock).toBe(lock);
    let message = '';
    try {
      run(IRSA + '  - { name: new, namespace: shop }\n', LockMode.AUTO);
    } catch (e: any) {
      message = e.message;
      expect(IdentityValidationError.isIdentityValidationError(e)).toBe(true);
    }
    expect(message).toMatch(/^identity\.lock\.json: stacks\.Id: 'changed' the lock file would change.*fix: run synth locally and commit the lock file \[lock-frozen\]$/);
    expect(fs.readFileSync(path.join(dir, 'identity.lock.json'), 'utf8')).toBe(lock);
  });

  test('CI=true without a lock: nothing written, no error (a lock is opt-in by committing it)', () => {
    process.env.CI = 'true';
    expect(run(IRSA, LockMode.AUTO).lock).toBeUndefined();
  });

  test('CDK_EKS_IDENTITY_LOCK=frozen without a lock: the lock would change', () => {
    process.env.CDK_EKS_IDENTITY_LOCK = 'frozen';
    expect(() => run(IRSA)).toThrow(/'missing' the lock file would change/);
  });

  test('CDK_EKS_IDENTITY_LOCK wins over lockMode; a misspelt value is our error', () => {
    process.env.CDK_EKS_IDENTITY_LOCK = 'off';
    expect(run(IRSA, LockMode.WRITE).lock).toBeUndefined();
    process.env.CDK_EKS_IDENTITY_LOCK = 'frozn';
    const err = expectIdentityError(() => run(IRSA), 'CDK_EKS_IDENTITY_LOCK', /is not a lock mode/);
    expect(err.code).toBe('lock-mode-invalid');
  });
});
