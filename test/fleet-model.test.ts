import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { IdentityFleet, IdentitySpec, IdentitySpecFile, WorkloadIdentityStack } from '../lib';
import { bindFleet } from '../lib/identity-spec/bind-fleet';

/**
 * The rules that span the app run once over the app's identity model, which reaches into every
 * stage of a fleet and every other stack of the App: a fleet and a plain WorkloadIdentityStack
 * conflict like two plain stacks do.
 */
const EXAMPLE = path.join(__dirname, '..', 'examples', 'fleet.yaml');
const A = '111122223333';
const B = '444455556666';
const BLUE_ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/B1E0000000000000000000000000000A';

/** The synth errors of an app, one line each (empty when it synthesizes). */
function synthErrors(app: App): string[] {
  try {
    app.synth();
    return [];
  } catch (e: any) {
    return String(e.message).split('\n').filter(l => l.trim().startsWith('['));
  }
}
const codesOf = (lines: string[]) => lines.map(l => /\[([a-z0-9-]+)\]$/.exec(l.trim())?.[1]);

/** examples/fleet.yaml plus one plain stack of `yaml` (its cluster: and the rest). */
function withPlain(yaml: string): App {
  const app = new App();
  IdentityFleet.fromSpecFile(app, 'Fleet', EXAMPLE);
  new WorkloadIdentityStack(app, 'Plain', { spec: IdentitySpecFile.parse(yaml) });
  return app;
}
const blue = (region = 'us-west-2', account = A) =>
  `cluster: { name: blue, account: "${account}", region: ${region}, oidcIssuerUrl: ${BLUE_ISSUER.replace('us-west-2', region)} }\n`;

describe('a fleet and a plain WorkloadIdentityStack in one App: the app-wide rules see both', () => {
  test('iam-role-name-unique: the plain stack names a role like the fleet\'s shared role in the same account', () => {
    const lines = synthErrors(withPlain(`${blue('us-east-1')}oidcProvider: { arn: "arn:aws:iam::${A}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/B1E0000000000000000000000000000A" }
serviceAccounts: [{ name: x, namespace: other, role: { name: FLEET-REPORTER } }]`));
    expect(codesOf(lines)).toEqual(['iam-role-name-unique']);
    // reported once, on the plain stack's role, naming the fleet's role in its account stack
    expect(lines[0]).toContain('[Plain/other:x/Role] roleName: \'FLEET-REPORTER\' is already used by Fleet/Env-111122223333-us-west-2/Account-111122223333/backend:reporter');
  });

  test('passes: the same role name in another account', () => {
    expect(synthErrors(withPlain(`${blue('us-east-1', '999988887777')}serviceAccounts: [{ name: x, namespace: other, role: { name: fleet-reporter } }]`))).toEqual([]);
  });

  test('oidc-provider-duplicate: the plain stack creates the provider the fleet creates for blue', () => {
    expect(codesOf(synthErrors(withPlain(`${blue()}serviceAccounts: [{ name: x, namespace: other }]`)))).toEqual(['oidc-provider-duplicate']);
    // importing it instead passes
    expect(synthErrors(withPlain(`${blue()}oidcProvider: { arn: "arn:aws:iam::${A}:oidc-provider/${BLUE_ISSUER.slice(8)}" }
serviceAccounts: [{ name: x, namespace: other }]`))).toEqual([]);
  });

  test('k8s-service-account-role-conflict: the plain stack declares backend/app on the fleet\'s blue with another role', () => {
    const lines = synthErrors(withPlain(`${blue()}oidcProvider: { arn: "arn:aws:iam::${A}:oidc-provider/${BLUE_ISSUER.slice(8)}" }
serviceAccounts: [{ name: app, namespace: backend, role: { name: plain-app } }]`));
    expect(codesOf(lines)).toEqual(['k8s-service-account-role-conflict']);
    expect(lines[0]).toContain('also declared by Fleet/Env-111122223333-us-west-2/Cluster-blue/backend:app');
  });

  test('passes: a cluster named blue in another region is another cluster', () => {
    expect(synthErrors(withPlain(`${blue('us-east-1')}serviceAccounts: [{ name: app, namespace: backend, role: { name: plain-app } }]`))).toEqual([]);
  });

  test('access-entry-duplicate-principal: the plain stack gives the fleet\'s eu admins a second entry on eu', () => {
    const eu = (account: string) => `cluster: { name: eu, account: "${account}", region: eu-west-1, authenticationMode: API }
accessEntries: [{ principalArn: "arn:aws:iam::${B}:role/eu-admins" }]`;
    const lines = synthErrors(withPlain(eu(B)));
    expect(codesOf(lines)).toEqual(['access-entry-duplicate-principal']);
    expect(lines[0]).toContain('[Plain/');
    // a cluster named eu in another account is another cluster (cluster names are unique per account and region)
    expect(synthErrors(withPlain(eu('999988887777')))).toEqual([]);
  });

  test('cfn-stack-name-duplicate: the plain stack takes a fleet stack\'s name in its environment', () => {
    const spec = (region: string) => `stackName: Fleet-green\ncluster: { name: other, account: "${A}", region: ${region} }\n`;
    const lines = synthErrors(withPlain(spec('us-west-2')));
    expect(codesOf(lines)).toEqual(['cfn-stack-name-duplicate']);
    expect(lines[0]).toContain('is also the stack name of Fleet/Env-111122223333-us-west-2/Cluster-green in account 111122223333 and region us-west-2');
    expect(synthErrors(withPlain(spec('us-east-1')))).toEqual([]);
  });
});

describe('inside one fleet: the cross-stack rules are the app-wide ones', () => {
  const base = (): IdentitySpec => IdentitySpecFile.load(EXAMPLE);
  const fleetApp = (spec: IdentitySpec) => {
    const app = new App();
    new IdentityFleet(app, 'Fleet', { spec });
    return app;
  };

  test('iam-role-name-unique: two service accounts of two clusters (two stacks) with one role name in one account', () => {
    const spec = {
      ...base(),
      serviceAccounts: [
        { name: 'a', namespace: 'n', clusters: ['blue'], role: { name: 'r' } },
        { name: 'b', namespace: 'n', clusters: ['green'], role: { name: 'R' } },
      ],
    } as IdentitySpec;
    // the binder plans it (it is not about the spec's own shape) ...
    expect(bindFleet(spec, 'Fleet').findings).toEqual([]);
    // ... and the model refuses it once, at the app root
    const lines = synthErrors(fleetApp(spec));
    expect(codesOf(lines)).toEqual(['iam-role-name-unique']);
    expect(lines[0]).toContain('[Fleet/Env-111122223333-us-west-2/Cluster-green/n:b/Role]');
    // one name in two accounts: two roles
    expect(synthErrors(fleetApp({ ...base(), serviceAccounts: [{ name: 'a', namespace: 'n', clusters: ['blue', 'eu'], role: { name: 'r' } }] } as IdentitySpec))).toEqual([]);
  });

  test('iam-role-name-unique: a cluster-stack role named like a shared role of the account stack', () => {
    const spec = { ...base(), serviceAccounts: [...base().serviceAccounts!, { name: 'z', namespace: 'n', clusters: ['eu'], role: { name: 'fleet-reporter' } }] } as IdentitySpec;
    expect(synthErrors(fleetApp(spec))).toEqual([]); // eu is in account B: another account
    const inA = { ...base(), serviceAccounts: [...base().serviceAccounts!, { name: 'z', namespace: 'n', clusters: ['green'], role: { name: 'fleet-reporter' } }] } as IdentitySpec;
    expect(codesOf(synthErrors(fleetApp(inA)))).toEqual(['iam-role-name-unique']);
  });

  test('cfn-stack-name-duplicate: a cluster named like the account stack', () => {
    const spec = base();
    const clusters = [...spec.clusters!, { name: `account-${A}`, account: A, region: 'us-west-2', oidcIssuerUrl: BLUE_ISSUER.replace('B1E', 'ACC') }];
    expect(codesOf(synthErrors(fleetApp({ ...spec, clusters })))).toEqual(['cfn-stack-name-duplicate']);
    expect(synthErrors(fleetApp({ ...spec, clusters: [...spec.clusters!, { name: 'account', account: A, region: 'us-west-2', oidcIssuerUrl: BLUE_ISSUER.replace('B1E', 'ACC') }] }))).toEqual([]);
  });

  test('synthesizing one stage alone reports its own findings (the stage validates too)', () => {
    const spec = {
      ...base(),
      serviceAccounts: [
        { name: 'a', namespace: 'n', clusters: ['blue'], role: { name: 'r' } },
        { name: 'b', namespace: 'n', clusters: ['green'], role: { name: 'r' } },
      ],
    } as IdentitySpec;
    const app = new App();
    const f = new IdentityFleet(app, 'Fleet', { spec });
    expect(() => f.stages[0].synth()).toThrow(/iam-role-name-unique/);
    expect(() => f.stages[1].synth()).not.toThrow();
  });
});
