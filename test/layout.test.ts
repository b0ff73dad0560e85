import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { StackLayout, WorkloadIdentityStack } from '../lib';
import { expectIdentityError } from './util/expect-error';
import { generatedServiceAccount, generateSpec } from './util/generate-spec';
import { resourcesOfType, synth } from './util/synth';
import { MAX_RESOURCES_PER_TEMPLATE, MAX_TEMPLATE_BYTES, shardOf } from '../lib/rules/layout';

/** id of a nested stack -> its template, from the written files */
function nestedTemplates(stack: WorkloadIdentityStack, outdir: string): Map<string, any> {
  return new Map(stack.namespaceStacks.map(n => [n.node.id, JSON.parse(fs.readFileSync(path.join(outdir, n.templateFile), 'utf8'))]));
}

describe('layout: nested at scale (2,000 IRSA service accounts over 50 namespaces)', () => {
  const spec = generateSpec({ serviceAccounts: 2000, namespaces: 50, layout: StackLayout.NESTED });
  const app = new App();
  const big = new WorkloadIdentityStack(app, 'Big', { spec });
  const out = synth(app);
  const dir = out.assembly.directory;
  const bigNested = nestedTemplates(big, dir);

  test('the synth helper found and linted every nested template', () => {
    const nestedFiles = fs.readdirSync(dir).filter(f => f.endsWith('.nested.template.json'));
    expect(nestedFiles).toHaveLength(50);
    for (const f of nestedFiles) expect(out.templates[f]).toBeDefined();
  });

  test('one nested stack per namespace; the OIDC provider stays in the parent', () => {
    expect(big.namespaceStacks.map(n => n.node.id)).toEqual(Array.from({ length: 50 }, (_, i) => `Namespace-team-${String(i).padStart(3, '0')}`));
    const parent = out.templates.Big;
    expect(resourcesOfType(parent, 'AWS::IAM::OIDCProvider')).toHaveLength(1);
    expect(resourcesOfType(parent, 'AWS::CloudFormation::Stack')).toHaveLength(50);
    expect(resourcesOfType(parent, 'AWS::IAM::Role')).toHaveLength(0);
    const roles = [...bigNested.values()].flatMap(t => resourcesOfType(t, 'AWS::IAM::Role'));
    expect(roles).toHaveLength(2000);
    // every nested stack is deployed after the provider its roles trust
    for (const [, r] of resourcesOfType(parent, 'AWS::CloudFormation::Stack')) {
      expect(r.DependsOn).toEqual([resourcesOfType(parent, 'AWS::IAM::OIDCProvider')[0][0]]);
    }
  });

  test('every template (parent and nested) is under 500 resources and 1 MB', () => {
    const files = [big.templateFile, ...big.namespaceStacks.map(n => n.templateFile)];
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      expect(Buffer.byteLength(text)).toBeLessThan(MAX_TEMPLATE_BYTES);
      expect(Object.keys(JSON.parse(text).Resources).length).toBeLessThan(MAX_RESOURCES_PER_TEMPLATE);
    }
  });

  test('the manifest file of the parent stack holds all 2,000 ServiceAccounts; nested stacks write none', () => {
    expect(out.manifests.Big).toHaveLength(2000);
    expect(out.manifests.Big.every(o => o.kind === 'ServiceAccount')).toBe(true);
    expect(fs.readdirSync(dir).filter(f => f.endsWith('.k8s.yaml'))).toEqual(['Big.k8s.yaml']);
  });

  test('inserting one service account in the middle changes no other role\'s logical ID, stack or properties', () => {
    const inserted = generatedServiceAccount(2000, 50);
    const app2 = new App();
    const plus = new WorkloadIdentityStack(app2, 'Big', {
      spec: { ...spec, serviceAccounts: [...spec.serviceAccounts!.slice(0, 1000), inserted, ...spec.serviceAccounts!.slice(1000)] },
    });
    // cfn-lint sees only the templates that changed: the others are byte-identical to ones it passed
    const out2 = synth(app2);
    const plusNested = nestedTemplates(plus, out2.assembly.directory);
    expect([...plusNested.keys()]).toEqual([...bigNested.keys()]);
    const changedStack = `Namespace-${inserted.namespace}`;
    for (const [id, before] of bigNested) {
      const after = plusNested.get(id);
      if (id !== changedStack) {
        expect(JSON.stringify(after)).toBe(JSON.stringify(before));
        continue;
      }
      for (const [logicalId, resource] of Object.entries(before.Resources)) {
        expect([logicalId, after.Resources[logicalId]]).toEqual([logicalId, resource]);
      }
      const extra = Object.keys(after.Resources).filter(k => !(k in before.Resources));
      expect(extra).toHaveLength(1);
      expect(after.Resources[extra[0]].Properties.RoleName).toBe(`big-cluster-${inserted.namespace}-${inserted.name}`);
    }
    // the parent: the same resources; only the changed namespace's nested stack points to a new template
    const before = out.templates.Big.Resources;
    const after = out2.templates.Big.Resources;
    expect(Object.keys(after)).toEqual(Object.keys(before));
    const changed = Object.keys(before).filter(k => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toContain(changedStack.replace(/-/g, ''));
    // and the manifest file gains exactly that object, in spec order
    expect(out2.manifests.Big).toHaveLength(2001);
    expect(out2.manifests.Big[1000].metadata.name).toBe(inserted.name);
    expect(out2.manifests.Big.filter((_o, i) => i !== 1000)).toEqual(out.manifests.Big);
  });

  test('the same spec with layout: single fails synth, naming layout', () => {
    const err = expectIdentityError(() => new WorkloadIdentityStack(new App(), 'Single', { spec: { ...spec, layout: StackLayout.SINGLE } }),
      'layout', /2000 resources, more than the 500/);
    expect(err.fix).toContain('layout: nested');
    // the default is single too: never switched implicitly
    expectIdentityError(() => new WorkloadIdentityStack(new App(), 'Default', { spec: { ...spec, layout: undefined } }), 'layout');
  });
});

describe('layout: nested, a namespace that outgrows one template', () => {
  // 200 roles with large inline policies: more bytes than one nested stack is filled with
  const statement = { effect: 'Allow', actions: ['s3:GetObject'], resources: Array.from({ length: 12 }, (_, i) => `arn:aws:s3:::bucket-${i}/prefix/with/a/long/path/*`) };
  const spec = {
    ...generateSpec({ serviceAccounts: 200, namespaces: 1, layout: StackLayout.NESTED }),
    serviceAccounts: Array.from({ length: 200 }, (_, i) => ({ ...generatedServiceAccount(i, 1), role: { statements: [statement] } })),
    manifests: { apply: true, kubectlRoleArn: 'arn:aws:iam::111122223333:role/kubectl', createNamespaces: true },
  };
  const app = new App();
  const stack = new WorkloadIdentityStack(app, 'Split', { spec });
  // aws-cdk-lib's provider framework: a DependsOn a GetAtt already implies (W3005)
  const out = synth(app, { tolerateWarnings: ['W3005'] });

  test('is split by a stable hash of the service account name, with a warning that says what doubling moves', () => {
    const ids = stack.namespaceStacks.map(n => n.node.id);
    expect(ids.length).toBeGreaterThan(1);
    expect(ids[0]).toBe('Namespace-team-000');
    expect(ids.slice(1)).toEqual(Array.from({ length: ids.length - 1 }, (_, i) => `Namespace-team-000:${i + 1}`));
    for (const w of stack.workloads) {
      const shard = shardOf(w.serviceAccountName, ids.length);
      expect(Stack.of(w).node.id).toBe(shard === 0 ? 'Namespace-team-000' : `Namespace-team-000:${shard}`);
    }
    const warnings = out.annotations.filter(a => a.message.includes('layout-namespace-split'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(new RegExp(`^layout: 'team-000' needs 200 resources, .* split over ${ids.length} nested stacks`));
    for (const n of stack.namespaceStacks) {
      const size = fs.statSync(path.join(out.assembly.directory, n.templateFile)).size;
      expect(size).toBeLessThan(MAX_TEMPLATE_BYTES);
    }
    expect(out.manifests.Split).toHaveLength(201);
  });

  test('applied in-stack: the Namespace from the first shard, every shard after it, each shard its own batch', () => {
    const parent = out.templates.Split;
    const nestedResource = (id: string) => resourcesOfType(parent, 'AWS::CloudFormation::Stack').find(([k]) => k.startsWith(id.replace(/[^A-Za-z0-9]/g, '')))!;
    const [firstId] = nestedResource('Namespace-team-000NestedStack');
    for (const n of stack.namespaceStacks.slice(1)) {
      expect(nestedResource(`${n.node.id}NestedStack`)[1].DependsOn).toContain(firstId);
    }
    const batches = stack.namespaceStacks.map(n => resourcesOfType(out.templates[path.basename(n.templateFile)], 'Custom::AWSCDK-EKS-KubernetesResource')
      .map(([, r]) => JSON.parse(r.Properties.Manifest)));
    expect(batches[0].map(b => b[0].kind).sort()).toEqual(['Namespace', 'ServiceAccount']);
    for (const b of batches.slice(1)) expect(b.map(x => x[0].kind)).toEqual(['ServiceAccount']);
    expect(batches.flat(2).filter(o => o.kind === 'ServiceAccount')).toHaveLength(200);
  });
});

describe('layout limits after construction (TypeScript users add resources)', () => {
  test('a single stack that grows past 500 resources fails synth naming layout, before CDK\'s own limit', () => {
    const app = new App();
    const stack = new WorkloadIdentityStack(app, 'Grown', { spec: generateSpec({ serviceAccounts: 10, namespaces: 1 }) });
    for (let i = 0; i < 495; i++) new iam.Role(stack, `Extra${i}`, { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => app.synth()).toThrow(/layout: 'single' cannot hold stack Grown: it would hold 50[0-9] resources.*\[layout-single-limit\]/);
  });

  test('a single template over 1 MB fails after synth naming layout', () => {
    const app = new App();
    const big = 'x'.repeat(900);
    const spec = generateSpec({ serviceAccounts: 10, namespaces: 1 });
    const stack = new WorkloadIdentityStack(app, 'Heavy', { spec });
    for (let i = 0; i < 120; i++) new CfnResource(stack, `Blob${i}`, { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: big.repeat(10) } });
    expectIdentityError(() => app.synth(), 'layout', /template would be \d+ bytes, more than the 1000000 bytes \(1 MB\)/);
  });
});
