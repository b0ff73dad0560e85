import { run } from '../../lib/cli/main';

/** Runs the CLI in-process: its exit code and what it printed on stdout and stderr. */
export function cli(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { out: s => { out += s; }, err: s => { err += s; } });
  return { code, out, err };
}
