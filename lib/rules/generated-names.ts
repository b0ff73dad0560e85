import { createHash } from 'crypto';
import { error, Finding } from './finding';

/**
 * Names we generate (verification Jobs, RBAC bindings, default IAM role names) are made from
 * several inputs joined by separators, so two distinct inputs can give one name (`a.b` and `a-b`,
 * `(a-b, c)` and `(a, b-c)`, `Viewers` and `viewers`). The first input keeps the plain name (so
 * every name that was unique stays as it was); a later, distinct input gets a short suffix made
 * from its own identity: deterministic, and only where a collision would occur.
 */

/** Hex characters of the SHA-256 of the identity used in a suffix. */
export const SUFFIX_HEX = 8;

/** `-` and the first 8 hex characters of the SHA-256 of `identity`. */
export function nameSuffix(identity: string): string {
  return `-${createHash('sha256').update(identity).digest('hex').slice(0, SUFFIX_HEX)}`;
}

/**
 * `plain` + the suffix of `identity`, `plain` cut (and stripped of trailing separators) so the
 * whole stays within `maxLength`.
 */
export function withSuffix(plain: string, identity: string, maxLength: number): string {
  const suffix = nameSuffix(identity);
  const cut = plain.slice(0, Math.max(0, maxLength - suffix.length)).replace(/[-.]+$/, '');
  return cut ? `${cut}${suffix}` : suffix.slice(1);
}

/**
 * The name for an input: `plain` unless `taken` says another input holds it, then
 * `withSuffix(plain, identity)` (and, should that be taken too, the suffix of `identity#2`,
 * `identity#3`, ...). `taken` decides what equal means (IAM role names: ignoring case).
 * `identity` must encode the input unambiguously (JSON of its parts, say), never the joined name.
 */
export function uniqueName(plain: string, identity: string, taken: (name: string) => boolean, maxLength: number, attempts: number = 100): string {
  if (!taken(plain)) return plain;
  for (let n = 1; n <= attempts; n++) {
    const name = withSuffix(plain, n === 1 ? identity : `${identity}#${n}`, maxLength);
    if (!taken(name)) return name;
  }
  throw new Error(`no free name for '${plain}' after ${attempts} attempts`);
}

/**
 * A given name equal to a name generated earlier for another input. IAM role names: the
 * created role of the other input already has it, and IAM refuses a second (ignoring case).
 */
export function checkNameNotGenerated(
  code: string, field: string, name: string, what: string, generatedFor: string | undefined, why: string, fix: string,
): Finding[] {
  if (generatedFor === undefined) return [];
  return [error(code, field, name, `is the ${what} generated for ${generatedFor}, which comes first: ${why}`, fix)];
}
