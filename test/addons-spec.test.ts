/**
 * The spec's addons: and podIdentityAgent: sections: binder rules with spec paths, managed add-ons
 * (AWS::EKS::Addon holding the identity, no ServiceAccount manifest), self-managed ones (role and
 * ServiceAccount like any workload), the Pod Identity agent check.
 */
import { App } from 'aws-cdk-lib';
import { IdentitySpec, WorkloadIdentityStack } from '../lib';
import { cfnLintProblems } from './util/cfn-lint';
import { expectIdentityError } from './util/expect-error';
import { resourcesOfType, synth } from './util/synth';
import { ADDONS } from '../lib/addons/registry';
import { bindAddons } from '../lib/identity-spec/bind-addons';
import { checkAddonMechanism } from '../lib/rules/addon-spec';

const cluster = {
  name: 'my-cluster',
  account: '111122223333',
  region: 'us-west-2',
  oidcIssuerUrl: 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE',
};
const spec = (rest: Partial<IdentitySpec>): IdentitySpec => ({ cluster, ...rest } as IdentitySpec);
const codes = (s: IdentitySpec) => bindAddons(s).findings.map(f => `${f.field} ${f.code}`);

describe('binder rules', () => {
  test('unknown add-on: did-you-mean', () => {
    const f = bindAddons(spec({ addons: [{ name: 'aws-load-balancer-controler' }] })).findings;
    expect(f.map(x => x.code)).toEqual(['addon-unknown']);
    expect(f[0].field).toBe('addons[0].name');
    expect(f[0].fix).toMatch(/did you mean 'aws-load-balancer-controller'/);
    expect(codes(spec({ addons: [{ name: 'aws-load-balancer-controller' }] }))).toEqual([]);
  });
  test('unknown version lists the known ones', () => {
    const f = bindAddons(spec({ addons: [{ name: 'external-dns' }, { name: 'external-dns', version: 'v9.9.9' }] })).findings;
    expect(f.map(x => `${x.field} ${x.code}`)).toEqual(['addons[1].version addon-version-unknown']);
    expect(f[0].fix).toMatch(/v0\.22\.0/);
    expect(codes(spec({ addons: [{ name: 'external-dns', version: 'v0.17.0' }] }))).toEqual([]);
  });
  test('mechanism the add-on does not support', () => {
    // every catalogue add-on supports both today, so the refusal is shown on the rule itself
    const refused = checkAddonMechanism('addons[0].mechanism', 'some-addon', 'podIdentity', ['irsa']);
    expect(refused.map(x => `${x.field} ${x.code}`)).toEqual(['addons[0].mechanism addon-mechanism-unsupported']);
    expect(refused[0].fix).toBe('use irsa');
    expect(checkAddonMechanism('addons[0].mechanism', 'some-addon', 'irsa', ['irsa'])).toEqual([]);
    const both = ADDONS.find(a => a.mechanisms.includes('podIdentity'));
    expect(both).toBeDefined();
    expect(codes(spec({ addons: [{ name: both!.id, mechanism: 'podIdentity' as any }], podIdentityAgent: {} }))).toEqual([]);
  });
  test('managed: an add-on EKS does not offer needs addonName', () => {
    expect(codes(spec({ addons: [{ name: 'karpenter', managed: {} }] }))).toEqual(['addons[0].managed.addonName addon-not-managed']);
    expect(codes(spec({ addons: [{ name: 'ebs-csi-driver', managed: {} }] }))).toEqual([]);
  });
  test('managed.resolveConflicts', () => {
    expect(codes(spec({ addons: [{ name: 'ebs-csi-driver', managed: { resolveConflicts: 'overwrite' } }] })))
      .toEqual(['addons[0].managed.resolveConflicts addon-resolve-conflicts']);
    expect(codes(spec({ addons: [{ name: 'ebs-csi-driver', managed: { resolveConflicts: 'PRESERVE' } }] }))).toEqual([]);
  });
  test('one managed add-on of a name per cluster', () => {
    expect(codes(spec({ addons: [{ name: 'ebs-csi-driver', managed: {} }, { name: 'ebs-csi-driver', managed: {} }] })))
      .toEqual(['addons[1].managed.addonName addon-managed-duplicate']);
  });
  test('pod identity agent: not the binder\'s to check (the app-wide rule sees TypeScript and other stacks too: addons-agent.test.ts)', () => {
    const pi = [{ name: 'ebs-csi-driver', mechanism: 'podIdentity' as any }];
    expect(bindAddons(spec({ addons: pi })).findings).toEqual([]);
    expect(bindAddons(spec({ addons: pi, podIdentityAgent: { external: true } })).agent).toEqual({ addonVersion: undefined, external: true });
    expect(bindAddons(spec({ addons: pi, podIdentityAgent: true as any })).agent).toEqual({ external: false });
  });
});

describe('managed add-ons', () => {
  test('irsa: ServiceAccountRoleArn, no ServiceAccount manifest, no association', () => {
    const app = new App();
    new WorkloadIdentityStack(app, 'S', { spec: spec({ addons: [{ name: 'ebs-csi-driver', managed: { addonVersion: 'v1.40.0-eksbuild.1', configurationValues: { controller: { replicaCount: 1 } }, resolveConflicts: 'OVERWRITE' } }] }) });
    const s = synth(app);
    const t = s.templates.S;
    const addons = resourcesOfType(t, 'AWS::EKS::Addon');
    expect(addons).toHaveLength(1);
    const p = addons[0][1].Properties;
    expect(p.AddonName).toBe('aws-ebs-csi-driver');
    expect(p.AddonVersion).toBe('v1.40.0-eksbuild.1');
    expect(p.ConfigurationValues).toBe('{"controller":{"replicaCount":1}}');
    expect(p.ResolveConflicts).toBe('OVERWRITE');
    expect(p.ServiceAccountRoleArn).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    expect(p.PodIdentityAssociations).toBeUndefined();
    expect(resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation')).toHaveLength(0);
    expect((s.manifests.S ?? []).filter((o: any) => o.kind === 'ServiceAccount')).toHaveLength(0);
    expect(cfnLintProblems(s.templates)).toEqual([]);
  });
  test('podIdentity: PodIdentityAssociations inside the add-on', () => {
    const app = new App();
    new WorkloadIdentityStack(app, 'S', { spec: spec({ podIdentityAgent: true as any, addons: [{ name: 'ebs-csi-driver', mechanism: 'podIdentity' as any, managed: {} }] }) });
    const s = synth(app);
    const t = s.templates.S;
    const addons = resourcesOfType(t, 'AWS::EKS::Addon').map(([, r]) => r.Properties);
    expect(addons.map(a => a.AddonName).sort()).toEqual(['aws-ebs-csi-driver', 'eks-pod-identity-agent']);
    const ebs = addons.find(a => a.AddonName === 'aws-ebs-csi-driver');
    expect(ebs.PodIdentityAssociations).toEqual([{ ServiceAccount: 'ebs-csi-controller-sa', RoleArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } }]);
    expect(ebs.ServiceAccountRoleArn).toBeUndefined();
    expect(resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation')).toHaveLength(0);
    expect(cfnLintProblems(s.templates)).toEqual([]);
  });
  test('two stacks with the same managed add-on on one cluster: an error', () => {
    const app = new App();
    new WorkloadIdentityStack(app, 'A', { spec: spec({ addons: [{ name: 'ebs-csi-driver', managed: {} }] }) });
    new WorkloadIdentityStack(app, 'B', { spec: spec({ addons: [{ name: 'ebs-csi-driver', managed: {} }] }) });
    expect(() => synth(app)).toThrow(/aws-ebs-csi-driver/);
  });
});

describe('self-managed add-ons', () => {
  test('irsa: the role and the annotated ServiceAccount', () => {
    const app = new App();
    new WorkloadIdentityStack(app, 'S', { spec: spec({ addons: [{ name: 'aws-load-balancer-controller' }] }) });
    const s = synth(app);
    const sas = s.manifests.S.filter((o: any) => o.kind === 'ServiceAccount');
    expect(sas.map((o: any) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual(['kube-system/aws-load-balancer-controller']);
    expect(sas[0].metadata.annotations['eks.amazonaws.com/role-arn']).toBeDefined();
    expect(resourcesOfType(s.templates.S, 'AWS::EKS::Addon')).toHaveLength(0);
    expect(cfnLintProblems(s.templates)).toEqual([]);
  });
  test('a binder error names the spec path', () => {
    expectIdentityError(() => new WorkloadIdentityStack(new App(), 'S', { spec: spec({ addons: [{ name: 'external-dns', version: 'v0.1' }] }) }), 'addons[0].version');
  });
});

describe('two entries of one add-on', () => {
  test('failing: the same service account twice', () => {
    expect(codes(spec({ addons: [{ name: 'external-dns' }, { name: 'external-dns' }] }))).toEqual(['addons[1].name addon-duplicate']);
    expect(codes(spec({ addons: [{ name: 'external-dns', namespace: 'dns' }, { name: 'external-dns', namespace: 'dns', serviceAccountName: 'external-dns' }] })))
      .toEqual(['addons[1].name addon-duplicate']);
    // an entry already in error is reported for that error only
    expect(codes(spec({ addons: [{ name: 'external-dns' }, { name: 'external-dns', version: 'v9.9.9' }] }))).toEqual(['addons[1].version addon-version-unknown']);
  });
  test('passing: two instances in their own namespaces, the first keeps its construct id', () => {
    const app = new App();
    const s = new WorkloadIdentityStack(app, 'S', {
      spec: spec({
        addons: [
          { name: 'external-dns', scope: { hostedZoneArns: ['arn:aws:route53:::hostedzone/Z1'] } },
          { name: 'external-dns', namespace: 'dns-private', scope: { hostedZoneArns: ['arn:aws:route53:::hostedzone/Z2'] } },
        ],
      }),
    });
    expect(s.addons.map(a => a.identity!.node.id)).toEqual(['Addon:external-dns', 'Addon:external-dns:dns-private:external-dns']);
    const out = synth(app);
    expect(out.manifests.S.filter((o: any) => o.kind === 'ServiceAccount').map((o: any) => `${o.metadata.namespace}/${o.metadata.name}`))
      .toEqual(['external-dns/external-dns', 'dns-private/external-dns']);
  });
});
