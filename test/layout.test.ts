import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { IdentitySpec, StackLayout, WorkloadIdentityStack } from '../lib';
import { MAX_RESOURCES_PER_TEMPLATE, MAX_TEMPLATE_BYTES } from '../lib/rules/layout';
import { expectIdentityError } from './util/expect-error';
import { GENERATED_CLUSTER, generatedServiceAccount, generateSpec } from './util/generate-spec';
import { resourcesOfType, synth } from './util/synth';

const OTHER_ACCOUNT = '444455556666';

/** id of a nested stack -> its template, from the written files */
function nestedTemplates(stack: WorkloadIdentityStack, outdir: string): Map<string, any> {
  return new Map(stack.namespaceStacks.map(n => [n.node.id, JSON.parse(fs.readFileSync(path.join(outdir, n.templateFile), 'utf8'))]));
}

describe('layout: nested at scale (2,000 IRSA service accounts over 50 namespaces)', () => {
  const spec = generateSpec({ serviceAccounts: 2000, namespaces: 50, layout: StackLayout.NESTED });
  // the same spec with one more service account in the middle, in another account of the same
  // app, so that one synthesis (and one cfn-lint run) covers both
  const inserted = generatedServiceAccount(2000, 50);
  const insertedSpec: IdentitySpec = {
    ...spec,
    stackName: 'big-cluster-identity-plus-one',
    cluster: { ...spec.cluster, account: OTHER_ACCOUNT },
    serviceAccounts: [...spec.serviceAccounts!.slice(0, 1000), inserted, ...spec.serviceAccounts!.slice(1000)],
  };
  const app = new App();
  const big = new WorkloadIdentityStack(app, 'Big', { spec });
  const plus = new WorkloadIdentityStack(app, 'PlusOne', { spec: insertedSpec });
  const out = synth(app);
  const dir = out.assembly.directory;
  const bigNested = nestedTemplates(big, dir);
  const plusNested = nestedTemplates(plus, dir);

  test('the synth helper found and linted every nested template', () => {
    const nestedFiles = fs.readdirSync(dir).filter(f => f.endsWith('.nested.template.json'));
    expect(nestedFiles).toHaveLength(100);
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
    expect(fs.readdirSync(dir).filter(f => f.endsWith('.k8s.yaml')).sort()).toEqual(['Big.k8s.yaml', 'PlusOne.k8s.yaml']);
  });

  test('inserting one service account in the middle changes no other role\'s logical ID, stack or properties', () => {
    const norm = (x: unknown) => JSON.parse(JSON.stringify(x).split(OTHER_ACCOUNT).join(GENERATED_CLUSTER.account));
    expect([...plusNested.keys()]).toEqual([...bigNested.keys()]);
    let added = 0;
    for (const [id, before] of bigNested) {
      const after = norm(plusNested.get(id));
      for (const [logicalId, resource] of Object.entries(before.Resources)) {
        expect([id, logicalId, after.Resources[logicalId]]).toEqual([id, logicalId, resource]);
      }
      const extra = Object.keys(after.Resources).filter(k => !(k in before.Resources));
      added += extra.length;
      if (extra.length > 0) {
        expect(id).toBe(`Namespace-${inserted.namespace}`);
        expect(after.Resources[extra[0]].Properties.RoleName).toBe(`big-cluster-${inserted.namespace}-${inserted.name}`);
      }
    }
    expect(added).toBe(1);
    // every other nested template is the same, byte for byte (so its asset, and the parent's
    // nested stack resource, stay the same in one account)
    for (const [id, before] of bigNested) {
      if (id !== `Namespace-${inserted.namespace}`) expect(JSON.stringify(norm(plusNested.get(id)))).toBe(JSON.stringify(before));
    }
    // the parent: the same resources, the same properties but the nested templates' asset URLs
    const withoutUrls = (rs: any) => JSON.stringify(Object.entries(rs).map(([k, r]: [string, any]) => [k, { ...r, Properties: { ...r.Properties, TemplateURL: undefined } }]));
    expect(withoutUrls(norm(out.templates.PlusOne.Resources))).toBe(withoutUrls(out.templates.Big.Resources));
    // and the manifest file gains exactly one object
    expect(out.manifests.PlusOne).toHaveLength(2001);
  });

  test('the same spec with layout: single fails synth, naming layout', () => {
    const err = expectIdentityError(() => new WorkloadIdentityStack(new App(), 'Single', { spec: { ...spec, layout: StackLayout.SINGLE } }),
      'layout', /2000 resources, more than the 500/);
    expect(err.fix).toContain('layout: nested');
    // the default is single too: never switched implicitly
    expectIdentityError(() => new WorkloadIdentityStack(new App(), 'Default', { spec: { ...spec, layout: undefined } }), 'layout');
  });
});
