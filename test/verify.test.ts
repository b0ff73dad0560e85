import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { IdentityCluster, IdentityMechanism, WorkloadIdentity, WorkloadIdentityStack } from '../lib';
import { synth } from './util/synth';
import { IdentitySpecFile } from '../lib/identity-spec/loader';
import { IdentitySpec } from '../lib/identity-spec/types';
import { expectedCallerArnPrefix, verifyJobName, verifyScript, VERIFY_IMAGE } from '../lib/k8s/verify-job';

const CLUSTER = {
  name: 'my-cluster',
  account: '111122223333',
  region: 'us-west-2',
  oidcIssuerUrl: 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
};

function jobsOf(spec: IdentitySpec) {
  const app = new App();
  new WorkloadIdentityStack(app, 'Verify', { spec });
  const out = synth(app); // validates every manifest against the Kubernetes schemas
  return out.manifests.Verify.filter(o => o.kind === 'Job');
}

test('verify: true adds a batch/v1 Job with the service account that checks the assumed role', () => {
  const jobs = jobsOf({
    cluster: CLUSTER,
    serviceAccounts: [
      { name: 's3-reader', namespace: 'backend', verify: true, role: { path: '/eks/' } },
      { name: 'other', namespace: 'backend' },
    ],
  } as IdentitySpec);
  expect(jobs).toHaveLength(1);
  const job = jobs[0];
  expect(job).toMatchObject({ apiVersion: 'batch/v1', metadata: { name: 'verify-s3-reader', namespace: 'backend' } });
  const pod = job.spec.template.spec;
  expect(pod.serviceAccountName).toBe('s3-reader');
  expect(pod.restartPolicy).toBe('Never');
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
  const c = pod.containers[0];
  expect(c.image).toBe(VERIFY_IMAGE);
  expect(c.resources).toEqual({ limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '50m', memory: '64Mi' } });
  expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, runAsNonRoot: true });
  expect(c.env).toEqual(expect.arrayContaining([{ name: 'AWS_REGION', value: 'us-west-2' }, { name: 'HOME', value: '/tmp' }]));
  expect(c.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
  // the role path is not part of the assumed-role ARN
  expect(c.command[2]).toContain("'arn:aws:sts::111122223333:assumed-role/my-cluster-backend-s3-reader/'*)");
  expect(c.command[2]).toContain('aws sts get-caller-identity --query Arn --output text');
  expect(job.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 300, ttlSecondsAfterFinished: 3600 });
});

describe('the script', () => {
  const script = verifyScript(expectedCallerArnPrefix('arn:aws-cn:iam::111122223333:role/team/app'));
  const runWith = (arn: string | undefined) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-'));
    // a fake aws CLI: prints the ARN, or fails like the CLI without credentials
    fs.writeFileSync(path.join(dir, 'aws'), arn === undefined ? '#!/bin/sh\necho "Unable to locate credentials" >&2\nexit 255\n' : `#!/bin/sh\necho '${arn}'\n`, { mode: 0o755 });
    try {
      return { code: 0, out: execFileSync('/bin/sh', ['-c', script], { env: { PATH: `${dir}:/usr/bin:/bin` }, encoding: 'utf8', stdio: 'pipe' }) };
    } catch (e: any) {
      return { code: e.status as number, out: `${e.stdout}${e.stderr}` };
    }
  };

  test('passes for a session of the expected role (partition-aware, no path)', () => {
    expect(runWith('arn:aws-cn:sts::111122223333:assumed-role/app/botocore-session-1700000000')).toMatchObject({ code: 0, out: expect.stringContaining('ok') });
  });

  test('fails for the node role, another role, or no credentials', () => {
    expect(runWith('arn:aws-cn:sts::111122223333:assumed-role/my-node-role/i-0123456789abcdef0').code).toBe(1);
    expect(runWith('arn:aws-cn:sts::111122223333:assumed-role/app-other/x').code).toBe(1);
    expect(runWith('arn:aws:sts::111122223333:assumed-role/app/x').code).toBe(1);
    expect(runWith(undefined)).toMatchObject({ code: 1, out: expect.stringContaining('get-caller-identity failed') });
  });
});

test('Pod Identity with a target role expects the target role; the spec key verify goes through the schema', () => {
  const spec = IdentitySpecFile.parse(`cluster: { name: my-cluster, account: "111122223333", region: us-west-2 }
serviceAccounts:
  - name: app
    namespace: shop
    mechanism: podIdentity
    verify: true
    podIdentity: { targetRoleArn: "arn:aws:iam::444455556666:role/shared/target" }
`);
  const jobs = jobsOf(spec);
  expect(jobs[0].spec.template.spec.containers[0].command[2]).toContain("'arn:aws:sts::444455556666:assumed-role/target/'*)");
  expect(() => IdentitySpecFile.parse('cluster: { name: c, account: "111122223333", region: us-west-2 }\nserviceAccounts: [{ name: a, namespace: b, verify: "yes" }]\n'))
    .toThrow(/verify/);
});

test('TypeScript API: WorkloadIdentity verify exposes the Job; a role ARN only known at deploy is an error', () => {
  const app = new App();
  const stack = new Stack(app, 'S');
  const cluster = IdentityCluster.fromAttributes(stack, 'C', {
    clusterName: 'my-cluster', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: CLUSTER.oidcIssuerUrl,
  });
  const w = new WorkloadIdentity(stack, 'W', { cluster, namespace: 'a', serviceAccountName: 'b', verify: true });
  expect(w.verificationJob?.name).toBe('verify-b');
  const noVerify = new WorkloadIdentity(stack, 'N', { cluster, namespace: 'a', serviceAccountName: 'c' });
  expect(noVerify.verificationJob).toBeUndefined();
  synth(app);
  const s2 = new Stack(new App(), 'S2');
  const tokenCluster = IdentityCluster.fromAttributes(s2, 'C', { clusterName: 'my-cluster', account: s2.account, region: s2.region });
  expect(() => new WorkloadIdentity(s2, 'P', { cluster: tokenCluster, namespace: 'a', serviceAccountName: 'b', mechanism: IdentityMechanism.POD_IDENTITY, verify: true }))
    .toThrow(/verify.*literal ARN/s);
});

test('long service account names give a DNS-label Job name', () => {
  const n = verifyJobName('a'.repeat(253));
  expect(n.length).toBeLessThanOrEqual(63);
  expect(n).toMatch(/^verify-a+-[0-9a-f]{8}$/);
  expect(verifyJobName('my.sa')).toBe('verify-my-sa');
});

test('verification Jobs of a.b and a-b in one namespace: distinct names, the first unchanged (TypeScript API)', () => {
  const app = new App();
  const stack = new Stack(app, 'S', { env: { account: '111122223333', region: 'us-west-2' } });
  const cluster = IdentityCluster.fromAttributes(stack, 'C', {
    clusterName: 'my-cluster', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: CLUSTER.oidcIssuerUrl,
  });
  const dotted = new WorkloadIdentity(stack, 'Dot', { cluster, namespace: 'a', serviceAccountName: 'x.y', verify: true });
  const dashed = new WorkloadIdentity(stack, 'Dash', { cluster, namespace: 'a', serviceAccountName: 'x-y', verify: true });
  expect(dotted.verificationJob?.name).toBe('verify-x-y');
  expect(dashed.verificationJob?.name).toMatch(/^verify-x-y-[0-9a-f]{8}$/);
  const jobs = synth(app).manifests.S.filter(o => o.kind === 'Job');
  expect(jobs.map(j => j.spec.template.spec.serviceAccountName)).toEqual(['x.y', 'x-y']);
  expect(new Set(jobs.map(j => j.metadata.name)).size).toBe(2);
});
