import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { WorkloadIdentityStack } from '../lib';
import { cli } from './util/cli';
import { synth } from './util/synth';

/**
 * `doctor --live DIR` over exported cluster state (test/fixtures/live: IAM and describe-cluster
 * output generated with moto and the AWS CLI v1, EKS and kubectl output written after the CLI
 * reference; see its README), and the Pod Identity checks of `doctor` on a cloud assembly.
 */
const LIVE = path.join(__dirname, 'fixtures', 'live');
const ROOT = path.join(__dirname, '..');

const json = (...args: string[]) => {
  const r = cli(...args, '--json');
  return { ...r, report: JSON.parse(r.out) };
};
const codes = (report: any) => report.findings.map((f: any) => `${f.severity}:${f.code} ${f.file}`);
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** A copy of a fixture directory, with files renamed, removed or added. */
function copy(from: string, edit: (dir: string) => void = () => undefined): string {
  const dir = tmp('doctor-live-');
  for (const f of fs.readdirSync(path.join(LIVE, from))) fs.copyFileSync(path.join(LIVE, from, f), path.join(dir, f));
  edit(dir);
  return dir;
}

describe('doctor --live on exported state', () => {
  test('the healthy cluster: exit 0, nothing to report, everything counted', () => {
    const r = json('doctor', '--live', path.join(LIVE, 'healthy'));
    expect(r.code).toBe(0);
    expect(r.report).toMatchObject({ ok: true, errors: 0, warnings: 0, notes: 0, findings: [] });
    expect(r.report.checked).toEqual({ serviceAccounts: 8, roles: 3, accessEntries: 3, files: 17, podIdentityAssociations: 2 });
    expect(cli('doctor', '--live', path.join(LIVE, 'healthy')).out)
      .toMatch(/^doctor: 0 errors, 0 warnings, 0 notes in .*healthy \(8 service accounts, 3 roles, 3 access entries, 2 Pod Identity associations\)\n$/);
  });

  test('the broken cluster: each finding, with its reason', () => {
    const r = json('doctor', '--live', path.join(LIVE, 'broken'));
    expect(r.code).toBe(1);
    expect(codes(r.report)).toEqual([
      'note:doctor-live-unknown-file caller-identity.json', // aws sts get-caller-identity output: not an export doctor reads
      'error:oidc-client-id role-s3-reader.json', // the provider lists only 'vault': STS rejects sts.amazonaws.com tokens
      'error:irsa-trust-subject role-s3-reader.json', // the trust admits frontend/s3-reader, the service account is backend/s3-reader
      'error:doctor-role-not-found service-accounts.yaml', // shop/orders names s3-raeder, s3-reader was exported
      'note:doctor-pod-identity-role-external pod-identity-association-auditor.json', // payments-auditor was not exported
      'error:pod-identity-trust-service role-web-frontend.json', // an IRSA role associated through Pod Identity
      'error:pod-identity-trust-tag-session role-payments-ledger.json', // sts:AssumeRole without sts:TagSession
      'error:pod-identity-trust-subject role-payments-reports.json', // RequestTag conditions, the association disables session tags
      'note:doctor-live-missing-export access-entries.json', // ci-deployer listed, not described
      'warning:access-entry-group-unbound access-entry-developers.json', // the exported bindings do not bind developers
    ]);
    const reports = r.report.findings.find((f: any) => f.code === 'pod-identity-trust-subject');
    expect(reports.where).toBe('role arn:aws:iam::123456789012:role/payments-reports for PodIdentityAssociation my-cluster/payments/reports (pod-identity-association-reports.json)');
    expect(reports.rule).toContain('disables session tags');
    const missing = r.report.findings.find((f: any) => f.code === 'doctor-live-missing-export');
    expect(missing.fix).toContain('aws eks describe-access-entry --cluster-name my-cluster --principal-arn arn:aws:iam::123456789012:role/ci-deployer');
  });

  test('kinds are told by content, not by name: renamed files give the same report', () => {
    const dir = copy('broken', d => fs.readdirSync(d).forEach((f, i) => fs.renameSync(path.join(d, f), path.join(d, `export-${i}${f.endsWith('.yaml') ? '.yaml' : '.txt'}`))));
    const r = json('doctor', '--live', dir);
    const byCode = (rep: any) => rep.findings.map((f: any) => `${f.severity}:${f.code}`).sort();
    expect(byCode(r.report)).toEqual(byCode(json('doctor', '--live', path.join(LIVE, 'broken')).report));
  });

  test('a README and a file in a subdirectory: the README is a note, the subdirectory is read', () => {
    const dir = copy('healthy', d => {
      fs.writeFileSync(path.join(d, 'README.md'), '# exports of my-cluster\n\nmade by: ci job 42: nightly\n');
      fs.mkdirSync(path.join(d, 'iam'));
      fs.renameSync(path.join(d, 'role-s3-reader.json'), path.join(d, 'iam', 'role-s3-reader.json'));
    });
    const r = json('doctor', '--live', dir);
    expect(r.code).toBe(0);
    expect(codes(r.report)).toEqual(['note:doctor-live-unknown-file README.md']);
    expect(r.report.checked.roles).toBe(3);
  });

  test('kubectl -o json works like -o yaml', () => {
    const dir = copy('healthy', d => {
      const list = parse(fs.readFileSync(path.join(d, 'service-accounts.yaml'), 'utf8'));
      fs.unlinkSync(path.join(d, 'service-accounts.yaml'));
      fs.writeFileSync(path.join(d, 'sa.json'), JSON.stringify(list, undefined, 4));
    });
    const r = json('doctor', '--live', dir);
    expect(r.code).toBe(0);
    expect(r.report.checked.serviceAccounts).toBe(8);
  });

  test('doctor-live-no-provider: IRSA service accounts and no provider for the issuer is an error', () => {
    const dir = copy('healthy', d => {
      fs.unlinkSync(path.join(d, 'oidc-provider.json'));
      fs.writeFileSync(path.join(d, 'oidc-providers.json'), JSON.stringify({ OpenIDConnectProviderList: [{ Arn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/OTHERCLUSTER' }] }));
    });
    const r = json('doctor', '--live', dir);
    expect(r.code).toBe(1);
    expect(codes(r.report)).toEqual(['error:doctor-live-no-provider cluster.json']);
    expect(r.report.findings[0].fix).toContain('--client-id-list sts.amazonaws.com');
  });

  test('doctor-live-missing-export: a listed provider and association not described are notes, not errors', () => {
    const dir = copy('healthy', d => {
      fs.unlinkSync(path.join(d, 'oidc-provider.json'));
      fs.unlinkSync(path.join(d, 'pod-identity-association-ledger.json'));
    });
    const r = json('doctor', '--live', dir);
    expect(r.code).toBe(0);
    expect(codes(r.report)).toEqual(['note:doctor-live-missing-export cluster.json', 'note:doctor-live-missing-export pod-identity-associations.json']);
    expect(r.report.findings[1].fix).toBe(`export it: aws eks describe-pod-identity-association --cluster-name my-cluster --association-id a-4f0c2lzmwjzb4kq9w > ${dir}/pod-identity-association-ledger.json`);
  });

  test('a Pod Identity role trust scoped with IfExists while session tags are off: doctor-live reports the open scope', () => {
    const dir = copy('healthy', d => {
      const p = path.join(d, 'role-payments-reports.json');
      const j = JSON.parse(fs.readFileSync(p, 'utf8'));
      const c = j.Role.AssumeRolePolicyDocument.Statement[0].Condition;
      j.Role.AssumeRolePolicyDocument.Statement[0].Condition = { StringEqualsIfExists: c.StringEquals };
      fs.writeFileSync(p, JSON.stringify(j));
      const a = path.join(d, 'pod-identity-association-reports.json');
      const aj = JSON.parse(fs.readFileSync(a, 'utf8'));
      aj.association.disableSessionTags = true;
      fs.writeFileSync(a, JSON.stringify(aj));
    });
    expect(codes(json('doctor', '--live', dir).report)).toEqual(['error:pod-identity-trust-scope role-payments-reports.json', 'error:pod-identity-trust-scope role-payments-reports.json']);
  });
});

describe('docs/doctor.md', () => {
  test('shows the output doctor --live really prints on the broken fixture', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'doctor.md'), 'utf8');
    const shown = /\$ npx cdk-eks-identity doctor --live live\n([\s\S]*?)\$ echo \$\?\n1\n/.exec(doc)?.[1];
    const cwd = process.cwd();
    const work = tmp('doctor-live-doc-');
    fs.mkdirSync(path.join(work, 'live'));
    for (const f of fs.readdirSync(path.join(LIVE, 'broken'))) fs.copyFileSync(path.join(LIVE, 'broken', f), path.join(work, 'live', f));
    let out: ReturnType<typeof cli>;
    try {
      process.chdir(work);
      out = cli('doctor', '--live', 'live');
    } finally {
      process.chdir(cwd);
    }
    expect(out.code).toBe(1);
    expect(shown).toEqual(out.out);
  });
});

describe('doctor --live on unreadable input: exit 2, the file and the line, never a stack trace', () => {
  test('truncated JSON', () => {
    const dir = copy('healthy', d => fs.writeFileSync(path.join(d, 'role-s3-reader.json'), fs.readFileSync(path.join(d, 'role-s3-reader.json'), 'utf8').slice(0, 200)));
    const r = json('doctor', '--live', dir);
    expect(r.code).toBe(2);
    expect(r.report.error).toMatch(/role-s3-reader\.json: line \d+: not valid JSON/);
    expect(cli('doctor', '--live', dir).err).not.toContain('    at ');
  });
  test('broken YAML in a .yaml file', () => {
    const dir = copy('healthy', d => fs.appendFileSync(path.join(d, 'service-accounts.yaml'), '- kind: ServiceAccount\n   metadata: [\n'));
    const r = json('doctor', '--live', dir);
    expect(r.code).toBe(2);
    expect(r.report.error).toMatch(/service-accounts\.yaml: line \d+: not valid YAML/);
  });
  test('no directory, an empty directory, and --live with an assembly directory', () => {
    expect(json('doctor', '--live', path.join(LIVE, 'nope')).code).toBe(2);
    const empty = tmp('doctor-live-empty-');
    expect(json('doctor', '--live', empty).report.error).toContain('no exported file of a known kind');
    expect(json('doctor', 'cdk.out', '--live', path.join(LIVE, 'healthy')).report.error).toContain('--live DIR goes alone');
  });
});

describe('doctor on a cloud assembly: Pod Identity associations against their roles', () => {
  let dir: string;
  beforeAll(() => {
    dir = tmp('doctor-pi-');
    const app = new App({ outdir: dir });
    WorkloadIdentityStack.fromSpecFile(app, 'FargatePodIdentity', path.join(ROOT, 'examples', 'fargate-pod-identity', 'identity.yaml'));
    synth(app);
  });
  const edited = (edit: (t: any) => void) => {
    const out = tmp('doctor-pi-edit-');
    for (const f of fs.readdirSync(dir)) if (fs.statSync(path.join(dir, f)).isFile()) fs.copyFileSync(path.join(dir, f), path.join(out, f));
    const file = fs.readdirSync(out).find(f => f.endsWith('.template.json'))!;
    const t = JSON.parse(fs.readFileSync(path.join(out, file), 'utf8'));
    edit(t);
    fs.writeFileSync(path.join(out, file), JSON.stringify(t));
    return out;
  };
  const roleOf = (t: any, sa: string) => {
    const a: any = Object.values(t.Resources).find((r: any) => r.Type === 'AWS::EKS::PodIdentityAssociation' && r.Properties.ServiceAccount === sa);
    return t.Resources[a.Properties.RoleArn['Fn::GetAtt'][0]];
  };

  test('our generated Pod Identity trusts come out clean', () => {
    const r = json('doctor', dir);
    expect(r.code).toBe(0);
    expect(r.report.findings).toEqual([]);
    expect(r.report.checked.podIdentityAssociations).toBe(2);
  });

  test('a role without sts:TagSession is an error at the role, for the association', () => {
    const r = json('doctor', edited(t => { roleOf(t, 'ledger').Properties.AssumeRolePolicyDocument.Statement[0].Action = 'sts:AssumeRole'; }));
    expect(r.code).toBe(1);
    expect(r.report.findings.map((f: any) => f.code)).toEqual(['pod-identity-trust-tag-session']);
    expect(r.report.findings[0].where).toMatch(/^Resources\.\w+ \(AWS::IAM::Role\) for PodIdentityAssociation my-cluster\/payments\/ledger/);
  });

  test('the stack env gives the cluster ARN: aws:SourceArn of another cluster is refused', () => {
    const r = json('doctor', edited(t => {
      roleOf(t, 'ledger').Properties.AssumeRolePolicyDocument.Statement[0].Condition = { ArnEquals: { 'aws:SourceArn': 'arn:aws:eks:us-west-2:111122223333:cluster/other' } };
    }));
    expect(r.report.findings.map((f: any) => f.code)).toEqual(['pod-identity-trust-subject']);
    expect(r.report.findings[0].rule).toContain("the association's cluster ARN is 'arn:aws:eks:us-west-2:111122223333:cluster/my-cluster'");
  });

  test('a condition on the pod name cannot be known: a note says it was taken as holding', () => {
    const r = json('doctor', edited(t => {
      roleOf(t, 'ledger').Properties.AssumeRolePolicyDocument.Statement[0].Condition = { StringLike: { 'aws:RequestTag/kubernetes-pod-name': 'ledger-*' } };
    }));
    expect(r.code).toBe(0);
    expect(r.report.findings.map((f: any) => `${f.code} ${f.value}`)).toEqual(['doctor-pod-identity-unchecked aws:RequestTag/kubernetes-pod-name']);
  });

  test('an association naming a role ARN of another stack is a note with the export command', () => {
    const r = json('doctor', edited(t => {
      const a: any = Object.values(t.Resources).find((x: any) => x.Type === 'AWS::EKS::PodIdentityAssociation' && x.Properties.ServiceAccount === 'ledger');
      a.Properties.RoleArn = 'arn:aws:iam::111122223333:role/made-elsewhere';
    }));
    expect(r.report.findings.map((f: any) => f.code)).toEqual(['doctor-pod-identity-role-external']);
    expect(r.report.findings[0].fix).toContain('aws iam get-role --role-name made-elsewhere');
  });
});
