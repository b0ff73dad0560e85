/**
 * `addons: [{ name: karpenter, ... }]`: the entry builds the KarpenterIdentity bundle (controller
 * identity, node role, access entry, instance profile, interruption queue), from a YAML spec and
 * from a TypeScript one; its keys have spec paths; the other add-ons refuse them.
 */
import { App, Stack } from 'aws-cdk-lib';
import { IdentityCluster, IdentitySpec, IdentitySpecFile, KarpenterIdentity, WorkloadIdentityStack } from '../lib';
import { expectIdentityError } from './util/expect-error';
import { resourcesOfType, synth } from './util/synth';
import { bindAddons } from '../lib/identity-spec/bind-addons';

const CLUSTER = `
cluster:
  name: prod
  account: "111122223333"
  region: us-west-2
  oidcIssuerUrl: https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE
  authenticationMode: API
`;
const parse = (addons: string) => IdentitySpecFile.parse(`${CLUSTER}addons:\n${addons}`);
const codes = (s: IdentitySpec) => bindAddons(s).findings.map(f => `${f.field} ${f.code}`);

describe('addons: name: karpenter builds the Karpenter bundle', () => {
  const spec = parse(`
  - name: external-dns
    scope: { hostedZoneArns: ["arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ"] }
  - name: karpenter
    version: v1.12
    mechanism: podIdentity
    role: { name: karpenter-controller, path: /eks/, managedPolicies: [AmazonSSMReadOnlyAccess] }
    nodeRole: { name: prod-karpenter-nodes, managedPolicies: [CloudWatchAgentServerPolicy] }
    interruptionQueue: { name: prod-interruptions }
    instanceProfile: true
`);
  const app = new App();
  const stack = new WorkloadIdentityStack(app, 'Spec', { spec, podIdentityAgentAddon: {} });
  const out = synth(app);
  const t = out.templates.Spec;

  test('the stack exposes the bundle, and cfn-lint passes', () => {
    expect(stack.addons).toHaveLength(2);
    const k = stack.addons[1].karpenter!;
    expect(k).toBeInstanceOf(KarpenterIdentity);
    expect(k.version).toBe('v1.12');
    expect(k.nodeRoleName).toBe('prod-karpenter-nodes');
    expect(k.interruptionQueueName).toBe('prod-interruptions');
    expect(stack.addons[1].identity).toBe(k.controller);
    expect(stack.addons[0].karpenter).toBeUndefined();
  });

  test('controller role (named, with its path and extra policy), node role, access entry, profile, queue and rules', () => {
    const roles = resourcesOfType(t, 'AWS::IAM::Role').map(([, r]) => r.Properties);
    const controller = roles.find(r => r.RoleName === 'karpenter-controller')!;
    expect(controller.Path).toBe('/eks/');
    expect(JSON.stringify(controller.AssumeRolePolicyDocument)).toContain('pods.eks.amazonaws.com');
    expect(JSON.stringify(controller.ManagedPolicyArns)).toContain('AmazonSSMReadOnlyAccess');
    const node = roles.find(r => r.RoleName === 'prod-karpenter-nodes')!;
    expect(node.Path).toBe('/eks/');
    const nodePolicies = JSON.stringify(node.ManagedPolicyArns);
    for (const p of ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore', 'CloudWatchAgentServerPolicy']) {
      expect(nodePolicies).toContain(p);
    }
    const entries = resourcesOfType(t, 'AWS::EKS::AccessEntry').map(([, r]) => r.Properties);
    expect(entries.map(e => e.Type)).toEqual(['EC2_LINUX']);
    expect(resourcesOfType(t, 'AWS::IAM::InstanceProfile')).toHaveLength(1);
    const queues = resourcesOfType(t, 'AWS::SQS::Queue').map(([, r]) => r.Properties.QueueName);
    expect(queues).toEqual(['prod-interruptions']);
    expect(resourcesOfType(t, 'AWS::Events::Rule').length).toBeGreaterThanOrEqual(4);
    const assoc = resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation').map(([, r]) => `${r.Properties.Namespace}/${r.Properties.ServiceAccount}`);
    expect(assoc).toEqual(['kube-system/karpenter']);
  });

  test('the controller policies are v1.12\'s, scoped to the cluster and the node role', () => {
    const docs = JSON.stringify(resourcesOfType(t, 'AWS::IAM::ManagedPolicy').map(([, r]) => r.Properties.PolicyDocument));
    expect(docs).toContain('aws:ResourceTag/kubernetes.io/cluster/prod');
    expect(docs).toContain('arc-zonal-shift:GetManagedResource'); // from v1.12
    expect(docs).toContain('arn:aws:iam::111122223333:role/eks/prod-karpenter-nodes');
    expect(docs).toContain('arn:aws:sqs:us-west-2:111122223333:prod-interruptions');
  });

  test('the same template as KarpenterIdentity from TypeScript', () => {
    const tsApp = new App();
    const s = new Stack(tsApp, 'Spec', { env: { account: '111122223333', region: 'us-west-2' } });
    const cluster = IdentityCluster.fromAttributes(s, 'Cluster', {
      clusterName: 'prod',
      account: '111122223333',
      region: 'us-west-2',
      oidcIssuerUrl: 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
    });
    new KarpenterIdentity(s, 'Addon:karpenter', { cluster, autoMode: true });
    const fromSpec = new App();
    new WorkloadIdentityStack(fromSpec, 'Spec', { spec: parse('  - { name: karpenter, autoMode: true }\n') });
    const res = (a: App) => {
      const r = synth(a).templates.Spec.Resources;
      return Object.fromEntries(Object.entries<any>(r).filter(([, v]) => v.Type !== 'AWS::IAM::OIDCProvider' && !v.Type.startsWith('Custom::')));
    };
    const spec1 = res(fromSpec);
    // Auto Mode: the node role and its access entry, no controller, queue or profile
    expect(Object.values<any>(spec1).map(r => r.Type)).toEqual(expect.arrayContaining(['AWS::IAM::Role', 'AWS::EKS::AccessEntry']));
    expect(Object.values<any>(spec1).map(r => r.Type)).not.toContain('AWS::SQS::Queue');
    expect(spec1).toEqual(res(tsApp));
  });
});

describe('spec paths for the karpenter keys', () => {
  test('a misspelt key is a schema error with its line', () => {
    expectIdentityError(() => parse('  - { name: karpenter, nodeRole: { nmae: x } }\n'), 'addons[0].nodeRole.nmae', /line 9/);
    expectIdentityError(() => parse('  - { name: karpenter, interruptionQueue: 3 }\n'), 'addons[0].interruptionQueue');
  });

  test('the construct rules read addons[i].*', () => {
    expect(codes(parse('  - { name: karpenter, version: v0.37 }\n'))).toEqual(['addons[0].version addon-version-unknown']);
    expect(codes(parse('  - { name: karpenter, autoMode: true, interruptionQueue: true }\n'))).toEqual(['addons[0].interruptionQueue karpenter-auto-mode']);
    expect(codes(parse('  - { name: karpenter, accessEntryType: EC2 }\n'))).toEqual(['addons[0].accessEntryType karpenter-access-entry-type']);
    expect(codes(parse('  - { name: karpenter, interruptionQueue: { name: q.fifo } }\n'))).toEqual(['addons[0].interruptionQueue.name karpenter-queue-name']);
    expect(codes(parse('  - { name: karpenter, nodeRole: { path: eks } }\n'))).toEqual(['addons[0].nodeRole.path iam-role-path']);
    expect(codes(parse('  - { name: karpenter, role: { path: eks } }\n'))).toEqual(['addons[0].role.path iam-role-path']);
    expect(codes(parse('  - { name: karpenter, mechanism: podIdentity }\n'))).toEqual([]);
  });

  test('keys that do not apply to karpenter', () => {
    expect(codes(parse('  - { name: karpenter, scope: { bucketArns: ["arn:aws:s3:::b"] } }\n'))).toEqual(['addons[0].scope spec-schema']);
    expect(codes(parse('  - { name: karpenter, managed: { addonName: karpenter } }\n'))).toEqual(['addons[0].managed.addonName spec-schema']);
    expect(codes(parse('  - { name: karpenter, role: { path: /a/ }, nodeRole: { path: /b/ } }\n'))).toEqual(['addons[0].nodeRole.path spec-schema']);
    expect(codes(parse('  - { name: karpenter, autoMode: true, role: { name: c } }\n'))).toEqual(['addons[0].role.name spec-schema']);
    // passing: the same path twice, and Auto Mode with a node role name
    expect(codes(parse('  - { name: karpenter, role: { path: /a/ }, nodeRole: { path: /a/ } }\n'))).toEqual([]);
    expect(codes(parse('  - { name: karpenter, autoMode: true, nodeRole: { name: auto-nodes } }\n'))).toEqual([]);
  });

  test('the karpenter keys on another add-on are errors naming the key', () => {
    const f = bindAddons(parse('  - { name: ebs-csi-driver, nodeRole: { name: x }, autoMode: true }\n')).findings;
    expect(f.map(x => `${x.field} ${x.code}`)).toEqual(['addons[0].nodeRole spec-schema', 'addons[0].autoMode spec-schema']);
    expect(f[0].rule).toMatch(/karpenter add-on only/);
    expectIdentityError(() => new WorkloadIdentityStack(new App(), 'S', { spec: parse('  - { name: velero, interruptionQueue: true }\n') }),
      'addons[0].interruptionQueue', /karpenter add-on only/);
  });

  test('a TypeScript spec gets the same shape checks as YAML', () => {
    const spec = { ...parse('  - { name: karpenter }\n'), addons: [{ name: 'karpenter', autoMode: 'yes' as any }] };
    expect(codes(spec)).toEqual(['addons[0].autoMode spec-schema']);
  });
});
