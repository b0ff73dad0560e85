/**
 * The spec format has one source of truth in three places that must agree on every key: the
 * TypeScript types (lib/identity-spec/types*.ts), the JSON Schema that ships
 * (schema/identity-spec.schema.json) and the binder that reads the spec. This test fails when a
 * key is in one and not in another.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as ts from 'typescript';
import { IdentityFleet, IdentitySpec, IdentitySpecFile, WorkloadIdentityStack } from '../lib';

const ROOT = path.join(__dirname, '..');
const schema = JSON.parse(fs.readFileSync(IdentitySpecFile.SCHEMA_PATH, 'utf8'));

/** Every interface of the spec types (and the types they borrow), by name: key -> property type node. */
function interfaces(): Map<string, Map<string, ts.TypeNode | undefined>> {
  const dir = path.join(ROOT, 'lib', 'identity-spec');
  const files = [
    ...fs.readdirSync(dir).filter(f => /^types.*\.ts$/.test(f)).map(f => path.join(dir, f)),
    path.join(ROOT, 'lib', 'quotas.ts'),
    path.join(ROOT, 'lib', 'fargate', 'fargate-profile.ts'),
    path.join(ROOT, 'lib', 'addons', 'addon-identity.ts'),
  ];
  const out = new Map<string, Map<string, ts.TypeNode | undefined>>();
  const bases = new Map<string, string[]>();
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    source.forEachChild(node => {
      if (!ts.isInterfaceDeclaration(node)) return;
      const props = new Map<string, ts.TypeNode | undefined>();
      for (const m of node.members) if (ts.isPropertySignature(m)) props.set(m.name.getText(source), m.type);
      out.set(node.name.text, props);
      bases.set(node.name.text, (node.heritageClauses ?? []).flatMap(h => h.types.map(t => t.expression.getText(source))));
    });
  }
  // an interface has the keys of the spec interfaces it extends (`FleetClusterSpec extends ClusterSpec`)
  const withInherited = (name: string): Map<string, ts.TypeNode | undefined> => {
    const own = out.get(name)!;
    const inherited = (bases.get(name) ?? []).filter(b => out.has(b)).map(withInherited);
    return new Map([...inherited.flatMap(m => [...m]), ...own]);
  };
  return new Map([...out.keys()].map(name => [name, withInherited(name)]));
}

/** The interface a property type names (`ClusterSpec`, `ServiceAccountSpec[]`), or undefined for a leaf or a map. */
function interfaceOf(type: ts.TypeNode | undefined): string | undefined {
  if (type === undefined) return undefined;
  if (ts.isArrayTypeNode(type)) return interfaceOf(type.elementType);
  if (ts.isTypeReferenceNode(type)) return type.typeName.getText();
  return undefined;
}

function resolve(s: any): any {
  if (s?.$ref) return resolve(s.$ref.replace('#/', '').split('/').reduce((o: any, k: string) => o[k], schema));
  if (s?.type === 'array') return resolve(s.items);
  return s;
}

/** Walks schema and types together: `path: schema keys vs interface keys` for every object with properties. */
function compare(): string[] {
  const types = interfaces();
  const problems: string[] = [];
  const walk = (node: any, iface: string, at: string) => {
    const keys = Object.keys(node.properties).sort();
    const props = types.get(iface);
    if (!props) return problems.push(`${at || '(root)'}: no interface ${iface}`);
    const typeKeys = [...props.keys()].sort();
    for (const k of keys.filter(x => !props.has(x))) problems.push(`${at}${at ? '.' : ''}${k}: in the schema, not in ${iface}`);
    for (const k of typeKeys.filter(x => !keys.includes(x))) problems.push(`${at}${at ? '.' : ''}${k}: in ${iface}, not in the schema`);
    for (const k of keys.filter(x => props.has(x))) {
      const child = resolve(node.properties[k]);
      const childIface = interfaceOf(props.get(k));
      if (child?.properties && childIface && types.has(childIface)) walk(child, childIface, `${at}${at ? '.' : ''}${k}`);
      else if (child?.properties) problems.push(`${at}${at ? '.' : ''}${k}: an object in the schema, but ${iface}.${k} names no interface of the spec`);
    }
    return undefined;
  };
  walk(schema, 'IdentitySpec', '');
  return problems;
}

/** Every key path of the schema (`serviceAccounts[].role.name`); maps (stringMap, conditions) are leaves. */
function schemaPaths(node: any = schema, at = ''): string[] {
  return Object.entries<any>(node.properties ?? {}).flatMap(([k, v]) => {
    const p = `${at}${at ? '.' : ''}${k}${v.type === 'array' || resolve(v) !== v && v.type === 'array' ? '[]' : ''}`;
    const child = resolve(v);
    return [p, ...(child?.properties ? schemaPaths(child, p) : [])];
  });
}

/** A spec with every key of the format (an IRSA service account with a named role, a Pod Identity one, one with a default role name). */
const FULL: IdentitySpec = IdentitySpecFile.parse(`
stackName: full-identity
cluster:
  name: my-cluster
  account: "111122223333"
  region: us-west-2
  oidcIssuerUrl: https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE
  kubernetesVersion: "1.31"
  platformVersion: eks.4
  authenticationMode: API
oidcProvider:
  arn: arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE
  thumbprints: ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
  keep: true
defaults:
  roleNamePrefix: p-
  rolePath: /eks/
  permissionsBoundary: arn:aws:iam::111122223333:policy/boundary
  tags: { team: platform }
quotas: { trustPolicyLength: 2048, managedPoliciesPerRole: 10, selectorsPerFargateProfile: 5, labelsPerFargateSelector: 5, rolesPerAccount: 1000 }
serviceAccounts:
  - name: a
    namespace: apps
    mechanism: irsa
    role:
      name: role-a
      path: /a/
      managedPolicies: [AmazonS3ReadOnlyAccess]
      statements:
        - { sid: S1, effect: Allow, actions: ["s3:GetObject"], resources: ["*"], conditions: { Bool: { "aws:SecureTransport": "true" } } }
        - { effect: Deny, notActions: ["s3:*"], notResources: ["arn:aws:s3:::b/*"] }
      maxSessionDuration: 3600
      permissionsBoundary: arn:aws:iam::111122223333:policy/boundary
    stsRegionalEndpoints: true
    tokenExpirationSeconds: 3600
    audience: sts.amazonaws.com
    automountServiceAccountToken: false
    verify: true
    labels: { app: a }
    annotations: { owner: me }
  - name: b
    namespace: payments
    mechanism: podIdentity
    existingRoleArn: arn:aws:iam::111122223333:role/b
    podIdentity:
      targetRoleArn: arn:aws:iam::444455556666:role/t
      disableSessionTags: true
      sessionPolicy:
        statements:
          - { sid: S1, effect: Allow, actions: ["s3:GetObject"], resources: ["*"], conditions: { Bool: { "aws:SecureTransport": "true" } } }
          - { effect: Deny, notActions: ["s3:*"], notResources: ["arn:aws:s3:::b/*"] }
  - { name: c, namespace: apps }
fargate:
  podExecutionRole: { name: exec }
  profiles:
    - { name: web, subnetIds: [subnet-0123456789abcdef0], selectors: [{ namespace: web, labels: { compute: fargate } }] }
accessEntries:
  - principalArn: arn:aws:iam::111122223333:role/admin
    type: STANDARD
    username: "admin:{{SessionName}}"
    kubernetesGroups: [admins]
    accessPolicies: [{ policy: AmazonEKSViewPolicy, namespaces: [apps] }]
    tags: { team: platform }
rbac:
  - { group: admins, clusterRole: view, namespaces: [apps] }
addons:
  - name: external-dns
    version: v0.22.0
    mechanism: irsa
    namespace: dns
    serviceAccountName: external-dns
    scope:
      hostedZoneArns: [arn:aws:route53:::hostedzone/Z1]
      kmsKeyArns: [arn:aws:kms:eu-west-1:111122223333:key/k]
      bucketArns: [arn:aws:s3:::b]
      secretArns: [arn:aws:secretsmanager:eu-west-1:111122223333:secret:s]
      parameterArns: [arn:aws:ssm:eu-west-1:111122223333:parameter/p]
      autoScalingGroupNames: [g]
      recordNames: [a.example.com]
      vpcIds: [vpc-0123456789abcdef0]
      certificateAuthorityArns: [arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/c]
      roleArns: [arn:aws:iam::111122223333:role/r]
    role:
      name: addon-dns
      path: /addons/
      permissionsBoundary: arn:aws:iam::111122223333:policy/boundary
      managedPolicies: [AmazonS3ReadOnlyAccess]
      statements:
        - { sid: S1, effect: Allow, actions: ["s3:GetObject"], resources: ["*"], conditions: { Bool: { "aws:SecureTransport": "true" } } }
        - { effect: Deny, notActions: ["s3:*"], notResources: ["arn:aws:s3:::b/*"] }
    managed:
      addonName: external-dns
      addonVersion: v0.15.0-eksbuild.1
      configurationValues: { replicaCount: 1 }
      resolveConflicts: OVERWRITE
  - name: karpenter
    nodeRole: { name: karpenter-nodes, path: /addons/, managedPolicies: [CloudWatchAgentServerPolicy] }
    interruptionQueue: { name: my-cluster-interruptions }
    instanceProfile: { name: karpenter-nodes }
    autoMode: false
    accessEntry: true
    accessEntryType: EC2_LINUX
podIdentityAgent: { addonVersion: v1.3.4-eksbuild.1, external: false }
layout: single
manifests:
  apply: true
  kubectlRoleArn: arn:aws:iam::111122223333:role/kubectl
  overwrite: true
  createNamespaces: true
  subnetIds: [subnet-0123456789abcdef0]
  securityGroupIds: [sg-0123456789abcdef0]
`);

/** The fleet keys (clusters:, serviceAccounts[].clusters, role.account, accessEntries[].clusters): a fleet spec cannot also hold cluster:. */
const FLEET: IdentitySpec = IdentitySpecFile.parse(`
clusters:
  - name: blue
    account: "111122223333"
    region: us-west-2
    oidcIssuerUrl: https://oidc.eks.us-west-2.amazonaws.com/id/BLUE
    kubernetesVersion: "1.31"
    platformVersion: eks.4
    authenticationMode: API
    fargate:
      podExecutionRole: { name: exec }
      profiles:
        - { name: web, subnetIds: [subnet-0123456789abcdef0], selectors: [{ namespace: web, labels: { compute: fargate } }] }
    oidcProvider: { arn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/BLUE" }
    manifests:
      apply: true
      kubectlRoleArn: arn:aws:iam::111122223333:role/blue-kubectl
      overwrite: true
      createNamespaces: true
      subnetIds: [subnet-0123456789abcdef0]
      securityGroupIds: [sg-0123456789abcdef0]
  - name: green
    account: "444455556666"
    region: eu-west-1
    oidcIssuerUrl: https://oidc.eks.eu-west-1.amazonaws.com/id/GREEN
    oidcProvider: { crossAccountArns: ["arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/GREEN"] }
serviceAccounts:
  - { name: a, namespace: apps, clusters: [blue, green], role: { account: "111122223333" } }
accessEntries:
  - { principalArn: "arn:aws:iam::111122223333:role/admin", clusters: [blue] }
rbac:
  - { group: viewers, clusterRole: view, clusters: [blue] }
`);

/** The key paths of a value (`serviceAccounts[].role.name`), maps (labels, tags, conditions...) as leaves. */
function valuePaths(v: any, leafMaps: Set<string>, at = ''): string[] {
  if (Array.isArray(v)) return v.flatMap(x => valuePaths(x, leafMaps, `${at}[]`));
  if (v === null || typeof v !== 'object' || leafMaps.has(at.replace(/\[\]/g, ''))) return [];
  return Object.entries(v).flatMap(([k, x]) => {
    const p = `${at}${at ? '.' : ''}${k}`;
    return [Array.isArray(x) ? `${p}[]` : p, ...valuePaths(x, leafMaps, p)];
  });
}

/** Records every key path read from the spec, outside the generic token scan (isLiteral walks every key). */
function recording(value: any, read: Set<string>, leafMaps: Set<string>, at = ''): any {
  if (value === null || typeof value !== 'object' || leafMaps.has(at.replace(/\[\]/g, ''))) return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return v;
      if (Array.isArray(target)) return /^\d+$/.test(key) ? recording(v, read, leafMaps, at) : v;
      const p = `${at}${at ? '.' : ''}${key}${Array.isArray(v) ? '[]' : ''}`;
      if (!/at isLiteral /.test(new Error().stack ?? '')) read.add(p);
      return recording(v, read, leafMaps, Array.isArray(v) ? p : `${at}${at ? '.' : ''}${key}`);
    },
  });
}

describe('one spec format: types, schema and binder agree on every key', () => {
  test('the JSON Schema and the TypeScript types have the same keys, section by section', () => {
    expect(compare()).toEqual([]);
  });

  const leafMaps = new Set(['defaults.tags', 'serviceAccounts.labels', 'serviceAccounts.annotations', 'accessEntries.tags',
    'fargate.profiles.selectors.labels', 'addons.managed.configurationValues', 'podIdentityAgent', 'addons.interruptionQueue', 'addons.instanceProfile', 'addons.role.statements.conditions', 'serviceAccounts.role.statements.conditions', 'serviceAccounts.podIdentity.sessionPolicy.statements.conditions']);

  const fleetLeafMaps = new Set([...leafMaps, 'clusters.fargate.profiles.selectors.labels']);

  test('the fixture below holds every key of the schema (so the next test covers them all)', () => {
    expect([...new Set([...valuePaths(FULL, leafMaps), ...valuePaths(FLEET, fleetLeafMaps)])].sort()).toEqual([...new Set(schemaPaths())].sort());
  });

  test('the binder (and the stack it feeds) reads every key of the schema', () => {
    const read = new Set<string>();
    new WorkloadIdentityStack(new App(), 'Full', { spec: recording(FULL, read, leafMaps) });
    new IdentityFleet(new App(), 'Fleet', { spec: recording(FLEET, read, fleetLeafMaps) });
    const unread = schemaPaths().filter(p => !read.has(p));
    expect(unread).toEqual([]);
  });
});
