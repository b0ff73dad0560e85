/**
 * `npm run bench` (not a test): synthesis cost of N IRSA workloads, N = 10, 100, 1000, 5000, in one
 * run on one machine, each measurement in a child process of its own:
 *   (a) WorkloadIdentityStack from a generated identity.yaml
 *   (b) raw aws-cdk-lib: N bare iam.Role with the same web-identity trust, 100 per stack
 *   (c) aws-eks-v2 ServiceAccount on an imported cluster, 100 per stack
 * Writes bench/results/latest.md and bench/results/latest.json.
 *
 *   BENCH_N=10,100 npm run bench      other sizes
 *   BENCH_PROFILE=1 npm run bench     also write a CPU profile of (a) at the largest N
 *   BENCH_VARIANTS=a,b npm run bench  only these variants (a larger N without the slow (c), say)
 *   BENCH_REPEAT=3 npm run bench      measure each cell 3 times (interleaved) and report the medians: on a
 *                                     shared machine other people's load makes single wall times noisy
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeSpecFile } from './measure';

const SIZES = (process.env.BENCH_N ?? '10,100,1000,5000').split(',').map(Number);
const VARIANTS = (process.env.BENCH_VARIANTS ?? 'a,b,c').split(',') as Array<'a' | 'b' | 'c'>;
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
const ROOT = path.join(__dirname, '..');
const RESULTS = path.join(ROOT, 'bench', 'results');

interface Measurement {
  variant: string;
  n: number;
  layout?: string;
  wallMs: number;
  cpuMs: number;
  inProcessMs: number;
  constructMs: number;
  synthMs: number;
  peakRssMb: number;
  templates: number;
  resources: number;
  customResources: number;
  maxTemplateResources: number;
  maxTemplateBytes: number;
  runs?: number;
}

function measure(variant: string, n: number, profile: boolean): Measurement {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${variant}-${n}-`));
  if (variant === 'a') writeSpecFile(path.join(outdir, 'identity.yaml'), n);
  const args = ['--max-old-space-size=4096', '-r', 'ts-node/register/transpile-only'];
  if (profile) args.push('--cpu-prof', '--cpu-prof-dir', RESULTS, '--cpu-prof-name', `a-${n}.cpuprofile`);
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...args, path.join(ROOT, 'bench', 'measure.ts'), variant, String(n), outdir], {
    cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json') },
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`bench ${variant} N=${n} failed (${r.status}):\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return { ...JSON.parse(line), wallMs };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function main(): void {
  const loadBefore = os.loadavg();
  fs.mkdirSync(RESULTS, { recursive: true });
  const all: Measurement[] = [];
  const raw: Measurement[] = [];
  for (const n of SIZES) {
    const runs = new Map<string, Measurement[]>(VARIANTS.map(v => [v, []]));
    for (let r = 0; r < REPEAT; r++) {
      for (const v of VARIANTS) {
        const m = measure(v, n, process.env.BENCH_PROFILE === '1' && v === 'a' && n === Math.max(...SIZES) && r === 0);
        runs.get(v)!.push(m);
        raw.push(m);
        process.stderr.write(`${v} N=${n}: ${(m.wallMs / 1000).toFixed(1)} s wall, ${(m.cpuMs / 1000).toFixed(1)} s CPU, ${m.peakRssMb.toFixed(0)} MB, ${m.resources} resources, ${m.customResources} custom\n`);
      }
    }
    // the median wall and CPU time of the runs, the highest peak RSS
    all.push(...VARIANTS.map(v => {
      const ms = runs.get(v)!;
      return {
        ...ms[0],
        wallMs: median(ms.map(m => m.wallMs)),
        cpuMs: median(ms.map(m => m.cpuMs)),
        peakRssMb: Math.max(...ms.map(m => m.peakRssMb)),
        runs: ms.length,
      };
    }));
  }
  const rows = SIZES.map(n => {
    const none = { wallMs: NaN, cpuMs: NaN, peakRssMb: NaN, resources: NaN, customResources: NaN, layout: '-' } as Measurement;
    const [a, b, c] = (['a', 'b', 'c'] as const).map(v => all.find(m => m.variant === v && m.n === n) ?? none);
    return { n, a, b, c, ab: a.wallMs / b.wallMs, ac: a.wallMs / c.wallMs, abCpu: a.cpuMs / b.cpuMs, acCpu: a.cpuMs / c.cpuMs };
  });
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const per = (x: number, n: number) => (x / n).toFixed(2);
  const load = (when: string, l: number[]) => `${when} ${l.map(x => x.toFixed(1)).join(' ')}`;
  const md = [
    `Synthesis of N IRSA workloads (${new Date().toISOString().slice(0, 10)}, ${machine}; load average ${load('before', loadBefore)}, ${load('after', os.loadavg())}).`,
    `Each measurement is one child process (the median of ${REPEAT} interleaved run${REPEAT > 1 ? 's' : ''}): wall time of the whole \`node\` process`
      + ' (start-up, construction, synthesis,',
    'writing cdk.out), its CPU time (user + system) and its peak RSS (the highest of the runs).',
    '(a) `WorkloadIdentityStack` from a generated identity.yaml, N/100 namespaces (layout in brackets: `single` while one template',
    'holds it, otherwise `nested`, set in the spec, never implicitly); (b) raw aws-cdk-lib `iam.Role`s with the same web-identity trust,',
    '100 per stack; (c) aws-eks-v2 `ServiceAccount` on an imported cluster (one kubectl provider), 100 per stack.',
    'Resources and Lambda-backed custom resources are counted over every template (nested ones included), divided by N.',
    '',
    '| N | (a) wall s | (b) wall s | (c) wall s | a/b | a/c | (a) CPU s | (b) CPU s | (c) CPU s | a/b CPU | a/c CPU | (a) peak RSS MB | (b) MB | (c) MB | (a) resources/workload | (b) | (c) | (a) Lambda CR/workload | (b) | (c) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(r => `| ${r.n} | ${s(r.a.wallMs)} [${r.a.layout}] | ${s(r.b.wallMs)} | ${s(r.c.wallMs)} | ${r.ab.toFixed(2)} | ${r.ac.toFixed(2)} | `
      + `${s(r.a.cpuMs)} | ${s(r.b.cpuMs)} | ${s(r.c.cpuMs)} | ${r.abCpu.toFixed(2)} | ${r.acCpu.toFixed(2)} | `
      + `${r.a.peakRssMb.toFixed(0)} | ${r.b.peakRssMb.toFixed(0)} | ${r.c.peakRssMb.toFixed(0)} | `
      + `${per(r.a.resources, r.n)} | ${per(r.b.resources, r.n)} | ${per(r.c.resources, r.n)} | `
      + `${per(r.a.customResources, r.n)} | ${per(r.b.customResources, r.n)} | ${per(r.c.customResources, r.n)} |`),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(RESULTS, 'latest.md'), md);
  fs.writeFileSync(path.join(RESULTS, 'latest.json'), JSON.stringify({ machine, date: new Date().toISOString(), loadAverage: { before: loadBefore, after: os.loadavg() }, perStack: 100, repeat: REPEAT, rows, measurements: all, runs: raw }, undefined, 2) + '\n');
  process.stdout.write(md);
}

main();
// the fleet case: 20 clusters x 250 workloads vs the same 5,000 on one cluster, in this run
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./fleet').runFleetBench();
