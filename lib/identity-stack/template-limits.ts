import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { StackLayout } from '../identity-spec/types';
import { addFindingsValidation, enforce } from '../private/enforce';
import { afterSynthesize } from '../private/synth-hook';
import { Finding } from '../rules/finding';
import { checkNestedLayout, checkSingleLayout } from '../rules/layout';

/**
 * Every template of the layout within CloudFormation's limits: now (the spec), at synth
 * (constructs added since, by TypeScript users) and after synth (the bytes written). A stack
 * without resources (a spec with only Kubernetes objects) gets a no-op handle: CloudFormation
 * refuses an empty template.
 */
export function enforceTemplateLimits(parent: Stack, nested: Stack[], layout: StackLayout): void {
  if (countResources(parent) === 0 && nested.length === 0) {
    new CfnWaitConditionHandle(parent, 'NoAwsResources');
  }
  const findings = (outdir?: string): Finding[] => [parent, ...nested].flatMap(stack => {
    // before synth: resources in the construct tree; after: the bytes written (CloudFormation
    // counts the template as uploaded, indentation included)
    const size = outdir
      ? { resources: 0, bytes: fs.statSync(path.join(outdir, stack.templateFile)).size }
      : { resources: countResources(stack), bytes: 0 };
    return layout === StackLayout.SINGLE
      ? checkSingleLayout('layout', stack.node.path, size)
      : checkNestedLayout('layout', stack.node.path, size);
  });
  enforce(parent, findings());
  addFindingsValidation(parent, () => findings());
  afterSynthesize(parent, session => enforce(parent, findings(session.outdir)));
}

/** Resources of one template: CloudFormation resources of `stack`, not those of its nested stacks. */
export function countResources(stack: Stack): number {
  let n = 0;
  const visit = (c: IConstruct) => {
    for (const child of c.node.children) {
      if (Stack.isStack(child)) continue;
      if (CfnResource.isCfnResource(child)) n++;
      visit(child);
    }
  };
  visit(stack);
  return n;
}
