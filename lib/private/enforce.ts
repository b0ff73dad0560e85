import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { IdentityValidationError } from '../errors';
import { describe, Finding } from '../rules/finding';

/** True when the value holds no unresolved token (deep, for arrays and objects). */
export function isLiteral(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string' || typeof value === 'number') return !Token.isUnresolved(value);
  if (Array.isArray(value)) return !Token.isUnresolved(value) && value.every(isLiteral);
  if (typeof value === 'object') {
    if (Token.isUnresolved(value)) return false;
    // only plain data is inspected (constructs and other classes are not input values)
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return true;
    return Object.entries(value as object).every(([k, v]) => !Token.isUnresolved(k) && isLiteral(v));
  }
  return true;
}

/** Runs a rule only on literal input: every check is skipped for unresolved tokens. */
export function onLiteral<T>(value: T | undefined, rule: (v: T) => Finding[]): Finding[] {
  return value !== undefined && isLiteral(value) ? rule(value) : [];
}

/**
 * Construction-time enforcement: the first error is thrown as an IdentityValidationError,
 * warnings become Annotations warnings with the rule's id.
 */
export function enforce(scope: IConstruct, findings: Finding[], file?: string): void {
  enforceErrors(findings, file);
  warn(scope, findings);
}

/**
 * The one place an IdentityValidationError is thrown: the first error of `findings`, if any.
 * For code with no construct at hand (warnings need `enforce`).
 */
export function enforceErrors(findings: Finding[], file?: string): void {
  const err = findings.find(f => f.severity === 'error');
  if (err) throw toError(err, file);
}

export function warn(scope: IConstruct, findings: Finding[]): void {
  for (const f of findings.filter(x => x.severity === 'warning')) {
    Annotations.of(scope).addWarningV2(`cdk-eks-identity:${f.code}`, describe(f));
  }
}

export function toError(f: Finding, file?: string): IdentityValidationError {
  return new IdentityValidationError({ field: f.field, value: f.value, rule: f.rule, fix: f.fix, code: f.code, file });
}

/** Synth-time enforcement for checks that span constructs: errors via node.addValidation, warnings as annotations. */
export function addFindingsValidation(scope: IConstruct, produce: () => Finding[]): void {
  let warned = false;
  scope.node.addValidation({
    validate: () => {
      const findings = produce();
      if (!warned) {
        warned = true;
        warn(scope, findings);
      }
      return findings.filter(f => f.severity === 'error').map(describe);
    },
  });
}
