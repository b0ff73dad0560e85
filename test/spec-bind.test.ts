import { App, Stack } from 'aws-cdk-lib';
import { AccessEntry, IdentityCluster, IdentityMechanism, IdentitySpec, IdentitySpecFile, WorkloadIdentity, WorkloadIdentityStack } from '../lib';
import { expectIdentityError } from './util/expect-error';
import { resourcesOfType, synth } from './util/synth';
import { bindSpec } from '../lib/identity-spec/bind';
import { accessEntryIds } from '../lib/identity-spec/bind-access';
import { checkArnPartition, partitionForRegion } from '../lib/rules/arns';
import { checkProfileName } from '../lib/rules/fargate';

const cluster = (region: string, extra = '') => `
cluster:
  name: my-cluster
  account: "111122223333"
  region: ${region}
  oidcIssuerUrl: https://oidc.eks.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/id/EXAMPLE
  authenticationMode: API
${extra}`;
const US = cluster('us-west-2');

function build(yaml: string, app = new App(), id = 'Spec'): WorkloadIdentityStack {
  return new WorkloadIdentityStack(app, id, { spec: IdentitySpecFile.parse(yaml) });
}

describe('the binder is pure: spec in, props or errors out, nothing built', () => {
  test('a valid spec binds to the props the stack builds, in spec order', () => {
    const bound = bindSpec(IdentitySpecFile.parse(`${US}serviceAccounts:
  - { name: a, namespace: apps, role: { managedPolicies: [AmazonS3ReadOnlyAccess, "arn:aws:iam::111122223333:policy/p"] } }
  - { name: b, namespace: apps, mechanism: podIdentity, existingRoleArn: "arn:aws:iam::111122223333:role/b" }
accessEntries:
  - { principalArn: "arn:aws:iam::111122223333:role/admin" }
`));
    expect(bound.findings).toEqual([]);
    expect(bound.serviceAccounts.map(s => s.id)).toEqual(['apps:a', 'apps:b']);
    expect(bound.serviceAccounts[0].managedPolicies).toEqual([{ awsManagedName: 'AmazonS3ReadOnlyAccess' }, { arn: 'arn:aws:iam::111122223333:policy/p' }]);
    expect(bound.serviceAccounts[1].props).toMatchObject({ mechanism: IdentityMechanism.POD_IDENTITY, existingRoleArn: 'arn:aws:iam::111122223333:role/b' });
    expect(bound.accessEntries.map(e => e.id)).toEqual(['AccessEntry:arn:aws:iam::111122223333:role:admin']);
  });

  test('every error names its spec path and has a code; the constructs are never reached', () => {
    const bound = bindSpec(IdentitySpecFile.parse(`${US}serviceAccounts:
  - { name: a, namespace: Bad_NS }
  - { name: b, namespace: apps, role: { managedPolicies: [AmazonS3ReadOnlyAccess, "arn:aws-cn:iam::111122223333:policy/p"] } }
fargate:
  profiles:
    - { name: "web/a", selectors: [{ namespace: web }] }
accessEntries:
  - { principalArn: "arn:aws:iam::111122223333:role/admin", username: "system:x" }
rbac:
  - { group: "", clusterRole: view }
`));
    expect(bound.findings.map(f => `${f.field} [${f.code}]`)).toEqual([
      'fargate.profiles[0].name [fargate-profile-name]',
      'serviceAccounts[0].namespace [k8s-namespace]',
      'serviceAccounts[1].role.managedPolicies[1] [arn-partition]',
      'accessEntries[0].username [access-entry-username-reserved]',
      'rbac[0].group [k8s-rbac-group]',
    ]);
  });
});

test('warnings of rules only the spec has stay annotations on the stack (a created kube-* namespace)', () => {
  const app = new App();
  build(`${US}manifests: { createNamespaces: true }\nserviceAccounts:\n  - { name: a, namespace: kube-extra }\n  - { name: b, namespace: apps }\n`, app);
  const out = synth(app);
  expect(out.annotations.filter(a => a.level === 'warning')).toEqual([{
    level: 'warning', path: '/Spec', message: expect.stringMatching(/^serviceAccounts\[0\]\.namespace: 'kube-extra' starts with 'kube-'.*\[k8s-reserved-namespace\]/),
  }]);
  expect(out.manifests.Spec.filter(o => o.kind === 'Namespace').map(o => o.metadata.name)).toEqual(['kube-extra', 'apps']);
});

describe('duplicates within one spec are found by the binder, with spec paths', () => {
  test('the same role name twice (ignoring case), also against the pod execution role', () => {
    expectIdentityError(() => build(`${US}serviceAccounts:
  - { name: a, namespace: apps, role: { name: shared } }
  - { name: b, namespace: apps, role: { name: Shared } }
`), 'serviceAccounts[1].role.name', /is used by two roles \(serviceAccounts\[0\]\.role\.name and serviceAccounts\[1\]\.role\.name\).*\[iam-role-name-unique\]/);
    expectIdentityError(() => build(`${US}fargate: { podExecutionRole: { name: exec } }
serviceAccounts:
  - { name: a, namespace: apps, role: { name: exec } }
`), 'serviceAccounts[0].role.name', /fargate\.podExecutionRole\.name/);
  });

  test('two rbac items that make the same RoleBinding in a namespace; distinct ones pass', () => {
    expectIdentityError(() => build(`${US}rbac:
  - { group: devs, clusterRole: edit, namespaces: [a, b] }
  - { group: devs, clusterRole: edit, namespaces: [c, b] }
`), 'rbac[1]', /already bound by rbac\[0\]: both items make the same RoleBinding in namespace b.*\[k8s-rbac-binding-duplicate\]/);
    const app = new App();
    build(`${US}rbac:
  - { group: devs, clusterRole: edit, namespaces: [a] }
  - { group: devs, clusterRole: edit, namespaces: [b] }
  - { group: devs, clusterRole: edit }
`, app);
    expect(synth(app).manifests.Spec.map(o => `${o.kind}/${o.metadata.namespace ?? ''}`)).toEqual(['RoleBinding/a', 'RoleBinding/b', 'ClusterRoleBinding/']);
  });

  test('a service account twice has a code', () => {
    const err = expectIdentityError(() => build(`${US}serviceAccounts:
  - { name: a, namespace: apps }
  - { name: a, namespace: apps }
`), 'serviceAccounts[1].name', /already declared as serviceAccounts\[0\]/);
    expect(err.code).toBe('spec-service-account-duplicate');
  });
});

describe('construct ids made from spec values are injective', () => {
  const A = 'arn:aws:iam::111122223333:role/team:x/app';
  const B = 'arn:aws:iam::111122223333:role/team/x/app';

  test("principals whose '/'-as-':' ids clash both synthesize; the ':'-free one keeps its id", () => {
    const app = new App();
    const stack = build(`${US}accessEntries:\n  - { principalArn: "${A}" }\n  - { principalArn: "${B}" }\n`, app);
    expect(stack.accessEntries.map(e => e.node.id)).toEqual([`AccessEntry:${A.replace(/\//g, ' ')}`, `AccessEntry:${B.replace(/\//g, ':')}`]);
    const entries = resourcesOfType(synth(app).templates.Spec, 'AWS::EKS::AccessEntry').map(([, r]) => r.Properties.PrincipalArn);
    expect(entries).toEqual([A, B]);
  });

  test('every id that was distinct before stays as it was', () => {
    expect(accessEntryIds([A])).toEqual(['AccessEntry:arn:aws:iam::111122223333:role:team:x:app']);
    expect(accessEntryIds([B, 'arn:aws:iam::111122223333:user/u'])).toEqual([
      'AccessEntry:arn:aws:iam::111122223333:role:team:x:app', 'AccessEntry:arn:aws:iam::111122223333:user:u',
    ]);
    const stack = build(`${US}accessEntries:\n  - { principalArn: "${A}" }\n`);
    expect(stack.accessEntries[0].node.id).toBe('AccessEntry:arn:aws:iam::111122223333:role:team:x:app');
  });

  test("a Fargate profile name with '/' is refused by its own rule before any id is made ('web/a' vs 'web--a')", () => {
    const two = `${US}fargate:\n  profiles:\n    - { name: web--a, selectors: [{ namespace: a }] }\n    - { name: web/a, selectors: [{ namespace: b }] }\n`;
    expectIdentityError(() => build(two), 'fargate.profiles[1].name', /is not a Fargate profile name.*\[fargate-profile-name\]/);
    const app = new App();
    const stack = build(two.replace(/    - \{ name: web\/a.*\n/, ''), app);
    expect(stack.fargateProfiles.map(p => p.node.id)).toEqual(['FargateProfile:web--a']);
    synth(app);
  });

  test('checkProfileName: letters, digits, - and _, at most 100, no eks- prefix', () => {
    expect(checkProfileName('f', 'web_a-1')).toEqual([]);
    expect(checkProfileName('f', 'a'.repeat(100))).toEqual([]);
    expect(checkProfileName('f', 'a'.repeat(101))[0].code).toBe('fargate-profile-name');
    expect(checkProfileName('f', 'web.a')[0].rule).toMatch(/not a Fargate profile name/);
    expect(checkProfileName('f', '-web')[0].code).toBe('fargate-profile-name');
    expect(checkProfileName('f', 'eks-web')[0].rule).toMatch(/reserves/);
    expect(checkProfileName('f', '')[0].rule).toBe('is empty');
  });
});

describe('arn-partition: every ARN is in the partition of the cluster region', () => {
  test.each([
    ['us-west-2', 'aws'], ['cn-north-1', 'aws-cn'], ['cn-northwest-1', 'aws-cn'], ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'], ['us-isob-east-1', 'aws-iso-b'], ['eu-isoe-west-1', 'aws-iso-e'], ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc'],
  ])('the rule: %s is partition %s', (region, partition) => {
    expect(partitionForRegion(region)).toBe(partition);
    expect(checkArnPartition('f', `arn:${partition}:iam::111122223333:role/x`, region)).toEqual([]);
    const other = partition === 'aws' ? 'aws-cn' : 'aws';
    const [f] = checkArnPartition('f', `arn:${other}:iam::111122223333:role/x`, region);
    expect(f).toMatchObject({ code: 'arn-partition', severity: 'error', field: 'f' });
    expect(f.fix).toContain(`arn:${partition}:iam::111122223333:role/x`);
    expect(checkArnPartition('f', 'not-an-arn', region)).toEqual([]);
  });

  const CN = cluster('cn-north-1');
  test.each<[string, string]>([
    ['serviceAccounts[0].existingRoleArn', 'serviceAccounts:\n  - { name: a, namespace: apps, existingRoleArn: "arn:aws:iam::111122223333:role/x" }\n'],
    ['serviceAccounts[0].role.managedPolicies[1]', 'serviceAccounts:\n  - { name: a, namespace: apps, role: { managedPolicies: [AmazonS3ReadOnlyAccess, "arn:aws:iam::111122223333:policy/p"] } }\n'],
    ['serviceAccounts[0].role.permissionsBoundary', 'serviceAccounts:\n  - { name: a, namespace: apps, role: { permissionsBoundary: "arn:aws:iam::111122223333:policy/b" } }\n'],
    ['defaults.permissionsBoundary', 'defaults: { permissionsBoundary: "arn:aws:iam::111122223333:policy/b" }\nfargate: {}\n'],
    ['accessEntries[0].principalArn', 'accessEntries:\n  - { principalArn: "arn:aws:iam::111122223333:role/admin" }\n'],
    ['manifests.kubectlRoleArn', 'manifests: { apply: true, kubectlRoleArn: "arn:aws:iam::111122223333:role/kubectl" }\n'],
    ['oidcProvider.arn', 'oidcProvider: { arn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/EXAMPLE" }\n'],
  ])('%s of partition aws in cn-north-1 fails', (field, yaml) => {
    const spec = field === 'manifests.kubectlRoleArn' ? cluster('cn-north-1', '  kubernetesVersion: "1.31"\n') : CN;
    expectIdentityError(() => build(spec + yaml), field, /is in partition 'aws', but the cluster's region cn-north-1 is in partition 'aws-cn'.*\[arn-partition\]/);
  });

  test('podIdentity.targetRoleArn of another partition fails', () => {
    expectIdentityError(() => build(`${cluster('us-gov-west-1')}serviceAccounts:
  - { name: a, namespace: apps, mechanism: podIdentity, podIdentity: { targetRoleArn: "arn:aws:iam::444455556666:role/t" } }
`), 'serviceAccounts[0].podIdentity.targetRoleArn', /partition 'aws-us-gov'/);
  });

  test('aws-cn: every ARN of the right partition synthesizes', () => {
    const app = new App();
    build(`${cluster('cn-north-1')}oidcProvider: { arn: "arn:aws-cn:iam::111122223333:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/EXAMPLE" }
defaults: { permissionsBoundary: "arn:aws-cn:iam::111122223333:policy/b" }
serviceAccounts:
  - { name: a, namespace: apps, role: { managedPolicies: [AmazonS3ReadOnlyAccess, "arn:aws-cn:iam::111122223333:policy/p"] } }
  - { name: b, namespace: apps, existingRoleArn: "arn:aws-cn:iam::111122223333:role/b" }
accessEntries:
  - { principalArn: "arn:aws-cn:iam::111122223333:role/admin", accessPolicies: [{ policy: AmazonEKSViewPolicy }] }
`, app);
    const out = synth(app);
    expect(out.manifests.Spec.map(o => o.metadata.annotations['eks.amazonaws.com/role-arn']))
      .toEqual(['arn:aws-cn:iam::111122223333:role/my-cluster-apps-a', 'arn:aws-cn:iam::111122223333:role/b']);
    const [[, entry]] = resourcesOfType(out.templates.Spec, 'AWS::EKS::AccessEntry');
    expect(entry.Properties.AccessPolicies[0].PolicyArn).toBe('arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy');
  });

  test('aws-us-gov: a Pod Identity target role and an access entry of the right partition synthesize', () => {
    const app = new App();
    build(`${cluster('us-gov-west-1')}serviceAccounts:
  - { name: a, namespace: apps, mechanism: podIdentity, podIdentity: { targetRoleArn: "arn:aws-us-gov:iam::444455556666:role/t" } }
accessEntries:
  - { principalArn: "arn:aws-us-gov:iam::111122223333:user/u" }
`, app);
    const t = synth(app).templates.Spec;
    expect(resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation')[0][1].Properties.TargetRoleArn).toBe('arn:aws-us-gov:iam::444455556666:role/t');
  });

  describe('TypeScript constructs check the ARN props where they come in', () => {
    const stackIn = (region: string) => {
      const stack = new Stack(new App(), 'S', { env: { account: '111122223333', region } });
      return { stack, cluster: IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'c', oidcIssuerUrl: `https://oidc.eks.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}/id/X`, authenticationMode: 'API' as any }) };
    };
    test('WorkloadIdentity existingRoleArn and podIdentity.targetRoleArn', () => {
      const { stack, cluster: c } = stackIn('cn-north-1');
      expectIdentityError(() => new WorkloadIdentity(stack, 'W', { cluster: c, namespace: 'a', serviceAccountName: 'b', existingRoleArn: 'arn:aws:iam::111122223333:role/x' }),
        'existingRoleArn', /\[arn-partition\]/);
      expectIdentityError(() => new WorkloadIdentity(stack, 'P', {
        cluster: c, namespace: 'a', serviceAccountName: 'b', mechanism: IdentityMechanism.POD_IDENTITY, podIdentity: { targetRoleArn: 'arn:aws:iam::444455556666:role/t' },
      }), 'podIdentity.targetRoleArn', /\[arn-partition\]/);
      new WorkloadIdentity(stack, 'Ok', { cluster: c, namespace: 'a', serviceAccountName: 'b', existingRoleArn: 'arn:aws-cn:iam::111122223333:role/x' });
    });
    test('AccessEntry principalArn', () => {
      const { stack, cluster: c } = stackIn('us-gov-east-1');
      expectIdentityError(() => new AccessEntry(stack, 'E', { cluster: c, principalArn: 'arn:aws:iam::111122223333:role/x' }), 'principalArn', /\[arn-partition\]/);
      new AccessEntry(stack, 'Ok', { cluster: c, principalArn: 'arn:aws-us-gov:iam::111122223333:role/x' });
    });
  });
});

test('a spec object that bypasses the schema is still checked by the binder (session policy under podIdentity)', () => {
  const spec: IdentitySpec = {
    cluster: { name: 'c', account: '111122223333', region: 'eu-west-1' },
    serviceAccounts: [{
      name: 'a',
      namespace: 'apps',
      mechanism: IdentityMechanism.POD_IDENTITY,
      podIdentity: { disableSessionTags: true, sessionPolicy: { statements: [{ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::${'x'.repeat(2100)}`] }] } },
    }],
  };
  expectIdentityError(() => new WorkloadIdentityStack(new App(), 'S', { spec }), 'serviceAccounts[0].podIdentity.sessionPolicy', /2048 characters.*\[pod-identity-session-policy-length\]/);
});
