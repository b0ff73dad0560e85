/**
 * IAM's size limits for an add-on's policies: a customer managed policy holds 6,144 characters,
 * the inline policies of a role 10,240 together (whitespace is not counted). Pure functions.
 */
import { PolicyStatementJson } from './types';

/** Characters IAM counts for a managed policy. */
export const MANAGED_POLICY_LIMIT = 6144;
/** Characters IAM counts for all inline policies of one role. */
export const INLINE_POLICIES_PER_ROLE_LIMIT = 10240;

/** The document of some statements, as IAM stores it. */
export function policyDocument(statements: PolicyStatementJson[]) {
  return { Version: '2012-10-17', Statement: statements };
}

/** Characters IAM counts for a document of these statements (whitespace not counted). */
export function policySize(statements: PolicyStatementJson[]): number {
  return JSON.stringify(policyDocument(statements)).replace(/\s+/g, '').length;
}

/** True when the statements fit the inline policies of one role. */
export function fitsInline(statements: PolicyStatementJson[], limit = INLINE_POLICIES_PER_ROLE_LIMIT): boolean {
  return policySize(statements) <= limit;
}

/**
 * The statements split into as few documents as keep their order and each fit `limit`
 * (first fit, in order). A statement too large alone is cut into statements of fewer actions
 * (or, with one action, fewer resources; same conditions: together they admit what it admitted). The documents together
 * hold exactly the input statements' permissions.
 */
export function splitPolicy(statements: PolicyStatementJson[], limit = MANAGED_POLICY_LIMIT): PolicyStatementJson[][] {
  const pieces = statements.flatMap(s => fitAlone(s, limit));
  const docs: PolicyStatementJson[][] = [];
  for (const s of pieces) {
    const target = docs.find(d => policySize([...d, s]) <= limit);
    if (target) target.push(s);
    else docs.push([s]);
  }
  return docs;
}

function fitAlone(s: PolicyStatementJson, limit: number): PolicyStatementJson[] {
  if (policySize([s]) <= limit) return [s];
  const key = s.Action.length >= 2 ? 'Action' : s.Resource.length >= 2 ? 'Resource' : undefined;
  if (!key) {
    throw new Error(`policy statement ${JSON.stringify(s).slice(0, 80)}... alone exceeds ${limit} characters`);
  }
  const half = Math.ceil(s[key].length / 2);
  const { Sid, ...rest } = s;
  return [
    ...fitAlone({ ...rest, ...(Sid ? { Sid: `${Sid}1` } : {}), [key]: s[key].slice(0, half) }, limit),
    ...fitAlone({ ...rest, ...(Sid ? { Sid: `${Sid}2` } : {}), [key]: s[key].slice(half) }, limit),
  ];
}

/** One managed policy to create: the documents (or parts of one) it holds. */
export interface PackedPolicy {
  /** The names of the documents it holds (`name#2` for the second part of a split document). */
  readonly documents: string[];
  readonly statements: PolicyStatementJson[];
}

/**
 * The add-on's documents packed into managed policies of at most `limit` characters: whole
 * documents first fit, in order; a document too large alone is split with `splitPolicy`.
 */
export function packDocuments(documents: Array<{ name: string; statements: PolicyStatementJson[] }>,
  limit = MANAGED_POLICY_LIMIT): PackedPolicy[] {
  const units = documents.flatMap(d => {
    const parts = policySize(d.statements) <= limit ? [d.statements] : splitPolicy(d.statements, limit);
    return parts.map((statements, i) => ({ name: parts.length > 1 ? `${d.name}#${i + 1}` : d.name, statements }));
  });
  const packed: Array<{ documents: string[]; statements: PolicyStatementJson[] }> = [];
  for (const u of units) {
    const target = packed.find(p => policySize([...p.statements, ...u.statements]) <= limit);
    if (target) {
      target.documents.push(u.name);
      target.statements.push(...u.statements);
    } else {
      packed.push({ documents: [u.name], statements: [...u.statements] });
    }
  }
  return packed;
}
