import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli } from './util/cli';


const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
const write = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
};
const SA = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: team-a\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n';
const noStack = (r: { out: string; err: string }) => expect(`${r.out}${r.err}`).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);

describe('--version', () => {
  test('prints the version of package.json', () => {
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
    expect(cli('--version')).toEqual({ code: 0, out: `${version}\n`, err: '' });
    expect(JSON.parse(cli('--version', '--json').out)).toEqual({ version });
  });
});

describe('--json always prints JSON', () => {
  test('on usage errors: ok false, the message, exit 2, nothing but JSON on stdout', () => {
    for (const args of [['doctor', '--bogus'], ['frobnicate'], ['doctor', '/nonexistent/cdk.out'], ['doctor', '--trust-policy', 'x.json']]) {
      const r = cli(...args, '--json');
      expect(r.code).toBe(2);
      expect(JSON.parse(r.out)).toMatchObject({ ok: false, exitCode: 2, error: expect.any(String) });
      expect(r.err).not.toContain('usage:');
    }
    expect(JSON.parse(cli('doctor', '--bogus', '--json').out).error).toContain('unknown option --bogus');
  });

  test('--help --json: the usage as JSON', () => {
    expect(JSON.parse(cli('--help', '--json').out).usage).toContain('cdk-eks-identity doctor');
  });

  test('without --json the usage text follows a bad invocation', () => {
    expect(cli('doctor', '--bogus')).toMatchObject({ code: 2, out: '', err: expect.stringContaining('usage:') });
  });
});

describe('unreadable input: exit 2 with the file and the line, never a stack trace', () => {
  const assembly = (files: { [name: string]: string }) => {
    const d = fs.mkdtempSync(path.join(dir, 'asm-'));
    for (const [n, t] of Object.entries(files)) fs.writeFileSync(path.join(d, n), t);
    return d;
  };

  test('a truncated template', () => {
    const d = assembly({ 'App.template.json': '{\n  "Resources": {\n    "Role": {\n      "Type": "AWS::IAM::Role",\n' });
    const r = cli('doctor', d);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/App\.template\.json: line \d+: not valid JSON/);
    expect(r.err).not.toContain('usage:');
    noStack(r);
    const e = JSON.parse(cli('doctor', d, '--json').out).error;
    expect(e.startsWith(`${path.join(d, 'App.template.json')}: line 5: not valid JSON (`)).toBe(true);
    expect(e).toContain('expected a CloudFormation template');
  });

  test('a syntax error names its line', () => {
    const d = assembly({ 'App.template.json': '{\n  "Resources": {\n    "A": { "Type": "x" },,\n  }\n}\n' });
    expect(cli('doctor', d).err).toContain('App.template.json: line 3: not valid JSON');
  });

  test('a template holding null, or Resources that are no object', () => {
    expect(cli('doctor', assembly({ 'App.template.json': 'null' }))).toMatchObject({ code: 2, err: expect.stringContaining('App.template.json: line 1: not a CloudFormation template') });
    expect(cli('doctor', assembly({ 'App.template.json': '{"Resources": [1]}' }))).toMatchObject({ code: 2, err: expect.stringContaining('App.template.json: Resources is [1]') });
  });

  test('broken YAML in a manifest', () => {
    const d = assembly({ 'App.k8s.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: [a,\n  namespace: x\n' });
    const r = cli('doctor', d);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/App\.k8s\.yaml: line \d+: not valid YAML/);
    noStack(r);
  });

  test('a truncated, a null or an empty --trust-policy; broken --service-account YAML', () => {
    const sa = write('sa.yaml', SA);
    const truncated = cli('doctor', '--trust-policy', write('t.json', '{"Version": "2012-10-17", "Statement": [\n  {"Effect": "Allow",\n'), '--service-account', sa);
    expect(truncated).toMatchObject({ code: 2, err: expect.stringMatching(/t\.json: line \d+: not valid JSON/) });
    noStack(truncated);
    expect(cli('doctor', '--trust-policy', write('n.json', 'null'), '--service-account', sa)).toMatchObject({ code: 2, err: expect.stringContaining('n.json: no Statement found') });
    expect(cli('doctor', '--trust-policy', write('e.json', ''), '--service-account', sa)).toMatchObject({ code: 2, err: expect.stringContaining('e.json: not a trust policy (the file is empty') });
    expect(cli('doctor', '--trust-policy', write('bad-url.txt', '%7B%ZZ'), '--service-account', sa)).toMatchObject({ code: 2, err: expect.stringContaining('a broken URL encoding') });
    const ok = write('ok.json', JSON.stringify({ Statement: [] }));
    const y = cli('doctor', '--trust-policy', ok, '--service-account', write('bad.yaml', 'kind: ServiceAccount\nmetadata: {name: [x\n'));
    expect(y).toMatchObject({ code: 2, err: expect.stringMatching(/bad\.yaml: line \d+: not valid YAML/) });
  });
});
