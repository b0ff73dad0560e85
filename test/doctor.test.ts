import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { WorkloadIdentityStack } from '../lib';
import { cli } from './util/cli';
import { synth } from './util/synth';
import { IdentitySpec } from '../lib/identity-spec/types';

const ROOT = path.join(__dirname, '..');
const ISSUER_HP = 'oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const ROLE = 'arn:aws:iam::111122223333:role/my-cluster-backend-s3-reader';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${ISSUER_HP}`;


function json(...args: string[]) {
  const r = cli(...args, '--json');
  return { ...r, report: JSON.parse(r.out) };
}

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** Synthesizes a spec (through synth(): cfn-lint + Kubernetes schemas) into a fresh directory. */
function synthInto(spec: IdentitySpec | string): string {
  const outdir = tmp('doctor-');
  const app = new App({ outdir });
  if (typeof spec === 'string') WorkloadIdentityStack.fromSpecFile(app, 'Quickstart', spec);
  else new WorkloadIdentityStack(app, 'Quickstart', { spec });
  synth(app);
  return outdir;
}

let quickstart: string;
beforeAll(() => {
  quickstart = synthInto(path.join(ROOT, 'examples', 'quickstart', 'identity.yaml'));
});

/** A copy of the quickstart assembly with one file edited. */
function broken(file: string, edit: (text: string) => string, mustChange = true): string {
  const dir = tmp('doctor-broken-');
  for (const f of fs.readdirSync(quickstart)) {
    if (fs.statSync(path.join(quickstart, f)).isFile()) fs.copyFileSync(path.join(quickstart, f), path.join(dir, f));
  }
  const p = path.join(dir, file);
  const before = fs.readFileSync(p, 'utf8');
  const after = edit(before);
  if (mustChange) expect(after).not.toEqual(before);
  fs.writeFileSync(p, after);
  return dir;
}

const editTemplate = (edit: (t: any) => void) => (text: string) => {
  const t = JSON.parse(text);
  edit(t);
  return JSON.stringify(t, undefined, 1);
};
const readerTrust = (t: any) => t.Resources.backends3readerRole2410C031.Properties.AssumeRolePolicyDocument.Statement[0];

describe('doctor on a cloud assembly', () => {
  test('the quickstart assembly is healthy: exit 0', () => {
    const r = cli('doctor', quickstart);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/doctor: 0 errors, 0 warnings, 0 notes in .* \(3 service accounts, 3 roles, 0 access entries\)/);
    expect(json('doctor', quickstart).report).toMatchObject({ ok: true, errors: 0, findings: [] });
  });

  test('trust sub for another namespace: exit 1, names both namespaces', () => {
    const dir = broken('Quickstart.template.json', editTemplate(t => {
      readerTrust(t).Condition.StringEquals[`${ISSUER_HP}:sub`] = 'system:serviceaccount:frontend:s3-reader';
    }));
    const r = cli('doctor', dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('does not admit system:serviceaccount:backend:s3-reader (it admits namespace frontend, the service account lives in backend)');
    const f = json('doctor', dir).report.findings;
    expect(f).toEqual([expect.objectContaining({
      severity: 'error',
      code: 'irsa-trust-subject',
      file: 'Quickstart.template.json',
      where: expect.stringContaining('Resources.backends3readerRole2410C031 (AWS::IAM::Role) for ServiceAccount backend/s3-reader'),
      field: `AssumeRolePolicyDocument.Statement[0].Condition.StringEquals.${ISSUER_HP}:sub`,
      fix: expect.stringContaining('add system:serviceaccount:backend:s3-reader'),
    })]);
  });

  test('issuer of another cluster in the condition key: exit 1, names the issuer', () => {
    const other = 'oidc.eks.us-west-2.amazonaws.com/id/0THERCLUSTER0000000000000000000';
    const dir = broken('Quickstart.template.json', editTemplate(t => {
      const c = readerTrust(t).Condition.StringEquals;
      readerTrust(t).Condition.StringEquals = { [`${other}:aud`]: c[`${ISSUER_HP}:aud`], [`${other}:sub`]: c[`${ISSUER_HP}:sub`] };
    }));
    const r = json('doctor', dir);
    expect(r.code).toBe(1);
    const codes = r.report.findings.map((f: any) => f.code);
    expect(codes).toContain('irsa-trust-condition-issuer');
    const f = r.report.findings.find((x: any) => x.code === 'irsa-trust-condition-issuer');
    expect(f.rule).toContain(`names the issuer '${other}'`);
    expect(f.fix).toContain(`${ISSUER_HP}:sub`);
  });

  test('a provider of another cluster in Principal.Federated: exit 1', () => {
    const dir = broken('Quickstart.template.json', editTemplate(t => {
      readerTrust(t).Principal.Federated = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/0THER';
    }));
    const r = json('doctor', dir);
    expect(r.code).toBe(1);
    expect(r.report.findings.map((f: any) => f.code)).toContain('irsa-trust-condition-issuer');
  });

  test('role-arn annotation with a typo in the role name: exit 1, did you mean', () => {
    const dir = broken('Quickstart.k8s.yaml', y => y.replace('role/my-cluster-backend-s3-reader', 'role/my-cluster-backend-s3-raeder'));
    const r = cli('doctor', dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('doctor-role-not-found');
    expect(r.out).toContain(`did you mean '${ROLE}'`);
    expect(r.out).toContain('Quickstart.k8s.yaml: ServiceAccount backend/s3-reader');
  });

  test('role-arn annotation that is not an ARN (missing colon): exit 1', () => {
    const dir = broken('Quickstart.k8s.yaml', y => y.replace('arn:aws:iam::111122223333:role/my-cluster-shop-orders', 'arn:aws:iam:111122223333:role/my-cluster-shop-orders'));
    const r = json('doctor', dir);
    expect(r.code).toBe(1);
    expect(r.report.findings).toEqual([expect.objectContaining({ code: 'iam-role-arn', where: 'ServiceAccount shop/orders', fix: expect.stringContaining("did you mean 'arn:aws:iam::111122223333:role/my-cluster-shop-orders'") })]);
  });

  test('aud sts.amazonaws.com.cn against an sts.amazonaws.com service account: exit 1', () => {
    const dir = broken('Quickstart.template.json', editTemplate(t => {
      readerTrust(t).Condition.StringEquals[`${ISSUER_HP}:aud`] = 'sts.amazonaws.com.cn';
    }));
    const r = json('doctor', dir);
    expect(r.code).toBe(1);
    const f = r.report.findings.find((x: any) => x.code === 'irsa-trust-audience');
    expect(f).toMatchObject({ value: "'sts.amazonaws.com.cn'" });
    expect(f.rule).toContain("does not equal the audience of system:serviceaccount:backend:s3-reader ('sts.amazonaws.com')");
    // and the provider's client ids do not list it either
    expect(r.report.findings.map((x: any) => x.code)).toContain('oidc-client-id');
  });

  test('StringLike system:serviceaccount:*:* spans namespaces: exit 1', () => {
    const dir = broken('Quickstart.template.json', editTemplate(t => {
      const s = readerTrust(t);
      delete s.Condition.StringEquals[`${ISSUER_HP}:sub`];
      s.Condition.StringLike = { [`${ISSUER_HP}:sub`]: 'system:serviceaccount:*:*' };
    }));
    const r = json('doctor', dir);
    expect(r.code).toBe(1);
    expect(r.report.findings).toEqual([expect.objectContaining({ code: 'irsa-namespace-wildcard', severity: 'error', value: "'system:serviceaccount:*:*'" })]);
    expect(r.report.findings[0].rule).toContain('spans namespaces');
  });

  test('StringLike * over the whole issuer: exit 1', () => {
    const dir = broken('Quickstart.template.json', editTemplate(t => {
      const s = readerTrust(t);
      delete s.Condition.StringEquals[`${ISSUER_HP}:sub`];
      s.Condition.StringLike = { [`${ISSUER_HP}:sub`]: '*' };
    }));
    expect(json('doctor', dir).report.findings.map((f: any) => f.code)).toEqual(['irsa-trust-issuer-wildcard']);
  });

  test('a name wildcard in one namespace: a warning without the opt-in tag, nothing with it', () => {
    const edit = (tag: boolean) => editTemplate(t => {
      const s = readerTrust(t);
      delete s.Condition.StringEquals[`${ISSUER_HP}:sub`];
      s.Condition.StringLike = { [`${ISSUER_HP}:sub`]: 'system:serviceaccount:backend:s3-*' };
      if (tag) t.Resources.backends3readerRole2410C031.Properties.Tags.push({ Key: 'cdk-eks-identity:wildcard-subjects', Value: 'true' });
    });
    const warned = json('doctor', broken('Quickstart.template.json', edit(false)));
    expect(warned.code).toBe(0);
    expect(warned.report.findings).toEqual([expect.objectContaining({ severity: 'warning', code: 'irsa-trust-name-wildcard' })]);
    expect(json('doctor', broken('Quickstart.template.json', edit(true))).report.findings).toEqual([]);
  });

  test('a trust policy above the length quota: exit 1; --trust-policy-length raises the limit', () => {
    const dir = broken('Quickstart.template.json', editTemplate(t => {
      readerTrust(t).Condition.StringEquals[`${ISSUER_HP}:sub`] = ['system:serviceaccount:backend:s3-reader',
        ...Array.from({ length: 50 }, (_, i) => `system:serviceaccount:backend:other-${i}`)];
    }));
    expect(json('doctor', dir).report.findings.map((f: any) => f.code)).toEqual(['iam-trust-policy-length']);
    expect(cli('doctor', dir, '--trust-policy-length', '4096').code).toBe(0);
  });

  test('a role-arn annotation of a role the templates do not create: a note, exit 0', () => {
    const dir = broken('Quickstart.k8s.yaml', y => y.replace('role/my-cluster-shop-orders', 'role/made-elsewhere/shared-orders-role'));
    const r = json('doctor', dir);
    expect(r.code).toBe(0);
    expect(r.report.findings).toEqual([expect.objectContaining({ severity: 'note', code: 'doctor-role-external' })]);
    expect(r.report.findings[0].rule).toContain('could not be checked');
  });

  test('nested templates are read too', () => {
    const dir = broken('Quickstart.k8s.yaml', y => y, false);
    fs.renameSync(path.join(dir, 'Quickstart.template.json'), path.join(dir, 'QuickstartNested0123ABCD.nested.template.json'));
    expect(cli('doctor', dir).code).toBe(0);
    const edited = broken('Quickstart.template.json', editTemplate(t => {
      readerTrust(t).Condition.StringEquals[`${ISSUER_HP}:sub`] = 'system:serviceaccount:frontend:s3-reader';
    }));
    fs.renameSync(path.join(edited, 'Quickstart.template.json'), path.join(edited, 'QuickstartNested0123ABCD.nested.template.json'));
    expect(json('doctor', edited).report.findings[0]).toMatchObject({ code: 'irsa-trust-subject', file: 'QuickstartNested0123ABCD.nested.template.json' });
  });
});

describe('doctor on the examples: the trusts we generate stay clean under the condition evaluator', () => {
  const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter(d => fs.existsSync(path.join(ROOT, 'examples', d, 'identity.yaml')));
  test.each(examples)('%s', name => {
    const outdir = tmp(`doctor-example-${name}-`);
    const app = new App({ outdir });
    WorkloadIdentityStack.fromSpecFile(app, 'Example', path.join(ROOT, 'examples', name, 'identity.yaml'));
    app.synth();
    const r = json('doctor', outdir);
    expect({ name, errors: r.report.findings.filter((f: any) => f.severity === 'error') }).toEqual({ name, errors: [] });
    expect(r.report.findings.filter((f: any) => f.code.startsWith('irsa-trust') || f.code === 'iam-condition-operator')).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe('doctor on access entries', () => {
  const spec = (rbac: boolean): IdentitySpec => ({
    cluster: { name: 'my-cluster', account: '111122223333', region: 'us-west-2', authenticationMode: 'API_AND_CONFIG_MAP' },
    accessEntries: [{ principalArn: 'arn:aws:iam::111122223333:role/my-role', username: 'viewer:{{SessionName}}', kubernetesGroups: ['viewers'] }],
    rbac: rbac ? [{ group: 'viewers', clusterRole: 'view' }] : undefined,
  } as IdentitySpec);

  test('a group bound by a ClusterRoleBinding: exit 0', () => {
    expect(cli('doctor', synthInto(spec(true))).code).toBe(0);
  });

  test('a group bound nowhere: a warning naming the group, exit 0; exit 1 with --strict', () => {
    const dir = synthInto(spec(false));
    const r = cli('doctor', dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^warning .*Resources\.\S+ \(AWS::EKS::AccessEntry\)\n +KubernetesGroups\[0\]: 'viewers' is bound by no RoleBinding or ClusterRoleBinding/m);
    expect(r.out).toContain('warnings do not fail without --strict');
    expect(cli('doctor', dir, '--strict').code).toBe(1);
    expect(json('doctor', dir, '--strict').report).toMatchObject({ ok: false, errors: 0, warnings: 1 });
  });

  test('rules across entries: the same principal twice, and a bad type, are errors', () => {
    const dir = synthInto(spec(true));
    const file = fs.readdirSync(dir).find(f => f.endsWith('.template.json'))!;
    const t = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const [id, entry] = Object.entries<any>(t.Resources).find(([, r]) => r.Type === 'AWS::EKS::AccessEntry')!;
    t.Resources[`${id}Copy`] = JSON.parse(JSON.stringify({ ...entry, Properties: { ...entry.Properties, Type: 'EC2_Linux', Username: undefined, KubernetesGroups: undefined } }));
    fs.writeFileSync(path.join(dir, file), JSON.stringify(t));
    const r = json('doctor', dir);
    expect(r.code).toBe(1);
    expect(r.report.findings.map((f: any) => f.code).sort()).toEqual(['access-entry-duplicate-principal', 'access-entry-type']);
  });
});

describe('doctor --trust-policy --service-account (files from a cluster)', () => {
  const dir = tmp('doctor-files-');
  const trust = {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Federated: PROVIDER },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${ISSUER_HP}:aud`]: 'sts.amazonaws.com', [`${ISSUER_HP}:sub`]: 'system:serviceaccount:backend:s3-reader' } },
    }],
  };
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  // as kubectl get sa s3-reader -n backend -o yaml prints it
  const saYaml = (roleArn = ROLE) => `apiVersion: v1
kind: ServiceAccount
metadata:
  annotations:
    eks.amazonaws.com/role-arn: ${roleArn}
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","kind":"ServiceAccount"}
  creationTimestamp: "2026-11-20T10:00:00Z"
  name: s3-reader
  namespace: backend
  resourceVersion: "12345"
  uid: 0b5c6d3e-1111-2222-3333-444455556666
`;
  const getRole = (doc: object) => JSON.stringify({
    Role: {
      Path: '/',
      RoleName: 'my-cluster-backend-s3-reader',
      RoleId: 'AROAEXAMPLE',
      Arn: ROLE,
      CreateDate: '2026-11-20T10:00:00+00:00',
      AssumeRolePolicyDocument: doc,
      MaxSessionDuration: 3600,
      RoleLastUsed: {},
    },
  }, undefined, 4);

  test('a raw JSON trust policy, the URL-encoded form and aws iam get-role output all pass', () => {
    const sa = write('sa.yaml', saYaml());
    for (const [name, text] of [['raw.json', JSON.stringify(trust)], ['encoded.txt', encodeURIComponent(JSON.stringify(trust))],
      ['get-role.json', getRole(trust)], ['get-role-encoded.json', getRole(encodeURIComponent(JSON.stringify(trust)) as any)]]) {
      const r = cli('doctor', '--trust-policy', write(name, text), '--service-account', sa, '--issuer', `https://${ISSUER_HP}`, '--provider-arn', PROVIDER);
      expect({ name, code: r.code, out: r.out }).toMatchObject({ name, code: 0 });
    }
  });

  test('a kubectl List of service accounts is read too', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n${saYaml().split('\n').map(l => (l ? `  ${l}` : l)).join('\n').replace(/^ {2}apiVersion/, '- apiVersion')}`;
    const r = cli('doctor', '--trust-policy', write('t.json', JSON.stringify(trust)), '--service-account', write('list.yaml', list));
    expect(r.out).toContain('1 service account');
    expect(r.code).toBe(0);
  });

  test('sub of another namespace in a hand-made trust: exit 1 naming the cause', () => {
    const bad = JSON.parse(JSON.stringify(trust));
    bad.Statement[0].Condition.StringEquals[`${ISSUER_HP}:sub`] = 'system:serviceaccount:default:s3-reader';
    const r = cli('doctor', '--trust-policy', write('bad.json', getRole(bad)), '--service-account', write('sa.yaml', saYaml()));
    expect(r.code).toBe(1);
    expect(r.out).toContain('it admits namespace default, the service account lives in backend');
  });

  test('--issuer of another cluster: the provider and the condition keys are named', () => {
    const r = json('doctor', '--trust-policy', write('t.json', JSON.stringify(trust)), '--service-account', write('sa.yaml', saYaml()),
      '--issuer', 'https://oidc.eks.us-west-2.amazonaws.com/id/0THER');
    expect(r.code).toBe(1);
    expect(r.report.findings.map((f: any) => f.code)).toContain('oidc-provider-issuer-mismatch');
  });

  test('--provider-arn of another account than the trust names: exit 1', () => {
    const other = `arn:aws:iam::444455556666:oidc-provider/${ISSUER_HP}`;
    const r = json('doctor', '--trust-policy', write('t.json', JSON.stringify(trust)), '--service-account', write('sa.yaml', saYaml()), '--provider-arn', other);
    expect(r.report.findings.map((f: any) => f.code)).toEqual(['irsa-trust-provider']);
  });

  test('the annotation names another role than get-role returned: exit 1', () => {
    const r = json('doctor', '--trust-policy', write('g.json', getRole(trust)), '--service-account', write('sa2.yaml', saYaml('arn:aws:iam::111122223333:role/completely-different')));
    expect(r.code).toBe(1);
    expect(r.report.findings.map((f: any) => f.code)).toEqual(['doctor-role-mismatch']);
  });

  test('a service account without the role-arn annotation: exit 1', () => {
    const r = json('doctor', '--trust-policy', write('t.json', JSON.stringify(trust)), '--service-account', write('plain.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: s3-reader\n  namespace: backend\n'));
    expect(r.report.findings.map((f: any) => f.code)).toEqual(['irsa-no-role-arn']);
  });

  test('a file of several service accounts: those naming the get-role role are checked, the others noted', () => {
    const other = saYaml('arn:aws:iam::111122223333:role/my-cluster-shop-orders').replace('name: s3-reader', 'name: orders').replace('namespace: backend', 'namespace: shop');
    const both = write('both.yaml', `${saYaml()}---\n${other}`);
    const r = json('doctor', '--trust-policy', write('g.json', getRole(trust)), '--service-account', both);
    expect(r.code).toBe(0);
    expect(r.report.findings).toEqual([expect.objectContaining({ severity: 'note', code: 'doctor-role-other', where: 'ServiceAccount shop/orders' })]);
    // a bare trust policy names no role: all are checked against it, and doctor says so
    const bare = json('doctor', '--trust-policy', write('t.json', JSON.stringify(trust)), '--service-account', both);
    expect(bare.report.findings.map((f: any) => `${f.severity}:${f.code}`)).toEqual(['note:doctor-role-assumed', 'error:irsa-trust-subject']);
  });

  test('a service account without a name: the name is missing, not a subject of default/', () => {
    const r = json('doctor', '--trust-policy', write('t.json', JSON.stringify(trust)), '--service-account',
      write('noname.yaml', `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n    eks.amazonaws.com/role-arn: ${ROLE}\n`));
    expect(r.code).toBe(1);
    expect(r.report.findings).toEqual([expect.objectContaining({ code: 'k8s-service-account-name', field: 'metadata.name', where: 'ServiceAccount default/(no name)' })]);
  });

  test('a role that trusts pods.eks.amazonaws.com (Pod Identity) used through IRSA: exit 1', () => {
    const pi = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] };
    const r = json('doctor', '--trust-policy', write('pi.json', JSON.stringify(pi)), '--service-account', write('sa.yaml', saYaml()));
    expect(r.report.findings.map((f: any) => f.code)).toEqual(['irsa-trust-no-web-identity']);
  });
});

describe('invocation', () => {
  test('bad invocations exit 2 with the usage', () => {
    expect(cli('doctor', '/nonexistent/cdk.out')).toMatchObject({ code: 2, err: expect.stringContaining('no such directory') });
    expect(cli('doctor', '--bogus')).toMatchObject({ code: 2, err: expect.stringContaining('unknown option --bogus') });
    expect(cli('frobnicate').code).toBe(2);
    expect(cli().code).toBe(2);
    expect(cli('doctor', '--trust-policy', 'x.json').code).toBe(2);
    expect(cli('doctor', '--trust-policy', '/nonexistent.json', '--service-account', '/nonexistent.yaml').err).toContain('cannot be read');
    expect(cli('doctor', quickstart, '--issuer', 'https://x').code).toBe(2);
    expect(cli('doctor', tmp('empty-')).err).toContain('is this a cloud assembly');
    const notTrust = path.join(tmp('nt-'), 'x.json');
    fs.writeFileSync(notTrust, 'hello');
    expect(cli('doctor', '--trust-policy', notTrust, '--service-account', notTrust).err).toContain('not a trust policy');
  });

  test('--help exits 0', () => {
    expect(cli('--help')).toMatchObject({ code: 0, out: expect.stringContaining('cdk-eks-identity doctor') });
  });

  test('the bin runs: npx ts-node lib/cli/main.ts doctor exits 0 on the quickstart', () => {
    const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--transpile-only', path.join(ROOT, 'lib', 'cli', 'main.ts'), 'doctor', quickstart], { encoding: 'utf8', cwd: ROOT });
    expect(r.stdout).toContain('doctor: 0 errors');
    expect(r.status).toBe(0);
  });
});
