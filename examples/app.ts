#!/usr/bin/env node
/**
 * The cdk app of this repository: `npx cdk synth` builds the quickstart,
 * `npx cdk synth -c spec=path/to/identity.yaml` builds any spec.
 */
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { IdentityFleet, IdentitySpecFile, IdentityValidationError, WorkloadIdentityStack } from '../lib';

const app = new App();
const spec = app.node.tryGetContext('spec') ?? path.join(__dirname, 'quickstart', 'identity.yaml');
const id = app.node.tryGetContext('stackId') ?? stackIdFor(spec);

try {
  // a spec with clusters: is a fleet: one Stage per (account, region) (docs/fleet.md)
  if (IdentitySpecFile.load(spec).clusters !== undefined) IdentityFleet.fromSpecFile(app, id, spec);
  else WorkloadIdentityStack.fromSpecFile(app, id, spec);
} catch (e) {
  if (IdentityValidationError.isIdentityValidationError(e)) {
    // one line: the message names the file, the field, the value, the rule and the fix
    process.stderr.write(`cdk-eks-identity: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}

function stackIdFor(file: string): string {
  const dir = path.basename(path.dirname(path.resolve(file)));
  const base = dir === '.' || dir === '' ? 'Workload' : dir;
  return `${base.replace(/(^|[^A-Za-z0-9])([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '')}Identity`;
}
