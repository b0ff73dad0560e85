import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface CfnLintMatch {
  readonly Filename: string;
  readonly Level: string;
  readonly Message: string;
  readonly Rule: { Id: string };
  readonly Location: { Path?: Array<string | number> };
}

const CUSTOM_RULES = path.join(__dirname, 'cfn-lint-custom-rules.txt');

/**
 * Runs the real cfn-lint (an independent tool) over templates, in one process. Never skipped:
 * a machine without cfn-lint fails the suite.
 */
export function cfnLint(templates: Record<string, unknown>): CfnLintMatch[] {
  // a template identical to one already linted in this process gets the same verdict: lint it once
  const cached: CfnLintMatch[] = [];
  const todo: Record<string, { text: string; key: string }> = {};
  for (const [name, t] of Object.entries(templates)) {
    const text = JSON.stringify(t);
    const key = createHash('sha256').update(text).digest('hex');
    const known = LINTED.get(key);
    if (known) cached.push(...known.map(m => ({ ...m, Filename: name })));
    else todo[name] = { text, key };
  }
  if (Object.keys(todo).length === 0) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfnlint-'));
  const fileKeys = new Map<string, string>();
  const files = Object.entries(todo).map(([name, { text, key }]) => {
    const f = path.join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
    fs.writeFileSync(f, text);
    fileKeys.set(path.basename(f), key);
    return f;
  });
  const args = ['--format', 'json', '--non-zero-exit-code', 'none'];
  if (fs.existsSync(CUSTOM_RULES)) args.push('--custom-rules', CUSTOM_RULES);
  let out: string;
  try {
    out = execFileSync('cfn-lint', [...args, '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch (e: any) {
    throw new Error(`cfn-lint could not run (it must be installed: pip install cfn-lint==1.51.0): ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  } finally {
    // keep nothing behind
    setImmediate(() => fs.rmSync(dir, { recursive: true, force: true }));
  }
  const matches: CfnLintMatch[] = out.trim() ? JSON.parse(out) : [];
  for (const [file, key] of fileKeys) LINTED.set(key, matches.filter(m => path.basename(m.Filename) === file));
  return [...cached, ...matches];
}

/** sha256 of a template's JSON -> cfn-lint's findings on it (this process) */
const LINTED = new Map<string, CfnLintMatch[]>();

/** cfn-lint errors and warnings (informational findings are ignored), formatted. */
export function cfnLintProblems(templates: Record<string, unknown>): string[] {
  return cfnLint(templates)
    .filter(m => m.Level === 'Error' || m.Level === 'Warning')
    .map(m => `${path.basename(m.Filename)} ${m.Rule.Id} ${m.Level}: ${m.Message} at ${(m.Location.Path ?? []).join('/')}`);
}
