/**
 * pod-identity-agent-missing, app-wide: a cluster whose add-ons use Pod Identity (from the spec,
 * from TypeScript, managed or self-managed, Karpenter's controller) gets the agent from somewhere
 * the app can see, or a declaration that it is installed otherwise. One warning per cluster.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import {
  AddonIdentity, IdentityCluster, IdentityMechanism, IdentitySpec, KarpenterIdentity, PodIdentityAgentAddon, WorkloadIdentity, WorkloadIdentityStack,
} from '../lib';
import { synth } from './util/synth';
import { checkPodIdentityAgentPresent } from '../lib/rules/app-agent';

const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const POD = IdentityMechanism.POD_IDENTITY;
const agentWarnings = (app: App) => synth(app).annotations
  .filter(a => a.level === 'warning' && a.message.includes('[pod-identity-agent-missing]'));

function tsApp(clusterName = 'prod') {
  const app = new App();
  const stack = new Stack(app, 'Ts', { env: { account: '111122223333', region: 'us-west-2' } });
  const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', { clusterName, account: '111122223333', region: 'us-west-2', oidcIssuerUrl: ISSUER });
  return { app, stack, cluster };
}

describe('TypeScript add-ons', () => {
  test('failing: AddonIdentity with Pod Identity and no agent, one warning per cluster naming the add-ons', () => {
    const { app, stack, cluster } = tsApp();
    new AddonIdentity(stack, 'Lbc', { cluster, addon: 'aws-load-balancer-controller', mechanism: POD });
    new AddonIdentity(stack, 'Dns', { cluster, addon: 'external-dns', mechanism: POD, policyScope: { hostedZoneArns: ['arn:aws:route53:::hostedzone/Z1'] } });
    const w = agentWarnings(app);
    expect(w).toHaveLength(1);
    expect(w[0].path).toBe('/Ts/Lbc');
    expect(w[0].message).toMatch(/aws-load-balancer-controller, external-dns on cluster 'prod'/);
    expect(w[0].message).toMatch(/declareExternal/);
  });

  test('failing: Karpenter\'s controller with Pod Identity', () => {
    const { app, stack, cluster } = tsApp();
    new KarpenterIdentity(stack, 'Karpenter', { cluster, mechanism: POD });
    expect(agentWarnings(app).map(w => w.path)).toEqual(['/Ts/Karpenter/Controller']);
  });

  test('passing: the agent construct, in another stack of the app', () => {
    const { app, stack, cluster } = tsApp();
    new AddonIdentity(stack, 'Lbc', { cluster, addon: 'aws-load-balancer-controller', mechanism: POD });
    const other = new Stack(app, 'Agent', { env: { account: '111122223333', region: 'us-west-2' } });
    const c2 = IdentityCluster.fromAttributes(other, 'Cluster', { clusterName: 'prod', account: '111122223333', region: 'us-west-2' });
    new PodIdentityAgentAddon(other, 'Agent', { cluster: c2 });
    expect(agentWarnings(app)).toEqual([]);
  });

  test('passing: declared external', () => {
    const { app, stack, cluster } = tsApp();
    new AddonIdentity(stack, 'Lbc', { cluster, addon: 'aws-load-balancer-controller', mechanism: POD });
    PodIdentityAgentAddon.declareExternal(stack, cluster);
    const out = synth(app);
    expect(out.annotations.filter(a => a.level === 'warning').map(a => a.message).join('\n')).not.toMatch(/pod-identity-agent-missing/);
    // nothing is created for an external agent
    expect(Object.values<any>(out.templates.Ts.Resources).map(r => r.Type)).not.toContain('AWS::EKS::Addon');
  });

  test('passing: an AWS::EKS::Addon of another library (an L1 here) for the same cluster', () => {
    const { app, stack, cluster } = tsApp();
    new AddonIdentity(stack, 'Lbc', { cluster, addon: 'aws-load-balancer-controller', mechanism: POD });
    new eks.CfnAddon(stack, 'RawAgent', { clusterName: 'prod', addonName: 'eks-pod-identity-agent' });
    expect(agentWarnings(app)).toEqual([]);
  });

  test('an agent on another cluster does not count', () => {
    const { app, stack, cluster } = tsApp();
    new AddonIdentity(stack, 'Lbc', { cluster, addon: 'aws-load-balancer-controller', mechanism: POD });
    new eks.CfnAddon(stack, 'RawAgent', { clusterName: 'staging', addonName: 'eks-pod-identity-agent' });
    const dev = IdentityCluster.fromAttributes(stack, 'Dev', { clusterName: 'dev', account: '111122223333', region: 'us-west-2' });
    new PodIdentityAgentAddon(stack, 'DevAgent', { cluster: dev });
    expect(agentWarnings(app)).toHaveLength(1);
  });

  test('IRSA add-ons and plain Pod Identity workloads are not checked (workloads: compatibility)', () => {
    const { app, stack, cluster } = tsApp();
    new AddonIdentity(stack, 'Lbc', { cluster, addon: 'aws-load-balancer-controller' });
    new WorkloadIdentity(stack, 'App', { cluster, namespace: 'a', serviceAccountName: 'b', mechanism: POD });
    expect(agentWarnings(app)).toEqual([]);
  });
});

describe('spec add-ons', () => {
  const cluster = { name: 'prod', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: ISSUER };
  const stackOf = (rest: Partial<IdentitySpec>, app = new App(), props = {}) =>
    new WorkloadIdentityStack(app, 'Spec', { spec: { cluster, ...rest } as IdentitySpec, ...props });

  test('failing: a self-managed and a managed Pod Identity add-on, no agent', () => {
    const app = new App();
    stackOf({ addons: [{ name: 'aws-load-balancer-controller', mechanism: POD }, { name: 'ebs-csi-driver', mechanism: POD, managed: {} }] }, app);
    const w = agentWarnings(app);
    expect(w).toHaveLength(1);
    expect(w[0].message).toMatch(/aws-load-balancer-controller, ebs-csi-driver on cluster 'prod'/);
    expect(w[0].message).toMatch(/podIdentityAgent: true/);
  });

  test('failing: a managed Pod Identity add-on alone (its association lives inside AWS::EKS::Addon)', () => {
    const app = new App();
    stackOf({ addons: [{ name: 'ebs-csi-driver', mechanism: POD, managed: {} }] }, app);
    expect(agentWarnings(app).map(w => w.path)).toEqual(['/Spec/ManagedAddon:aws-ebs-csi-driver']);
  });

  test('passing: podIdentityAgent: true, { external: true }, or the stack prop', () => {
    const pi = [{ name: 'aws-load-balancer-controller', mechanism: POD }];
    const cases: Array<(app: App) => unknown> = [
      app => stackOf({ addons: pi, podIdentityAgent: true as any }, app),
      app => stackOf({ addons: pi, podIdentityAgent: { external: true } }, app),
      app => stackOf({ addons: pi }, app, { podIdentityAgentAddon: {} }),
    ];
    for (const [i, make] of cases.entries()) {
      const app = new App();
      make(app);
      expect([i, agentWarnings(app)]).toEqual([i, []]);
    }
  });

  test('passing: the agent from TypeScript in another stack, for a spec stack', () => {
    const app = new App();
    stackOf({ addons: [{ name: 'aws-load-balancer-controller', mechanism: POD }] }, app);
    const { stack, cluster: c } = (() => {
      const s = new Stack(app, 'Agent', { env: { account: '111122223333', region: 'us-west-2' } });
      return { stack: s, cluster: IdentityCluster.fromAttributes(s, 'Cluster', { clusterName: 'prod', account: '111122223333', region: 'us-west-2' }) };
    })();
    new PodIdentityAgentAddon(stack, 'Agent', { cluster: c });
    expect(agentWarnings(app)).toEqual([]);
  });
});

describe('the rule, directly', () => {
  const base = {
    providers: [],
    roles: [],
    importedRoles: [],
    serviceAccounts: [],
    associations: [],
    fargateProfiles: [],
    eksManagedRoles: [],
    accessEntries: [],
    boundGroups: new Set<string>(),
    k8sObjects: [],
    stacks: [],
  };
  const addon = { path: 'A/Lbc', cluster: '1/r/prod', clusterLabel: "'prod'", clusterNames: ['prod', '${Token[TOKEN.1]}'], addon: 'aws-load-balancer-controller' };
  test('a raw agent matched by the token name of the cluster', () => {
    expect(checkPodIdentityAgentPresent({ ...base, addons: [], podIdentityAddons: [addon], agentsInTree: ['raw:${Token[TOKEN.1]}'] })).toEqual([]);
    expect(checkPodIdentityAgentPresent({ ...base, addons: [], podIdentityAddons: [addon], agentsInTree: ['raw:${Token[TOKEN.2]}'] })).toHaveLength(1);
  });
  test('nothing to check without Pod Identity add-ons', () => {
    expect(checkPodIdentityAgentPresent({ ...base, addons: [] })).toEqual([]);
  });
});
