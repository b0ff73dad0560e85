import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, DefaultStackSynthesizer, Stack } from 'aws-cdk-lib';
import { IdentityCluster, IdentitySpecFile, WorkloadIdentity, WorkloadIdentityStack } from '../lib';
import { resourcesOfType, synth } from './util/synth';

const QUICKSTART = path.join(__dirname, '..', 'examples', 'quickstart', 'identity.yaml');

describe('the quickstart', () => {
  test('writes the template and <artifactId>.k8s.yaml beside it, following the outdir', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'qs-'));
    const app = new App({ outdir });
    const stack = WorkloadIdentityStack.fromSpecFile(app, 'QuickstartIdentity', QUICKSTART);
    synth(app);
    expect(fs.existsSync(path.join(outdir, `${stack.artifactId}.template.json`))).toBe(true);
    const yaml = fs.readFileSync(path.join(outdir, `${stack.artifactId}.k8s.yaml`), 'utf8');
    expect(yaml.split('\n---\n')).toHaveLength(3);
    expect(stack.stackName).toBe('my-cluster-identity');
  });

  test('every service account gets exactly one role (1 resource per IRSA workload) and one provider', () => {
    const app = new App();
    WorkloadIdentityStack.fromSpecFile(app, 'Q', QUICKSTART);
    const t = synth(app).templates.Q;
    expect(resourcesOfType(t, 'AWS::IAM::Role')).toHaveLength(3);
    expect(resourcesOfType(t, 'AWS::IAM::OIDCProvider')).toHaveLength(1);
    expect(Object.keys(t.Resources)).toHaveLength(4);
  });
});

describe('stability', () => {
  const spec = (names: string[]) => IdentitySpecFile.parse(`
cluster: { name: c, account: "111122223333", region: eu-west-1, oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC" }
serviceAccounts:
${names.map(n => `  - { name: ${n}, namespace: apps }`).join('\n')}
`);

  test('adding a service account in the middle renames and changes no other resource', () => {
    const before = new App();
    new WorkloadIdentityStack(before, 'S', { spec: spec(['a', 'c']) });
    const after = new App();
    new WorkloadIdentityStack(after, 'S', { spec: spec(['a', 'b', 'c']) });
    const t0 = synth(before).templates.S.Resources;
    const t1 = synth(after).templates.S.Resources;
    for (const [id, r] of Object.entries(t0)) expect(t1[id]).toEqual(r);
    expect(Object.keys(t1).length).toBe(Object.keys(t0).length + 1);
  });
});

describe('synthesizers', () => {
  test("the user's own synthesizer is kept (custom qualifier) and the manifest is still written", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'syn-'));
    const app = new App({ outdir });
    const synthesizer = new DefaultStackSynthesizer({ qualifier: 'platform1' });
    const stack = new Stack(app, 'Custom', { env: { account: '111122223333', region: 'eu-west-1' }, synthesizer });
    const cluster = IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'c', oidcIssuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/ABC' });
    new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x' });
    const out = synth(app);
    expect(stack.synthesizer).toBeInstanceOf(DefaultStackSynthesizer);
    expect(out.templates.Custom.Parameters.BootstrapVersion.Default).toBe('/cdk-bootstrap/platform1/version');
    expect(out.manifests.Custom).toHaveLength(1);
  });

  test('two stacks, two manifest files, each with its own objects', () => {
    const app = new App();
    for (const id of ['One', 'Two']) {
      const stack = new Stack(app, id, { env: { account: '111122223333', region: 'eu-west-1' } });
      const cluster = IdentityCluster.fromAttributes(stack, 'C', { clusterName: id.toLowerCase(), oidcIssuerUrl: `https://oidc.eks.eu-west-1.amazonaws.com/id/${id.toUpperCase()}` });
      new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: id.toLowerCase() });
    }
    const out = synth(app);
    expect(out.manifests.One.map(o => o.metadata.name)).toEqual(['one']);
    expect(out.manifests.Two.map(o => o.metadata.name)).toEqual(['two']);
  });
});

describe('a spec with Kubernetes objects only', () => {
  test('still gives a template CloudFormation accepts (a no-op handle) and the bindings', () => {
    const app = new App();
    new WorkloadIdentityStack(app, 'RbacOnly', {
      spec: IdentitySpecFile.parse(`
cluster: { name: c, account: "111122223333", region: eu-west-1 }
rbac:
  - { group: viewers, clusterRole: view }
`),
    });
    const out = synth(app);
    expect(Object.values(out.templates.RbacOnly.Resources).map((r: any) => r.Type)).toEqual(['AWS::CloudFormation::WaitConditionHandle']);
    expect(out.manifests.RbacOnly.map(o => o.kind)).toEqual(['ClusterRoleBinding']);
  });
});
