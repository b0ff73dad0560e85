import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { afterSynthesize } from '../private/synth-hook';

const HOOKED = Symbol.for('cdk-eks-identity.manifest-output');

/**
 * Makes the stack's own synthesizer also write `<artifactId>.k8s.yaml` beside
 * `<artifactId>.template.json` in the cloud assembly directory (`cdk.out`, or `cdk synth -o DIR`).
 *
 * The user's synthesizer (custom bootstrap qualifier, pipelines...) is kept: its `synthesize` is
 * wrapped on this stack's bound instance, never replaced.
 * @internal
 */
export function attachManifestOutput(stack: Stack, render: () => string | undefined): void {
  const synth = stack.synthesizer as any;
  if (synth[HOOKED]) return;
  Object.defineProperty(synth, HOOKED, { value: true });
  afterSynthesize(stack, session => {
    const yaml = render();
    if (yaml === undefined) return;
    const file = path.join(session.outdir, manifestFileName(stack));
    fs.writeFileSync(file, yaml);
    if (process.env.CDK_OUTDIR) {
      // under `cdk synth`: say where the outputs are (stderr, so `cdk synth` stdout stays a template)
      const rel = (f: string) => path.relative(process.cwd(), f) || f;
      process.stderr.write(`cdk-eks-identity: ${stack.stackName}: template ${rel(path.join(session.outdir, stack.templateFile))}, manifests ${rel(file)}\n`);
    }
  });
}

/** `<artifactId>.k8s.yaml` @internal */
export function manifestFileName(stack: Stack): string {
  return `${stack.artifactId}.k8s.yaml`;
}
