import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

/**
 * What the spec loader refuses in the YAML itself, before the schema: bytes that are not UTF-8,
 * an empty file, aliases that explode or refer to themselves, and explicit tags other than the
 * plain JSON-like ones. `where` is `<file> line <n>`.
 */

/** The explicit YAML tags a spec may use: the ones that give plain JSON data. */
export const PLAIN_TAGS = ['str', 'int', 'bool', 'null', 'float', 'map', 'seq'].map(t => `tag:yaml.org,2002:${t}`);

/** The most aliases a spec may expand (the YAML library's resource-exhaustion guard). */
export const MAX_ALIAS_COUNT = 100;

export function specNotUtf8(where: string): Finding[] {
  return [error('spec-encoding', where, '(bytes)', 'is not UTF-8: the bytes would turn into U+FFFD replacement characters in names, tags and manifests',
    'save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8 identity.yaml), or retype the characters on that line')];
}

export function specEmpty(file: string): Finding[] {
  return [error('spec-empty', file, '(empty)', 'the spec file is empty: it holds no YAML content, only whitespace or comments',
    'write at least a cluster section; start from examples/quickstart/identity.yaml')];
}

export function specAliasBomb(where: string, alias: string): Finding[] {
  return [error('spec-yaml-alias', where, alias, `expands to more than ${MAX_ALIAS_COUNT} aliased nodes (a YAML alias bomb)`,
    'write the repeated values out, or use fewer nested aliases')];
}

export function specRecursiveAlias(where: string, alias: string): Finding[] {
  return [error('spec-yaml-alias', where, alias, 'refers to the node that contains it: a recursive alias has no finite value',
    'replace the alias by the value it should have')];
}

export function specYamlTag(where: string, tag: string): Finding[] {
  const short = tag.replace(/^tag:yaml\.org,2002:/, '!!');
  return [error('spec-yaml-tag', where, short, `is an explicit YAML tag other than ${PLAIN_TAGS.map(t => t.replace(/^tag:yaml\.org,2002:/, '!!')).join(', ')}: its value would not be the plain data the spec format reads${short === '!!set' ? ' (a !!set keeps only keys, so labels or values vanish)' : ''}`,
    short === '!!set' ? 'write a mapping (key: value) or a list ([a, b]) instead of the !!set' : `remove the tag ${short} and write the value as plain YAML`)];
}

export function specYamlMergeKey(where: string): Finding[] {
  return [error('spec-yaml-key', where, '<<', 'is a YAML merge key: YAML 1.2, which the spec format is read as, has no merge keys, so the keys of the alias would not be merged',
    'write the keys out in this mapping (an alias may still stand for a whole value: labels: *common)')];
}

export function specYamlComplexKey(where: string, key: string): Finding[] {
  return [error('spec-yaml-key', where, key, 'is a key that is a list or a mapping: every key of the spec format is a plain string',
    'write the key as a plain string')];
}

/** What the rules of this file check (docs/rules.md is generated from these records). */
export const RULES: RuleMeta[] = [
  {
    code: 'spec-encoding',
    severity: 'error',
    checks: 'the spec file is UTF-8',
    why: 'other bytes would silently become U+FFFD in a manifest, a name or an IAM tag',
    source: 'https://yaml.org/spec/1.2.2/#52-character-encodings',
  },
  {
    code: 'spec-empty',
    severity: 'error',
    checks: 'the spec file has content',
    why: 'an empty file describes nothing; the schema error about null would not say so',
    source: 'observed: an empty YAML document is null',
  },
  {
    code: 'spec-yaml-alias',
    severity: 'error',
    checks: 'aliases expand to at most 100 nodes and never refer to the node that holds them',
    why: 'an alias bomb exhausts memory and a recursive alias has no value: the parser would fail with its own message',
    source: 'https://eemeli.org/yaml/#tojs-options',
  },
  {
    code: 'spec-yaml-tag',
    severity: 'error',
    checks: 'explicit YAML tags are only !!str, !!int, !!bool, !!null, !!float, !!map and !!seq',
    why: 'other tags (!!set, !!binary, !!omap, custom !tags) give values the spec format does not read, or drop data silently',
    source: 'https://yaml.org/spec/1.2.2/#tags',
  },
  {
    code: 'spec-yaml-key',
    severity: 'error',
    checks: 'mapping keys are plain strings: no YAML merge key (<<), no list or mapping as a key',
    why: 'YAML 1.2 has no merge keys (the keys of the alias would silently not be merged), and a list or mapping key becomes a stringified JavaScript key',
    source: 'https://yaml.org/type/merge.html',
  },
];
