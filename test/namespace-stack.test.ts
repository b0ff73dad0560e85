/**
 * The namespace stacks of `layout: nested` resolve their templates once per synthesis
 * (lib/identity-stack/namespace-stack.ts). Users have deployed those templates: every file of the
 * cloud assembly must be the same as with aws-cdk-lib's own NestedStack, which resolves twice.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { StackLayout, WorkloadIdentityStack } from '../lib';
import { generateSpec } from './util/generate-spec';
import { NamespaceStack } from '../lib/identity-stack/namespace-stack';

/** Every file of the assembly a nested spec app writes, by name; the template assets' hashes. */
function build(): { files: Map<string, string>; nestedStacks: NestedStack[] } {
  const app = new App();
  const spec = generateSpec({ serviceAccounts: 240, namespaces: 4, layout: StackLayout.NESTED });
  const stack = new WorkloadIdentityStack(app, 'Big', { spec });
  // a cross-stack reference (a parameter of the nested template), a grant (a policy in a namespace
  // stack) and a nested stack of the user's inside a namespace stack
  const bucket = new s3.Bucket(stack, 'Data');
  bucket.grantRead(stack.workloads[0]);
  stack.workloads[5].role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] }));
  const inner = new NestedStack(stack.namespaceStacks[1], 'Inner');
  new iam.Role(inner, 'InnerRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  new iam.Role(stack.namespaceStacks[1], 'AfterInner', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  const assembly = app.synth();
  const files = new Map<string, string>();
  for (const f of fs.readdirSync(assembly.directory)) {
    const p = path.join(assembly.directory, f);
    // not the construct tree and metadata (they hold stack traces of where the constructs were made)
    if (fs.statSync(p).isFile() && f !== 'tree.json' && f !== 'manifest.json' && !f.endsWith('.metadata.json')) files.set(f, fs.readFileSync(p, 'utf8'));
  }
  return { files, nestedStacks: stack.namespaceStacks };
}

describe('namespace stacks resolve their template once and write what aws-cdk-lib would', () => {
  // how often aws-cdk-lib resolves each namespace stack's template (the spy calls through)
  const resolve = jest.spyOn(Stack.prototype as any, '_toCloudFormation');
  const once = build();
  const resolvedOnce = resolve.mock.contexts.filter(c => c instanceof NamespaceStack).length;
  resolve.mockClear();
  // the reference: aws-cdk-lib's NestedStack preparation and writing, each resolving the template
  const prepare = jest.spyOn(NamespaceStack.prototype, '_prepareTemplateAsset').mockImplementation(function (this: NamespaceStack) {
    return NestedStack.prototype._prepareTemplateAsset.call(this);
  });
  const write = jest.spyOn(NamespaceStack.prototype, '_synthesizeTemplate').mockImplementation(function (this: NamespaceStack, ...args: any[]) {
    return (NestedStack.prototype._synthesizeTemplate as any).call(this, ...args);
  });
  let twice: ReturnType<typeof build>;
  try {
    twice = build();
  } finally {
    prepare.mockRestore();
    write.mockRestore();
  }
  const resolvedTwice = resolve.mock.contexts.filter(c => c instanceof NamespaceStack).length;
  resolve.mockRestore();

  test('each namespace stack\'s template is resolved once (aws-cdk-lib alone: twice)', () => {
    expect(resolvedOnce).toBe(once.nestedStacks.length);
    expect(resolvedTwice).toBe(2 * twice.nestedStacks.length);
  });

  test('the namespace stacks are NamespaceStacks', () => {
    expect(once.nestedStacks.length).toBeGreaterThan(3);
    for (const s of once.nestedStacks) expect(s).toBeInstanceOf(NamespaceStack);
  });

  test('every template, nested template, asset manifest and manifest file is the same, byte for byte', () => {
    expect([...once.files.keys()].sort()).toEqual([...twice.files.keys()].sort());
    expect([...once.files.keys()].filter(f => f.endsWith('.nested.template.json')).length).toBe(once.nestedStacks.length + 1);
    // token numbers are per process, not output (the identity map names the user's nested stack by one)
    const tokens = (t?: string) => t?.replace(/\$\{Token\[TOKEN\.\d+\]\}/g, '${Token}');
    for (const [f, text] of once.files) expect({ f, text: tokens(text) }).toEqual({ f, text: tokens(twice.files.get(f)) });
  });

  test('each nested template file is the one its asset hash names', () => {
    const assets = JSON.parse(once.files.get('Big.assets.json')!);
    const nested = Object.entries<any>(assets.files).filter(([, a]) => String(a.source.path).endsWith('.nested.template.json'));
    expect(nested.length).toBe(once.nestedStacks.length + 1);
    for (const [hash, a] of nested) {
      const file = once.files.get(a.source.path)!;
      expect(createHash('sha256').update(JSON.stringify(JSON.parse(file))).digest('hex')).toBe(hash);
    }
  });
});
