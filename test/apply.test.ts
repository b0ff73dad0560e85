import * as path from 'path';
import { KubectlV31Layer } from '@aws-cdk/lambda-layer-kubectl-v31';
import { App, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  IdentityCluster, IdentitySpec, IdentitySpecFile, KubectlLayer, StackLayout, WorkloadIdentity, WorkloadIdentityStack,
} from '../lib';
import { expectIdentityError } from './util/expect-error';
import { resourcesOfType, synth, Synthesized } from './util/synth';

const KUBECTL_ROLE = 'arn:aws:iam::111122223333:role/kubectl';
const MANIFEST = 'Custom::AWSCDK-EKS-KubernetesResource';
/**
 * aws-cdk-lib's custom resource provider framework (inside KubectlProvider) writes a DependsOn
 * that a GetAtt already implies: cfn-lint W3005, in resources we do not write
 */
const PROVIDER_WARNINGS = { tolerateWarnings: ['W3005'] };

const base: IdentitySpec = {
  stackName: 'apply-identity',
  cluster: {
    name: 'my-cluster',
    account: '111122223333',
    region: 'us-west-2',
    kubernetesVersion: '1.31',
    oidcIssuerUrl: 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
  },
  serviceAccounts: [
    { name: 'api', namespace: 'payments', stsRegionalEndpoints: true },
    { name: 'ebs-csi-controller-sa', namespace: 'kube-system', role: { managedPolicies: ['service-role/AmazonEBSCSIDriverPolicy'] } },
    { name: 'worker', namespace: 'payments' },
    { name: 'reader', namespace: 'shop', labels: { app: 'reader' } },
  ],
};
const withApply = (manifests: IdentitySpec['manifests'] = {}, spec: Partial<IdentitySpec> = {}): IdentitySpec =>
  ({ ...base, ...spec, manifests: { apply: true, kubectlRoleArn: KUBECTL_ROLE, ...manifests } });

function build(spec: IdentitySpec, props: { kubectlLayer?: lambda.ILayerVersion } = {}) {
  const app = new App();
  const stack = new WorkloadIdentityStack(app, 'Id', { spec, ...props });
  return { app, stack };
}

/** every template of the app (parent and nested) */
const allTemplates = (out: Synthesized) => Object.values(out.templates);
/** the objects that the in-stack apply resources carry, in template order */
const appliedObjects = (out: Synthesized) => allTemplates(out).flatMap(t => resourcesOfType(t, MANIFEST))
  .flatMap(([, r]) => JSON.parse(r.Properties.Manifest) as any[]);

describe('manifests.apply: true', () => {
  const { app, stack } = build(withApply());
  const out = synth(app, PROVIDER_WARNINGS);
  const t = out.templates.Id;

  test('one KubernetesManifest per namespace, carrying every ServiceAccount of the manifest file, never pruned', () => {
    const manifests = resourcesOfType(t, MANIFEST);
    expect(manifests).toHaveLength(3);
    const applied = appliedObjects(out);
    expect(applied.filter(o => o.kind === 'ServiceAccount')).toHaveLength(4);
    const key = (o: any) => `${o.metadata.namespace}/${o.metadata.name}`;
    expect(applied.map(key).sort()).toEqual(out.manifests.Id.map(key).sort());
    // the same objects, field for field: no prune label, nothing added
    for (const o of applied) expect(o).toEqual(out.manifests.Id.find(m => key(m) === key(o)));
    for (const [, r] of manifests) {
      expect(r.Properties.PruneLabel).toBeUndefined();
      expect(r.Properties.ClusterName).toBe('my-cluster');
      expect(r.Properties.Overwrite).toBe(false);
      const namespaces = new Set(JSON.parse(r.Properties.Manifest).map((o: any) => o.metadata.namespace));
      expect(namespaces.size).toBe(1);
    }
    expect(JSON.stringify(t)).not.toContain('aws.cdk.eks/prune-');
    expect(stack.kubectl).toBeDefined();
  });

  test('the kubectl layer of the cluster version is on the kubectl handler, which runs with the given role', () => {
    const layers = resourcesOfType(t, 'AWS::Lambda::LayerVersion');
    const kubectl = layers.find(([, r]) => /kubectl 1\.31/.test(r.Properties.Description));
    expect(kubectl).toBeDefined();
    const handler = resourcesOfType(t, 'AWS::Lambda::Function').find(([, r]) => (r.Properties.Layers ?? []).some((l: any) => l.Ref === kubectl![0]));
    expect(handler).toBeDefined();
    expect(JSON.stringify(handler![1].Properties.Role)).toContain('role/kubectl');
    // eks:DescribeCluster on the imported kubectl role, for update-kubeconfig
    const describe = resourcesOfType(t, 'AWS::IAM::Policy').find(([, r]) => JSON.stringify(r.Properties).includes('eks:DescribeCluster'));
    expect(describe![1].Properties.Roles).toEqual(['kubectl']);
  });

  test('the manifest file is byte-identical to the one written without apply', () => {
    const plain = build({ ...base });
    expect(synth(plain.app, PROVIDER_WARNINGS).yaml.Id).toBe(out.yaml.Id);
  });

  test('without manifests.apply there is no Lambda and no custom resource in the template', () => {
    const plain = build({ ...base, manifests: { apply: false } });
    const types = Object.values(synth(plain.app, PROVIDER_WARNINGS).templates.Id.Resources).map((r: any) => r.Type);
    expect(types.filter(x => x.startsWith('Custom::') || x.startsWith('AWS::Lambda::'))).toEqual([]);
  });
});

describe('manifests options', () => {
  test('overwrite adopts existing objects; createNamespaces creates the new namespaces only, retained, before their objects', () => {
    const { app } = build(withApply({ overwrite: true, createNamespaces: true }, {
      serviceAccounts: [...base.serviceAccounts!, { name: 'metrics', namespace: 'kube-metrics' }, { name: 'web', namespace: 'default' }],
    }));
    const out = synth(app, PROVIDER_WARNINGS);
    const t = out.templates.Id;
    // the manifest file: Namespace objects first, none for default and kube-system (always there)
    const namespaces = out.manifests.Id.filter(o => o.kind === 'Namespace').map(o => o.metadata.name);
    expect(namespaces).toEqual(['payments', 'shop', 'kube-metrics']);
    expect(out.manifests.Id.slice(0, 3).every(o => o.kind === 'Namespace')).toBe(true);
    const manifests = resourcesOfType(t, MANIFEST);
    for (const [, r] of manifests) expect(r.Properties.Overwrite).toBe(true);
    const nsBatch = manifests.find(([, r]) => JSON.parse(r.Properties.Manifest)[0].kind === 'Namespace' && JSON.parse(r.Properties.Manifest)[0].metadata.name === 'payments')!;
    expect(nsBatch[1].DeletionPolicy).toBe('Retain');
    expect(JSON.parse(nsBatch[1].Properties.Manifest)).toHaveLength(1);
    const saBatch = manifests.find(([, r]) => JSON.parse(r.Properties.Manifest)[0].metadata.namespace === 'payments')!;
    expect(saBatch[1].DependsOn).toEqual([nsBatch[0]]);
    expect(saBatch[1].DeletionPolicy).toBe('Delete');
    // a new kube-* namespace is reserved: a warning naming the service account's namespace field
    const warnings = out.annotations.filter(a => a.message.includes('k8s-reserved-namespace'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/^serviceAccounts\[4\]\.namespace: 'kube-metrics' starts with 'kube-'/);
  });

  test('createNamespaces without apply writes the Namespace objects to the file only', () => {
    const { app } = build({ ...base, manifests: { createNamespaces: true } });
    const out = synth(app, PROVIDER_WARNINGS);
    expect(out.manifests.Id.filter(o => o.kind === 'Namespace')).toHaveLength(2);
    expect(resourcesOfType(out.templates.Id, MANIFEST)).toHaveLength(0);
  });

  test('subnets and security groups place the kubectl functions in the VPC (private endpoint)', () => {
    const { app } = build(withApply({ subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], securityGroupIds: ['sg-0123456789abcdef0'] }));
    const t = synth(app, PROVIDER_WARNINGS).templates.Id;
    const configs = resourcesOfType(t, 'AWS::Lambda::Function').map(([, r]) => r.Properties.VpcConfig);
    expect(configs.length).toBeGreaterThanOrEqual(2);
    for (const c of configs) {
      expect(c).toEqual({ SecurityGroupIds: ['sg-0123456789abcdef0'], SubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] });
    }
  });

  test('layout nested: the kubectl provider in the parent, each namespace applied from its nested stack', () => {
    const { app, stack } = build(withApply({ createNamespaces: true }, { layout: StackLayout.NESTED }));
    const out = synth(app, PROVIDER_WARNINGS);
    const parent = out.templates.Id;
    expect(resourcesOfType(parent, MANIFEST)).toHaveLength(0);
    expect(resourcesOfType(parent, 'AWS::Lambda::Function').length).toBeGreaterThanOrEqual(2);
    expect(stack.namespaceStacks.map(n => n.node.id)).toEqual(['Namespace-payments', 'Namespace-kube-system', 'Namespace-shop']);
    const applied = appliedObjects(out);
    expect(applied.filter(o => o.kind === 'ServiceAccount')).toHaveLength(4);
    expect(applied.filter(o => o.kind === 'Namespace').map(o => o.metadata.name).sort()).toEqual(['payments', 'shop']);
    // each nested stack applies only its namespace, through the parent's provider (a parameter)
    for (const n of stack.namespaceStacks) {
      const nt = out.templates[path.basename(n.templateFile)];
      const ns = n.node.id.replace('Namespace-', '');
      for (const [, r] of resourcesOfType(nt, MANIFEST)) {
        for (const o of JSON.parse(r.Properties.Manifest)) expect(o.metadata.namespace ?? o.metadata.name).toBe(ns);
        expect(r.Properties.ServiceToken).toEqual({ Ref: expect.stringMatching(/^referenceto.*KubectlProvider.*Arn$/) });
      }
    }
  });

  test('the example spec examples/apply/identity.yaml synthesizes', () => {
    const app = new App();
    new WorkloadIdentityStack(app, 'ApplyIdentity', { spec: IdentitySpecFile.load(path.join(__dirname, '..', 'examples', 'apply', 'identity.yaml')) });
    const out = synth(app, PROVIDER_WARNINGS);
    expect(appliedObjects(out).filter(o => o.kind === 'ServiceAccount')).toHaveLength(3);
    expect(out.manifests.ApplyIdentity.map(o => o.kind)).toEqual(['Namespace', 'ServiceAccount', 'ServiceAccount', 'ServiceAccount']);
  });
});

describe('manifests errors', () => {
  test('apply without kubectlRoleArn: names it, and the cluster-admin access the role needs', () => {
    const err = expectIdentityError(() => build({ ...base, manifests: { apply: true } }), 'manifests.kubectlRoleArn', /required when manifests.apply is true/);
    expect(err.fix).toContain('AmazonEKSClusterAdminPolicy');
  });

  test('apply without cluster.kubernetesVersion', () => {
    expectIdentityError(() => build(withApply({}, { cluster: { ...base.cluster, kubernetesVersion: undefined } })),
      'cluster.kubernetesVersion', /picks the kubectl layer/);
  });

  test('keys that only apply with apply: true', () => {
    expectIdentityError(() => build({ ...base, manifests: { overwrite: true } }), 'manifests.overwrite', /only applies when manifests.apply is true/);
    expectIdentityError(() => build({ ...base, manifests: { kubectlRoleArn: KUBECTL_ROLE } }), 'manifests.kubectlRoleArn');
  });

  test('the spec file: manifests keys are checked by the schema (unknown keys, types)', () => {
    expectIdentityError(() => IdentitySpecFile.parse('cluster: { name: c, account: "111122223333", region: us-west-2 }\nmanifests: { apply: true, prune: true }\n'),
      'manifests.prune', /not a key of the spec format/);
    expectIdentityError(() => IdentitySpecFile.parse('cluster: { name: c, account: "111122223333", region: us-west-2 }\nlayout: sharded\n'),
      'layout', /must be one of "single", "nested"/);
  });

  test('a Kubernetes version whose kubectl layer package is not installed: says which package to install', () => {
    const err = expectIdentityError(() => build(withApply({}, { cluster: { ...base.cluster, kubernetesVersion: '1.29' } })),
      'cluster.kubernetesVersion', /@aws-cdk\/lambda-layer-kubectl-v29/);
    expect(err.fix).toContain('npm install --save-dev @aws-cdk/lambda-layer-kubectl-v29');
    expect(() => KubectlLayer.forKubernetesVersion(new Stack(), 'L', '1.31')).not.toThrow();
  });

  test('an explicit kubectl layer needs no package', () => {
    const app = new App();
    const layer = lambda.LayerVersion.fromLayerVersionArn(new Stack(), 'Kubectl', 'arn:aws:lambda:us-west-2:111122223333:layer:kubectl-129:1');
    const stack = new WorkloadIdentityStack(app, 'Id', { spec: withApply({}, { cluster: { ...base.cluster, kubernetesVersion: '1.29' } }), kubectlLayer: layer });
    const t = synth(app, PROVIDER_WARNINGS).templates.Id;
    const handler = resourcesOfType(t, 'AWS::Lambda::Function').find(([, r]) => (r.Properties.Layers ?? []).includes('arn:aws:lambda:us-west-2:111122223333:layer:kubectl-129:1'));
    expect(handler).toBeDefined();
    expect(stack.kubectl!.kubectlLayer).toBe(layer);
  });
});

describe('TypeScript: an aws-eks-v2 Cluster with a kubectl provider', () => {
  test('its workloads\' ServiceAccounts are applied in-stack through the cluster\'s own provider', () => {
    const app = new App();
    const stack = new Stack(app, 'Eks', { env: { account: '111122223333', region: 'us-west-2' } });
    const cluster = new eks.Cluster(stack, 'Cluster', {
      clusterName: 'my-cluster',
      version: eks.KubernetesVersion.V1_31,
      kubectlProviderOptions: { kubectlLayer: new KubectlV31Layer(stack, 'KubectlLayer') },
    });
    const identity = IdentityCluster.fromCluster(stack, 'Identity', cluster, { clusterName: 'my-cluster', kubernetesVersion: '1.31', overwriteManifests: true });
    expect(identity.kubectlCluster).toBe(cluster);
    new WorkloadIdentity(stack, 'Api', { cluster: identity, namespace: 'payments', serviceAccountName: 'api' });
    new WorkloadIdentity(stack, 'Worker', { cluster: identity, namespace: 'payments', serviceAccountName: 'worker' });
    // the cluster's own VPC (aws-eks-v2) uses placeholder zones in an environment without lookups
    const out = synth(app, { tolerateWarnings: ['W3005', 'W3010'] });
    const manifests = resourcesOfType(out.templates.Eks, MANIFEST).filter(([, r]) => r.Properties.Manifest.includes('ServiceAccount'));
    expect(manifests).toHaveLength(1);
    expect(JSON.parse(manifests[0][1].Properties.Manifest)).toEqual(out.manifests.Eks);
    expect(manifests[0][1].Properties.Overwrite).toBe(true);
    // opting out leaves the objects in the file only
    const quiet = IdentityCluster.fromCluster(stack, 'Quiet', cluster, { clusterName: 'my-cluster', applyManifests: false });
    expect(quiet.kubectlCluster).toBeUndefined();
  });

  test('a cluster reference without a kubectl provider is refused for in-stack apply', () => {
    const stack = new Stack();
    const bare = eks.Cluster.fromClusterAttributes(stack, 'Bare', { clusterName: 'my-cluster' });
    expectIdentityError(() => IdentityCluster.fromAttributes(stack, 'Id', { clusterName: 'my-cluster', kubectlCluster: bare }), 'kubectlCluster', /no kubectl provider/);
  });
});
