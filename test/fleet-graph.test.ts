import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as YAML from 'yaml';
import { IdentityFleet, IdentitySpec, IdentitySpecFile } from '../lib';
import { synth } from './util/synth';

/**
 * Nothing is deployed, but the graph proves the deploy order IAM needs: a trust policy may only name
 * an OIDC provider that exists when the role is created (IAM refuses a Federated principal of a
 * provider that does not exist: MalformedPolicyDocument), and a manifest or association may only
 * name a role that exists. For every Federated principal and every role ARN a cluster uses:
 * - created in the same template: referenced by Ref/GetAtt (CloudFormation orders it);
 * - created in another stack of the same stage: a literal ARN, and the stack depends on that one;
 * - created in another stage: a literal ARN, and that stage is in an earlier `fleet.waves` wave;
 * - created nowhere: one of the spec's imports (an existing provider or role).
 */
const EXAMPLE = path.join(__dirname, '..', 'examples', 'fleet.yaml');
const A = '111122223333';

interface Node { stack: Stack; stage: Stage; template: any; yaml: string }

function graphOf(spec: IdentitySpec) {
  const app = new App();
  const fleet = new IdentityFleet(app, 'Fleet', { spec });
  const nodes: Node[] = [];
  for (const stage of fleet.stages) {
    const out = synth(stage);
    for (const stack of [...fleet.accountStacks, ...fleet.clusterStacks].filter(s => s.node.scope === stage)) {
      nodes.push({ stack, stage, template: out.templates[stack.artifactId], yaml: out.yaml[stack.artifactId] ?? '' });
    }
  }
  const wave = new Map<Stage, number>();
  fleet.waves.forEach((w, i) => w.forEach(s => wave.set(s, i)));
  return { fleet, nodes, wave };
}

const resources = (n: Node, type: string) => Object.entries<any>(n.template.Resources ?? {}).filter(([, r]) => r.Type === type);
function dependsOn(a: Stack, b: Stack): boolean {
  return a.dependencies.some(d => d === b || dependsOn(d as Stack, b));
}
const providerArnOf = (n: Node, url: string) => `arn:aws:iam::${n.stack.account}:oidc-provider/${url.replace(/^https:\/\//, '')}`;
const roleArnOf = (n: Node, r: any) => `arn:aws:iam::${n.stack.account}:role${r.Properties.Path ?? '/'}${r.Properties.RoleName}`;

/** Where `arn` is created (`kind` OIDCProvider or Role), and whether `user` may use it then; a list of problems. */
function verdicts(g: ReturnType<typeof graphOf>, imports: string[]) {
  const created = new Map<string, { node: Node; id: string }>();
  for (const n of g.nodes) {
    for (const [id, p] of resources(n, 'AWS::IAM::OIDCProvider')) created.set(providerArnOf(n, p.Properties.Url), { node: n, id });
    for (const [id, r] of resources(n, 'AWS::IAM::Role')) if (typeof r.Properties.RoleName === 'string') created.set(roleArnOf(n, r), { node: n, id });
  }
  const uses: Array<{ user: Node; what: string; ref: unknown; how: string }> = [];
  const problems: string[] = [];
  // sameTemplateLiteral: a manifest's annotation is a string, applied once its stack is deployed
  const check = (user: Node, what: string, ref: unknown, sameTemplateLiteral = false) => {
    if (typeof ref !== 'string') {
      // a reference: to a resource of the same template
      const id = (ref as any)?.Ref ?? (ref as any)?.['Fn::GetAtt']?.[0];
      const ok = typeof id === 'string' && user.template.Resources[id] !== undefined;
      uses.push({ user, what, ref, how: 'same template' });
      if (!ok) problems.push(`${user.stack.stackName} ${what}: a reference to nothing in its template: ${JSON.stringify(ref)}`);
      return;
    }
    const by = created.get(ref);
    if (!by) {
      uses.push({ user, what, ref, how: 'imported' });
      if (!imports.includes(ref)) problems.push(`${user.stack.stackName} ${what}: ${ref} is created nowhere and not imported`);
    } else if (by.node === user) {
      uses.push({ user, what, ref, how: 'same template' });
      if (!sameTemplateLiteral) problems.push(`${user.stack.stackName} ${what}: ${ref} is created in the same template but named by a literal ARN (no ordering)`);
    } else if (by.node.stage === user.stage) {
      uses.push({ user, what, ref, how: 'stack dependency' });
      if (!dependsOn(user.stack, by.node.stack)) problems.push(`${user.stack.stackName} ${what}: ${ref} is created by ${by.node.stack.stackName} of the same stage, which it does not depend on`);
    } else {
      uses.push({ user, what, ref, how: 'earlier wave' });
      if (!(g.wave.get(by.node.stage)! < g.wave.get(user.stage)!)) problems.push(`${user.stack.stackName} ${what}: ${ref} is created in stage ${by.node.stage.node.id}, not in an earlier wave`);
    }
  };
  for (const n of g.nodes) {
    for (const [id, r] of resources(n, 'AWS::IAM::Role')) {
      for (const s of r.Properties.AssumeRolePolicyDocument.Statement) {
        if (s.Principal?.Federated !== undefined) check(n, `${id} trust`, s.Principal.Federated);
      }
    }
    for (const [id, a] of resources(n, 'AWS::EKS::PodIdentityAssociation')) check(n, `${id} RoleArn`, a.Properties.RoleArn);
    for (const o of YAML.parseAllDocuments(n.yaml).map(d => d.toJS())) {
      const arn = o?.metadata?.annotations?.['eks.amazonaws.com/role-arn'];
      if (arn !== undefined) check(n, `ServiceAccount ${o.metadata.namespace}/${o.metadata.name}`, arn, true);
    }
  }
  return { uses, problems };
}

describe('the deploy order IAM needs: every provider and role exists before what names it', () => {
  test('examples/fleet.yaml: references in a template, stack dependencies in a stage, waves across stages', () => {
    const g = graphOf(IdentitySpecFile.load(EXAMPLE));
    const v = verdicts(g, []);
    expect(v.problems).toEqual([]);
    // every way of ordering occurs (the test proves something about each)
    const how = (u: typeof v.uses[number]) => `${u.user.stack.stackName} ${u.what} -> ${u.how}`;
    expect(v.uses.map(how)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^Fleet-account-111122223333 backendapp\w+ trust -> same template$/),
      expect.stringMatching(/^Fleet-blue ServiceAccount backend\/app -> stack dependency$/),
      expect.stringMatching(/^Fleet-eu ServiceAccount backend\/reporter -> earlier wave$/),
      expect.stringMatching(/^Fleet-eu backendcacheAssociation\w+ RoleArn -> same template$/),
    ]));
    // the graph itself: in stage A the cluster stacks depend on the account stack; eu's stage is a later wave
    expect(g.nodes.map(n => [n.stage.node.id, n.stack.stackName, n.stack.dependencies.map(d => (d as Stack).stackName)])).toEqual([
      [`Env-${A}-us-west-2`, `Fleet-account-${A}`, []],
      [`Env-${A}-us-west-2`, 'Fleet-blue', [`Fleet-account-${A}`]],
      [`Env-${A}-us-west-2`, 'Fleet-green', [`Fleet-account-${A}`]],
      ['Env-444455556666-eu-west-1', 'Fleet-eu', []],
    ]);
    expect(g.fleet.waves.map(w => w.map(s => s.node.id))).toEqual([[`Env-${A}-us-west-2`], ['Env-444455556666-eu-west-1']]);
  });

  test('with imported providers: the trust names the existing ARN and nothing waits for it', () => {
    const spec = IdentitySpecFile.load(EXAMPLE);
    const blueArn = `arn:aws:iam::${A}:oidc-provider/${spec.clusters![0].oidcIssuerUrl!.slice(8)}`;
    const withImport = {
      ...spec,
      clusters: spec.clusters!.map((c, i) => (i === 0 ? { ...c, oidcProvider: { arn: blueArn } } : c)),
      // one role on blue only and one on green only: trusting the imported and the created provider
      serviceAccounts: [...spec.serviceAccounts!, { name: 'x', namespace: 'n', clusters: ['blue'] }, { name: 'y', namespace: 'n', clusters: ['green'] }],
    } as IdentitySpec;
    const v = verdicts(graphOf(withImport), [blueArn]);
    expect(v.problems).toEqual([]);
    expect(v.uses.filter(u => u.ref === blueArn).map(u => `${u.user.stack.stackName} ${u.how}`)).toEqual([
      `Fleet-account-${A} imported`, `Fleet-account-${A} imported`, 'Fleet-blue imported',
    ]);
    // green's own role trusts green's provider, created by the account stack green's stack depends on
    expect(v.uses.filter(u => u.user.stack.stackName === 'Fleet-green' && u.what.endsWith('trust')).map(u => u.how)).toEqual(['stack dependency']);
  });

  test('the checker fails a graph without the dependency (adversarial: the order removed)', () => {
    const g = graphOf(IdentitySpecFile.load(EXAMPLE));
    // a stage whose stacks deploy in one wave with eu: eu's manifest names a role of a stage that is not earlier
    const flat = { ...g, wave: new Map([...g.wave.keys()].map(s => [s, 0])) };
    expect(verdicts(flat, []).problems).toEqual([expect.stringMatching(/^Fleet-eu ServiceAccount backend\/reporter: .*fleet-reporter is created in stage Env-111122223333-us-west-2, not in an earlier wave$/)]);
  });
});
