import { Annotations, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { findByPath } from './collect';
import type { IdentityModel } from './identity-model';
import { attachIdentityMap } from '../private/identity-map';
import { describe } from '../rules/finding';

/**
 * One validation for the app-wide rules, cdk-nag style, on the app root. Synthesizing the app
 * synthesizes (and validates) each nested `Stage` first, and a `Stage` can be synthesized on its
 * own, without the root's validations: so the validation is registered on the root and on every
 * stage that holds a recorded construct. The rules run once per model version (the findings are
 * cached), and each validation reports only the findings of the constructs whose innermost stage
 * it is: every error and warning is reported once, whichever way the app is synthesized.
 *
 * Errors are validation messages `[<construct path>] <field>: <value> <rule>; fix: <fix> [<code>]`;
 * warnings are annotations `cdk-eks-identity:<code>` on the construct concerned.
 */
export function ensureValidation(model: IdentityModel, scope: IConstruct): void {
  // one look-up per stack (constructs of one stack share its stage)
  const stack = Stack.isStack(scope) ? scope : tryStackOf(scope);
  if (stack && ENSURED.has(stack)) return;
  const stage = Stage.of(scope) ?? model.root;
  if (stack) {
    ENSURED.add(stack);
    // the stack's identity map (one per top-level stack) reads this model
    attachIdentityMap(model, stack);
  }
  for (const s of stage === model.root ? [stage] : [stage, model.root]) {
    if (model.stages.has(s)) continue;
    model.stages.add(s);
    s.node.addValidation({ validate: () => report(model, s) });
  }
}

const ENSURED = new WeakSet<Stack>();

function tryStackOf(scope: IConstruct): Stack | undefined {
  try {
    return Stack.of(scope);
  } catch {
    return undefined;
  }
}

function report(model: IdentityModel, stage: IConstruct): string[] {
  const errors: string[] = [];
  for (const { path, finding } of model.findings()) {
    const c = findByPath(model.root, path) ?? model.root;
    if (reportingStage(model, c) !== stage) continue;
    const text = describe(finding);
    if (finding.severity === 'error') {
      errors.push(`[${path}] ${text}`);
    } else if (!model.warned.has(`${path}|${text}`)) {
      model.warned.add(`${path}|${text}`);
      Annotations.of(c).addWarningV2(`cdk-eks-identity:${finding.code}`, text);
    }
  }
  // the root validates last: the next synthesis looks at the tree again
  if (stage === model.root) model.reset();
  return errors;
}

/** The innermost stage above `c` that validates the model (the root when none does). */
function reportingStage(model: IdentityModel, c: IConstruct): IConstruct {
  for (let s = Stage.of(c); s !== undefined; s = Stage.of(s)) {
    if (model.stages.has(s)) return s;
  }
  return model.root;
}
