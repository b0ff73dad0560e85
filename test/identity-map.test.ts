import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccessEntry, AccessPolicy, AccessScope, IdentityCluster, IdentityMechanism, WorkloadIdentity, WorkloadIdentityStack } from '../lib';
import { synth } from './util/synth';

const ROOT = path.join(__dirname, '..');
const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'idmap-'));
const read = (dir: string, f: string) => fs.readFileSync(path.join(dir, f), 'utf8');

test('cdk synth of the quickstart writes <artifactId>.identity.md and .identity.json beside the template', () => {
  const outdir = tmp();
  const app = new App({ outdir });
  WorkloadIdentityStack.fromSpecFile(app, 'Quickstart', path.join(ROOT, 'examples', 'quickstart', 'identity.yaml'));
  synth(app);
  expect(fs.readdirSync(outdir)).toEqual(expect.arrayContaining(['Quickstart.template.json', 'Quickstart.k8s.yaml', 'Quickstart.identity.md', 'Quickstart.identity.json']));
  const json = JSON.parse(read(outdir, 'Quickstart.identity.json'));
  expect(json.serviceAccounts.map((s: any) => [s.namespace, s.serviceAccount, s.mechanism, s.roleArn])).toEqual([
    ['backend', 's3-reader', 'irsa', 'arn:aws:iam::111122223333:role/my-cluster-backend-s3-reader'],
    ['kube-system', 'ebs-csi-controller-sa', 'irsa', 'arn:aws:iam::111122223333:role/my-cluster-kube-system-ebs-csi-controller-sa'],
    ['shop', 'orders', 'irsa', 'arn:aws:iam::111122223333:role/my-cluster-shop-orders'],
  ]);
  expect(json.serviceAccounts[0].policies).toEqual(['AmazonS3ReadOnlyAccess']);
  expect(json.serviceAccounts[2].policies).toEqual(['inline Inline: sqs:DeleteMessage, sqs:ReceiveMessage']);
  const md = read(outdir, 'Quickstart.identity.md');
  expect(md).toContain('```mermaid\nflowchart LR\n');
  expect(md).toMatch(/c0\["cluster my-cluster"\][\s\S]*c0 --> n1\n  n1 --> s2\n  s2 -- irsa --> r3\n  r3 --> p4/);
  expect(md).toContain('| my-cluster | backend | s3-reader | irsa | arn:aws:iam::111122223333:role/my-cluster-backend-s3-reader | AmazonS3ReadOnlyAccess | no |');
  expect(md).toContain('## Access entries\n\nNone.');
});

test('access entries, Pod Identity with a target role, grants and verify show; the same input gives the same bytes', () => {
  const build = (outdir: string) => {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Map');
    const cluster = IdentityCluster.fromAttributes(stack, 'C', {
      clusterName: 'my-cluster', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: ISSUER, authenticationMode: 'API_AND_CONFIG_MAP' as any,
    });
    const w = new WorkloadIdentity(stack, 'Reader', { cluster, namespace: 'backend', serviceAccountName: 'reader', verify: true });
    new s3.Bucket(stack, 'B').grantRead(w);
    new WorkloadIdentity(stack, 'Pi', {
      cluster,
      namespace: 'shop',
      serviceAccountName: 'app',
      mechanism: IdentityMechanism.POD_IDENTITY,
      podIdentity: { targetRoleArn: 'arn:aws:iam::444455556666:role/target' },
    });
    new AccessEntry(stack, 'Dev', {
      cluster,
      principalArn: 'arn:aws:iam::111122223333:role/dev',
      username: 'dev:{{SessionName}}',
      kubernetesGroups: ['developers'],
      accessPolicies: [{ policy: AccessPolicy.AMAZON_EKS_EDIT_POLICY, scope: AccessScope.namespaces('dev-a', 'dev-*') }],
    } as any);
    synth(app);
  };
  const [a, b] = [tmp(), tmp()];
  build(a);
  build(b);
  for (const f of ['Map.identity.md', 'Map.identity.json']) expect(read(a, f)).toEqual(read(b, f));
  const json = JSON.parse(read(a, 'Map.identity.json'));
  expect(json.serviceAccounts).toEqual([
    expect.objectContaining({ namespace: 'backend', serviceAccount: 'reader', mechanism: 'irsa', verify: true, policies: [expect.stringMatching(/^policy ReaderRole\w*DefaultPolicy\w*: s3:GetBucket\*, s3:GetObject\*, s3:List\*$/)] }),
    expect.objectContaining({ namespace: 'shop', serviceAccount: 'app', mechanism: 'podIdentity', targetRoleArn: 'arn:aws:iam::444455556666:role/target' }),
  ]);
  expect(json.accessEntries).toEqual([{
    cluster: 'my-cluster',
    principalArn: 'arn:aws:iam::111122223333:role/dev',
    type: 'STANDARD',
    username: 'dev:{{SessionName}}',
    kubernetesGroups: ['developers'],
    accessPolicies: [{ policy: 'AmazonEKSEditPolicy', scope: 'namespace', namespaces: ['dev-a', 'dev-*'] }],
    path: 'Map/Dev',
  }]);
  const md = read(a, 'Map.identity.md');
  expect(md).toMatch(/u\d+\["arn:aws:iam::111122223333:role\/dev"\]/);
  expect(md).toMatch(/(u\d+) --> (a\d+)\n {2}\2 --> c0\n {2}\2 --> g\d+\n {2}\2 --> ap\d+/);
  expect(md).toMatch(/-- podIdentity --> r\d+/);
  expect(md).toMatch(/-- assumes --> r\d+/);
  expect(md).toContain('| my-cluster | arn:aws:iam::111122223333:role/dev | STANDARD | dev:{{SessionName}} | developers | AmazonEKSEditPolicy (namespace: dev-a, dev-*) |');
  expect(md).toContain('| yes |');
});
