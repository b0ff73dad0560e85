import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { IdentitySpec, IdentitySpecFile, WorkloadIdentityStack } from '../lib';
import { expectIdentityError } from './util/expect-error';
import { resourcesOfType, synth } from './util/synth';

const EXAMPLE = path.join(__dirname, '..', 'examples', 'fargate-pod-identity', 'identity.yaml');

const HEAD = `
cluster:
  name: my-cluster
  account: "111122223333"
  region: us-west-2
  oidcIssuerUrl: https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE
`;

/** A stack from spec text: schema first (as `cdk synth -c spec=` does), then the constructs. */
function fromYaml(text: string, app = new App(), id = 'Spec'): WorkloadIdentityStack {
  return new WorkloadIdentityStack(app, id, { spec: IdentitySpecFile.parse(HEAD + text) });
}

/** The same spec as an object, bypassing the schema: the constructs must catch it too. */
function fromObject(text: string): WorkloadIdentityStack {
  const spec = parse(HEAD + text) as IdentitySpec;
  return new WorkloadIdentityStack(new App(), 'Spec', { spec });
}

describe('examples/fargate-pod-identity', () => {
  test('IRSA and Pod Identity service accounts, the pod execution role and chained profiles in one stack', () => {
    const app = new App();
    WorkloadIdentityStack.fromSpecFile(app, 'FargatePodIdentityIdentity', EXAMPLE);
    const out = synth(app);
    const t = out.templates.FargatePodIdentityIdentity;

    // seed 003
    const roles = resourcesOfType(t, 'AWS::IAM::Role');
    const [podExecutionRoleId, podExecutionRole] = roles.find(([, r]) => r.Properties.RoleName === 'my-cluster-fargate-pod-execution')!;
    expect(podExecutionRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Principal: { Service: 'eks-fargate-pods.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:eks:us-west-2:111122223333:fargateprofile/my-cluster/*' } },
    }]);
    expect(JSON.stringify(podExecutionRole.Properties.ManagedPolicyArns)).toContain(':iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy');

    const profiles = resourcesOfType(t, 'AWS::EKS::FargateProfile');
    expect(profiles.map(([, p]) => p.Properties.FargateProfileName)).toEqual(['web', 'batch']);
    expect(profiles[1][1].DependsOn).toEqual([profiles[0][0]]);
    expect(profiles.every(([, p]) => p.Properties.PodExecutionRoleArn['Fn::GetAtt'][0] === podExecutionRoleId)).toBe(true);

    // Pod Identity: associations, and no annotation; IRSA keeps its annotation
    const associations = resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation').map(([, a]) => a.Properties);
    expect(associations.map(a => `${a.Namespace}/${a.ServiceAccount}`)).toEqual(['payments/ledger', 'payments/reports']);
    expect(associations[1]).toMatchObject({ TargetRoleArn: 'arn:aws:iam::444455556666:role/reports-reader', DisableSessionTags: true });
    expect(JSON.parse(associations[1].Policy).Statement[0].Resource).toBe('arn:aws:s3:::reports-444455556666/*');
    expect(out.manifests.FargatePodIdentityIdentity.map(o => [`${o.metadata.namespace}/${o.metadata.name}`, o.metadata.annotations])).toEqual([
      ['web/frontend', {
        'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/my-cluster-web-frontend',
        'eks.amazonaws.com/sts-regional-endpoints': 'true',
      }],
      ['payments/ledger', undefined],
      ['payments/reports', undefined],
    ]);
    // the 'batch-*' selector has labels but no Pod Identity service account lives there
    expect(out.annotations.filter(a => a.level === 'warning')).toEqual([]);

    expect(t).toMatchSnapshot();
    expect(out.yaml.FargatePodIdentityIdentity).toMatchSnapshot();
  });

  test('the add-on can be created from TypeScript', () => {
    const app = new App();
    new WorkloadIdentityStack(app, 'S', { spec: IdentitySpecFile.load(EXAMPLE), podIdentityAgentAddon: {} });
    const [[, addon]] = resourcesOfType(synth(app).templates.S, 'AWS::EKS::Addon');
    expect(addon.Properties).toMatchObject({ AddonName: 'eks-pod-identity-agent', ClusterName: 'my-cluster', PreserveOnDelete: true });
  });
});

describe('fargate section', () => {
  const six = Array.from({ length: 6 }, (_, i) => `        - namespace: ns-${i}`).join('\n');

  test('6 selectors fail without the quota override, and pass with it', () => {
    const spec = `
fargate:
  profiles:
    - name: many
      selectors:
${six}
`;
    expectIdentityError(() => fromYaml(spec), 'fargate.profiles[0].selectors', /6 selectors.*quotas\.selectorsPerFargateProfile/);
    const app = new App();
    fromYaml(`quotas:\n  selectorsPerFargateProfile: 6\n${spec}`, app);
    expect(resourcesOfType(synth(app).templates.Spec, 'AWS::EKS::FargateProfile')[0][1].Properties.Selectors).toHaveLength(6);
  });

  test('a selector without namespace fails naming it (schema and constructs)', () => {
    const spec = `
fargate:
  profiles:
    - name: p
      selectors:
        - namespace: web
        - labels: { app: x }
`;
    expectIdentityError(() => fromYaml(spec), 'fargate.profiles[0].selectors[1].namespace', /is required/);
    expectIdentityError(() => fromObject(spec), 'fargate.profiles[0].selectors[1].namespace', /is required/);
  });

  test.each([
    ['fargate.profiles[0].subnetIds[0]', 'fargate:\n  profiles:\n    - name: p\n      subnetIds: [subnet-x]\n      selectors: [{ namespace: a }]\n', /subnet id/],
    ['fargate.profiles[1].name', 'fargate:\n  profiles:\n    - name: p\n      selectors: [{ namespace: a }]\n    - name: p\n      selectors: [{ namespace: b }]\n', /unique per cluster/],
    ['fargate.profiles[0].selectors[0].namespace', 'fargate:\n  profiles:\n    - name: p\n      selectors: [{ namespace: Web_App }]\n', /DNS-1123/],
    ['fargate.profiles[0].selectors[0].labels', `fargate:\n  profiles:\n    - name: p\n      selectors: [{ namespace: a, labels: { ${Array.from({ length: 6 }, (_, i) => `k${i}: v`).join(', ')} } }]\n`, /labelsPerFargateSelector/],
    ['fargate.podExecutionRole.name', `fargate:\n  podExecutionRole: { name: "${'x'.repeat(65)}" }\n`, /1-64/],
    ['fargate.profiles[0].subnetId', 'fargate:\n  profiles:\n    - name: p\n      subnetId: [subnet-0123456789abcdef0]\n      selectors: [{ namespace: a }]\n', /did you mean 'subnetIds'/],
    ['fargate.profiles[0].selectors', 'fargate:\n  profiles:\n    - name: p\n      selectors: []\n', /fewer than 1/],
  ])('%s fails naming the field', (field, spec, message) => {
    expectIdentityError(() => fromYaml(spec), field, message);
  });

  test('defaults.rolePath and the permissions boundary apply to the pod execution role; a role without profiles is fine', () => {
    const app = new App();
    fromYaml('defaults:\n  rolePath: /eks/\n  permissionsBoundary: arn:aws:iam::111122223333:policy/boundary\nfargate: {}\n', app);
    const [[, role]] = resourcesOfType(synth(app).templates.Spec, 'AWS::IAM::Role');
    expect(role.Properties).toMatchObject({ Path: '/eks/', PermissionsBoundary: 'arn:aws:iam::111122223333:policy/boundary' });
  });
});

describe('mechanism: podIdentity in the spec', () => {
  const sa = (extra: string, namespace = 'payments') => `
serviceAccounts:
  - name: ledger
    namespace: ${namespace}
    mechanism: podIdentity
${extra}`;

  test('a Pod Identity service account in a namespace a label-less Fargate selector takes fails naming it', () => {
    const spec = `
fargate:
  profiles:
    - name: everything-pay
      selectors: [{ namespace: web }, { namespace: "pay*" }]
serviceAccounts:
  - name: frontend
    namespace: web
  - name: ledger
    namespace: payments
    mechanism: podIdentity
`;
    // within one spec the binder sees both sections: refused before anything is built, with the spec path
    expectIdentityError(() => fromYaml(spec), 'serviceAccounts[1].namespace', /is matched by Fargate profile 'everything-pay' selector 1.*Pod Identity does not work/);
  });

  test('with labels on the selector, a warning', () => {
    const app = new App();
    fromYaml(`fargate:\n  profiles:\n    - name: some\n      selectors: [{ namespace: payments, labels: { compute: fargate } }]\n${sa('')}`, app);
    const warnings = synth(app).annotations.filter(a => a.level === 'warning');
    expect(warnings.map(w => w.message)).toEqual([expect.stringMatching(/^namespace: 'payments' is matched by Fargate profile 'some'.*\[pod-identity-on-fargate\]/)]);
  });

  test('a session policy without disableSessionTags fails naming it (schema and constructs)', () => {
    const spec = sa(`    podIdentity:
      sessionPolicy:
        statements:
          - { actions: ["s3:GetObject"], resources: ["*"] }
`);
    expectIdentityError(() => fromYaml(spec), 'serviceAccounts[0].podIdentity.disableSessionTags', /must be true when a session policy is set/);
    expectIdentityError(() => fromObject(spec), 'serviceAccounts[0].podIdentity.disableSessionTags', /must be true when a session policy is set/);
    const off = spec.replace('    podIdentity:\n', '    podIdentity:\n      disableSessionTags: false\n');
    expectIdentityError(() => fromYaml(off), 'serviceAccounts[0].podIdentity.disableSessionTags', /must be true/);
  });

  test('two associations for one service account fail: in one spec, and across two stacks of the same cluster', () => {
    const twice = `
serviceAccounts:
  - { name: ledger, namespace: payments, mechanism: podIdentity }
  - { name: ledger, namespace: payments, mechanism: podIdentity, role: { name: other } }
`;
    expectIdentityError(() => fromYaml(twice), 'serviceAccounts[1].name', /already declared as serviceAccounts\[0\]/);
    const app = new App();
    fromYaml(sa(''), app, 'First');
    fromYaml(sa('    role: { name: second-role }'), app, 'Second');
    expect(() => app.synth()).toThrow(/\[Second\/payments:ledger\/Association\] serviceAccountName: 'payments\/ledger' already has a Pod Identity association.*First.*\[pod-identity-association-unique\]/);
  });

  test.each([
    ['audience', '    audience: sts.amazonaws.com'],
    ['tokenExpirationSeconds', '    tokenExpirationSeconds: 3600'],
    ['stsRegionalEndpoints', '    stsRegionalEndpoints: true'],
  ])('the IRSA-only key %s fails naming it (schema and constructs)', (key, line) => {
    expectIdentityError(() => fromYaml(sa(line)), `serviceAccounts[0].${key}`, /IRSA option/);
    expectIdentityError(() => fromObject(sa(line)), `serviceAccounts[0].${key}`, /IRSA option/);
  });

  test('podIdentity on an IRSA service account fails naming it (schema and constructs)', () => {
    const spec = '\nserviceAccounts:\n  - name: x\n    namespace: a\n    podIdentity: { disableSessionTags: true }\n';
    expectIdentityError(() => fromYaml(spec), 'serviceAccounts[0].podIdentity', /only applies to Pod Identity/);
    expectIdentityError(() => fromObject(spec), 'serviceAccounts[0].podIdentity', /only applies to Pod Identity/);
  });

  test.each([
    ['serviceAccounts[0].existingRoleArn', '    existingRoleArn: arn:aws:iam::444455556666:role/x', /targetRoleArn/],
    ['serviceAccounts[0].podIdentity.targetRoleArn', '    podIdentity: { targetRoleArn: "arn:aws:iam::444455556666:user/x" }', /not an IAM role ARN/],
    ['serviceAccounts[0].podIdentity.sessionPolicy.statements', '    podIdentity:\n      disableSessionTags: true\n      sessionPolicy: { statements: [{ actions: ["s3:GetObject"] }] }', /not a valid session policy/],
    ['serviceAccounts[0].podIdentity.targetRoleArnn', '    podIdentity: { targetRoleArnn: x }', /did you mean 'targetRoleArn'/],
  ])('%s fails naming the field', (field, line, message) => {
    expectIdentityError(() => fromYaml(sa(line)), field, message);
  });

  test('a spec with only Pod Identity service accounts needs no OIDC issuer', () => {
    const app = new App();
    const spec = IdentitySpecFile.parse(`cluster:\n  name: c\n  account: "111122223333"\n  region: eu-west-1\n${sa('    role: { managedPolicies: [AmazonS3ReadOnlyAccess] }')}`);
    new WorkloadIdentityStack(app, 'S', { spec });
    const t = synth(app).templates.S;
    expect(resourcesOfType(t, 'AWS::IAM::OIDCProvider')).toEqual([]);
    expect(resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation')).toHaveLength(1);
  });
});
