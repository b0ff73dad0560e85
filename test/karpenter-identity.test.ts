/**
 * KarpenterIdentity: the resources of Karpenter's getting-started CloudFormation template (node
 * role, controller policies, interruption queue and rules), with the project's own identity,
 * checked by cfn-lint, against upstream's files in the shared corpus, and under cdk-nag.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccessEntryType, IdentityCluster, IdentityMechanism, KarpenterIdentity } from '../lib';
import { expectIdentityError } from './util/expect-error';
import { resourcesOfType, synth } from './util/synth';

const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
/** The issuer EKS gives a cluster of `region` (its region and partition's DNS suffix). */
const issuerIn = (region: string) => `https://oidc.eks.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;
const UPSTREAM = path.join(__dirname, '..', '..', 'shared', 'addon-policies', 'karpenter');
// the comparison with upstream's file runs where the reference corpus is checked out beside the project (CI)
const withUpstream = fs.existsSync(UPSTREAM) ? test : test.skip;

function setup(region = 'us-west-2', clusterName = 'prod') {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '111122223333', region } });
  const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', { clusterName, oidcIssuerUrl: issuerIn(region) });
  return { app, stack, cluster };
}

const types = (t: any) => Object.values<any>(t.Resources).map(r => r.Type).sort();
const text = (x: unknown) => JSON.stringify(x);

describe('KarpenterIdentity', () => {
  test('default: exactly the node role, its EC2_LINUX entry, the IRSA controller role and its policy', () => {
    const { app, stack, cluster } = setup();
    const k = new KarpenterIdentity(stack, 'Karpenter', { cluster });
    const t = synth(app).templates.Test;
    expect(types(t)).toEqual(['AWS::EKS::AccessEntry', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::OIDCProvider', 'AWS::IAM::Role', 'AWS::IAM::Role'].sort());
    expect(k.version).toBe('v1.14');
    expect(k.nodeRoleName).toBe('KarpenterNodeRole-prod');
    const node = resourcesOfType(t, 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === 'KarpenterNodeRole-prod')![1];
    expect(node.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } },
    ]);
    expect(text(node.Properties.ManagedPolicyArns).match(/policy\/[\w-]+/g)).toEqual([
      'policy/AmazonEKS_CNI_Policy', 'policy/AmazonEKSWorkerNodePolicy', 'policy/AmazonEC2ContainerRegistryPullOnly', 'policy/AmazonSSMManagedInstanceCore',
    ]);
    const [[, entry]] = resourcesOfType(t, 'AWS::EKS::AccessEntry');
    expect(entry.Properties.Type).toBe('EC2_LINUX');
    expect(entry.Properties.AccessPolicies).toBeUndefined();
    // the controller passes exactly this node role, and the interruption statement is left out
    const policy = resourcesOfType(t, 'AWS::IAM::ManagedPolicy')[0][1].Properties.PolicyDocument;
    const pass = policy.Statement.find((s: any) => s.Sid === 'AllowPassingInstanceRole');
    expect(pass.Resource).toBe('arn:aws:iam::111122223333:role/KarpenterNodeRole-prod');
    expect(text(policy)).not.toContain('sqs:');
    expect(text(policy)).toContain('"aws:RequestTag/kubernetes.io/cluster/prod":"owned"');
    const controller = resourcesOfType(t, 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === 'prod-kube-system-karpenter')![1];
    expect(text(controller.Properties.AssumeRolePolicyDocument)).toContain('system:serviceaccount:kube-system:karpenter');
  });

  withUpstream('the controller policy is upstream\'s for the version, with the cluster\'s values in its placeholders', () => {
    const { app, stack, cluster } = setup();
    new KarpenterIdentity(stack, 'Karpenter', { cluster, version: 'v1.0', interruptionQueue: true });
    const t = synth(app).templates.Test;
    const [[, mp]] = resourcesOfType(t, 'AWS::IAM::ManagedPolicy');
    const upstream = fs.readFileSync(path.join(UPSTREAM, 'v1.0', 'KarpenterControllerPolicy.json'), 'utf8')
      .replace(/\$\{AWS::Partition\}/g, 'aws').replace(/\$\{AWS::Region\}/g, 'us-west-2').replace(/\$\{AWS::AccountId\}/g, '111122223333')
      .replace(/\$\{ClusterName\}/g, 'prod')
      .replace(/\$\{KarpenterNodeRole\.Arn\}/g, 'arn:aws:iam::111122223333:role/KarpenterNodeRole-prod')
      .replace(/\$\{KarpenterInterruptionQueue\.Arn\}/g, 'arn:aws:sqs:us-west-2:111122223333:prod');
    const norm = (doc: any) => doc.Statement.map((s: any) => JSON.stringify({
      sid: s.Sid, a: [].concat(s.Action).sort(), r: [].concat(s.Resource).sort(), c: s.Condition ?? null,
    })).sort();
    expect(norm(mp.Properties.PolicyDocument)).toEqual(norm(JSON.parse(upstream)));
  });

  test('interruption queue: SSE, 300 s, send from EventBridge and SQS, TLS only, four rules (v1.0) or five (v1.12+)', () => {
    const { app, stack, cluster } = setup();
    const k = new KarpenterIdentity(stack, 'Karpenter', { cluster, interruptionQueue: true });
    new KarpenterIdentity(stack, 'Old', {
      cluster, version: 'v1.0', interruptionQueue: true, interruptionQueueName: 'prod-old', nodeRoleName: 'KarpenterNodeRole-old', controllerRoleName: 'old-karpenter', serviceAccountName: 'karpenter-old', accessEntry: false,
    });
    expect(k.interruptionQueueName).toBe('prod');
    const t = synth(app).templates.Test;
    const queues = resourcesOfType(t, 'AWS::SQS::Queue').map(([, q]) => q.Properties);
    expect(queues).toEqual([
      { QueueName: 'prod', MessageRetentionPeriod: 300, SqsManagedSseEnabled: true },
      { QueueName: 'prod-old', MessageRetentionPeriod: 300, SqsManagedSseEnabled: true },
    ]);
    const [[queueId], [oldQueueId]] = resourcesOfType(t, 'AWS::SQS::Queue');
    const [, qp] = resourcesOfType(t, 'AWS::SQS::QueuePolicy').find(([, p]) => p.Properties.Queues[0].Ref === queueId)!;
    const st = qp.Properties.PolicyDocument.Statement;
    expect(st).toContainEqual({
      Action: 'sqs:SendMessage', Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] }, Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
    });
    expect(st).toContainEqual({
      Action: 'sqs:*', Effect: 'Deny', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
    });
    const rulesOf = (id: string) => resourcesOfType(t, 'AWS::Events::Rule').filter(([, r]) => r.Properties.Targets[0].Arn['Fn::GetAtt'][0] === id)
      .map(([, r]) => `${r.Properties.EventPattern.source[0]} / ${r.Properties.EventPattern['detail-type'][0]}`);
    expect(rulesOf(queueId)).toEqual([
      'aws.health / AWS Health Event', 'aws.ec2 / EC2 Spot Instance Interruption Warning', 'aws.ec2 / EC2 Instance Rebalance Recommendation',
      'aws.ec2 / EC2 Instance State-change Notification', 'aws.ec2 / EC2 Capacity Reservation Instance Interruption Warning',
    ]);
    expect(rulesOf(oldQueueId)).toHaveLength(4);
    for (const [, r] of resourcesOfType(t, 'AWS::Events::Rule')) expect(r.Properties.Targets[0].Id).toBe('KarpenterInterruptionQueueTarget');
    // the controller reads its own queue: the interruption policy names it
    const interruption = resourcesOfType(t, 'AWS::IAM::ManagedPolicy').map(([, p]) => p.Properties.PolicyDocument.Statement)
      .flat().filter((s: any) => s.Sid === 'AllowInterruptionQueueActions').map((s: any) => s.Resource);
    expect(interruption.sort()).toEqual(['arn:aws:sqs:us-west-2:111122223333:prod', 'arn:aws:sqs:us-west-2:111122223333:prod-old']);
  });

  test.each([
    ['cn-north-1', 'aws-cn', 'ec2.amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'ec2.amazonaws.com'],
  ])('partition of %s: %s ARNs, EC2 principal %s', (region, partition, principal) => {
    const { app, stack, cluster } = setup(region);
    new KarpenterIdentity(stack, 'Karpenter', { cluster, interruptionQueue: true, mechanism: IdentityMechanism.POD_IDENTITY });
    const t = synth(app).templates.Test;
    const node = resourcesOfType(t, 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === 'KarpenterNodeRole-prod')![1];
    expect(node.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: principal });
    const policies = text(resourcesOfType(t, 'AWS::IAM::ManagedPolicy').map(([, p]) => p.Properties.PolicyDocument));
    expect(policies).toContain(`arn:${partition}:iam::111122223333:role/KarpenterNodeRole-prod`);
    expect(policies).toContain(`arn:${partition}:sqs:${region}:111122223333:prod`);
    expect(policies).toContain(`arn:${partition}:eks:${region}:111122223333:cluster/prod`);
    expect(policies).not.toMatch(/arn:aws:/);
    expect(resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation')).toHaveLength(1);
  });

  test('Pod Identity: an association for kube-system/karpenter, no OIDC provider', () => {
    const { app, stack, cluster } = setup();
    new KarpenterIdentity(stack, 'Karpenter', { cluster, mechanism: IdentityMechanism.POD_IDENTITY, namespace: 'karpenter' });
    const t = synth(app).templates.Test;
    expect(resourcesOfType(t, 'AWS::IAM::OIDCProvider')).toHaveLength(0);
    const [[, a]] = resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation');
    expect(a.Properties).toMatchObject({ Namespace: 'karpenter', ServiceAccount: 'karpenter', ClusterName: 'prod' });
  });

  test('instance profile on request, for the node role, and EC2_WINDOWS entries', () => {
    const { app, stack, cluster } = setup();
    const k = new KarpenterIdentity(stack, 'Karpenter', {
      cluster,
      instanceProfile: true,
      instanceProfileName: 'KarpenterNodeInstanceProfile-prod',
      accessEntryType: AccessEntryType.EC2_WINDOWS,
      nodeRoleManagedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy')],
    });
    expect(k.instanceProfile).toBeDefined();
    const t = synth(app).templates.Test;
    const [[, ip]] = resourcesOfType(t, 'AWS::IAM::InstanceProfile');
    const [nodeId] = resourcesOfType(t, 'AWS::IAM::Role').find(([, r]) => r.Properties.RoleName === 'KarpenterNodeRole-prod')!;
    expect(ip.Properties).toEqual({ InstanceProfileName: 'KarpenterNodeInstanceProfile-prod', Roles: [{ Ref: nodeId }] });
    expect(resourcesOfType(t, 'AWS::EKS::AccessEntry')[0][1].Properties.Type).toBe('EC2_WINDOWS');
    expect(text(t)).toContain('policy/CloudWatchAgentServerPolicy');
  });

  test('EKS Auto Mode: the NodeClass role with its policies, an EC2 entry with AmazonEKSAutoNodePolicy, nothing else', () => {
    const { app, stack, cluster } = setup();
    const k = new KarpenterIdentity(stack, 'Auto', { cluster, autoMode: true, nodeRoleName: 'AmazonEKSAutoNodeRole-prod' });
    expect(k.controller).toBeUndefined();
    const t = synth(app).templates.Test;
    expect(types(t)).toEqual(['AWS::EKS::AccessEntry', 'AWS::IAM::Role']);
    const [[, role]] = resourcesOfType(t, 'AWS::IAM::Role');
    expect(text(role.Properties.ManagedPolicyArns).match(/policy\/[\w-]+/g)).toEqual(['policy/AmazonEKSWorkerNodeMinimalPolicy', 'policy/AmazonEC2ContainerRegistryPullOnly']);
    const [[, entry]] = resourcesOfType(t, 'AWS::EKS::AccessEntry');
    expect(entry.Properties.Type).toBe('EC2');
    expect(entry.Properties.AccessPolicies).toEqual([{
      PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy', AccessScope: { Type: 'cluster' },
    }]);
  });

  test('cdk-nag: the bundle raises nothing (acknowledged with reasons, per finding)', () => {
    const { app, stack, cluster } = setup();
    new KarpenterIdentity(stack, 'Karpenter', { cluster, interruptionQueue: true, instanceProfile: true });
    new KarpenterIdentity(stack, 'Auto', { cluster, autoMode: true, nodeRoleName: 'AutoNodes' });
    expect(new AwsSolutionsChecks().validateScope(app).violations.map(v => v.ruleName)).toEqual([]);
  });

  test('cdk-nag: a wildcard the user adds is still flagged', () => {
    const { app, stack, cluster } = setup();
    const k = new KarpenterIdentity(stack, 'Karpenter', { cluster });
    k.nodeRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::logs/*'] }));
    expect(new AwsSolutionsChecks().validateScope(app).violations.map(v => v.ruleName)).toEqual(['AwsSolutions-IAM5[Resource::arn:aws:s3:::logs/*]']);
  });
});

describe('KarpenterIdentity rules', () => {
  test('karpenter-queue-name: the default (the cluster name) longer than 80 characters', () => {
    const long = `c${'x'.repeat(84)}`;
    const { stack, cluster } = setup('us-west-2', long);
    const e = expectIdentityError(() => new KarpenterIdentity(stack, 'K', { cluster, interruptionQueue: true, nodeRoleName: 'nodes' }), 'interruptionQueueName', /at most 80/);
    expect(e.code).toBe('karpenter-queue-name');
    // passing: a name of its own
    expect(() => new KarpenterIdentity(stack, 'K2', { cluster, interruptionQueue: true, interruptionQueueName: 'karpenter-q', nodeRoleName: 'nodes2', controllerRoleName: 'ctl' })).not.toThrow();
  });

  test('karpenter-queue-name: a FIFO name is refused; no queue, no check', () => {
    const { stack, cluster } = setup();
    expectIdentityError(() => new KarpenterIdentity(stack, 'K', { cluster, interruptionQueue: true, interruptionQueueName: 'prod.fifo' }), 'interruptionQueueName', /no \.fifo/);
    expect(() => new KarpenterIdentity(stack, 'K2', { cluster, interruptionQueueName: 'prod.fifo', nodeRoleName: 'n2', controllerRoleName: 'c2' })).not.toThrow();
  });

  test('karpenter-node-role-name: KarpenterNodeRole-<cluster> over 64 characters says to set the name', () => {
    const { stack, cluster } = setup('us-west-2', `c${'x'.repeat(50)}`);
    const e = expectIdentityError(() => new KarpenterIdentity(stack, 'K', { cluster }), 'nodeRoleName', /default is KarpenterNodeRole-<cluster>/);
    expect(e.code).toBe('karpenter-node-role-name');
    expect(() => new KarpenterIdentity(stack, 'K2', { cluster, nodeRoleName: 'karpenter-nodes', controllerRoleName: 'ctl' })).not.toThrow();
  });

  test('addon-version-unknown: an unknown version lists the known ones', () => {
    const { stack, cluster } = setup();
    const e = expectIdentityError(() => new KarpenterIdentity(stack, 'K', { cluster, version: 'v0.37' }), 'version', /v1\.0, v1\.9, .*v1\.14/);
    expect(e.code).toBe('addon-version-unknown');
    expect(new KarpenterIdentity(stack, 'K2', { cluster, version: 'v1.11' }).version).toBe('v1.11');
  });

  test('karpenter-auto-mode: an instance profile or a queue with Auto Mode is refused', () => {
    const { stack, cluster } = setup();
    expect(expectIdentityError(() => new KarpenterIdentity(stack, 'K', { cluster, autoMode: true, instanceProfile: true }), 'instanceProfile').code).toBe('karpenter-auto-mode');
    expectIdentityError(() => new KarpenterIdentity(stack, 'K1', { cluster, autoMode: true, interruptionQueue: true }), 'interruptionQueue', /handles spot interruptions/i);
    expectIdentityError(() => new KarpenterIdentity(stack, 'K2', { cluster, autoMode: true, version: 'v1.14' }), 'version');
    expect(() => new KarpenterIdentity(stack, 'K3', { cluster, autoMode: true })).not.toThrow();
  });

  test('karpenter-access-entry-type: EC2 without Auto Mode, STANDARD, or EC2_LINUX with Auto Mode', () => {
    const { stack, cluster } = setup();
    expect(expectIdentityError(() => new KarpenterIdentity(stack, 'K', { cluster, accessEntryType: AccessEntryType.EC2 }), 'accessEntryType', /set autoMode/).code)
      .toBe('karpenter-access-entry-type');
    expectIdentityError(() => new KarpenterIdentity(stack, 'K1', { cluster, accessEntryType: AccessEntryType.STANDARD }), 'accessEntryType');
    expectIdentityError(() => new KarpenterIdentity(stack, 'K2', { cluster, autoMode: true, accessEntryType: AccessEntryType.EC2_LINUX }), 'accessEntryType');
    expect(() => new KarpenterIdentity(stack, 'K3', { cluster, accessEntryType: AccessEntryType.EC2_LINUX })).not.toThrow();
  });

  test('karpenter-instance-profile-name: 1-128 IAM name characters', () => {
    const { stack, cluster } = setup();
    expect(expectIdentityError(() => new KarpenterIdentity(stack, 'K', { cluster, instanceProfile: true, instanceProfileName: 'has space' }), 'instanceProfileName').code)
      .toBe('karpenter-instance-profile-name');
    expect(() => new KarpenterIdentity(stack, 'K2', { cluster, instanceProfile: true, instanceProfileName: 'p'.repeat(128) })).not.toThrow();
  });

  test('karpenter-cluster-name: the policies need the cluster name at synth', () => {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: '111122223333', region: 'us-west-2' } });
    const tokenName = IdentityCluster.fromAttributes(stack, 'C', { clusterName: Lazy.string({ produce: () => 'late' }), oidcIssuerUrl: ISSUER });
    expect(expectIdentityError(() => new KarpenterIdentity(stack, 'K', { cluster: tokenName }), 'cluster.clusterName').code).toBe('karpenter-cluster-name');
  });
});
