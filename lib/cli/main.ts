#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { diffCommand } from './diff';
import { doctorAssembly, doctorFiles } from './doctor';
import { doctorLive } from './doctor-live';
import { DoctorReport, renderReport } from './doctor-report';
import { migrateAwsAuth } from './migrate';
import { migrateEksctl } from './migrate-eksctl';
import { InputError, UsageError } from './usage';

export { formatFinding } from './doctor-report';

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
  cdk-eks-identity doctor --live DIR [--json] [--strict] [--trust-policy-length N]
      checks the state of a running cluster exported to files (aws iam get-role, aws eks
      describe-cluster / describe-access-entry / describe-pod-identity-association, kubectl get sa -A -o yaml...)
  cdk-eks-identity diff OLD_ASSEMBLY NEW_ASSEMBLY [--json] [--strict] [--allow CODE,...]
      before cdk deploy: what the update from the deployed cloud assembly to the new one would
      replace, move or delete (nested stacks and stages too); errors for what CloudFormation cannot
      carry out or what cuts access
  cdk-eks-identity migrate aws-auth FILE
      prints the accessEntries and rbac spec sections for an aws-auth ConfigMap (skips on stderr)
  cdk-eks-identity migrate eksctl FILE
      prints the spec of an eksctl ClusterConfig's iam.serviceAccounts, iam.podIdentityAssociations,
      accessConfig and iamIdentityMappings (skips on stderr)
  cdk-eks-identity --version

exit codes: 0 no errors (warnings printed), 1 errors found (or warnings with --strict; migrate: nothing
  could be migrated), 2 bad invocation or unreadable input`;

interface Parsed { positional: string[]; flags: Record<string, string | true> }

const VALUE_FLAGS = ['--trust-policy', '--service-account', '--issuer', '--provider-arn', '--trust-policy-length', '--live', '--allow'];
const BOOL_FLAGS = ['--json', '--strict', '--help', '-h', '--version'];

/** The version of this package (its package.json, two folders up from lib/cli). */
export function version(): string {
  try {
    const v = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
    return typeof v === 'string' ? v : 'unknown';
  } catch {
    return 'unknown';
  }
}

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

/** Runs the command; returns the exit code. Never throws: every failure is a message and exit code 2. */
export function run(argv: string[], io: CliIo = { out: s => process.stdout.write(s), err: s => process.stderr.write(s) }): number {
  // --json asks for JSON on stdout whatever happens, usage errors included
  const json = argv.includes('--json');
  try {
    const { positional, flags } = parseArgs(argv);
    if (flags['--help'] || flags['-h']) {
      io.out(json ? `${JSON.stringify({ usage: USAGE })}\n` : `${USAGE}\n`);
      return 0;
    }
    if (flags['--version']) {
      io.out(json ? `${JSON.stringify({ version: version() })}\n` : `${version()}\n`);
      return 0;
    }
    const [cmd, ...rest] = positional;
    if (cmd === 'doctor') return doctor(rest, flags, io);
    if (cmd === 'diff') return diffCommand(rest, flags, io.out);
    if (cmd === 'migrate') {
      if (!['aws-auth', 'eksctl'].includes(rest[0]) || rest.length !== 2) throw new UsageError('usage: cdk-eks-identity migrate aws-auth FILE | migrate eksctl FILE');
      if (Object.keys(flags).length > 0) throw new UsageError(`migrate takes no options (${Object.keys(flags).join(', ')})`);
      let text: string;
      try {
        text = fs.readFileSync(rest[1], 'utf8');
      } catch (e: any) {
        throw new UsageError(`${rest[1]}: cannot be read (${e.code ?? e.message})`);
      }
      const r = rest[0] === 'eksctl' ? migrateEksctl(text, rest[1]) : migrateAwsAuth(text, rest[1]);
      io.out(r.yaml);
      if (r.report.length > 0) io.err(`${r.report.join('\n')}\n`);
      return r.exitCode;
    }
    throw new UsageError(cmd === undefined ? 'no command given' : `unknown command '${cmd}'`);
  } catch (e: any) {
    const usage = e instanceof UsageError;
    // never a stack trace: an unexpected failure is reported in one line too
    const message = usage ? e.message : `internal error: ${e?.message ?? String(e)} (please report it with the input that caused it)`;
    if (json) io.out(`${JSON.stringify({ ok: false, error: message, exitCode: 2 }, null, 2)}\n`);
    // the usage text helps with a bad invocation, not with a broken file
    io.err(`cdk-eks-identity: ${message}\n${usage && !(e instanceof InputError) && !json ? `\n${USAGE}\n` : ''}`);
    return 2;
  }
}

function doctor(rest: string[], flags: Record<string, string | true>, io: CliIo): number {
  const fileMode = flags['--trust-policy'] !== undefined || flags['--service-account'] !== undefined;
  if (flags['--allow'] !== undefined) throw new UsageError('--allow is a diff option');
  let trustPolicyLength: number | undefined;
  if (flags['--trust-policy-length'] !== undefined) {
    trustPolicyLength = Number(flags['--trust-policy-length']);
    if (!Number.isInteger(trustPolicyLength) || trustPolicyLength < 1 || trustPolicyLength > 4096) {
      throw new UsageError('--trust-policy-length takes the account\'s trust policy length quota, 1..4096 (default 2048)');
    }
  }
  let report: DoctorReport;
  let subject: string;
  if (flags['--live'] !== undefined) {
    if (rest.length > 0 || fileMode || flags['--issuer'] !== undefined || flags['--provider-arn'] !== undefined) {
      throw new UsageError('--live DIR goes alone: the directory holds the roles, the cluster and the service accounts (no ASSEMBLY_DIR, --trust-policy, --issuer)');
    }
    subject = String(flags['--live']);
    report = doctorLive(subject, { trustPolicyLength });
  } else if (fileMode) {
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
  const r = renderReport(report, subject, { json: flags['--json'] === true, strict: flags['--strict'] === true });
  io.out(r.text);
  return r.exitCode;
}

if (require.main === module) {
  process.exitCode = run(process.argv.slice(2));
}
