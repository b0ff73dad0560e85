import * as fs from 'fs';
import * as path from 'path';
import { RULE_CATALOG } from '../lib/rules/catalog';
import { renderRulesDoc, RULES_DOC } from '../projenrc/rules-doc';

const LIB = path.join(__dirname, '..', 'lib');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The `RULES` arrays are the catalogue, not emitters: cut them out before scanning. */
function withoutRuleMeta(text: string): string {
  return text.replace(/export const RULES: RuleMeta\[\] = \[[\s\S]*?\n\];/g, '');
}

interface Emitted {
  readonly code: string;
  readonly severity?: 'error' | 'warning' | 'note';
  readonly where: string;
}

/** Code literals of one text: error('…', warning('…', note('…' (not console.error), code: '…', addWarningV2('cdk-eks-identity:…'. */
function scanText(text: string, where: string): Emitted[] {
  const out: Emitted[] = [];
  for (const m of text.matchAll(/(?:^|[^\w.]|\.\.\.)(error|warning|note)\(\s*'([a-z0-9-]+)'/gm)) {
    out.push({ code: m[2], severity: m[1] as Emitted['severity'], where });
  }
  for (const m of text.matchAll(/\bcode:\s*'([a-z0-9-]+)'/g)) out.push({ code: m[1], where });
  for (const m of text.matchAll(/addWarningV2\(\s*'cdk-eks-identity:([a-z0-9-]+)'/g)) out.push({ code: m[1], severity: 'warning', where });
  return out;
}

/** Every code literal the library emits, from lib/**\/*.ts (not .d.ts, not .js). */
function emittedCodes(): Emitted[] {
  return sources(LIB).flatMap(file => scanText(withoutRuleMeta(fs.readFileSync(file, 'utf8')), path.relative(LIB, file)));
}

describe('rule catalogue', () => {
  const codes = RULE_CATALOG.map(r => r.code);

  test('codes are unique', () => {
    const dups = codes.filter((c, i) => codes.indexOf(c) !== i);
    expect(dups).toEqual([]);
  });

  test('every record is complete, with a stable kebab-case code and a source link', () => {
    for (const r of RULE_CATALOG) {
      expect(r.code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(['error', 'warning', 'note']).toContain(r.severity);
      expect(r.checks.trim().length).toBeGreaterThan(10);
      expect(r.why.trim().length).toBeGreaterThan(10);
      expect(r.source).toMatch(/^(https:\/\/\S+|observed: .+)$/);
      // the project's users read these: no internal notes
      expect(`${r.checks} ${r.why} ${r.source}`).not.toMatch(/RULES\.md|DESIGN\.md|\bseed \d/i);
    }
  });

  test('every code the library can emit is catalogued', () => {
    const missing = emittedCodes().filter(e => !codes.includes(e.code)).map(e => `${e.code} (${e.where})`);
    // add a RuleMeta record to the RULES of the rule file, then: npx projen docs:rules
    expect([...new Set(missing)]).toEqual([]);
  });

  test('every catalogued code is emitted somewhere (no stale records)', () => {
    const emitted = new Set(emittedCodes().map(e => e.code));
    expect(codes.filter(c => !emitted.has(c))).toEqual([]);
  });

  test('a code emitted only as an error (or only as a warning) is catalogued with that severity', () => {
    const bySeverity = new Map<string, Set<string>>();
    for (const e of emittedCodes()) {
      if (e.severity === undefined) continue;
      bySeverity.set(e.code, (bySeverity.get(e.code) ?? new Set()).add(e.severity));
    }
    const wrong = RULE_CATALOG.filter(r => {
      const seen = bySeverity.get(r.code);
      return seen !== undefined && seen.size === 1 && !seen.has(r.severity);
    }).map(r => `${r.code}: catalogued ${r.severity}, emitted ${[...bySeverity.get(r.code)!].join()}`);
    expect(wrong).toEqual([]);
  });

  test('the scan sees the shapes it looks for', () => {
    const text = withoutRuleMeta([
      "error('a-b', f, v, r, x); warning(\n  'c-d', f); console.error('not-a-code'); [{ ...error('k-l', f) }]",
      "const f = { code: 'e-f' }; Annotations.of(s).addWarningV2('cdk-eks-identity:g-h', m);",
      "export const RULES: RuleMeta[] = [\n  { code: 'i-j' },\n];",
    ].join('\n'));
    const found = scanText(text, 'test').map(e => e.code);
    expect(found.sort()).toEqual(['a-b', 'c-d', 'e-f', 'g-h', 'k-l']);
  });
});

describe('docs/rules.md', () => {
  test('is generated from the catalogue (run `npx projen docs:rules` when this fails)', () => {
    const rendered = renderRulesDoc(RULE_CATALOG);
    const onDisk = fs.existsSync(RULES_DOC) ? fs.readFileSync(RULES_DOC, 'utf8') : '(missing)';
    if (onDisk !== rendered) {
      throw new Error('docs/rules.md is stale: it differs from the rule metadata in lib/rules. Regenerate it with `npx projen docs:rules` and commit the result.');
    }
  });

  test('lists every code once, in a section with a table', () => {
    const doc = renderRulesDoc(RULE_CATALOG);
    for (const r of RULE_CATALOG) {
      expect(doc.split(`| \`${r.code}\` |`).length - 1).toBe(1);
    }
    expect(doc).toContain("Annotations.of(scope).acknowledgeWarning('cdk-eks-identity:<code>'");
    expect(doc).toMatch(/## Access entries\n\n\| code \| severity \| what it checks \| why \| source \|/);
  });

  test('escapes pipes so a rule text cannot break the table', () => {
    const doc = renderRulesDoc([{ code: 'x-y', severity: 'error', checks: 'a | b', why: 'because', source: 'observed: c' }]);
    expect(doc).toContain('| `x-y` | error | a \\| b | because | observed: c |');
  });
});
