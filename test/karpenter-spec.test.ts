/**
 * The karpenter section's binder, directly: spec paths in every finding, YAML shorthands, and the
 * bound props building the same template as TypeScript.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as YAML from 'yaml';
import { IdentityCluster, IdentityMechanism, KarpenterIdentity } from '../lib';
import { synth } from './util/synth';
import { bindKarpenter } from '../lib/identity-spec/bind-karpenter';
import { buildKarpenter } from '../lib/identity-stack/build-karpenter';

const REGION = 'us-west-2';
const bind = (yaml: string, clusterName = 'prod') => bindKarpenter(YAML.parse(yaml), 'karpenter', REGION, clusterName);
const codes = (r: { findings: Array<{ code: string; field: string }> }) => r.findings.map(f => `${f.field} ${f.code}`);

describe('bindKarpenter', () => {
  test('a full section binds to props', () => {
    const r = bind(`
version: v1.12
mechanism: podIdentity
namespace: karpenter
controllerRole: { name: karpenter-controller }
nodeRole: { name: karpenter-nodes, path: /eks/, managedPolicies: [CloudWatchAgentServerPolicy, "arn:aws:iam::111122223333:policy/extra"] }
interruptionQueue: { name: prod-interruptions }
instanceProfile: true
accessEntryType: EC2_WINDOWS
`);
    expect(r.findings).toEqual([]);
    expect(r.bound!.props).toEqual({
      version: 'v1.12',
      mechanism: IdentityMechanism.POD_IDENTITY,
      namespace: 'karpenter',
      controllerRoleName: 'karpenter-controller',
      nodeRoleName: 'karpenter-nodes',
      rolePath: '/eks/',
      accessEntryType: 'EC2_WINDOWS',
      instanceProfile: true,
      interruptionQueue: true,
      interruptionQueueName: 'prod-interruptions',
    });
    expect(r.bound!.nodeRoleManagedPolicies).toEqual([{ awsManagedName: 'CloudWatchAgentServerPolicy' }, { arn: 'arn:aws:iam::111122223333:policy/extra' }]);
  });

  test('interruptionQueue: false and instanceProfile: false create nothing', () => {
    const r = bind('{ interruptionQueue: false, instanceProfile: false }');
    expect(r.findings).toEqual([]);
    expect(r.bound!.props.interruptionQueue).toBeUndefined();
    expect(r.bound!.props.instanceProfile).toBeUndefined();
  });

  test('unknown keys say what was meant, with the path', () => {
    const r = bind('{ nodeRole: { nmae: x }, interuptionQueue: true }');
    expect(codes(r)).toEqual(['karpenter.interuptionQueue spec-schema', 'karpenter.nodeRole.nmae spec-schema']);
    expect(r.findings[0].fix).toContain("did you mean 'interruptionQueue'");
    expect(r.bound).toBeUndefined();
  });

  test('wrong types', () => {
    expect(codes(bind('{ autoMode: "yes", nodeRole: { managedPolicies: x }, interruptionQueue: 3 }'))).toEqual([
      'karpenter.autoMode spec-schema', 'karpenter.interruptionQueue spec-schema', 'karpenter.nodeRole.managedPolicies spec-schema',
    ]);
    expect(codes(bindKarpenter([], 'karpenter', REGION))).toEqual(['karpenter spec-schema']);
  });

  test('the construct rules, with spec paths', () => {
    expect(codes(bind('{ version: v0.37 }'))).toEqual(['karpenter.version addon-version-unknown']);
    expect(codes(bind('{ autoMode: true, instanceProfile: { name: p } }'))).toEqual(['karpenter.instanceProfile karpenter-auto-mode']);
    expect(codes(bind('{ autoMode: true, interruptionQueue: true }'))).toEqual(['karpenter.interruptionQueue karpenter-auto-mode']);
    expect(codes(bind('{ accessEntryType: EC2 }'))).toEqual(['karpenter.accessEntryType karpenter-access-entry-type']);
    expect(codes(bind('{ interruptionQueue: true }', `c${'x'.repeat(40)}${'y'.repeat(45)}`)))
      .toEqual(['karpenter.nodeRole.name karpenter-node-role-name', 'karpenter.interruptionQueue.name karpenter-queue-name']);
    expect(codes(bind('{ interruptionQueue: { name: q.fifo } }'))).toEqual(['karpenter.interruptionQueue.name karpenter-queue-name']);
    expect(codes(bind('{ mechanism: pod-identity }'))).toEqual(['karpenter.mechanism identity-mechanism']);
    expect(codes(bind('{ namespace: Kube_System }'))).toEqual(['karpenter.namespace k8s-namespace']);
    expect(codes(bind('{ nodeRole: { path: eks } }'))).toEqual(['karpenter.nodeRole.path iam-role-path']);
    expect(codes(bind('{ nodeRole: { managedPolicies: ["arn:aws-cn:iam::111122223333:policy/x"] } }'))[0]).toMatch(/^karpenter\.nodeRole\.managedPolicies\[0\] /);
  });

  test('passing: Auto Mode alone, and defaults', () => {
    expect(bind('{ autoMode: true }').findings).toEqual([]);
    expect(bind('{}').bound!.props.nodeRoleName).toBeUndefined();
  });

  test('bound props build the same template as the TypeScript props', () => {
    const template = (make: (stack: Stack, cluster: ReturnType<typeof IdentityCluster.fromAttributes>) => void) => {
      const app = new App();
      const stack = new Stack(app, 'Test', { env: { account: '111122223333', region: REGION } });
      const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', {
        clusterName: 'prod', oidcIssuerUrl: 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
      });
      make(stack, cluster);
      return synth(app).templates.Test;
    };
    const r = bind('{ interruptionQueue: true, nodeRole: { path: /eks/ } }');
    const fromSpec = template((stack, cluster) => buildKarpenter(stack, cluster, r.bound!));
    const fromTs = template((stack, cluster) => new KarpenterIdentity(stack, 'Karpenter', { cluster, interruptionQueue: true, rolePath: '/eks/' }));
    expect(fromSpec).toEqual(fromTs);
  });
});
