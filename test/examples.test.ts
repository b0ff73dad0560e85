import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { WorkloadIdentityStack } from '../lib';
import { synth } from './util/synth';

const EXAMPLES = path.join(__dirname, '..', 'examples');
const specs = fs.readdirSync(EXAMPLES, { withFileTypes: true })
  .filter(d => d.isDirectory())
  .flatMap(d => ['identity.yaml', 'identity.json'].map(f => path.join(EXAMPLES, d.name, f)))
  .filter(f => fs.existsSync(f));

function synthSpec(file: string, outdir?: string) {
  const app = new App(outdir ? { outdir } : {});
  WorkloadIdentityStack.fromSpecFile(app, 'Example', file);
  // in-stack apply brings aws-eks-v2's kubectl provider framework, whose Lambda role DependsOn
  // is redundant with its GetAtt (W3005): a resource aws-cdk-lib writes, not ours
  const applies = /apply:\s*true/.test(fs.readFileSync(file, 'utf8'));
  return { app, out: synth(app, applies ? { tolerateWarnings: ['W3005'] } : {}) };
}

test('there are examples to synthesize', () => {
  expect(specs.map(f => path.relative(EXAMPLES, f))).toContain(path.join('quickstart', 'identity.yaml'));
});

describe.each(specs.map(f => [path.relative(EXAMPLES, f), f]))('example %s', (_name, file) => {
  test('synthesizes, passes cfn-lint and the Kubernetes schemas, and matches its snapshot', () => {
    const { out } = synthSpec(file);
    expect(out.templates.Example).toMatchSnapshot('template');
    expect(out.yaml.Example).toMatchSnapshot('manifests');
    // the default IRSA path: no Lambda-backed custom resource
    const types = Object.values(out.templates.Example.Resources).map((r: any) => r.Type as string);
    if (!(fs.readFileSync(file, 'utf8').match(/apply:\s*true/))) {
      expect(types.filter(t => t === 'AWS::Lambda::Function' || t.startsWith('Custom::'))).toEqual([]);
    }
  });

  test('synthesis is deterministic: same input, same bytes', () => {
    const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'det-')));
    dirs.forEach(d => synthSpec(file, d));
    const files = fs.readdirSync(dirs[0]).filter(f => f.endsWith('.template.json') || f.endsWith('.k8s.yaml'));
    expect(files).toEqual(expect.arrayContaining(['Example.template.json', 'Example.k8s.yaml']));
    for (const f of files) {
      expect(fs.readFileSync(path.join(dirs[1], f))).toEqual(fs.readFileSync(path.join(dirs[0], f)));
    }
  });
});
