import { App, CfnWaitConditionHandle, Stack, Stage } from 'aws-cdk-lib';
import {
  FargateProfile, IdentityChart, IdentityCluster, IdentityMechanism, PodExecutionRole, ServiceAccountRole, WorkloadIdentity,
  WorkloadIdentityStack,
} from '../lib';
import { synth } from './util/synth';
import { IdentityModel } from '../lib/model/identity-model';

const ENV = { account: '111122223333', region: 'us-west-2' };
const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const PROVIDER = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

function stackOf(app: App, id: string, env: any = ENV, attrs: Record<string, string> = {}) {
  const stack = new Stack(app, id, { env });
  const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', { clusterName: 'my-cluster', oidcIssuerUrl: ISSUER, ...attrs });
  return { stack, cluster };
}

/** The message of the error app.synth() throws ('' when it does not). */
function synthError(app: App | Stage): string {
  try {
    app.synth();
  } catch (e: any) {
    return e.message;
  }
  return '';
}

function expectRule(message: string, path: string, field: string, code: string, rule: RegExp): void {
  expect(message).toContain(`[${path}] ${field}: `);
  expect(message).toContain(`[${code}]`);
  expect(message).toMatch(rule);
  expect(message).toContain('fix: ');
}

describe('the model', () => {
  test('records what each construct declares, as plain data keyed on the app root', () => {
    const app = new App();
    const { stack, cluster } = stackOf(app, 'A');
    new WorkloadIdentity(stack, 'Web', { cluster, namespace: 'web', serviceAccountName: 'front' });
    const model = IdentityModel.of(stack);
    expect(IdentityModel.of(app)).toBe(model);
    expect(model.serviceAccounts).toEqual([{
      path: 'A/Web',
      cluster: '111122223333/us-west-2/my-cluster',
      clusterLabel: '\'my-cluster\'',
      issuer: ISSUER.slice('https://'.length),
      namespace: 'web',
      name: 'front',
      mechanism: 'irsa',
      roleArn: 'arn:aws:iam::111122223333:role/my-cluster-web-front',
      existingRole: false,
      stack: 'A',
    }]);
    expect(model.roles).toMatchObject([{
      path: 'A/Web/Role',
      name: 'my-cluster-web-front',
      arn: 'arn:aws:iam::111122223333:role/my-cluster-web-front',
      trust: { mechanism: 'irsa', subjects: [{ namespace: 'web', serviceAccount: 'front' }] },
    }]);
    expect(model.k8sObjects).toEqual([{ path: 'A/Web', cluster: '111122223333/us-west-2/my-cluster', kind: 'ServiceAccount', namespace: 'web', name: 'front', place: 'A' }]);
    expect(model.providers).toMatchObject([{ path: 'A/Cluster/OidcProvider', created: true, account: '111122223333', issuerUrl: ISSUER }]);
    expect(JSON.stringify(model.data())).toContain('"stackName":"A"');
  });
});

describe('imported OIDC provider of another account or partition', () => {
  test('a provider ARN of another account than the role: an error', () => {
    const app = new App();
    const { stack, cluster } = stackOf(app, 'A', ENV, { oidcProviderArn: PROVIDER.replace('111122223333', '444455556666') });
    new WorkloadIdentity(stack, 'W', { cluster, namespace: 'web', serviceAccountName: 'front' });
    expectRule(synthError(app), 'A/W/Role', 'oidcProvider.arn', 'irsa-provider-account', /is in account 444455556666, but the IRSA role trusting it is created in account 111122223333/);
  });

  test('a provider ARN of another partition than the role: an error', () => {
    const app = new App();
    const env = { account: '111122223333', region: 'cn-north-1' };
    const { stack, cluster } = stackOf(app, 'A', env, {
      oidcIssuerUrl: 'https://oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC', oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC',
    });
    new WorkloadIdentity(stack, 'W', { cluster, namespace: 'web', serviceAccountName: 'front' });
    expectRule(synthError(app), 'A/W/Role', 'oidcProvider.arn', 'irsa-provider-account', /is in partition aws, but the IRSA role trusting it is created in partition aws-cn/);
  });

  test('the provider of the role\'s own account and partition synthesizes', () => {
    const app = new App();
    const { stack, cluster } = stackOf(app, 'A', ENV, { oidcProviderArn: PROVIDER });
    new WorkloadIdentity(stack, 'W', { cluster, namespace: 'web', serviceAccountName: 'front' });
    expect(synth(app).templates.A.Resources).toBeDefined();
  });
});

describe('one service account declared by two stacks', () => {
  test('with two different role ARNs: an error', () => {
    const app = new App();
    const a = stackOf(app, 'A');
    const b = stackOf(app, 'B');
    new WorkloadIdentity(a.stack, 'Web', { cluster: a.cluster, namespace: 'web', serviceAccountName: 'front' });
    new WorkloadIdentity(b.stack, 'Web', { cluster: b.cluster, namespace: 'web', serviceAccountName: 'front', roleName: 'other-front' });
    expectRule(synthError(app), 'B/Web', 'serviceAccountName', 'k8s-service-account-role-conflict',
      /'web\/front' is also declared by A\/Web on cluster 'my-cluster' with role arn:aws:iam::111122223333:role\/my-cluster-web-front, here with arn:aws:iam::111122223333:role\/other-front/);
  });

  test('with the same role: still one object written by two manifests', () => {
    const app = new App();
    const a = stackOf(app, 'A');
    const b = stackOf(app, 'B');
    const role = 'arn:aws:iam::111122223333:role/shared';
    new WorkloadIdentity(a.stack, 'Web', { cluster: a.cluster, namespace: 'web', serviceAccountName: 'front', existingRoleArn: role });
    new WorkloadIdentity(b.stack, 'Web', { cluster: b.cluster, namespace: 'web', serviceAccountName: 'front', existingRoleArn: role });
    expectRule(synthError(app), 'B/Web', 'serviceAccountName', 'k8s-object-duplicate', /is a ServiceAccount also declared by A\/Web/);
  });

  test('other namespaces, or other clusters, synthesize', () => {
    const app = new App();
    const a = stackOf(app, 'A');
    const b = stackOf(app, 'B', ENV, { clusterName: 'other-cluster', oidcIssuerUrl: ISSUER.replace('EXAMPLE', 'OTHER') });
    new WorkloadIdentity(a.stack, 'Web', { cluster: a.cluster, namespace: 'web', serviceAccountName: 'front' });
    new WorkloadIdentity(a.stack, 'Shop', { cluster: a.cluster, namespace: 'shop', serviceAccountName: 'front' });
    new WorkloadIdentity(b.stack, 'Web', { cluster: b.cluster, namespace: 'web', serviceAccountName: 'front' });
    expect(Object.keys(synth(app).manifests)).toEqual(['A', 'B']);
  });
});

describe('a created role named like a role the app imports', () => {
  test('existingRoleArn: an error on the created role, ignoring case', () => {
    const app = new App();
    const { stack, cluster } = stackOf(app, 'A');
    new WorkloadIdentity(stack, 'Uses', { cluster, namespace: 'web', serviceAccountName: 'front', existingRoleArn: 'arn:aws:iam::111122223333:role/teams/Shared' });
    new WorkloadIdentity(stack, 'Creates', { cluster, namespace: 'web', serviceAccountName: 'back', roleName: 'shared' });
    expectRule(synthError(app), 'A/Creates/Role', 'roleName', 'iam-role-name-imported',
      /'shared' is the name of arn:aws:iam::111122223333:role\/teams\/Shared, which A\/Uses uses as an existing role \(existingRoleArn\).*EntityAlreadyExists/);
  });

  test('an imported Fargate pod execution role: an error', () => {
    const app = new App();
    const { stack, cluster } = stackOf(app, 'A');
    PodExecutionRole.fromRoleArn(stack, 'Existing', 'arn:aws:iam::111122223333:role/fargate-pods');
    new PodExecutionRole(stack, 'Created', { cluster, roleName: 'Fargate-Pods' });
    expectRule(synthError(app), 'A/Created', 'roleName', 'iam-role-name-imported', /which A\/Existing uses as an existing role \(podExecutionRole\)/);
  });

  test('the kubectl role of manifests.apply: an error', () => {
    const app = new App();
    new WorkloadIdentityStack(app, 'Spec', {
      spec: {
        cluster: { name: 'my-cluster', account: '111122223333', region: 'us-west-2', kubernetesVersion: '1.31', oidcIssuerUrl: ISSUER },
        manifests: { apply: true, kubectlRoleArn: 'arn:aws:iam::111122223333:role/ops/My-Cluster-Web-Front' },
        serviceAccounts: [{ name: 'front', namespace: 'web' }],
      },
    });
    expectRule(synthError(app), 'Spec/web:front/Role', 'roleName', 'iam-role-name-imported', /\(kubectlRoleArn\)/);
  });

  test('the same name in another account, or the imported role itself, synthesizes', () => {
    const app = new App();
    const a = stackOf(app, 'A');
    const b = stackOf(app, 'B', { account: '444455556666', region: 'us-west-2' });
    new WorkloadIdentity(a.stack, 'Uses', { cluster: a.cluster, namespace: 'web', serviceAccountName: 'front', existingRoleArn: 'arn:aws:iam::111122223333:role/shared' });
    new WorkloadIdentity(b.stack, 'Creates', { cluster: b.cluster, namespace: 'web', serviceAccountName: 'back', roleName: 'shared' });
    new ServiceAccountRole(a.stack, 'Own', { cluster: a.cluster, roleName: 'mine', subjects: [{ namespace: 'web', serviceAccountName: 'own' }] });
    new WorkloadIdentity(a.stack, 'UsesOwn', { cluster: a.cluster, namespace: 'web', serviceAccountName: 'own', existingRoleArn: 'arn:aws:iam::111122223333:role/mine' });
    expect(synthError(app)).toBe('');
  });
});

describe('an existingRoleArn naming a role of this app', () => {
  test('another namespace\'s IRSA role: an error', () => {
    const app = new App();
    const { stack, cluster } = stackOf(app, 'A');
    new WorkloadIdentity(stack, 'TeamA', { cluster, namespace: 'team-a', serviceAccountName: 'app' });
    new WorkloadIdentity(stack, 'TeamB', { cluster, namespace: 'team-b', serviceAccountName: 'app', existingRoleArn: 'arn:aws:iam::111122223333:role/my-cluster-team-a-app' });
    expectRule(synthError(app), 'A/TeamB', 'existingRoleArn', 'existing-role-trust',
      /is the IRSA role of team-a\/app \(A\/TeamA\/Role\): its trust policy does not admit service account team-b\/app/);
  });

  test('the Fargate pod execution role: an error', () => {
    const app = new App();
    const { stack, cluster } = stackOf(app, 'A');
    new PodExecutionRole(stack, 'Pods', { cluster, roleName: 'fargate-pods' });
    new WorkloadIdentity(stack, 'W', { cluster, namespace: 'web', serviceAccountName: 'front', existingRoleArn: 'arn:aws:iam::111122223333:role/fargate-pods' });
    expectRule(synthError(app), 'A/W', 'existingRoleArn', 'existing-role-trust', /is a Fargate pod execution role .* created by A\/Pods, but service account web\/front uses IRSA/);
  });

  test('an IRSA role used for a Pod Identity association: an error', () => {
    const app = new App();
    const { stack, cluster } = stackOf(app, 'A');
    new WorkloadIdentity(stack, 'Irsa', { cluster, namespace: 'web', serviceAccountName: 'front' });
    new WorkloadIdentity(stack, 'Pi', {
      cluster, namespace: 'web', serviceAccountName: 'back', mechanism: IdentityMechanism.POD_IDENTITY, existingRoleArn: 'arn:aws:iam::111122223333:role/my-cluster-web-front',
    });
    expectRule(synthError(app), 'A/Pi', 'existingRoleArn', 'existing-role-trust', /is an IRSA role created by A\/Irsa\/Role, but service account web\/back uses Pod Identity/);
  });

  test('a role whose trust admits the service account synthesizes (a shared role, a Pod Identity role)', () => {
    const app = new App();
    const { stack, cluster } = stackOf(app, 'A');
    new ServiceAccountRole(stack, 'Shared', {
      cluster, roleName: 'shared', subjects: [{ namespace: 'team-a', serviceAccountName: 'app' }, { namespace: 'team-b', serviceAccountName: 'app' }],
    });
    new WorkloadIdentity(stack, 'TeamB', { cluster, namespace: 'team-b', serviceAccountName: 'app', existingRoleArn: 'arn:aws:iam::111122223333:role/shared' });
    new WorkloadIdentity(stack, 'Pi', { cluster, namespace: 'pay', serviceAccountName: 'a', mechanism: IdentityMechanism.POD_IDENTITY, roleName: 'pay-role' });
    new WorkloadIdentity(stack, 'Pi2', { cluster, namespace: 'pay', serviceAccountName: 'b', mechanism: IdentityMechanism.POD_IDENTITY, existingRoleArn: 'arn:aws:iam::111122223333:role/pay-role' });
    expect(synth(app).manifests.A).toHaveLength(3);
  });
});

describe('a Pod Identity targetRoleArn', () => {
  test('equal to the association\'s own created role: an error', () => {
    const app = new App();
    const { stack, cluster } = stackOf(app, 'A');
    // WorkloadIdentity knows its created role's literal ARN: refused when it is built
    expect(() => new WorkloadIdentity(stack, 'Pi', {
      cluster,
      namespace: 'pay',
      serviceAccountName: 'ledger',
      mechanism: IdentityMechanism.POD_IDENTITY,
      roleName: 'ledger',
      podIdentity: { targetRoleArn: 'arn:aws:iam::111122223333:role/ledger' },
    })).toThrow(/^podIdentity\.targetRoleArn: 'arn:aws:iam::111122223333:role\/ledger' is the association's own role.*\[pod-identity-target-role\]$/);
  });

  test('another role synthesizes', () => {
    const app = new App();
    const { stack, cluster } = stackOf(app, 'A');
    new WorkloadIdentity(stack, 'Pi', {
      cluster,
      namespace: 'pay',
      serviceAccountName: 'ledger',
      mechanism: IdentityMechanism.POD_IDENTITY,
      roleName: 'ledger',
      podIdentity: { targetRoleArn: 'arn:aws:iam::444455556666:role/ledger' },
    });
    expect(synthError(app)).toBe('');
  });
});

describe('CloudFormation stack names', () => {
  test('two stacks with one name in one account and region: an error', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env: ENV, stackName: 'identity' });
    new Stack(app, 'B', { env: ENV, stackName: 'identity' });
    const cluster = IdentityCluster.fromAttributes(a, 'Cluster', { clusterName: 'my-cluster', oidcIssuerUrl: ISSUER });
    new WorkloadIdentity(a, 'W', { cluster, namespace: 'web', serviceAccountName: 'front' });
    expectRule(synthError(app), 'B', 'stackName', 'cfn-stack-name-duplicate', /'identity' is also the stack name of A in account 111122223333 and region us-west-2/);
  });

  test('one name in two regions synthesizes', () => {
    const app = new App();
    const a = new Stack(app, 'A', { env: ENV, stackName: 'identity' });
    new CfnWaitConditionHandle(new Stack(app, 'B', { env: { ...ENV, region: 'eu-west-1' }, stackName: 'identity' }), 'Handle');
    const cluster = IdentityCluster.fromAttributes(a, 'Cluster', { clusterName: 'my-cluster', oidcIssuerUrl: ISSUER });
    new WorkloadIdentity(a, 'W', { cluster, namespace: 'web', serviceAccountName: 'front' });
    expect(synthError(app)).toBe('');
  });
});

describe('Kubernetes objects from different places', () => {
  test('one binding of one cluster in two stacks: an error', () => {
    const app = new App();
    const a = stackOf(app, 'A');
    const b = stackOf(app, 'B');
    IdentityChart.forStack(a.stack).bindGroup({ group: 'devs', clusterRole: 'view', cluster: a.cluster });
    IdentityChart.forStack(b.stack).bindGroup({ group: 'devs', clusterRole: 'view', cluster: b.cluster });
    expectRule(synthError(app), 'B', 'name', 'k8s-object-duplicate', /'devs-view' is a ClusterRoleBinding also declared by A for the same cluster/);
  });

  test('one binding name on two clusters synthesizes', () => {
    const app = new App();
    const a = stackOf(app, 'A');
    const b = stackOf(app, 'B', ENV, { clusterName: 'other' });
    IdentityChart.forStack(a.stack).bindGroup({ group: 'devs', clusterRole: 'view', cluster: a.cluster });
    IdentityChart.forStack(b.stack).bindGroup({ group: 'devs', clusterRole: 'view', cluster: b.cluster });
    [a.stack, b.stack].forEach(s => new CfnWaitConditionHandle(s, 'Handle'));
    expect(synthError(app)).toBe('');
  });
});

describe('one created OIDC provider per account and issuer', () => {
  test('two spec stacks for one cluster: the error names cluster.oidcIssuerUrl', () => {
    const app = new App();
    const spec = (name: string) => ({
      cluster: { name: 'my-cluster', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: ISSUER },
      serviceAccounts: [{ name, namespace: 'web' }],
    });
    new WorkloadIdentityStack(app, 'First', { spec: spec('a') });
    new WorkloadIdentityStack(app, 'Second', { spec: spec('b') });
    const message = synthError(app);
    expectRule(message, 'Second/Cluster/OidcProvider', 'cluster.oidcIssuerUrl', 'oidc-provider-duplicate', /already has an OIDC provider created in this app \(First\/Cluster\/OidcProvider\)/);
    expect(message).not.toContain('serviceAccounts[0]');
  });
});

describe('one validation: construction order never matters, each finding reported once', () => {
  function fargateThenPodIdentity(scope: Stack, podIdentityFirst: boolean) {
    const cluster = IdentityCluster.fromAttributes(scope, 'Cluster', { clusterName: 'my-cluster' });
    const profile = () => new FargateProfile(scope, 'Profile', {
      cluster, podExecutionRole: PodExecutionRole.fromRoleArn(scope, 'R', 'arn:aws:iam::111122223333:role/x'), fargateProfileName: 'fp', selectors: [{ namespace: 'pay', labels: { compute: 'fargate' } }],
    });
    const pi = () => new WorkloadIdentity(scope, 'Ledger', { cluster, namespace: 'pay', serviceAccountName: 'ledger', mechanism: IdentityMechanism.POD_IDENTITY });
    if (podIdentityFirst) { pi(); profile(); } else { profile(); pi(); }
  }

  test.each([true, false])('a Fargate/Pod Identity warning, Pod Identity first: %s, in a Stage: once through app.synth(), once through stage.synth()', first => {
    for (const how of ['app', 'stage']) {
      const app = new App();
      const stage = new Stage(app, 'Prod');
      fargateThenPodIdentity(new Stack(stage, 'S', { env: ENV }), first);
      const assembly = how === 'app' ? app.synth().getNestedAssembly('assembly-Prod') : stage.synth();
      const warnings = assembly.stacks.flatMap(s => s.messages).filter(m => String(m.entry.data).includes('[pod-identity-on-fargate]'));
      expect(warnings.map(w => w.id)).toEqual(['/Prod/S/Ledger/Association']);
    }
  });

  test('an error in a Stage is reported once by app.synth() and by stage.synth()', () => {
    for (const how of ['app', 'stage']) {
      const app = new App();
      const stage = new Stage(app, 'Prod');
      const stack = new Stack(stage, 'S', { env: ENV });
      const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', { clusterName: 'my-cluster' });
      new PodExecutionRole(stack, 'A', { cluster, roleName: 'pods' });
      new PodExecutionRole(stack, 'B', { cluster, roleName: 'Pods' });
      const message = synthError(how === 'app' ? app : stage);
      expect(message.match(/\[iam-role-name-unique\]/g)).toHaveLength(1);
      expect(message).toContain('[Prod/S/B] roleName: \'Pods\' is already used by Prod/S/A');
    }
  });
});
