import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { App } from 'aws-cdk-lib';
import { IdentitySpecFile, WorkloadIdentityStack } from '../lib';
import { expectIdentityError } from './util/expect-error';
import { synth } from './util/synth';

const BASE = `
cluster:
  name: my-cluster
  account: "111122223333"
  region: us-east-2
  oidcIssuerUrl: https://oidc.eks.us-east-2.amazonaws.com/id/xxxx
`;

function build(yaml: string) {
  const app = new App();
  const stack = new WorkloadIdentityStack(app, 'Spec', { spec: IdentitySpecFile.parse(yaml) });
  return { app, stack };
}

const sa = (extra: string) => `${BASE}serviceAccounts:\n  - name: my-sa\n    namespace: default\n${extra.split('\n').map(l => (l ? `    ${l}` : l)).join('\n')}\n`;

describe('spec shape (JSON Schema)', () => {
  test('the schema that ships is itself a valid draft-07 schema', () => {
    const ajv = new Ajv({ strict: false });
    expect(ajv.validateSchema(JSON.parse(fs.readFileSync(IdentitySpecFile.SCHEMA_PATH, 'utf8')))).toBe(true);
  });

  test('a minimal spec synthesizes: seed 004 through the spec', () => {
    const { app } = build(sa(''));
    const out = synth(app);
    expect(out.manifests.Spec[0].metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::111122223333:role/my-cluster-default-my-sa');
  });

  test('an unknown key names its path and suggests the key meant', () => {
    const err = expectIdentityError(() => IdentitySpecFile.parse(sa('rolee: {}')), 'serviceAccounts[0].rolee', /did you mean 'role'/);
    expect(err.message).toMatch(/identity\.yaml line 10/);
  });

  test.each([
    ['cluster.account', BASE.replace('"111122223333"', '111122223333'), /quote the account/],
    ['cluster.name', BASE.replace('  name: my-cluster\n', ''), /is required/],
    ['serviceAccounts[0].stsRegionalEndpoints', sa('stsRegionalEndpoints: "yes"'), /true or false/],
    ['serviceAccounts[0].tokenExpirationSeconds', sa('tokenExpirationSeconds: ten'), /whole number/],
    ['serviceAccounts[0].mechanism', sa('mechanism: irsaa'), /must be one of "irsa", "podIdentity"/],
    ['serviceAccounts[0]', sa('role: {}\nexistingRoleArn: arn:aws:iam::111122223333:role/x'), /both role and existingRoleArn/],
    ['serviceAccounts[0].labels.app', sa('labels:\n  app: 1'), /quote the value/],
    ['cluster.kubernetesVersion', `${BASE}  kubernetesVersion: 1.30\n`, /quote the version/],
    ['quotas.trustPolicyLenght', `${BASE}quotas:\n  trustPolicyLenght: 4096\n`, /did you mean 'trustPolicyLength'/],
  ])('%s: a shape error names the path', (field, yaml, message) => {
    expectIdentityError(() => IdentitySpecFile.parse(yaml), field, message);
  });

  test('invalid YAML names the line', () => {
    expectIdentityError(() => IdentitySpecFile.parse(`${BASE}serviceAccounts:\n  - name: a\n   namespace: b\n`), 'identity.yaml:9', /not valid YAML/);
  });

  test('a missing file says which', () => {
    expectIdentityError(() => IdentitySpecFile.load('/nonexistent/identity.yaml'), 'spec', /cannot be read/);
  });

  test('JSON specs load too', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spec-'));
    const file = path.join(dir, 'identity.json');
    fs.writeFileSync(file, JSON.stringify({ cluster: { name: 'c', account: '111122223333', region: 'eu-west-1' } }));
    expect(IdentitySpecFile.load(file).cluster.region).toBe('eu-west-1');
  });
});

describe('spec rules (errors carry the spec path)', () => {
  test.each([
    ['serviceAccounts[0].namespace', sa('').replace('namespace: default', 'namespace: Team_A'), /DNS-1123 label/],
    ['serviceAccounts[0].name', sa('').replace('name: my-sa', 'name: My_SA'), /DNS-1123 subdomain/],
    ['serviceAccounts[0].tokenExpirationSeconds', sa('tokenExpirationSeconds: 60'), /600\.\.86400/],
    ['serviceAccounts[0].annotations.eks.amazonaws.com/role-arn', sa('annotations:\n  eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/x'), /existingRoleArn/],
    ['serviceAccounts[0].role.name', sa('role:\n  name: "bad name"'), /IAM role name/],
    ['serviceAccounts[0].role.path', sa('role:\n  path: eks'), /IAM path/],
    ['serviceAccounts[0].role.maxSessionDuration', sa('role:\n  maxSessionDuration: 60'), /3600\.\.43200/],
    ['serviceAccounts[0].role.managedPolicies[0]', sa('role:\n  managedPolicies: ["arn:aws:iam::111122223333:role/not-a-policy"]'), /managed policy ARN/],
    ['serviceAccounts[0].role.managedPolicies[0]', sa('role:\n  managedPolicies: ["Amazon S3 Read"]'), /AWS-managed policy name/],
    ['serviceAccounts[0].role.statements', sa('role:\n  statements:\n    - actions: ["s3:GetObject"]'), /identity policy/],
    ['serviceAccounts[0].existingRoleArn', sa('existingRoleArn: arn:aws:sts::111122223333:assumed-role/x/y'), /STS session/],
    ['cluster.oidcIssuerUrl', sa('').replace('https://oidc', 'http://oidc'), /https/],
    ['oidcProvider.arn', `${sa('')}oidcProvider:\n  arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-2.amazonaws.com/id/OTHER\n`, /another cluster/],
    ['cluster.oidcIssuerUrl', sa('').replace(/  oidcIssuerUrl: .*\n/, ''), /describe-cluster/],
    ['serviceAccounts[1].name', `${sa('')}  - name: my-sa\n    namespace: default\n`, /already declared/],
    ['quotas.trustPolicyLength', `${sa('')}quotas:\n  trustPolicyLength: 8192\n`, /2048\.\.4096/],
    ['defaults.permissionsBoundary', `${sa('')}defaults:\n  permissionsBoundary: boundary\n`, /managed policy ARN/],
  ])('%s: bad input never yields a template', (field, yaml, message) => {
    expectIdentityError(() => build(yaml), field, message);
  });

  test('defaults, quotas and role options reach the template', () => {
    const { app } = build(`${sa(`role:
  managedPolicies: [AmazonS3ReadOnlyAccess, service-role/AmazonEBSCSIDriverPolicy, "arn:aws:iam::111122223333:policy/custom"]
  maxSessionDuration: 7200
  statements:
    - { effect: Allow, actions: ["s3:GetObject"], resources: ["arn:aws:s3:::bucket/*"] }`)}defaults:
  roleNamePrefix: platform-
  rolePath: /eks/
  permissionsBoundary: arn:aws:iam::111122223333:policy/boundary
  tags: { team: platform }
quotas:
  managedPoliciesPerRole: 12
`);
    const out = synth(app);
    const role: any = Object.values(out.templates.Spec.Resources).find((r: any) => r.Type === 'AWS::IAM::Role');
    expect(role.Properties).toMatchObject({
      RoleName: 'platform-my-cluster-default-my-sa',
      Path: '/eks/',
      MaxSessionDuration: 7200,
      PermissionsBoundary: 'arn:aws:iam::111122223333:policy/boundary',
      Tags: [{ Key: 'team', Value: 'platform' }],
    });
    expect(role.Properties.ManagedPolicyArns).toHaveLength(3);
    expect(role.Properties.Policies[0].PolicyDocument.Statement).toEqual([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }]);
    expect(out.manifests.Spec[0].metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::111122223333:role/eks/platform-my-cluster-default-my-sa');
  });

  test('an imported provider: no provider resource, and no issuer needed when only existing roles are used', () => {
    const { app } = build(`${sa('')}oidcProvider:\n  arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-2.amazonaws.com/id/xxxx\n`);
    const t = synth(app).templates.Spec;
    expect(Object.values(t.Resources).map((r: any) => r.Type)).toEqual(['AWS::IAM::Role']);
    const issuerFromArn = build(`${sa('')}oidcProvider:\n  arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-2.amazonaws.com/id/xxxx\n`.replace(/  oidcIssuerUrl: .*\n/, ''));
    const t2 = synth(issuerFromArn.app).templates.Spec;
    expect(Object.values(t2.Resources).map((r: any) => r.Type)).toEqual(['AWS::IAM::Role']);
    expect(JSON.stringify(t2)).toContain('"oidc.eks.us-east-2.amazonaws.com/id/xxxx:sub":"system:serviceaccount:default:my-sa"');
    const noIssuer = build(sa('existingRoleArn: arn:aws:iam::111122223333:role/x').replace(/  oidcIssuerUrl: .*\n/, ''));
    expect(noIssuer.stack.workloads[0].roleArn).toBe('arn:aws:iam::111122223333:role/x');
  });

  test('the stack takes the cluster environment and the spec stack name', () => {
    const { stack } = build(`stackName: ids\n${sa('')}`);
    expect(stack.stackName).toBe('ids');
    expect(stack.account).toBe('111122223333');
    expect(stack.region).toBe('us-east-2');
  });

  test('more roles than quotas.rolesPerAccount: a warning, not an error', () => {
    const many = Array.from({ length: 1001 }, (_, i) => `  - { name: sa-${i}, namespace: default }`).join('\n');
    // (1001 roles need layout nested; the warning is read before synthesis)
    const { stack } = build(`${BASE}layout: nested\nserviceAccounts:\n${many}\n`);
    const warnings = stack.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data));
    expect(warnings.join('\n')).toMatch(/1001 roles.*exceeds the roles per account quota of 1000/);
  });
});
