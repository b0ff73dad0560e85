import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { Template } from './template-resolver';
import { InputError, UsageError } from './usage';
import { WILDCARD_OPT_IN_TAG } from '../rules/trust-policy';

/**
 * What `doctor` reads: the templates and `*.k8s.yaml` of a cloud assembly, and the files a user
 * exports from a cluster (`aws iam get-role`, `kubectl get sa -o yaml`). Unreadable input is a
 * `UsageError` naming the file and, where it can, the line.
 */

/** A Kubernetes object and the file it came from. */
export interface K8sObject { readonly file: string; readonly obj: any }

/** The text of a file, or a UsageError naming it. */
export function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new UsageError(`${file}: cannot be read (${e.code ?? e.message})`);
  }
}

/** The line (1-based) a JSON parse error is on, as far as it can be told. */
function jsonErrorLine(text: string, e: unknown): number {
  const lineOf = (pos: number) => text.slice(0, pos).split('\n').length;
  const m = /position (\d+)/.exec(String((e as Error)?.message));
  if (m) return lineOf(Number(m[1]));
  // JSON is YAML 1.2: the YAML parser tells the line of most syntax errors
  const err = parseDocument(text).errors[0];
  if (err?.linePos) return err.linePos[0].line;
  return lineOf(text.trimEnd().length);
}

/** `JSON.parse`, or a UsageError with the file, the line and what was expected. */
export function parseJson(file: string, text: string, expected: string): any {
  try {
    return JSON.parse(text);
  } catch (e: any) {
    const reason = String(e?.message ?? e).split('\n')[0].replace(/, ".*" is not valid JSON$/, '').replace(/ in JSON at position \d+.*$/, '');
    throw new InputError(`${file}: line ${jsonErrorLine(text, e)}: not valid JSON (${reason}); expected ${expected}`);
  }
}

/** The `*.template.json` files of a cloud assembly directory (nested templates too), sorted. */
export function readTemplates(dir: string): Template[] {
  return fs.readdirSync(dir).filter(f => f.endsWith('.template.json')).sort().map(f => {
    const full = path.join(dir, f);
    const j = parseJson(full, readText(full), 'a CloudFormation template (run cdk synth again)');
    if (!j || typeof j !== 'object' || Array.isArray(j)) {
      throw new InputError(`${full}: line 1: not a CloudFormation template (the file holds ${JSON.stringify(j)}, not an object); run cdk synth again`);
    }
    const resources = j.Resources ?? {};
    if (typeof resources !== 'object' || Array.isArray(resources)) {
      throw new InputError(`${full}: Resources is ${JSON.stringify(resources)}, not an object; run cdk synth again`);
    }
    return { file: f, resources };
  });
}

/** Kubernetes objects of a YAML file (multi-document, `kind: List` items flattened); errors name `shownAs`. */
export function readK8sObjects(file: string, text: string, shownAs = file): K8sObject[] {
  const out: K8sObject[] = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length > 0) {
      const e = d.errors[0];
      const line = e.linePos ? `line ${e.linePos[0].line}: ` : '';
      throw new InputError(`${shownAs}: ${line}not valid YAML (${e.message.split('\n')[0]})`);
    }
    const obj = d.toJSON();
    if (!obj || typeof obj !== 'object') continue;
    if (obj.kind === 'List' || (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items))) {
      (Array.isArray(obj.items) ? obj.items : []).forEach((i: any) => { if (i && typeof i === 'object') out.push({ file, obj: i }); });
    } else {
      out.push({ file, obj });
    }
  }
  return out;
}

/** A trust policy read from a file, and what the file said of its role. */
export interface ParsedTrustInput {
  readonly document: unknown;
  readonly roleArn?: string;
  readonly wildcardOptIn: boolean;
}

/**
 * A trust policy as users have it: the raw JSON document, the URL-encoded form IAM returns
 * (`%7B%22Version%22...`), or whole `aws iam get-role` output (`{"Role": {...}}`).
 */
export function parseTrustInput(file: string, text: string): ParsedTrustInput {
  const expected = 'a trust policy: JSON, URL-encoded JSON or aws iam get-role output';
  const notTrust = (s: string): never => {
    throw new InputError(`${file}: not a trust policy (${s}; expected JSON, URL-encoded JSON or aws iam get-role output)`);
  };
  const decode = (v: any): any => {
    if (typeof v !== 'string') return v;
    const s = v.trim();
    if (s.startsWith('%') || /%7B/i.test(s.slice(0, 6))) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(s);
      } catch {
        return notTrust('a broken URL encoding');
      }
      return parseJson(file, decoded, expected);
    }
    if (!/^[[{"]|^null$/.test(s)) return notTrust(s === '' ? 'the file is empty' : `it starts with '${s.slice(0, 20)}'`);
    return parseJson(file, s, expected);
  };
  let j = decode(text.trim());
  j = decode(j); // a JSON string holding the encoded document
  if (j && typeof j === 'object' && j.Role && typeof j.Role === 'object') {
    const tags: any[] = Array.isArray(j.Role.Tags) ? j.Role.Tags : [];
    return { document: decode(j.Role.AssumeRolePolicyDocument), roleArn: typeof j.Role.Arn === 'string' ? j.Role.Arn : undefined, wildcardOptIn: tags.some(t => t?.Key === WILDCARD_OPT_IN_TAG) };
  }
  if (j && typeof j === 'object' && j.AssumeRolePolicyDocument !== undefined) {
    return { document: decode(j.AssumeRolePolicyDocument), roleArn: typeof j.Arn === 'string' ? j.Arn : undefined, wildcardOptIn: false };
  }
  if (!j || typeof j !== 'object' || j.Statement === undefined) {
    throw new InputError(`${file}: no Statement found (expected a trust policy, URL-encoded or not, or aws iam get-role output)`);
  }
  return { document: j, wildcardOptIn: false };
}
