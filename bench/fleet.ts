/* eslint-disable @typescript-eslint/no-require-imports -- each case loads only its own modules */
/**
 * The fleet case of `npm run bench`: 5,000 workloads on one cluster, then the same 5,000 as
 * 20 clusters x 250 workloads in one fleet, each in a child process of its own (own wall time),
 * measured in the same run. Target: the fleet at most 1.2x the one cluster.
 *
 *   node -r ts-node/register/transpile-only bench/fleet.ts            both, and the ratio
 *   node -r ts-node/register/transpile-only bench/fleet.ts one|fleet  one measurement (JSON)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { generateSpec, GENERATED_CLUSTER } from '../test/util/generate-spec';

const TOTAL = 5000;
const CLUSTERS = 20;

function measure(kind: string): void {
  const started = process.hrtime.bigint();
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-fleet-${kind}-`));
  const app = new App({ outdir });
  if (kind === 'one') {
    const { WorkloadIdentityStack } = require('../lib');
    new WorkloadIdentityStack(app, 'Identity', { spec: generateSpec({ serviceAccounts: TOTAL, namespaces: TOTAL / 100, layout: 'nested' as any }) });
  } else {
    const { IdentityFleet } = require('../lib');
    const per = generateSpec({ serviceAccounts: TOTAL / CLUSTERS, namespaces: Math.ceil(TOTAL / CLUSTERS / 100), layout: 'single' as any });
    const clusters = Array.from({ length: CLUSTERS }, (_, i) => ({
      ...GENERATED_CLUSTER,
      name: `c${i}`,
      account: String(100000000000 + Math.floor(i / 5)),
      oidcIssuerUrl: `${GENERATED_CLUSTER.oidcIssuerUrl.replace(/.{4}$/, '')}${String(i).padStart(4, '0')}`,
    }));
    const { cluster: _c, ...rest } = per as any;
    // each cluster its own 250 workloads (per-cluster roles, as on one cluster)
    const serviceAccounts = clusters.flatMap(c => (per.serviceAccounts ?? []).map(sa => ({ ...sa, clusters: [c.name] })));
    new IdentityFleet(app, 'Fleet', { spec: { ...rest, clusters, serviceAccounts } });
  }
  app.synth();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  fs.rmSync(outdir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ kind, workloads: TOTAL, seconds: Math.round(seconds * 100) / 100 }) + '\n');
}

/** Both cases, each in a child process, and the ratio (a line on stdout). */
export function runFleetBench(): void {
  const run = (kind: string) => JSON.parse(execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, kind], { encoding: 'utf8' }).trim().split('\n').pop()!);
  const one = run('one');
  const fleet = run('fleet');
  const ratio = fleet.seconds / one.seconds;
  process.stdout.write(`fleet: ${TOTAL} workloads on 1 cluster ${one.seconds} s; ${CLUSTERS} clusters x ${TOTAL / CLUSTERS} ${fleet.seconds} s; ratio ${ratio.toFixed(2)} (target <= 1.2): ${ratio <= 1.2 ? 'met' : 'NOT met'}\n`);
}

if (require.main === module) {
  if (process.argv[2]) measure(process.argv[2]);
  else runFleetBench();
}
