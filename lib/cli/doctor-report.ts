import { Finding } from '../rules/finding';

/** A finding of `doctor`: a rule finding plus where it was found. `note`: could not be checked. */
export interface DoctorFinding {
  readonly severity: 'error' | 'warning' | 'note';
  readonly code: string;
  /** the file the finding is about */
  readonly file: string;
  /** the resource or object in that file, e.g. `Resources.ReaderRole (AWS::IAM::Role)` */
  readonly where: string;
  readonly field: string;
  readonly value: string;
  readonly rule: string;
  readonly fix: string;
}

export interface DoctorReport {
  readonly findings: DoctorFinding[];
  /** what was looked at, for the summary line */
  readonly checked: { serviceAccounts: number; roles: number; accessEntries: number; files: number; podIdentityAssociations?: number };
}

export interface DoctorOptions {
  /** Trust policy length quota of the account (default 2048). */
  readonly trustPolicyLength?: number;
}

/** Rule findings placed in a file and an object; `prefix` is prepended to their fields. */
export const at = (file: string, where: string, fs_: Finding[], prefix = ''): DoctorFinding[] =>
  fs_.map(f => ({ ...f, file, where, field: prefix && f.field ? `${prefix}.${f.field}` : prefix || f.field }));

/** Something doctor could not check. */
export function note(code: string, file: string, where: string, field: string, value: string, rule: string, fix: string): DoctorFinding {
  return { severity: 'note', code, file, where, field, value, rule, fix };
}

/** The counts of a report, and whether it fails (errors, or warnings with `--strict`). */
export function summarize(report: DoctorReport, strict: boolean) {
  const errors = report.findings.filter(f => f.severity === 'error').length;
  const warnings = report.findings.filter(f => f.severity === 'warning').length;
  const notes = report.findings.filter(f => f.severity === 'note').length;
  const failed = errors > 0 || (strict && warnings > 0);
  return { errors, warnings, notes, failed };
}

/** The whole output of `doctor` for a report (JSON or text) and its exit code. */
export function renderReport(report: DoctorReport, subject: string, o: { json: boolean; strict: boolean }): { text: string; exitCode: number } {
  const { errors, warnings, notes, failed } = summarize(report, o.strict);
  const exitCode = failed ? 1 : 0;
  if (o.json) {
    return { text: `${JSON.stringify({ ok: !failed, errors, warnings, notes, checked: report.checked, findings: report.findings }, null, 2)}\n`, exitCode };
  }
  const c = report.checked;
  const text = report.findings.map(formatFinding).join('')
    + `doctor: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(notes, 'note')} in ${subject}`
    + ` (${plural(c.serviceAccounts, 'service account')}, ${plural(c.roles, 'role')}, ${plural(c.accessEntries, 'access entry', 'access entries')}`
    + `${c.podIdentityAssociations ? `, ${plural(c.podIdentityAssociations, 'Pod Identity association')}` : ''})`
    + `${!failed && warnings > 0 ? '; warnings do not fail without --strict' : ''}\n`;
  return { text, exitCode };
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
