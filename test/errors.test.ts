import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Lazy, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AccessEntry, IdentityChart, IdentityCluster, IdentityMechanism, IdentityValidationError, ImportedClusterKubectl, KubectlLayer,
  ServiceAccountRole, WorkloadIdentity, WorkloadIdentityStack,
} from '../lib';
import { expectIdentityError } from './util/expect-error';
import { RULE_CATALOG } from '../lib/rules/catalog';

const ISSUER = 'https://oidc.eks.us-east-2.amazonaws.com/id/xxxx';
const ENV = { account: '111122223333', region: 'us-east-2' };

function setup(env: any = ENV) {
  const app = new App();
  const stack = new Stack(app, 'Test', { env });
  const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', { clusterName: 'my-cluster', oidcIssuerUrl: ISSUER });
  return { app, stack, cluster };
}

/** The error carries a catalogued code, and the message ends with it. */
function expectCode(err: IdentityValidationError, code: string) {
  expect(err.code).toBe(code);
  expect(err.message.endsWith(` [${code}]`)).toBe(true);
  expect(RULE_CATALOG.map(r => r.code)).toContain(code);
}

describe('IdentityValidationError', () => {
  test('code is part of the message, after the fix', () => {
    const e = new IdentityValidationError({ field: 'namespace', value: '\'A\'', rule: 'is not valid', fix: 'use a', code: 'k8s-namespace' });
    expect(e.message).toBe('namespace: \'A\' is not valid; fix: use a [k8s-namespace]');
    expect(e).toBeInstanceOf(Error);
    expect(IdentityValidationError.isIdentityValidationError(e)).toBe(true);
  });
});

describe('every construct error has a stable code', () => {
  test('a service account declared twice in a stack', () => {
    const { stack, cluster } = setup();
    new WorkloadIdentity(stack, 'A', { cluster, namespace: 'default', serviceAccountName: 'x' });
    const err = expectIdentityError(() => new WorkloadIdentity(stack, 'B', { cluster, namespace: 'default', serviceAccountName: 'x', roleName: 'other' }),
      'serviceAccountName', /declared twice/);
    expectCode(err, 'k8s-service-account-duplicate');
  });

  test('a group bound twice under one name', () => {
    const { stack } = setup();
    const chart = IdentityChart.forStack(stack);
    chart.bindGroup({ group: 'viewers', clusterRole: 'view', name: 'viewers' });
    expectCode(expectIdentityError(() => chart.bindGroup({ group: 'other', clusterRole: 'view', name: 'viewers' }), 'name'), 'k8s-rbac-binding-duplicate');
  });

  test('a role with no subject', () => {
    const { stack, cluster } = setup();
    expectCode(expectIdentityError(() => new ServiceAccountRole(stack, 'R', { cluster, subjects: [] }), 'subjects', /is empty/), 'irsa-subjects-empty');
  });

  test('the role-arn annotation of a role whose account is not known at synth', () => {
    const { stack, cluster } = setup({});
    const role = new ServiceAccountRole(stack, 'R', { cluster, subjects: [{ namespace: 'default', serviceAccountName: 'x' }] });
    expectCode(expectIdentityError(() => role.literalRoleArn, 'cluster.account'), 'irsa-role-arn-literal');
  });

  test('an IRSA existingRoleArn that is a token', () => {
    const { stack, cluster } = setup();
    const arn = Lazy.string({ produce: () => 'arn:aws:iam::111122223333:role/x' });
    expectCode(expectIdentityError(() => new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x', existingRoleArn: arn }),
      'existingRoleArn', /not known at synth/), 'irsa-role-arn-literal');
  });

  test('an unknown mechanism', () => {
    const { stack, cluster } = setup();
    expectCode(expectIdentityError(() => new WorkloadIdentity(stack, 'W', {
      cluster, namespace: 'default', serviceAccountName: 'x', mechanism: 'IRSA' as IdentityMechanism,
    }), 'mechanism'), 'identity-mechanism');
  });

  test('a valid mechanism and role builds', () => {
    const { stack, cluster } = setup();
    const w = new WorkloadIdentity(stack, 'W', { cluster, namespace: 'default', serviceAccountName: 'x', mechanism: IdentityMechanism.IRSA });
    expect(w.annotations['eks.amazonaws.com/role-arn']).toMatch(/^arn:aws:iam::111122223333:role\//);
  });

  test('an access entry with both principal and principalArn, or neither', () => {
    const { stack, cluster } = setup();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    expectCode(expectIdentityError(() => new AccessEntry(stack, 'A', { cluster, principal: role, principalArn: 'arn:aws:iam::111122223333:role/x' }),
      'principalArn', /together with principal/), 'access-entry-principal');
    expectCode(expectIdentityError(() => new AccessEntry(stack, 'B', { cluster } as any), 'principal', /is required/), 'access-entry-principal');
  });

  test('a cluster reference without a kubectl provider', () => {
    const stack = new Stack();
    const bare = eks.Cluster.fromClusterAttributes(stack, 'Bare', { clusterName: 'my-cluster' });
    expectCode(expectIdentityError(() => IdentityCluster.fromAttributes(stack, 'Id', { clusterName: 'my-cluster', kubectlCluster: bare }), 'kubectlCluster'),
      'kubectl-provider');
  });

  test('a kubectl layer for no Kubernetes version', () => {
    const stack = new Stack();
    expectCode(expectIdentityError(() => KubectlLayer.forKubernetesVersion(stack, 'L', '2.0'), 'cluster.kubernetesVersion'), 'kubectl-layer');
    const role = iam.Role.fromRoleArn(stack, 'K', 'arn:aws:iam::111122223333:role/kubectl');
    expectCode(expectIdentityError(() => new ImportedClusterKubectl(stack, 'I', { clusterName: 'my-cluster', role }), 'kubernetesVersion'), 'kubectl-layer');
  });

  test('Pod Identity options are reported under podIdentity.* by the WorkloadIdentity itself', () => {
    const { stack, cluster } = setup();
    const doc = new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'] })] });
    expectCode(expectIdentityError(() => new WorkloadIdentity(stack, 'W', {
      cluster,
      namespace: 'default',
      serviceAccountName: 'x',
      mechanism: IdentityMechanism.POD_IDENTITY,
      podIdentity: { sessionPolicy: doc, disableSessionTags: true },
    }), 'podIdentity.sessionPolicy', /not a valid session policy/), 'iam-policy-statement');
  });

  test('a Pod Identity targetRoleArn equal to the association\'s own created role is refused', () => {
    const first = setup();
    const created = new WorkloadIdentity(first.stack, 'W', { cluster: first.cluster, namespace: 'default', serviceAccountName: 'x', mechanism: IdentityMechanism.POD_IDENTITY });
    expect(created.roleArn).toMatch(/^arn:aws:iam::111122223333:role\//);
    const { stack, cluster } = setup();
    expectCode(expectIdentityError(() => new WorkloadIdentity(stack, 'W', {
      cluster,
      namespace: 'default',
      serviceAccountName: 'x',
      mechanism: IdentityMechanism.POD_IDENTITY,
      podIdentity: { targetRoleArn: created.roleArn },
    }), 'podIdentity.targetRoleArn', /association's own role/), 'pod-identity-target-role');
    // another role is fine
    new WorkloadIdentity(stack, 'Ok', {
      cluster,
      namespace: 'default',
      serviceAccountName: 'y',
      mechanism: IdentityMechanism.POD_IDENTITY,
      podIdentity: { targetRoleArn: 'arn:aws:iam::444455556666:role/target' },
    });
  });
});

describe('what a user sees of an IdentityValidationError', () => {

  test('a spec file error names the file first, then the field', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spec-')), 'bad.yaml');
    fs.writeFileSync(file, 'cluster: { name: c, account: "111122223333", region: us-west-2, oidcIssuerUrl: "https://oidc.eks.us-west-2.amazonaws.com/id/ABC" }\nserviceAccounts:\n  - { name: app, namespace: Team_A }\n');
    let caught: any;
    try { WorkloadIdentityStack.fromSpecFile(new App(), 'S', file); } catch (e) { caught = e; }
    expect(IdentityValidationError.isIdentityValidationError(caught)).toBe(true);
    expect(caught.file).toBe(file);
    expect(caught.field).toBe('serviceAccounts[0].namespace');
    expect(caught.message.startsWith(`${file}: serviceAccounts[0].namespace: 'Team_A' is not a valid namespace`)).toBe(true);
  });

  test('the stack is the message and the caller\'s frame, never the library\'s internals', () => {
    let caught: any;
    try { new WorkloadIdentityStack(new App(), 'S', { spec: { cluster: { name: 'c', account: '1', region: 'us-west-2' } } as any }); } catch (e) { caught = e; }
    const lines = caught.stack.split('\n');
    expect(lines[0]).toBe(`IdentityValidationError: ${caught.message}`);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('errors.test.ts');
    expect(lines[1]).not.toContain(path.join('lib', ''));
  });

  test('Node prints only the stack of an uncaught one: the fields are not enumerable', () => {
    const e = new IdentityValidationError({ field: 'f', value: "'v'", rule: 'is wrong', fix: 'do this', code: 'x-y' });
    // as on a native Error: util.inspect (Node's report) then shows the stack and nothing else
    expect(Object.keys(e)).toEqual([]);
    expect([e.field, e.value, e.rule, e.fix, e.code]).toEqual(['f', "'v'", 'is wrong', 'do this', 'x-y']);
    expect(e.message).toBe("f: 'v' is wrong; fix: do this [x-y]");
  });
});
