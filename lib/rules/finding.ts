/**
 * A rule's verdict on one value. Rules are pure: they take literal values and return findings;
 * constructs turn errors into IdentityValidationError and warnings into Annotations.
 */
export interface Finding {
  /** stable id, e.g. `k8s-namespace`; warnings are acknowledged by `cdk-eks-identity:<code>` */
  readonly code: string;
  readonly severity: 'error' | 'warning';
  /** the input path at fault */
  readonly field: string;
  /** the offending value as text */
  readonly value: string;
  /** what the rule says, completing "<value> ..." */
  readonly rule: string;
  /** what to do */
  readonly fix: string;
}

export function error(code: string, field: string, value: unknown, rule: string, fix: string): Finding {
  return { code, severity: 'error', field, value: show(value), rule, fix };
}

export function warning(code: string, field: string, value: unknown, rule: string, fix: string): Finding {
  return { code, severity: 'warning', field, value: show(value), rule, fix };
}

export function show(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 120 ? `'${value.slice(0, 117)}...' (${value.length} characters)` : `'${value}'`;
  }
  if (value === undefined) return '(unset)';
  return JSON.stringify(value) ?? String(value);
}

/** One line per finding, as the construct layer reports it. */
export function describe(f: Finding): string {
  return `${f.field}: ${f.value === '' ? '(empty)' : f.value} ${f.rule}; fix: ${f.fix} [${f.code}]`;
}

export const errorsOf = (fs: Finding[]) => fs.filter(f => f.severity === 'error');
export const warningsOf = (fs: Finding[]) => fs.filter(f => f.severity === 'warning');
