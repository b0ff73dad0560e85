import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { Alias, Document, isAlias, isMap, isNode, isPair, isScalar, LineCounter, Node, parseDocument, visit } from 'yaml';
import { IdentitySpec } from './types';
import { toError } from '../private/enforce';
import { editDistance } from '../rules/edit-distance';
import { specNotAMapping, specNotYaml, specShape, specUnreadable } from '../rules/spec-sections';
import { MAX_ALIAS_COUNT, PLAIN_TAGS, specAliasBomb, specEmpty, specNotUtf8, specRecursiveAlias, specYamlComplexKey, specYamlMergeKey, specYamlTag } from '../rules/spec-yaml';

const SCHEMA_PATH = path.join(__dirname, '..', '..', 'schema', 'identity-spec.schema.json');
let validator: ValidateFunction | undefined;

function getValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true, allowUnionTypes: true });
    ajv.addVocabulary(['x-rule', 'x-fix']);
    validator = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')));
  }
  return validator;
}

/**
 * Reads identity specs (YAML or JSON) and checks their shape against the JSON Schema that ships
 * with the package (`schema/identity-spec.schema.json`). Unknown keys, wrong types and missing
 * keys are errors naming the path (`serviceAccounts[2].rolee`) and the line.
 */
export class IdentitySpecFile {
  /** Path of the JSON Schema of the spec format (for editors and other tools). */
  public static readonly SCHEMA_PATH = SCHEMA_PATH;

  /** Reads and checks a spec file. */
  public static load(file: string): IdentitySpec {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (e: any) {
      throw toError(specUnreadable('spec', file, e.code ?? e.message)[0]);
    }
    return IdentitySpecFile.parse(decodeUtf8(bytes, path.basename(file)), path.basename(file));
  }

  /** Parses and checks spec text (YAML or JSON). */
  public static parse(text: string, fileName: string = 'identity.yaml'): IdentitySpec {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const at = (n: { range?: unknown } | undefined | null) => {
      const r = (n as any)?.range;
      return Array.isArray(r) ? `${fileName}:${lines.linePos(r[0]).line}` : fileName;
    };
    // a tag that is not plain first: it is often why the parser failed (a !!set with values)
    checkYamlTags(doc, at);
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const pos = lines.linePos(e.pos[0]);
      throw toError(specNotYaml(`${fileName}:${pos.line}`, e.message.split('\n')[0])[0]);
    }
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null && doc.contents.tag === undefined)) {
      throw toError(specEmpty(fileName)[0]);
    }
    checkAliases(doc, at);
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e: any) {
      let first: Alias | undefined;
      visit(doc, { Alias: (_, a) => { first = a; return visit.BREAK; } });
      throw toError(e instanceof ReferenceError && first ? specAliasBomb(at(first), `*${first.source}`)[0] : specNotYaml(fileName, String(e.message).split('\n')[0])[0]);
    }
    // a list or a scalar at the top is not a spec: say so before the schema's 'must NOT be valid'
    if (!isMap(doc.contents)) throw toError(specNotAMapping(fileName)[0]);
    const validate = getValidator();
    if (!validate(data)) {
      const err = pickError(validate.errors ?? []);
      const { field, parts } = fieldOf(err);
      const node = (err.keyword === 'additionalProperties' ? keyNode(doc, parts) : undefined)
        ?? doc.getIn(parts, true) as any ?? doc.getIn(parts.slice(0, -1), true);
      const line = node?.range ? ` (${fileName} line ${lines.linePos(node.range[0]).line})` : ` (${fileName})`;
      const { rule, fix, value } = describeError(err, data);
      throw toError(specShape(field, value, `${rule}${line}`, fix)[0], fileName);
    }
    return data as IdentitySpec;
  }
}

/** Decodes a spec file's bytes as UTF-8; refuses other bytes naming the first line that holds one. */
function decodeUtf8(bytes: Uint8Array, fileName: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // the shortest prefix that does not decode ends at the first bad byte (stream mode allows a cut sequence)
    let lo = 0;
    let hi = bytes.length;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true });
        lo = mid + 1;
      } catch {
        hi = mid;
      }
    }
    const line = bytes.subarray(0, lo).filter(b => b === 0x0a).length + 1;
    throw toError(specNotUtf8(`${fileName}:${line}`)[0]);
  }
}

/** Explicit tags other than the plain ones; merge keys and keys that are not scalars. */
function checkYamlTags(doc: Document, at: (n: Node) => string): void {
  visit(doc, {
    Node: (_, n) => {
      if (n.tag !== undefined && !PLAIN_TAGS.includes(n.tag)) throw toError(specYamlTag(at(n), n.tag)[0]);
    },
    Pair: (_, p) => {
      if (!isNode(p.key)) return;
      if (isScalar(p.key) && p.key.value === '<<' && p.key.type === 'PLAIN') throw toError(specYamlMergeKey(at(p.key))[0]);
      if (!isScalar(p.key) && !isAlias(p.key)) throw toError(specYamlComplexKey(at(p.key), String(p.key))[0]);
    },
  });
}

/** Aliases inside the node they refer to (they have no finite value). */
function checkAliases(doc: Document, at: (n: Node) => string): void {
  visit(doc, {
    Alias: (_, n) => {
      const target = n.resolve(doc);
      if (target?.range && n.range && target.range[0] <= n.range[0] && n.range[1] <= target.range[2]) {
        throw toError(specRecursiveAlias(at(n), `*${n.source}`)[0]);
      }
    },
  });
}

/** The key node of an unknown key (its own line, not the line of a mapping value's first child). */
function keyNode(doc: Document, parts: Array<string | number>): Node | undefined {
  const parent = parts.length === 1 ? doc.contents : doc.getIn(parts.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find(p => isPair(p) && isNode(p.key) && (p.key as any).value === parts[parts.length - 1]);
  return pair && isNode(pair.key) ? pair.key : undefined;
}

/** The most useful error first: unknown keys, then the deepest path, then schema order. */
function pickError(errors: ErrorObject[]): ErrorObject {
  const relevant = errors.filter(e => e.keyword !== 'if' || (e.parentSchema as any)?.['x-rule'] !== undefined);
  const score = (e: ErrorObject) => (e.keyword === 'additionalProperties' ? 10000 : 0) + e.instancePath.split('/').length * 10
    + ((e.parentSchema as any)?.['x-rule'] ? 5 : 0) + (e.keyword === 'if' ? 5 : 0);
  return [...relevant].sort((a, b) => score(b) - score(a))[0] ?? errors[0];
}

function fieldOf(e: ErrorObject): { field: string; parts: Array<string | number> } {
  const parts: Array<string | number> = e.instancePath.split('/').slice(1)
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map(p => (/^\d+$/.test(p) ? Number(p) : p));
  if (e.keyword === 'additionalProperties') parts.push((e.params as any).additionalProperty);
  if (e.keyword === 'required') parts.push((e.params as any).missingProperty);
  return { field: formatPath(parts) || '(spec)', parts };
}

export function formatPath(parts: Array<string | number>): string {
  return parts.reduce<string>((acc, p) => {
    if (typeof p === 'number') return `${acc}[${p}]`;
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) return acc ? `${acc}.${p}` : p;
    return `${acc}[${JSON.stringify(p)}]`;
  }, '');
}

function describeError(e: ErrorObject, root: unknown): { rule: string; fix: string; value: string } {
  const schema = e.parentSchema as any;
  const show = (v: unknown) => (v === undefined ? '(missing)' : typeof v === 'string' ? `'${v}'` : typeof v === 'number' ? String(v) : JSON.stringify(v));
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as any).additionalProperty as string;
      const known = Object.keys(schema?.properties ?? {});
      const near = known.filter(k => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
      return {
        value: show(key),
        rule: 'is not a key of the spec format here',
        fix: near.length ? `did you mean ${near.map(k => `'${k}'`).join(' or ')}? known keys: ${known.join(', ')}`
          : `remove it; known keys here: ${known.join(', ')}`,
      };
    }
    case 'required':
      return { value: '(missing)', rule: schema?.['x-rule'] ?? 'is required', fix: schema?.['x-fix'] ?? `add ${(e.params as any).missingProperty}` };
    case 'if':
      return { value: show(e.data), rule: schema['x-rule'] ?? e.message ?? 'is invalid', fix: schema['x-fix'] ?? 'see the spec format in the README' };
    default: {
      const rule = schema?.['x-rule'] ?? (e.keyword === 'enum'
        ? `must be one of ${(e.params as any).allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')}`
        : e.message ?? 'is invalid');
      const fix = schema?.['x-fix'] ?? (e.keyword === 'type' ? `write a ${(e.params as any).type}` : 'see the spec format in the README and schema/identity-spec.schema.json');
      // a null value is shown as null, not as the whole document
      return { value: show(e.data !== undefined ? e.data : root), rule, fix };
    }
  }
}

