import { App, Stack } from 'aws-cdk-lib';
import { IdentityCluster, IdentityMechanism } from '../lib';
import { expectIdentityError } from './util/expect-error';
import { resourcesOfType, synth } from './util/synth';
import { AddonIdentity, AddonPolicies } from '../lib/addons/addon-identity';

const ENV = { account: '111122223333', region: 'us-west-2' };
const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
/** The issuer EKS gives a cluster of `region` (its region and partition's DNS suffix). */
const issuerIn = (region: string) => `https://oidc.eks.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/id/EXAMPLED539D4633E53DE1B71EXAMPLE`;

function setup(env = ENV) {
  const app = new App();
  const stack = new Stack(app, 'Test', { env });
  const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', { clusterName: 'prod', oidcIssuerUrl: env.region !== undefined ? issuerIn(env.region) : ISSUER });
  return { app, stack, cluster };
}

describe('AddonIdentity', () => {
  test('IRSA role for the catalogue service account, with the controller policy as one managed policy', () => {
    const { app, stack, cluster } = setup();
    const lbc = new AddonIdentity(stack, 'Lbc', { cluster, addon: 'aws-load-balancer-controller', version: 'v2.13.4' });
    expect(lbc.version).toBe('v2.13.4');
    expect(lbc.workload.namespace).toBe('kube-system');
    expect(lbc.workload.serviceAccountName).toBe('aws-load-balancer-controller');
    const t = synth(app).templates.Test;
    const policies = resourcesOfType(t, 'AWS::IAM::ManagedPolicy');
    expect(policies).toHaveLength(1);
    const doc = policies[0][1].Properties.PolicyDocument;
    expect(JSON.stringify(doc)).toContain('ec2:DescribeRouteTables');
    expect(JSON.stringify(doc)).toContain('arn:aws:elasticloadbalancing:*:*:targetgroup/*/*');
    const [[, role]] = resourcesOfType(t, 'AWS::IAM::Role');
    expect(role.Properties.ManagedPolicyArns).toEqual([{ Ref: policies[0][0] }]);
  });

  test('a policy larger than a managed policy is split into several', () => {
    const { app, stack, cluster } = setup();
    new AddonIdentity(stack, 'Lbc', {
      cluster,
      addon: 'aws-load-balancer-controller',
      mechanism: IdentityMechanism.POD_IDENTITY,
      documents: ['controller', 'aga', 'acm-certs', 'v1-migration'],
    });
    const t = synth(app).templates.Test;
    const policies = resourcesOfType(t, 'AWS::IAM::ManagedPolicy');
    expect(policies).toHaveLength(2);
    for (const [, p] of policies) expect(JSON.stringify(p.Properties.PolicyDocument).length).toBeLessThanOrEqual(6144);
    expect(resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation')).toHaveLength(1);
  });

  test('the partition follows the cluster region', () => {
    const { app, stack, cluster } = setup({ account: '111122223333', region: 'cn-north-1' });
    new AddonIdentity(stack, 'Ebs', { cluster, addon: 'ebs-csi-driver', policyScope: { kmsKeyArns: ['arn:aws-cn:kms:cn-north-1:111122223333:key/abc'] } });
    const t = synth(app).templates.Test;
    const text = JSON.stringify(resourcesOfType(t, 'AWS::IAM::ManagedPolicy')[0][1].Properties.PolicyDocument);
    expect(text).toContain('arn:aws-cn:ec2:*:*:volume/*');
    expect(text).toContain('kms:CreateGrant');
  });

  test('managed-policy-only add-ons get the AWS managed policies', () => {
    const { app, stack, cluster } = setup();
    new AddonIdentity(stack, 'Cw', { cluster, addon: 'amazon-cloudwatch-observability', mechanism: IdentityMechanism.POD_IDENTITY });
    const t = synth(app).templates.Test;
    expect(resourcesOfType(t, 'AWS::IAM::ManagedPolicy')).toHaveLength(0);
    const [[, role]] = resourcesOfType(t, 'AWS::IAM::Role');
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toContain(':iam::aws:policy/CloudWatchAgentServerPolicy');
  });

  test('a scope left open is a warning on the construct', () => {
    const { stack, cluster } = setup();
    const dns = new AddonIdentity(stack, 'Dns', { cluster, addon: 'external-dns' });
    const msgs = dns.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data));
    expect(msgs).toEqual([expect.stringMatching(/^scope\.hostedZoneArns: .*every hosted zone.*addon-scope-open/)]);
    const narrowed = new AddonIdentity(stack, 'Dns2', { cluster, addon: 'external-dns', serviceAccountName: 'dns2', policyScope: { hostedZoneArns: ['arn:aws:route53:::hostedzone/Z1'] } });
    expect(narrowed.node.metadata.filter(m => m.type === 'aws:cdk:warning')).toEqual([]);
  });

  test('an unknown version is an IdentityValidationError listing the known ones', () => {
    const { stack, cluster } = setup();
    const e = expectIdentityError(() => new AddonIdentity(stack, 'Dns', { cluster, addon: 'external-dns', version: 'v0.1.0' }), 'version', /v0\.17\.0, v0\.18\.0/);
    expect(e.code).toBe('addon-version-unknown');
  });

  test('AddonPolicies.document returns an iam.PolicyDocument', () => {
    const doc = AddonPolicies.document('aws', { addon: 'cluster-autoscaler', version: 'v1.30.7' });
    expect(JSON.stringify(doc.toJSON())).toContain('autoscaling:DescribeTags');
    expect(AddonPolicies.addons()).toContain('karpenter');
  });
});
