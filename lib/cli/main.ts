#!/usr/bin/env node
import * as fs from 'fs';
import { doctorAssembly, DoctorFinding, doctorFiles, DoctorReport } from './doctor';
import { migrateAwsAuth } from './migrate';
import { UsageError } from './usage';

/** Where the command writes; tests pass their own. */
export interface CliIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

export const USAGE = `usage:
  cdk-eks-identity doctor [ASSEMBLY_DIR] [--json] [--strict] [--trust-policy-length N]
      checks the templates (nested too) and *.k8s.yaml of a cloud assembly (default cdk.out)
  cdk-eks-identity doctor --trust-policy FILE --service-account FILE [--issuer URL] [--provider-arn ARN] [--json] [--strict]
      checks a role's trust policy (JSON, URL-encoded, or aws iam get-role output) against a
      ServiceAccount (kubectl get sa NAME -n NS -o yaml)
  cdk-eks-identity migrate aws-auth FILE
      prints the accessEntries and rbac spec sections for an aws-auth ConfigMap (skips on stderr)

exit codes: 0 no errors (warnings printed), 1 errors found (or warnings with --strict), 2 bad invocation`;

interface Parsed { positional: string[]; flags: Record<string, string | true> }

const VALUE_FLAGS = ['--trust-policy', '--service-account', '--issuer', '--provider-arn', '--trust-policy-length'];
const BOOL_FLAGS = ['--json', '--strict', '--help', '-h'];

function parseArgs(argv: string[]): Parsed {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (VALUE_FLAGS.includes(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
      flags[name] = v;
    } else if (BOOL_FLAGS.includes(name)) {
      flags[name] = true;
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option ${a}`);
    } else {
      positional.push(a);
    }
  }
  return { positional, flags };
}

/** Runs the command; returns the exit code. */
export function run(argv: string[], io: CliIo = { out: s => process.stdout.write(s), err: s => process.stderr.write(s) }): number {
  try {
    const { positional, flags } = parseArgs(argv);
    if (flags['--help'] || flags['-h']) {
      io.out(`${USAGE}\n`);
      return 0;
    }
    const [cmd, ...rest] = positional;
    if (cmd === 'doctor') return doctor(rest, flags, io);
    if (cmd === 'migrate') {
      if (rest[0] !== 'aws-auth' || rest.length !== 2) throw new UsageError('usage: cdk-eks-identity migrate aws-auth FILE');
      if (Object.keys(flags).length > 0) throw new UsageError(`migrate takes no options (${Object.keys(flags).join(', ')})`);
      let text: string;
      try {
        text = fs.readFileSync(rest[1], 'utf8');
      } catch (e: any) {
        throw new UsageError(`${rest[1]}: cannot be read (${e.code ?? e.message})`);
      }
      const r = migrateAwsAuth(text, rest[1]);
      io.out(r.yaml);
      if (r.report.length > 0) io.err(`${r.report.join('\n')}\n`);
      return 0;
    }
    throw new UsageError(cmd === undefined ? 'no command given' : `unknown command '${cmd}'`);
  } catch (e: any) {
    if (e instanceof UsageError) {
      io.err(`cdk-eks-identity: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

function doctor(rest: string[], flags: Record<string, string | true>, io: CliIo): number {
  const fileMode = flags['--trust-policy'] !== undefined || flags['--service-account'] !== undefined;
  let trustPolicyLength: number | undefined;
  if (flags['--trust-policy-length'] !== undefined) {
    trustPolicyLength = Number(flags['--trust-policy-length']);
    if (!Number.isInteger(trustPolicyLength) || trustPolicyLength < 1 || trustPolicyLength > 4096) {
      throw new UsageError('--trust-policy-length takes the account\'s trust policy length quota, 1..4096 (default 2048)');
    }
  }
  let report: DoctorReport;
  let subject: string;
  if (fileMode) {
    if (rest.length > 0) throw new UsageError('give either ASSEMBLY_DIR or --trust-policy and --service-account, not both');
    if (typeof flags['--trust-policy'] !== 'string' || typeof flags['--service-account'] !== 'string') {
      throw new UsageError('--trust-policy and --service-account go together');
    }
    report = doctorFiles({
      trustPolicyFile: flags['--trust-policy'],
      serviceAccountFile: flags['--service-account'],
      issuerUrl: flags['--issuer'] as string | undefined,
      providerArn: flags['--provider-arn'] as string | undefined,
      trustPolicyLength,
    });
    subject = `${flags['--trust-policy']} and ${flags['--service-account']}`;
  } else {
    if (flags['--issuer'] !== undefined || flags['--provider-arn'] !== undefined) {
      throw new UsageError('--issuer and --provider-arn go with --trust-policy and --service-account');
    }
    if (rest.length > 1) throw new UsageError('doctor takes one ASSEMBLY_DIR');
    subject = rest[0] ?? 'cdk.out';
    report = doctorAssembly(subject, { trustPolicyLength });
  }
  const errors = report.findings.filter(f => f.severity === 'error').length;
  const warnings = report.findings.filter(f => f.severity === 'warning').length;
  const notes = report.findings.filter(f => f.severity === 'note').length;
  const failed = errors > 0 || (flags['--strict'] === true && warnings > 0);
  if (flags['--json']) {
    io.out(`${JSON.stringify({ ok: !failed, errors, warnings, notes, checked: report.checked, findings: report.findings }, null, 2)}\n`);
  } else {
    report.findings.forEach(f => io.out(formatFinding(f)));
    const c = report.checked;
    io.out(`doctor: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(notes, 'note')} in ${subject}`
      + ` (${plural(c.serviceAccounts, 'service account')}, ${plural(c.roles, 'role')}, ${plural(c.accessEntries, 'access entry', 'access entries')})`
      + `${!failed && warnings > 0 ? '; warnings do not fail without --strict' : ''}\n`);
  }
  return failed ? 1 : 0;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Three lines: severity, file and object; what is wrong; how to fix it. */
export function formatFinding(f: DoctorFinding): string {
  return `${f.severity.padEnd(7)} ${f.file}: ${f.where}\n`
    + `        ${f.field}: ${f.value} ${f.rule} [${f.code}]\n`
    + `        fix: ${f.fix}\n`;
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
