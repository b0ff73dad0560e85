import { addonPolicy, documentsAt, findAddon, managedPolicyArn, planAddonPolicy } from '../lib/addons/policy';
import { ADDONS } from '../lib/addons/registry';
import { compareVersions } from '../lib/addons/types';
import { IdentityValidationError } from '../lib/errors';
import { RULE_CATALOG } from '../lib/rules/catalog';

const codes = (fs: Array<{ code: string }>) => fs.map(f => f.code);
const actions = (p: { statements: Array<{ Action: string[] }> }) => p.statements.flatMap(s => s.Action);

function thrown(f: () => unknown): IdentityValidationError {
  try {
    f();
  } catch (e) {
    if (IdentityValidationError.isIdentityValidationError(e)) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('add-on catalogue', () => {
  test('every add-on has its identity, at least one version, and defaults that exist', () => {
    for (const a of ADDONS) {
      expect(a.defaultNamespace).toMatch(/^[a-z0-9-]+$/);
      expect(a.defaultServiceAccount).toMatch(/^[a-z0-9-]+$/);
      expect(a.mechanisms.length).toBeGreaterThan(0);
      expect(a.versions.length).toBeGreaterThan(0);
      expect([...a.versions].sort(compareVersions)).toEqual(a.versions);
      const names = a.documents.map(d => d.name);
      for (const d of a.defaultDocuments) expect(names).toContain(d);
      expect(a.documents.length + (a.managedPolicies ?? []).length).toBeGreaterThan(0);
    }
  });

  test('the managed-policy-only add-ons', () => {
    expect(findAddon('adot')!.managedPolicies).toEqual(['AmazonPrometheusRemoteWriteAccess', 'CloudWatchAgentServerPolicy', 'AWSXrayWriteOnlyAccess']);
    const cw = addonPolicy('amazon-cloudwatch-observability', undefined, 'aws-cn');
    expect(cw.statements).toEqual([]);
    expect(cw.managedPolicyArns).toEqual(['arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy', 'arn:aws-cn:iam::aws:policy/AWSXrayWriteOnlyAccess']);
    expect(managedPolicyArn('aws', 'AmazonEBSCSIDriverPolicyV2')).toBe('arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicyV2');
  });

  test('documents come and go with versions', () => {
    const lbc = findAddon('aws-load-balancer-controller')!;
    expect(documentsAt(lbc, 'v2.17.0').map(d => d.name)).toEqual(['controller', 'v1-migration']);
    expect(documentsAt(lbc, 'v3.5.0').map(d => d.name)).toEqual(['controller', 'aga', 'acm-certs', 'v1-migration']);
    const karpenter = findAddon('karpenter')!;
    expect(documentsAt(karpenter, 'v1.0').map(d => d.name)).toEqual(['controller']);
    expect(documentsAt(karpenter, 'v1.14').map(d => d.name)).not.toContain('controller');
  });
});

describe('addonPolicy', () => {
  test('the newest version by default, and the version decides the actions', () => {
    expect(addonPolicy('aws-load-balancer-controller', undefined, 'aws').version).toBe('v3.5.0');
    expect(actions(addonPolicy('aws-load-balancer-controller', 'v2.13.4', 'aws'))).toContain('ec2:DescribeRouteTables');
    expect(actions(addonPolicy('aws-load-balancer-controller', 'v2.12.0', 'aws'))).not.toContain('ec2:DescribeRouteTables');
  });

  test('the partition decides the ARNs and, for the load balancer controller, the actions', () => {
    const gov = addonPolicy('aws-load-balancer-controller', 'v3.5.0', 'aws-us-gov');
    expect(gov.documents[0].upstreamFile).toBe('iam_policy_us-gov.json');
    expect(gov.statements.flatMap(s => s.Resource).filter(r => r.startsWith('arn:')).every(r => r.startsWith('arn:aws-us-gov:'))).toBe(true);
    expect(actions(addonPolicy('aws-load-balancer-controller', 'v3.5.0', 'aws-iso'))).not.toContain('elasticloadbalancing:DescribeTrustStores');
    expect(addonPolicy('ebs-csi-driver', undefined, 'aws-cn').statements[1].Resource).toEqual(['arn:aws-cn:ec2:*:*:volume/*']);
  });

  test('an unknown add-on is an error listing the known ones', () => {
    const e = thrown(() => addonPolicy('aws-lb-controller', undefined, 'aws'));
    expect(e.code).toBe('addon-unknown');
    expect(e.message).toContain("addon: 'aws-lb-controller' is not an add-on of the catalogue");
    expect(e.message).toContain('aws-load-balancer-controller, ebs-csi-driver');
  });

  test('an unknown version is an error listing the known ones', () => {
    const e = thrown(() => addonPolicy('external-dns', 'v0.15.0', 'aws'));
    expect(e.code).toBe('addon-version-unknown');
    expect(e.message).toContain('v0.17.0, v0.18.0, v0.19.0, v0.20.0, v0.21.0, v0.22.0');
  });

  test('a document the version does not publish is an error', () => {
    const e = thrown(() => addonPolicy('aws-load-balancer-controller', 'v2.14.1', 'aws', {}, { documents: ['aga'] }));
    expect(e.code).toBe('addon-document-unknown');
    expect(e.message).toContain('use one of: controller, v1-migration');
  });

  test('an unknown partition is an error; a partition upstream has no file for is a warning', () => {
    expect(thrown(() => addonPolicy('external-dns', undefined, 'aws-mars')).code).toBe('addon-partition-unknown');
    expect(codes(addonPolicy('aws-load-balancer-controller', 'v2.11.0', 'aws-iso-e').findings)).toEqual(['addon-partition-unpublished']);
    expect(codes(addonPolicy('aws-load-balancer-controller', 'v2.12.0', 'aws-iso-e').findings)).toEqual([]);
  });

  test('karpenter needs its context; without a queue the interruption policy is left out', () => {
    const e = thrown(() => addonPolicy('karpenter', undefined, 'aws'));
    expect(e.code).toBe('addon-context-missing');
    const ok = addonPolicy('karpenter', 'v1.14', 'aws', {}, {
      region: 'eu-west-1', account: '111122223333', clusterName: 'prod', nodeRoleArn: 'arn:aws:iam::111122223333:role/KarpenterNode',
    });
    expect(ok.documents.map(d => d.name)).toEqual(['node-lifecycle', 'resource-discovery', 'iam-integration', 'eks-integration', 'zonal-shift']);
    expect(JSON.stringify(ok.statements)).toContain('"aws:ResourceTag/kubernetes.io/cluster/prod":"owned"');
    const withQueue = addonPolicy('karpenter', 'v1.14', 'aws', {}, {
      region: 'eu-west-1',
      account: '111122223333',
      clusterName: 'prod',
      nodeRoleArn: 'arn:aws:iam::111122223333:role/KarpenterNode',
      interruptionQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:prod',
    });
    expect(withQueue.documents.map(d => d.name)).toContain('interruption');
  });

  test('a scope left open is a warning that says what to narrow; a scope given narrows and silences it', () => {
    const open = addonPolicy('external-dns', undefined, 'aws');
    expect(open.findings).toEqual([expect.objectContaining({
      code: 'addon-scope-open', severity: 'warning', field: 'scope.hostedZoneArns', fix: 'set scope.hostedZoneArns to the hosted zone ARNs the add-on manages',
    })]);
    const zone = 'arn:aws:route53:::hostedzone/Z0123456789ABCDEF';
    const narrow = addonPolicy('external-dns', undefined, 'aws', { hostedZoneArns: [zone] });
    expect(narrow.findings).toEqual([]);
    expect(narrow.statements[0].Resource).toEqual([zone]);
    expect(narrow.statements[1].Resource).toEqual(['*']); // ListHostedZones takes no resource
    expect(codes(addonPolicy('cert-manager', undefined, 'aws').findings)).toEqual(['addon-scope-open']);
    expect(codes(addonPolicy('velero', undefined, 'aws').findings)).toEqual(['addon-scope-open']);
    expect(codes(addonPolicy('aws-privateca-issuer', undefined, 'aws').findings)).toEqual(['addon-scope-open']);
    expect(codes(addonPolicy('cluster-autoscaler', undefined, 'aws').findings)).toEqual([]); // full features needs `*`
    expect(codes(addonPolicy('cluster-autoscaler', undefined, 'aws', {}, { documents: ['minimal'] }).findings)).toEqual(['addon-scope-open']);
    expect(addonPolicy('velero', undefined, 'aws', { bucketArns: ['arn:aws:s3:::backups'] }).statements[1].Resource).toEqual(['arn:aws:s3:::backups/*']);
  });

  test('KMS keys add the encryption statements to EBS and external-secrets', () => {
    const key = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(actions(addonPolicy('ebs-csi-driver', undefined, 'aws'))).not.toContain('kms:CreateGrant');
    const ebs = addonPolicy('ebs-csi-driver', undefined, 'aws', { kmsKeyArns: [key] });
    const grant = ebs.statements.find(s => s.Action.includes('kms:CreateGrant'))!;
    expect(grant).toEqual({ Effect: 'Allow', Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Resource: [key], Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } });
    const eso = addonPolicy('external-secrets', undefined, 'aws', { kmsKeyArns: [key], secretArns: ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/*'] });
    expect(eso.findings).toEqual([]);
    expect(eso.statements.find(s => s.Action.includes('kms:Decrypt'))!.Resource).toEqual([key]);
  });

  test('planAddonPolicy returns errors instead of throwing', () => {
    expect(codes(planAddonPolicy('nope', undefined, 'aws').findings)).toEqual(['addon-unknown']);
  });

  test('every addon rule code is catalogued', () => {
    for (const c of ['addon-unknown', 'addon-version-unknown', 'addon-document-unknown', 'addon-partition-unknown',
      'addon-partition-unpublished', 'addon-context-missing', 'addon-scope-open']) {
      expect(RULE_CATALOG.map(r => r.code)).toContain(c);
    }
  });
});
