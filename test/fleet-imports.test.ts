import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { IdentityFleet, IdentitySpec, IdentitySpecFile, WorkloadIdentityStack } from '../lib';
import { synth } from './util/synth';
import { bindFleet } from '../lib/identity-spec/bind-fleet';

const EXAMPLE = path.join(__dirname, '..', 'examples', 'fleet.yaml');
const A = '111122223333';
const B = '444455556666';
const base = (): IdentitySpec => IdentitySpecFile.load(EXAMPLE);
const host = (name: string) => base().clusters!.find(c => c.name === name)!.oidcIssuerUrl!.slice('https://'.length);
const providerArn = (account: string, cluster: string, partition = 'aws') => `arn:${partition}:iam::${account}:oidc-provider/${host(cluster)}`;
/** examples/fleet.yaml with `patch` merged into the named clusters */
function withClusters(patch: Record<string, object>, extra: Partial<IdentitySpec> = {}): IdentitySpec {
  const spec = base();
  return { ...spec, ...extra, clusters: spec.clusters!.map(c => ({ ...c, ...patch[c.name] })) } as IdentitySpec;
}
const findings = (spec: IdentitySpec) => bindFleet(spec, 'Fleet').findings.map(f => [f.code, f.field]);
const resources = (t: any, type: string) => Object.values<any>(t.Resources ?? {}).filter(r => r.Type === type);
const federated = (role: any) => role.Properties.AssumeRolePolicyDocument.Statement.map((s: any) => s.Principal.Federated);

describe('clusters[].oidcProvider: existing providers, per cluster and per account', () => {
  test('arn: blue\'s provider is imported; crossAccountArns: eu\'s provider in account A too; the fleet creates the rest', () => {
    const spec = withClusters({
      blue: { oidcProvider: { arn: providerArn(A, 'blue') } },
      eu: { oidcProvider: { crossAccountArns: [providerArn(A, 'eu')] } },
    });
    expect(findings(spec)).toEqual([]);
    const app = new App();
    const f = new IdentityFleet(app, 'Fleet', { spec });
    const t = synth(f.stages[0]).templates;
    const account = Object.entries<any>(t).find(([k]) => k.includes('Account'))![1];
    // only green's provider is created: blue's (A) and eu's (A) exist
    expect(resources(account, 'AWS::IAM::OIDCProvider').map(r => r.Properties.Url)).toEqual([`https://${host('green')}`]);
    const [app1, reporter] = resources(account, 'AWS::IAM::Role');
    // the shared roles trust the imported ARNs literally and the created provider by reference
    expect(federated(app1)[0]).toBe(providerArn(A, 'blue'));
    expect(federated(app1)[1]).toEqual({ Ref: expect.stringMatching(/^OidcProvidergreen/) });
    expect(federated(reporter)[2]).toBe(providerArn(A, 'eu'));
    // blue's stack: no provider, and it no longer waits for one
    const blue = Object.entries<any>(t).find(([k]) => k.includes('Clusterblue'))![1];
    expect(resources(blue, 'AWS::IAM::OIDCProvider')).toEqual([]);
    // the fleet map lists the imports
    expect(f.accountStacks[0].node.id).toBe(`Account-${A}`);
  });

  test('a fleet whose every provider is imported and whose roles are all local has no account stack, no stage waits', () => {
    const spec = withClusters({
      blue: { oidcProvider: { arn: providerArn(A, 'blue') } },
      green: { oidcProvider: { arn: providerArn(A, 'green') } },
    }, { serviceAccounts: [{ name: 'x', namespace: 'n', clusters: ['blue'] }, { name: 'y', namespace: 'n', clusters: ['green'] }] });
    const app = new App();
    const f = new IdentityFleet(app, 'Fleet', { spec });
    expect(f.accountStacks).toEqual([]);
    expect(f.stages.map(s => s.node.id)).toEqual([`Env-${A}-us-west-2`, `Env-${B}-eu-west-1`]);
    expect(f.clusterStacks.map(s => s.dependencies.length)).toEqual([0, 0, 0]);
    expect(f.waves.map(w => w.length)).toEqual([2]);
    const t = synth(f.stages[0]).templates;
    const blue = Object.entries<any>(t).find(([k]) => k.includes('Clusterblue'))![1];
    expect(resources(blue, 'AWS::IAM::Role').map(federated)).toEqual([[providerArn(A, 'blue')]]);
  });

  test('oidc-provider-issuer-mismatch: an ARN of another issuer (adversarial: green\'s provider given for blue)', () => {
    expect(findings(withClusters({ blue: { oidcProvider: { arn: providerArn(A, 'green') } } })))
      .toEqual([['oidc-provider-issuer-mismatch', 'clusters[0].oidcProvider.arn']]);
    expect(findings(withClusters({ eu: { oidcProvider: { crossAccountArns: [providerArn(A, 'blue')] } } })))
      .toEqual([['oidc-provider-issuer-mismatch', 'clusters[2].oidcProvider.crossAccountArns[0]']]);
  });

  test('arn-partition and oidc-provider-arn: the ARN\'s partition is the region\'s; the ARN is one', () => {
    expect(findings(withClusters({ blue: { oidcProvider: { arn: providerArn(A, 'blue', 'aws-cn') } } })))
      .toEqual([['arn-partition', 'clusters[0].oidcProvider.arn']]);
    expect(findings(withClusters({ blue: { oidcProvider: { arn: `arn:aws:iam::${A}:role/not-a-provider` } } })))
      .toEqual([['oidc-provider-arn', 'clusters[0].oidcProvider.arn']]);
  });

  test('fleet-provider-import: arn in another account, a crossAccountArns entry in the own account, two for one account', () => {
    const one = (patch: object) => bindFleet(withClusters({ eu: { oidcProvider: patch } }), 'Fleet').findings;
    const wrong = one({ arn: providerArn(A, 'eu') });
    expect(wrong.map(f => [f.code, f.field])).toEqual([['fleet-provider-import', 'clusters[2].oidcProvider.arn']]);
    expect(wrong[0].fix).toMatch(/crossAccountArns/);
    expect(one({ crossAccountArns: [providerArn(B, 'eu')] }).map(f => f.code)).toEqual(['fleet-provider-import']);
    expect(one({ crossAccountArns: [providerArn(A, 'eu'), providerArn(A, 'eu')] }).map(f => [f.code, f.field]))
      .toEqual([['fleet-provider-import', 'clusters[2].oidcProvider.crossAccountArns[1]']]);
    // passes: the own account in arn, the other in crossAccountArns
    expect(one({ arn: providerArn(B, 'eu'), crossAccountArns: [providerArn(A, 'eu')] })).toEqual([]);
  });

  test('a top-level oidcProvider in a fleet names clusters[].oidcProvider.arn', () => {
    const f = bindFleet({ ...base(), oidcProvider: { arn: providerArn(A, 'blue') } }, 'Fleet').findings;
    expect(f.map(x => x.code)).toEqual(['fleet-key-per-cluster']);
    expect(f[0].fix).toContain('clusters[].oidcProvider.arn');
  });
});

describe('manifests.apply per cluster; rbac[].clusters', () => {
  const kubectl = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}-kubectl`;
  const applied = () => withClusters({
    blue: { kubernetesVersion: '1.31', manifests: { kubectlRoleArn: kubectl(A, 'blue') } },
    green: { kubernetesVersion: '1.31', manifests: { kubectlRoleArn: kubectl(A, 'green') } },
    eu: { kubernetesVersion: '1.31', manifests: { kubectlRoleArn: kubectl(B, 'eu'), subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] } },
  }, { manifests: { apply: true, overwrite: true } });

  test('each cluster stack applies its own objects through its own kubectl provider and role', () => {
    expect(findings(applied())).toEqual([]);
    const app = new App();
    const f = new IdentityFleet(app, 'Fleet', { spec: applied() });
    const out = [synth(f.stages[0], { tolerateWarnings: ['W3005'] }), synth(f.stages[1], { tolerateWarnings: ['W3005'] })];
    const t = Object.assign({}, ...out.map(o => o.templates));
    const clusterTemplates = Object.entries<any>(t).filter(([k]) => /Cluster(blue|green|eu)[0-9A-F]{8}$/.test(k));
    expect(clusterTemplates).toHaveLength(3);
    for (const [, tpl] of clusterTemplates) {
      expect(resources(tpl, 'Custom::AWSCDK-EKS-KubernetesResource').length).toBeGreaterThan(0);
    }
    // the kubectl role of each cluster is its own (the Lambda's execution role)
    const roles = clusterTemplates.map(([k, tpl]) => [k.replace(/^.*Cluster|[0-9A-F]{8}$/g, ''),
      [...new Set(resources(tpl, 'AWS::Lambda::Function').map(r => r.Properties.Role).filter(r => typeof r === 'string'))]]);
    expect(roles).toEqual([['blue', [kubectl(A, 'blue')]], ['green', [kubectl(A, 'green')]], ['eu', [kubectl(B, 'eu')]]]);
    // the account stack applies nothing
    const account = Object.entries<any>(t).find(([k]) => k.includes('Account'))![1];
    expect(resources(account, 'Custom::AWSCDK-EKS-KubernetesResource')).toEqual([]);
  });

  test('manifests-kubectl-role, manifests-kubernetes-version, manifests-kubectl-role-account: with the cluster\'s path', () => {
    const spec = applied();
    const clusters = spec.clusters!.map(c => (c.name === 'green' ? { ...c, kubernetesVersion: undefined, manifests: {} } : c));
    expect(findings({ ...spec, clusters })).toEqual([
      ['manifests-kubectl-role', 'clusters[1].manifests.kubectlRoleArn'],
      ['manifests-kubernetes-version', 'clusters[1].kubernetesVersion'],
    ]);
    // a spec-wide kubectl role of account A cannot run the kubectl Lambda of eu (account B)
    const wide = {
      ...spec,
      manifests: { apply: true, kubectlRoleArn: kubectl(A, 'any') },
      clusters: spec.clusters!.map(c => ({ ...c, manifests: undefined })),
    } as IdentitySpec;
    const f = bindFleet(wide, 'Fleet').findings;
    expect(f.map(x => [x.code, x.field])).toEqual([['manifests-kubectl-role-account', 'manifests.kubectlRoleArn']]);
    expect(f[0].rule).toContain('(on cluster \'eu\')');
  });

  test('fleet-key-per-cluster: spec-wide subnets and security groups belong to one cluster\'s VPC', () => {
    const spec = applied();
    expect(findings({ ...spec, manifests: { ...spec.manifests, subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] } }))
      .toEqual([['fleet-key-per-cluster', 'manifests.subnetIds'], ['fleet-key-per-cluster', 'manifests.securityGroupIds']]);
    // passes: eu's own (applied() sets them on clusters[2].manifests)
    expect(findings(spec)).toEqual([]);
  });

  test('rbac[].clusters: a binding on eu only; default every cluster; an unknown name with did-you-mean', () => {
    const spec = { ...base(), rbac: [{ group: 'viewers', clusterRole: 'view', clusters: ['eu'] }, { group: 'ops', clusterRole: 'edit' }] } as IdentitySpec;
    expect(findings(spec)).toEqual([]);
    const app = new App();
    const f = new IdentityFleet(app, 'Fleet', { spec });
    const yaml = Object.assign({}, synth(f.stages[0]).yaml, synth(f.stages[1]).yaml);
    const bindings = Object.entries(yaml).map(([k, y]) => [k.replace(/^.*Cluster|[0-9A-F]{8}$/g, ''),
      [...y.matchAll(/kind: ClusterRoleBinding\nmetadata:\n {2}name: (\S+)/g)].map(m => m[1])]);
    expect(bindings).toEqual([['blue', ['ops-edit']], ['green', ['ops-edit']], ['eu', ['viewers-view', 'ops-edit']]]);
    const bad = bindFleet({ ...spec, rbac: [{ group: 'viewers', clusterRole: 'view', clusters: ['eu1'] }] }, 'Fleet').findings;
    expect(bad.map(x => [x.code, x.field])).toEqual([['fleet-cluster-unknown', 'rbac[0].clusters[0]']]);
    expect(bad[0].fix).toMatch(/did you mean 'eu'/);
  });

  test('single spec: rbac[].clusters may only name its cluster', () => {
    const one = (c: string) => IdentitySpecFile.parse(`
cluster: { name: c1, account: "${A}", region: us-west-2 }
rbac: [{ group: g, clusterRole: view, clusters: [${c}] }]
`);
    expect(() => new WorkloadIdentityStack(new App(), 'S', { spec: one('c2') })).toThrow(/rbac\[0\]\.clusters\[0\].*did you mean 'c1'/);
    expect(() => new WorkloadIdentityStack(new App(), 'S', { spec: one('c1') })).not.toThrow();
  });
});
