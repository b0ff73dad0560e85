import { readAssembly } from './diff-inputs';
import { DoctorFinding, formatFinding, summarize } from './doctor-report';
import { UsageError } from './usage';
import { diffAssemblies, RULES } from '../rules/assembly-diff';

/**
 * `cdk-eks-identity diff OLD_ASSEMBLY NEW_ASSEMBLY`: before `cdk deploy`, what the update from the
 * deployed cloud assembly to the new one would replace, move or delete, and which of it
 * CloudFormation cannot carry out or would cut access with.
 */

/** A finding of `diff`: where it is (stack, logical id, type) beside the doctor fields. */
export interface DiffReportFinding extends DoctorFinding {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  /** An error acknowledged with `--allow`: reported as a warning. */
  readonly allowed?: boolean;
}

export interface DiffReport {
  readonly findings: DiffReportFinding[];
  readonly compared: { readonly before: { stacks: number; resources: number }; readonly after: { stacks: number; resources: number } };
}

export interface DiffOptions {
  /** Codes whose errors are acknowledged: reported as warnings. */
  readonly allow?: string[];
}

/** The diff of two cloud assembly directories. */
export function diffAssemblyDirs(oldDir: string, newDir: string, o: DiffOptions = {}): DiffReport {
  const before = readAssembly(oldDir);
  const after = readAssembly(newDir);
  const allow = new Set(o.allow ?? []);
  const findings: DiffReportFinding[] = diffAssemblies(before, after).map(f => {
    const allowed = f.severity === 'error' && allow.has(f.code);
    return {
      severity: allowed ? 'warning' : f.severity,
      code: f.code,
      file: f.file,
      where: `stack ${f.stack}: Resources.${f.logicalId} (${f.type})`,
      field: f.field,
      value: f.value,
      rule: allowed ? `${f.rule} (acknowledged with --allow ${f.code})` : f.rule,
      fix: f.fix,
      stack: f.stack,
      logicalId: f.logicalId,
      type: f.type,
      ...(allowed ? { allowed } : {}),
    };
  });
  const rank = (s: string) => (s === 'error' ? 0 : 1);
  findings.sort((a, b) => rank(a.severity) - rank(b.severity));
  return {
    findings,
    compared: {
      before: { stacks: before.stacks, resources: before.resources.length },
      after: { stacks: after.stacks, resources: after.resources.length },
    },
  };
}

export interface RenderOptions { readonly json: boolean; readonly strict: boolean }

/** The output of `diff` (JSON or text) and its exit code: 1 on errors (or warnings with `--strict`). */
export function renderDiff(report: DiffReport, oldDir: string, newDir: string, o: RenderOptions): { text: string; exitCode: number } {
  const checked = { serviceAccounts: 0, roles: 0, accessEntries: 0, files: 0 };
  const { errors, warnings, failed } = summarize({ findings: report.findings, checked }, o.strict);
  const exitCode = failed ? 1 : 0;
  if (o.json) {
    return { text: `${JSON.stringify({ ok: !failed, errors, warnings, compared: report.compared, findings: report.findings }, null, 2)}\n`, exitCode };
  }
  const { before, after } = report.compared;
  const n = (k: number, one: string, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
  const text = report.findings.map(formatFinding).join('')
    + `diff: ${n(errors, 'error')}, ${n(warnings, 'warning')} from ${oldDir} to ${newDir}`
    + ` (${n(before.resources, 'resource')} in ${n(before.stacks, 'stack')} before, ${n(after.resources, 'resource')} in ${n(after.stacks, 'stack')} after)`
    + `${failed ? '; do not deploy before the errors are fixed' : ''}${!failed && warnings > 0 ? '; warnings do not fail without --strict' : ''}\n`;
  return { text, exitCode };
}

/** `diff OLD NEW [--json] [--strict] [--allow CODE,...]`. */
export function diffCommand(rest: string[], flags: Record<string, string | true>, out: (s: string) => void): number {
  if (rest.length !== 2) throw new UsageError('diff takes two cloud assembly directories: OLD_ASSEMBLY (the deployed one) and NEW_ASSEMBLY');
  for (const f of ['--trust-policy', '--service-account', '--issuer', '--provider-arn', '--trust-policy-length']) {
    if (flags[f] !== undefined) throw new UsageError(`${f} is a doctor option; diff takes --json, --strict and --allow`);
  }
  const codes = RULES.map(r => r.code);
  const allow = typeof flags['--allow'] === 'string' ? flags['--allow'].split(',').map(s => s.trim()).filter(s => s !== '') : [];
  const unknown = allow.filter(c => !codes.includes(c));
  if (unknown.length > 0) throw new UsageError(`--allow ${unknown.join(',')}: not a diff code (one of ${codes.join(', ')})`);
  const report = diffAssemblyDirs(rest[0], rest[1], { allow });
  const r = renderDiff(report, rest[0], rest[1], { json: flags['--json'] === true, strict: flags['--strict'] === true });
  out(r.text);
  return r.exitCode;
}
