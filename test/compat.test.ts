/**
 * Users have deployed what we emit: for every input that synthesizes today, the logical ids, the
 * physical names and the template each resource lives in must never change (CloudFormation would
 * replace or move live resources). This test is the line a minor release may not cross.
 *
 * Each case writes its deployed shape (template file -> logical id -> type and physical name; the
 * Kubernetes objects by kind, namespace and name) and compares it with `test/compat/<case>.json`.
 * A difference fails. An intended change is a documented breaking change: rewrite the file with
 * `COMPAT_UPDATE=1 npx jest test/compat.test.ts` and say so in the changelog.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as YAML from 'yaml';
import { IdentityCluster, IdentityFleet, IdentityMechanism, IdentitySpecFile, ServiceAccountRole, StackLayout, WorkloadIdentity, WorkloadIdentityStack } from '../lib';
import { generateSpec } from './util/generate-spec';

const EXAMPLES = path.join(__dirname, '..', 'examples');
const COMPAT = path.join(__dirname, 'compat');

/** The properties that name a resource physically, per type (create-only names and keys). */
const PHYSICAL: Record<string, string[]> = {
  'AWS::IAM::Role': ['RoleName', 'Path'],
  'AWS::IAM::Policy': ['PolicyName'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName'],
  'AWS::IAM::OIDCProvider': ['Url'],
  'AWS::EKS::AccessEntry': ['ClusterName', 'PrincipalArn', 'Type'],
  'AWS::EKS::FargateProfile': ['ClusterName', 'FargateProfileName'],
  'AWS::EKS::PodIdentityAssociation': ['ClusterName', 'Namespace', 'ServiceAccount'],
  'AWS::EKS::Addon': ['ClusterName', 'AddonName'],
  'AWS::CloudFormation::Stack': [],
};

function shapeOf(outdir: string): Record<string, unknown> {
  const shape: Record<string, unknown> = {};
  const files = fs.readdirSync(outdir).sort();
  for (const f of files.filter(x => x.endsWith('.template.json'))) {
    const template = JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8'));
    const resources: Record<string, unknown> = {};
    for (const [id, r] of Object.entries<any>(template.Resources ?? {})) {
      const names: Record<string, unknown> = {};
      for (const p of PHYSICAL[r.Type] ?? []) if (r.Properties?.[p] !== undefined) names[p] = r.Properties[p];
      resources[id] = Object.keys(names).length > 0 ? { type: r.Type, ...names } : r.Type;
    }
    shape[f] = resources;
  }
  for (const f of files.filter(x => x.endsWith('.k8s.yaml'))) {
    // kind namespace/name of every object, in file order
    const text = fs.readFileSync(path.join(outdir, f), 'utf8');
    shape[f] = YAML.parseAllDocuments(text).map((d: any) => d.toJS()).filter(Boolean)
      .map((o: any) => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`);
  }
  return shape;
}

function check(name: string, build: (app: App) => void) {
  test(`${name}: logical ids, physical names and placement are unchanged`, () => {
    const app = new App();
    build(app);
    const outdir = app.synth().directory;
    const actual = shapeOf(outdir);
    const file = path.join(COMPAT, `${name}.json`);
    if (process.env.COMPAT_UPDATE === '1' && !process.env.CI) {
      fs.writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    }
    expect(fs.existsSync(file)).toBe(true);
    expect(actual).toEqual(JSON.parse(fs.readFileSync(file, 'utf8')));
  });
}

const examples = fs.readdirSync(EXAMPLES, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name).sort();
for (const ex of examples) {
  check(`example-${ex}`, app => { WorkloadIdentityStack.fromSpecFile(app, 'Example', path.join(EXAMPLES, ex, 'identity.yaml')); });
}

check('nested-scale', app => {
  new WorkloadIdentityStack(app, 'Big', { spec: generateSpec({ serviceAccounts: 900, namespaces: 3, layout: StackLayout.NESTED }) });
});

check('typescript-constructs', app => {
  const stack = new Stack(app, 'Ts', { env: { account: '111122223333', region: 'eu-west-1' } });
  const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', {
    clusterName: 'prod',
    account: '111122223333',
    region: 'eu-west-1',
    oidcIssuerUrl: 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
  });
  const bucket = new s3.Bucket(stack, 'Data');
  const app1 = new WorkloadIdentity(stack, 'Api', { cluster, namespace: 'shop', serviceAccountName: 'api' });
  bucket.grantRead(app1);
  new WorkloadIdentity(stack, 'Worker', { cluster, namespace: 'shop', serviceAccountName: 'worker', mechanism: IdentityMechanism.POD_IDENTITY });
  new ServiceAccountRole(stack, 'Shared', {
    cluster,
    subjects: [{ namespace: 'a', serviceAccountName: 'x' }, { namespace: 'b', serviceAccountName: 'y' }],
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonS3ReadOnlyAccess')],
  });
});

test('every example has a compatibility record', () => {
  const recorded = fs.readdirSync(COMPAT).filter(f => f.startsWith('example-')).map(f => f.replace(/^example-|\.json$/g, '')).sort();
  expect(recorded).toEqual(examples);
});

/** A fleet: one nested assembly per stage; the shape of each, keyed by its directory. */
function checkFleet(name: string, build: (app: App) => void) {
  test(`${name}: logical ids, physical names, stages and stacks are unchanged`, () => {
    const app = new App();
    build(app);
    const assembly = app.synth();
    const actual: Record<string, unknown> = {};
    for (const n of assembly.nestedAssemblies) {
      const dir = n.nestedAssembly.directory;
      actual[path.basename(dir)] = {
        stacks: n.nestedAssembly.stacks.map(s => ({ id: s.id, stackName: s.stackName, env: `${s.environment.account}/${s.environment.region}` })),
        ...shapeOf(dir),
      };
    }
    const file = path.join(COMPAT, `${name}.json`);
    if (process.env.COMPAT_UPDATE === '1' && !process.env.CI) {
      fs.writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    }
    expect(fs.existsSync(file)).toBe(true);
    expect(actual).toEqual(JSON.parse(fs.readFileSync(file, 'utf8')));
  });
}

checkFleet('fleet-example', app => { IdentityFleet.fromSpecFile(app, 'Fleet', path.join(EXAMPLES, 'fleet.yaml')); });

checkFleet('fleet-rbac-access', app => {
  const fleetSpec = IdentitySpecFile.load(path.join(EXAMPLES, 'fleet.yaml'));
  new IdentityFleet(app, 'Fleet2', {
    spec: {
      ...fleetSpec,
      stackName: 'platform',
      defaults: { roleNamePrefix: 'p-', tags: { team: 'platform' } },
      accessEntries: [
        { principalArn: 'arn:aws:iam::111122223333:role/viewers', kubernetesGroups: ['viewers'] },
        ...fleetSpec.accessEntries ?? [],
      ],
      rbac: [{ group: 'viewers', clusterRole: 'view', namespaces: ['backend'] }, { group: 'viewers', clusterRole: 'view' }],
    },
  });
});
