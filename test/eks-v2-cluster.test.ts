import { App, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AccessEntry, AccessPolicy, AuthenticationMode, FargateProfile, IdentityCluster, IdentityMechanism, PodExecutionRole,
  PodIdentityAgentAddon, ServiceAccountRole, WorkloadIdentity,
} from '../lib';
import { resourcesOfType, synth } from './util/synth';
import { checkOneProviderPerIssuer, RULES } from '../lib/rules/cluster-provider';

const ENV = { account: '111122223333', region: 'us-west-2' };
/** cfn-lint warnings from aws-eks-v2's own VPC and cluster resources, none from ours. */
const EKS_V2_WARNINGS = [
  'W3005', // aws-eks-v2's VPC: redundant DependsOn of its routes on the gateway attachment
  'W3010', // aws-eks-v2's VPC: availability zones are placeholders (no context lookups in a unit test)
];
const EKS_CHILD_TYPES = ['AWS::EKS::AccessEntry', 'AWS::EKS::FargateProfile', 'AWS::EKS::PodIdentityAssociation', 'AWS::EKS::Addon'];

/** The fake values the cluster attributes take when the trust policy is evaluated. */
const FAKE_ISSUER: Record<string, string> = { Prod: 'https://oidc.eks.us-west-2.amazonaws.com/id/PROD', Stage: 'https://oidc.eks.us-west-2.amazonaws.com/id/STAGE' };

/** Evaluates the intrinsics of a trust policy string: Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Ref, Fn::GetAtt. */
function evaluate(v: any, t: any): any {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map(x => evaluate(x, t));
  const [key] = Object.keys(v);
  const arg = v[key];
  const ref = (id: string): string => {
    if (id === 'AWS::Partition') return 'aws';
    const r = t.Resources[id];
    if (r?.Type === 'AWS::IAM::OIDCProvider') return `arn:aws:iam::${ENV.account}:oidc-provider/${evaluate(r.Properties.Url, t).replace('https://', '')}`;
    if (r?.Type === 'AWS::EKS::Cluster') return r.Properties.Name ?? id;
    throw new Error(`no fake for Ref ${id}`);
  };
  const getAtt = (id: string, attr: string): string => {
    if (attr === 'OpenIdConnectIssuerUrl') return FAKE_ISSUER[id.replace(/[0-9A-F]{8}$/, '')];
    if (attr === 'Arn' && t.Resources[id]?.Type === 'AWS::IAM::OIDCProvider') return ref(id);
    throw new Error(`no fake for ${id}.${attr}`);
  };
  switch (key) {
    case 'Ref': return ref(arg);
    case 'Fn::GetAtt': return getAtt(arg[0], arg[1]);
    case 'Fn::Join': return evaluate(arg[1], t).join(arg[0]);
    case 'Fn::Split': return evaluate(arg[1], t).split(arg[0]);
    case 'Fn::Select': return evaluate(arg[1], t)[arg[0]];
    case 'Fn::Sub': {
      const [text, vars] = typeof arg === 'string' ? [arg, {}] : arg;
      return text.replace(/\$\{([^}]*)\}/g, (_: string, name: string) => {
        if (name.startsWith('!')) return `\${${name.slice(1)}}`;
        if (vars[name] !== undefined) return evaluate(vars[name], t);
        return name.includes('.') ? getAtt(name.split('.')[0], name.split('.')[1]) : ref(name);
      });
    }
    default: return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, evaluate(x, t)]));
  }
}

/** Every logical id `v` references (Ref, Fn::GetAtt, or `${Id}` / `${Id.Attr}` inside Fn::Sub). */
function references(v: any, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) {v.forEach(x => references(x, out));} else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'Ref') {out.add(x as string);} else if (k === 'Fn::GetAtt') {out.add((x as string[])[0]);} else if (k === 'Fn::Sub') {
        const text = typeof x === 'string' ? x : (x as any[])[0];
        for (const m of (text as string).matchAll(/\$\{([^!}][^}.]*)/g)) out.add(m[1]);
        references(typeof x === 'string' ? [] : (x as any[])[1], out);
      } else {references(x, out);}
    }
  }
  return out;
}

function setup(context: Record<string, unknown> = {}) {
  const app = new App({ context });
  const stack = new Stack(app, 'Test', { env: ENV });
  const prod = new eks.Cluster(stack, 'Prod', { clusterName: 'prod', version: eks.KubernetesVersion.V1_31 });
  const cluster = IdentityCluster.fromCluster(stack, 'ProdIdentity', prod, { clusterName: 'prod', kubernetesVersion: '1.31', authenticationMode: AuthenticationMode.API });
  return { app, stack, prod, cluster };
}

describe('an aws-eks-v2 Cluster in the same stack (IdentityCluster.fromCluster)', () => {
  test('no Lambda, one native provider per cluster, every EKS child references its cluster, trust policies as JSON strings', () => {
    const { app, stack, prod, cluster } = setup();
    const stage = new eks.Cluster(stack, 'Stage', { clusterName: 'stage', version: eks.KubernetesVersion.V1_31 });
    const stageCluster = IdentityCluster.fromCluster(stack, 'StageIdentity', stage, { clusterName: 'stage' });

    const api = new WorkloadIdentity(stack, 'Api', { cluster, namespace: 'payments', serviceAccountName: 'api' });
    new WorkloadIdentity(stack, 'Ledger', { cluster, namespace: 'payments', serviceAccountName: 'ledger', mechanism: IdentityMechanism.POD_IDENTITY });
    new PodIdentityAgentAddon(stack, 'Agent', { cluster });
    new AccessEntry(stack, 'Admin', {
      cluster,
      principalArn: 'arn:aws:iam::111122223333:role/admin',
      accessPolicies: [{ policy: AccessPolicy.AMAZON_EKS_CLUSTER_ADMIN_POLICY }],
    });
    const pods = new PodExecutionRole(stack, 'Pods', { cluster });
    new FargateProfile(stack, 'Batch', { cluster, podExecutionRole: pods, fargateProfileName: 'batch', selectors: [{ namespace: 'batch' }] });
    const both = new ServiceAccountRole(stack, 'Both', {
      cluster,
      roleName: 'reporter',
      subjects: [
        { namespace: 'reports', serviceAccountName: 'reporter' },
        { namespace: 'reports', serviceAccountName: 'reporter', cluster: stageCluster },
      ],
    });
    // grants land in the role's own policy, beside the string trust policy
    both.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::reports/*'] }));
    api.role.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] }));

    const out = synth(app, { tolerateWarnings: EKS_V2_WARNINGS });
    const t = out.templates.Test;
    const types = Object.values(t.Resources).map((r: any) => r.Type as string);
    expect(types.filter(x => x === 'AWS::Lambda::Function' || x.startsWith('Custom::'))).toEqual([]);

    // one native provider per cluster, ours, on the cluster's issuer attribute
    const providers = resourcesOfType(t, 'AWS::IAM::OIDCProvider');
    expect(providers.map(([, r]) => r.Properties.Url['Fn::GetAtt'][0]).sort()).toEqual([stack.getLogicalId(prod.node.defaultChild as any), stack.getLogicalId(stage.node.defaultChild as any)].sort());
    expect(providers.every(([, r]) => r.DeletionPolicy === 'Retain')).toBe(true);

    // every EKS child resource names its cluster by reference: created after it, deleted before it
    const prodId = stack.getLogicalId(prod.node.defaultChild as any);
    const children = resourcesOfType(t, 'AWS::EKS::AccessEntry').concat(...EKS_CHILD_TYPES.slice(1).map(ty => resourcesOfType(t, ty)));
    expect(children.map(([, r]) => r.Type).sort()).toEqual([...EKS_CHILD_TYPES].sort());
    for (const [, r] of children) expect(r.Properties.ClusterName).toEqual({ Ref: prodId });

    // the trust policies are JSON strings (no CfnJson) that evaluate to exact conditions
    const trust = (id: string) => {
      const [[, role]] = resourcesOfType(t, 'AWS::IAM::Role').filter(([lid]) => lid.startsWith(id));
      expect(typeof role.Properties.AssumeRolePolicyDocument).toBe('object');
      expect(Object.keys(role.Properties.AssumeRolePolicyDocument)).toEqual(['Fn::Sub']);
      return { refs: references(role.Properties.AssumeRolePolicyDocument), doc: JSON.parse(evaluate(role.Properties.AssumeRolePolicyDocument, t)) };
    };
    const apiTrust = trust('Api');
    expect(apiTrust.refs.has(prodId)).toBe(true);
    expect(apiTrust.doc).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/PROD' },
        Condition: {
          StringEquals: {
            'oidc.eks.us-west-2.amazonaws.com/id/PROD:aud': 'sts.amazonaws.com',
            'oidc.eks.us-west-2.amazonaws.com/id/PROD:sub': 'system:serviceaccount:payments:api',
          },
        },
      }],
    });
    // several clusters: one statement per issuer
    expect(trust('Both').doc.Statement.map((s: any) => [s.Principal.Federated, s.Condition.StringEquals])).toEqual(['PROD', 'STAGE'].map(id => [
      `arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/${id}`,
      {
        [`oidc.eks.us-west-2.amazonaws.com/id/${id}:aud`]: 'sts.amazonaws.com',
        [`oidc.eks.us-west-2.amazonaws.com/id/${id}:sub`]: 'system:serviceaccount:reports:reporter',
      },
    ]));
    const policies = resourcesOfType(t, 'AWS::IAM::Policy').map(([, p]) => p.Properties.PolicyDocument.Statement.map((s: any) => s.Action)).flat();
    expect(policies.sort()).toEqual(['s3:GetObject', 'sqs:SendMessage']);

    // default names and the manifest still use the literal cluster name
    expect(out.manifests.Test.filter(o => o.kind === 'ServiceAccount').map(o => o.metadata.annotations?.['eks.amazonaws.com/role-arn']))
      .toEqual(['arn:aws:iam::111122223333:role/prod-payments-api', undefined]);
  });

  test('the cluster\'s own provider, when the app made it first, is reused (never two for one issuer)', () => {
    const { app, stack, prod, cluster } = setup();
    const theirs = prod.openIdConnectProvider; // Lambda-backed: the feature flag is off
    new WorkloadIdentity(stack, 'Api', { cluster, namespace: 'payments', serviceAccountName: 'api' });
    const t = app.synth().getStackByName('Test').template;
    expect(resourcesOfType(t, 'AWS::IAM::OIDCProvider')).toHaveLength(0);
    expect(resourcesOfType(t, 'Custom::AWSCDKOpenIdConnectProvider')).toHaveLength(1);
    expect(resourcesOfType(t, 'Custom::AWSCDKCfnJson')).toHaveLength(0);
    const [[, role]] = resourcesOfType(t, 'AWS::IAM::Role').filter(([id]) => id.startsWith('Api'));
    expect(references(role.Properties.AssumeRolePolicyDocument).has(stack.getLogicalId((theirs.node.defaultChild ?? theirs.node.findChild('Resource')) as any))).toBe(true);
  });

  test('with the aws-eks-v2 feature flag the cluster\'s native provider is used, so a later addServiceAccount shares it', () => {
    const { app, stack, prod, cluster } = setup({ '@aws-cdk/aws-eks:useNativeOidcProvider': true });
    new WorkloadIdentity(stack, 'Api', { cluster, namespace: 'payments', serviceAccountName: 'api' });
    expect(cluster.oidcProvider()).toBe(prod.openIdConnectProvider);
    const t = synth(app, { tolerateWarnings: EKS_V2_WARNINGS }).templates.Test;
    expect(resourcesOfType(t, 'AWS::IAM::OIDCProvider')).toHaveLength(1);
    expect(Object.values(t.Resources).some((r: any) => r.Type === 'AWS::Lambda::Function' || r.Type.startsWith('Custom::'))).toBe(false);
  });

  test('aws-eks-v2 making its own provider after ours is refused with the fix', () => {
    const { app, stack, prod, cluster } = setup();
    new WorkloadIdentity(stack, 'Api', { cluster, namespace: 'payments', serviceAccountName: 'api' });
    void prod.openIdConnectProvider; // what cluster.addServiceAccount does
    expect(() => app.synth()).toThrow(/cluster\.openIdConnectProvider: 'Test\/Prod' has aws-eks-v2's own OIDC provider \(Test\/Prod\/OpenIdConnectProvider\) besides the one created for its issuer \(Test\/ProdIdentity\).*EntityAlreadyExists.*useClusterOidcProvider.*\[oidc-provider-eks-cluster-duplicate\]/);
  });

  test('opt-ins: the cluster\'s own provider (useClusterOidcProvider), or an existing one imported by ARN', () => {
    const old = setup();
    const kept = IdentityCluster.fromCluster(old.stack, 'Kept', old.prod, { clusterName: 'prod', useClusterOidcProvider: true });
    expect(kept.oidcProvider()).toBe(old.prod.openIdConnectProvider);
    expect(kept.providerIsExternal).toBe(true);

    const { app, stack, prod } = setup();
    const arn = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/PROD';
    const imported = IdentityCluster.fromCluster(stack, 'Imported', prod, { clusterName: 'prod', oidcProviderArn: arn });
    new WorkloadIdentity(stack, 'Api', { cluster: imported, namespace: 'payments', serviceAccountName: 'api' });
    const t = synth(app, { tolerateWarnings: EKS_V2_WARNINGS }).templates.Test;
    expect(resourcesOfType(t, 'AWS::IAM::OIDCProvider')).toHaveLength(0);
    const [[, role]] = resourcesOfType(t, 'AWS::IAM::Role').filter(([id]) => id.startsWith('Api'));
    expect(JSON.parse(evaluate(role.Properties.AssumeRolePolicyDocument, t)).Statement[0].Principal.Federated).toBe(arn);
  });

  test('two references to one aws-eks-v2 cluster share one provider, with the audiences of both', () => {
    const { app, stack, prod, cluster } = setup();
    const other = IdentityCluster.fromCluster(stack, 'Other', prod, { clusterName: 'prod' });
    new WorkloadIdentity(stack, 'Api', { cluster, namespace: 'payments', serviceAccountName: 'api' });
    new WorkloadIdentity(stack, 'Vault', { cluster: other, namespace: 'payments', serviceAccountName: 'vault', audience: 'vault' });
    expect(other.oidcProvider()).toBe(cluster.oidcProvider());
    const providers = resourcesOfType(app.synth().getStackByName('Test').template, 'AWS::IAM::OIDCProvider');
    expect(providers.map(([, r]) => r.Properties.ClientIdList)).toEqual([['sts.amazonaws.com', 'vault']]);
  });

  test('the cluster in another stack: children and trust reference it across stacks (an export), no Lambda', () => {
    const app = new App();
    const clusterStack = new Stack(app, 'Cluster', { env: ENV });
    const prod = new eks.Cluster(clusterStack, 'Prod', { clusterName: 'prod', version: eks.KubernetesVersion.V1_31 });
    const stack = new Stack(app, 'Workloads', { env: ENV });
    const cluster = IdentityCluster.fromCluster(stack, 'ProdIdentity', prod, { clusterName: 'prod' });
    new WorkloadIdentity(stack, 'Api', { cluster, namespace: 'payments', serviceAccountName: 'api' });
    new WorkloadIdentity(stack, 'Ledger', { cluster, namespace: 'payments', serviceAccountName: 'ledger', mechanism: IdentityMechanism.POD_IDENTITY });
    const out = synth(app, { tolerateWarnings: EKS_V2_WARNINGS });
    const t = out.templates.Workloads;
    expect(Object.values(t.Resources).some((r: any) => r.Type === 'AWS::Lambda::Function' || r.Type.startsWith('Custom::'))).toBe(false);
    expect(Object.keys(resourcesOfType(t, 'AWS::EKS::PodIdentityAssociation')[0][1].Properties.ClusterName)).toEqual(['Fn::ImportValue']);
    const [[, role]] = resourcesOfType(t, 'AWS::IAM::Role').filter(([id]) => id.startsWith('Api'));
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toMatch(/Fn::ImportValue/);
    expect(stack.dependencies).toContain(clusterStack);
  });

  test('a custom audience: our provider lists it; aws-eks-v2\'s own provider (sts.amazonaws.com only) refuses it', () => {
    const { app, stack, cluster } = setup();
    new WorkloadIdentity(stack, 'Api', { cluster, namespace: 'payments', serviceAccountName: 'api', audience: 'vault' });
    const t = synth(app, { tolerateWarnings: EKS_V2_WARNINGS }).templates.Test;
    expect(resourcesOfType(t, 'AWS::IAM::OIDCProvider')[0][1].Properties.ClientIdList).toEqual(['vault']);

    const own = setup();
    const kept = IdentityCluster.fromCluster(own.stack, 'Kept', own.prod, { clusterName: 'prod', useClusterOidcProvider: true });
    expect(() => new WorkloadIdentity(own.stack, 'Api', { cluster: kept, namespace: 'payments', serviceAccountName: 'api', audience: 'vault' }))
      .toThrow(/oidcProvider\.clientIds.*vault/);
  });
});

describe('rule oidc-provider-eks-cluster-duplicate', () => {
  test('no finding while the cluster has no provider of its own; an error naming both once it has', () => {
    expect(checkOneProviderPerIssuer('cluster.openIdConnectProvider', 'S/C', 'S/Id', undefined)).toEqual([]);
    const [f] = checkOneProviderPerIssuer('cluster.openIdConnectProvider', 'S/C', 'S/Id', 'S/C/OpenIdConnectProvider');
    expect(f).toMatchObject({ code: 'oidc-provider-eks-cluster-duplicate', severity: 'error', field: 'cluster.openIdConnectProvider', value: "'S/C'" });
    expect(f.rule).toMatch(/S\/C\/OpenIdConnectProvider.*S\/Id.*EntityAlreadyExists/);
    expect(RULES.map(r => r.code)).toEqual([f.code]);
  });
});
