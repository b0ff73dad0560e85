import { ISynthesisSession, Stack } from 'aws-cdk-lib';

const HOOKS = Symbol.for('cdk-eks-identity.synth-hooks');

/**
 * Runs `after` once the stack's own synthesizer has written its template (and its nested stacks'
 * templates) into the cloud assembly. The user's synthesizer (custom bootstrap qualifier,
 * pipelines...) is kept: its `synthesize` is wrapped on this stack's bound instance, never replaced.
 */
export function afterSynthesize(stack: Stack, after: (session: ISynthesisSession) => void): void {
  const synth = stack.synthesizer as any;
  let hooks: Array<(session: ISynthesisSession) => void> | undefined = synth[HOOKS];
  if (!hooks) {
    hooks = [];
    const list = hooks;
    const inner: (session: ISynthesisSession) => void = synth.synthesize.bind(synth);
    Object.defineProperty(synth, HOOKS, { value: list });
    synth.synthesize = (session: ISynthesisSession) => {
      inner(session);
      for (const hook of list) hook(session);
    };
  }
  hooks.push(after);
}

/**
 * Makes the stack's synthesizer also run `write(outdir)` after the default synthesis (the template
 * is on disk then). One hook per key and stack; the user's synthesizer is wrapped, never replaced.
 * @internal
 */
export function attachSynthOutput(stack: Stack, key: string, write: (outdir: string) => void): void {
  const synth = stack.synthesizer as any;
  const sym = Symbol.for(`cdk-eks-identity.output.${key}`);
  if (synth[sym]) return;
  Object.defineProperty(synth, sym, { value: true });
  afterSynthesize(stack, session => write(session.outdir));
}
