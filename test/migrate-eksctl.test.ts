import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { cli } from './util/cli';
import { synthMigrated } from './util/migrated';
import { resourcesOfType } from './util/synth';
import { migrateEksctl } from '../lib/cli/migrate-eksctl';


function tmp(text: string): string {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-eksctl-')), 'cluster.yaml');
  fs.writeFileSync(f, text);
  return f;
}

const CONFIG = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: shop
  region: us-west-2
  version: "1.31"
iam:
  withOIDC: true
  serviceAccounts:
    - metadata: {name: reader, namespace: backend, labels: {team: a}}
      attachPolicyARNs: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
      roleName: shop-reader
    - metadata: {name: ebs-csi-controller-sa, namespace: kube-system}
      wellKnownPolicies: {ebsCSIController: true, autoScaler: true}
    - metadata: {name: writer}
      roleOnly: true
      attachPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: sqs:SendMessage
            Resource: arn:aws:sqs:us-west-2:111122223333:orders
          - Effect: Allow
            Principal: {AWS: "*"}
            Action: s3:GetObject
            Resource: "*"
    - metadata: {name: legacy, namespace: backend}
      attachRoleARN: arn:aws:iam::111122223333:role/legacy
    - metadata: {name: broken, namespace: backend}
      attachRoleARN: arn:aws:iam::123:role/broken
  podIdentityAssociations:
    - namespace: payments
      serviceAccountName: ledger
      permissionPolicyARNs: [arn:aws:iam::111122223333:policy/ledger]
      permissionsBoundaryARN: arn:aws:iam::111122223333:policy/boundary
      createServiceAccount: true
    - namespace: payments
      serviceAccountName: reports
      roleARN: arn:aws:iam::111122223333:role/reports
      targetRoleARN: arn:aws:iam::444455556666:role/reports-reader
      disableSessionTags: true
accessConfig:
  authenticationMode: API_AND_CONFIG_MAP
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/viewers
      kubernetesGroups: [viewers, system:masters]
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy
          accessScope: {type: namespace, namespaces: [dev-*]}
    - principalARN: arn:aws:iam::111122223333:role/nodes
      type: EC2_LINUX
      accessPolicies:
        - accessScope: {type: EC2_LINUX}
iamIdentityMappings:
  - arn: arn:aws:iam::111122223333:role/admins
    username: admin
    groups: [system:masters]
  - arn: arn:aws:iam::111122223333:role/viewers
    groups: [viewers]
  - serviceName: emr-containers
    namespace: emr
  - account: "111122223333"
`;

test('an eksctl ClusterConfig: service accounts, pod identity associations, access entries and identity mappings become a spec that synthesizes', () => {
  const r = migrateEksctl(CONFIG, 'cluster.yaml');
  expect(r.exitCode).toBe(0);
  const spec = parse(r.yaml);
  expect(spec.cluster).toEqual({ name: 'shop', region: 'us-west-2', account: '111122223333', kubernetesVersion: '1.31', authenticationMode: 'API_AND_CONFIG_MAP' });
  expect(r.serviceAccounts).toEqual([
    { name: 'reader', namespace: 'backend', labels: { team: 'a' }, role: { name: 'shop-reader', managedPolicies: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'] }, automountServiceAccountToken: true },
    { name: 'ebs-csi-controller-sa', namespace: 'kube-system', role: { managedPolicies: ['service-role/AmazonEBSCSIDriverPolicy'] }, automountServiceAccountToken: true },
    { name: 'writer', namespace: 'default', role: { statements: [{ effect: 'Allow', actions: ['sqs:SendMessage'], resources: ['arn:aws:sqs:us-west-2:111122223333:orders'] }] }, automountServiceAccountToken: true },
    { name: 'legacy', namespace: 'backend', existingRoleArn: 'arn:aws:iam::111122223333:role/legacy', automountServiceAccountToken: true },
    {
      name: 'ledger',
      namespace: 'payments',
      mechanism: 'podIdentity',
      role: { managedPolicies: ['arn:aws:iam::111122223333:policy/ledger'], permissionsBoundary: 'arn:aws:iam::111122223333:policy/boundary' },
      automountServiceAccountToken: true,
    },
    {
      name: 'reports',
      namespace: 'payments',
      mechanism: 'podIdentity',
      existingRoleArn: 'arn:aws:iam::111122223333:role/reports',
      podIdentity: { targetRoleArn: 'arn:aws:iam::444455556666:role/reports-reader', disableSessionTags: true },
      automountServiceAccountToken: true,
    },
  ]);
  expect(r.entries).toEqual([
    { principalArn: 'arn:aws:iam::111122223333:role/viewers', accessPolicies: [{ policy: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy', namespaces: ['dev-*'] }], kubernetesGroups: ['viewers'] },
    { principalArn: 'arn:aws:iam::111122223333:role/admins', username: 'admin', accessPolicies: [{ policy: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy' }] },
  ]);
  const report = r.report.join('\n');
  expect(report).toContain('mapped iam.serviceAccounts[1]: wellKnownPolicies.ebsCSIController -> service-role/AmazonEBSCSIDriverPolicy');
  expect(report).toContain('not copied from iam.serviceAccounts[1]: wellKnownPolicies.autoScaler: no AWS-managed policy exists');
  expect(report).toContain('not copied from iam.serviceAccounts[2].attachPolicy: Statement[1] has Principal');
  expect(report).toContain('note iam.serviceAccounts[2]: roleOnly');
  expect(report).toContain("skipped iam.serviceAccounts[4]: iam.serviceAccounts[4].attachRoleARN: 'arn:aws:iam::123:role/broken' is not an IAM role ARN");
  expect(report).toContain("accessPolicies[0].accessScope.type 'EC2_LINUX' is not cluster or namespace (EC2_LINUX is an access entry type");
  expect(report).toContain('not copied from accessConfig.accessEntries[0]: group system:masters');
  expect(report).toContain('skipped iamIdentityMappings[1]: arn:aws:iam::111122223333:role/viewers is already mapped by accessConfig.accessEntries[0]');
  expect(report).toContain('skipped iamIdentityMappings[2]: serviceName emr-containers');
  expect(report).toContain('skipped iamIdentityMappings[3] (account 111122223333)');
  expect(report).toContain('add cluster.oidcIssuerUrl');

  const out = synthMigrated(r.yaml, r.report);
  const t = out.templates.Migrated;
  expect(resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation').map(([, a]) => a.Properties.ServiceAccount).sort()).toEqual(['ledger', 'reports']);
  expect(resourcesOfType(t, 'AWS::IAM::Role').map(([, x]) => x.Properties.RoleName)).toContain('shop-reader');
  expect(resourcesOfType(t, 'AWS::EKS::AccessEntry').map(([, e]) => e.Properties.PrincipalArn)).toEqual([
    'arn:aws:iam::111122223333:role/viewers', 'arn:aws:iam::111122223333:role/admins',
  ]);
  const serviceAccounts = out.manifests.Migrated.filter(o => o.kind === 'ServiceAccount');
  expect(serviceAccounts.map(o => `${o.metadata.namespace}/${o.metadata.name}`)).toContain('default/writer');
  // as the ServiceAccounts eksctl writes: the token is mounted (controllers call the Kubernetes API)
  expect(serviceAccounts.every(o => o.automountServiceAccountToken === true)).toBe(true);
});

test('nothing migrated: exit 1; not a ClusterConfig, shell variables, broken YAML: exit 2', () => {
  const none = cli('migrate', 'eksctl', tmp(`apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: c, region: us-east-1}
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::11111111111:role/nodes
      accessPolicies:
        - accessScope: {type: EC2_LINUX}
`));
  expect(none.code).toBe(1);
  expect(none.err).toContain('has no policyARN (eksctl refuses the config');
  expect(none.err).toContain('nothing migrated: 1 identity in the config, none could be migrated (exit 1)');
  // a config without identities is fine
  expect(cli('migrate', 'eksctl', tmp('apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: c, region: us-east-1}\n')).code).toBe(0);

  const pod = cli('migrate', 'eksctl', tmp('apiVersion: v1\nkind: Pod\n'));
  expect(pod).toMatchObject({ code: 2, err: expect.stringContaining('not an eksctl ClusterConfig') });
  expect(pod.err).not.toContain('usage:');
  const shell = cli('migrate', 'eksctl', tmp('apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: "${CLUSTER_NAME}", region: us-east-1}\n'));
  expect(shell).toMatchObject({ code: 2, err: expect.stringContaining('unexpanded shell variables ${CLUSTER_NAME}') });
  const f = tmp('apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\niam:\n  serviceAccounts: [\n');
  const broken = cli('migrate', 'eksctl', f);
  expect(broken.code).toBe(2);
  expect(broken.err).toMatch(/cluster\.yaml: line \d+: not valid YAML/);
  expect(broken.err).not.toMatch(/\n\s+at /);
});

const cfg = (body: string) => `apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: c, region: us-west-2}\n${body}`;

test('access policies: cluster and namespace scopes are copied; a node entry with a policy, a scope without namespaces, an entry type as a scope are not', () => {
  const r = migrateEksctl(cfg(`accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/ok
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy
          accessScope: {type: namespace, namespaces: [team-a]}
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy
    - principalARN: arn:aws:iam::111122223333:role/node
      type: EC2_LINUX
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy
    - principalARN: arn:aws:iam::111122223333:role/no-ns
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy
          accessScope: {type: namespace}
`), 'c.yaml');
  expect(r.entries).toEqual([{
    principalArn: 'arn:aws:iam::111122223333:role/ok',
    accessPolicies: [
      { policy: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy', namespaces: ['team-a'] },
      { policy: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy' },
    ],
  }]);
  expect(r.report).toContain('skipped accessConfig.accessEntries[1] (arn:aws:iam::111122223333:role/node): type EC2_LINUX takes no access policies (EKS grants node permissions itself)');
  expect(r.report).toContain('skipped accessConfig.accessEntries[2] (arn:aws:iam::111122223333:role/no-ns): accessPolicies[0].accessScope: type namespace needs namespaces');
});

test('iamIdentityMappings are read as aws-auth mappings: node signatures, placeholders', () => {
  const r = migrateEksctl(cfg(`iamIdentityMappings:
  - arn: arn:aws:iam::111122223333:role/hybrid
    username: system:node:{{SessionName}}
    groups: [system:bootstrappers, system:nodes]
  - arn: arn:aws:iam::111122223333:role/win
    username: system:node:{{EC2PrivateDNSName}}
    groups: [system:bootstrappers, system:nodes, eks:kube-proxy-windows]
  - arn: <node role ARN>
    groups: [system:bootstrappers, system:nodes]
`), 'c.yaml');
  expect(r.entries).toEqual([
    { principalArn: 'arn:aws:iam::111122223333:role/hybrid', type: 'HYBRID_LINUX' },
    { principalArn: 'arn:aws:iam::111122223333:role/win', type: 'EC2_WINDOWS' },
  ]);
  expect(r.report).toContainEqual(expect.stringMatching(/^skipped iamIdentityMappings\[2\]: '<node role ARN>' is a placeholder/));
});

test('service accounts: bad names, a duplicate across IRSA and Pod Identity, a bad boundary are skipped with the reason', () => {
  const r = migrateEksctl(cfg(`iam:
  serviceAccounts:
    - metadata: {name: Bad_Name, namespace: x}
    - metadata: {name: app, namespace: team}
      attachPolicyARNs: [AmazonS3ReadOnlyAccess]
    - metadata: {name: bounded, namespace: team}
      permissionsBoundary: not-an-arn
  podIdentityAssociations:
    - namespace: team
      serviceAccountName: app
      roleARN: arn:aws:iam::111122223333:role/app
`), 'c.yaml');
  expect(r.serviceAccounts.map(s => s.name)).toEqual(['app']);
  expect(r.report[0]).toMatch(/^skipped iam.serviceAccounts\[0\]: iam.serviceAccounts\[0\].metadata.name: 'Bad_Name' is not a valid service account name/);
  expect(r.report).toContainEqual(expect.stringMatching(/^skipped iam.serviceAccounts\[2\]: .*permissionsBoundary: 'not-an-arn' is not an IAM managed policy ARN/));
  expect(r.report).toContain('skipped iam.podIdentityAssociations[0]: team/app is already given by iam.serviceAccounts[1]; a service account has one identity');
});
