import { execFileSync } from 'child_process';
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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfnlint-'));
  const files = Object.entries(templates).map(([name, t]) => {
    const f = path.join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
    fs.writeFileSync(f, JSON.stringify(t));
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
  return out.trim() ? JSON.parse(out) : [];
}

/** cfn-lint errors and warnings (informational findings are ignored), formatted. */
export function cfnLintProblems(templates: Record<string, unknown>): string[] {
  return cfnLint(templates)
    .filter(m => m.Level === 'Error' || m.Level === 'Warning')
    .map(m => `${path.basename(m.Filename)} ${m.Rule.Id} ${m.Level}: ${m.Message} at ${(m.Location.Path ?? []).join('/')}`);
}
