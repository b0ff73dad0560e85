import { App, Stack } from 'aws-cdk-lib';
import {
  IdentityCluster, IdentityMechanism, PodExecutionRole, PodIdentityRole,
  ServiceAccountRole, WorkloadIdentity, WorkloadIdentityStack,
} from '../lib';
import { expectIdentityError } from './util/expect-error';
import { synth, resourcesOfType } from './util/synth';
import { IdentitySpec } from '../lib/identity-spec/types';
import { IdentityChart } from '../lib/k8s/identity-chart';
import { reserveRoleNames } from '../lib/private/generated-names';
import { nameSuffix, uniqueName } from '../lib/rules/generated-names';
import { checkRoleName } from '../lib/rules/iam-role';
import { checkRbacName } from '../lib/rules/rbac';

const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const CLUSTER = { name: 'my-cluster', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: ISSUER };
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function specApp(spec: Partial<IdentitySpec>) {
  const app = new App();
  new WorkloadIdentityStack(app, 'S', { spec: { cluster: CLUSTER, ...spec } as IdentitySpec });
  return synth(app); // every manifest against the Kubernetes schemas, every template through cfn-lint
}

const roleNames = (template: any) => resourcesOfType(template, 'AWS::IAM::Role').map(([, r]) => r.Properties.RoleName as string);

describe('uniqueName', () => {
  const none = () => false;
  test('the plain name when no other input holds it', () => {
    expect(uniqueName('verify-a-b', 'a.b', none, 63)).toBe('verify-a-b');
  });

  test('a short deterministic hash of the identity when the plain name is taken', () => {
    const taken = (n: string) => n === 'verify-a-b';
    const name = uniqueName('verify-a-b', 'a-b', taken, 63);
    expect(name).toBe(`verify-a-b${nameSuffix('a-b')}`);
    expect(name).toMatch(/^verify-a-b-[0-9a-f]{8}$/);
    expect(uniqueName('verify-a-b', 'a-b', taken, 63)).toBe(name);
    expect(uniqueName('verify-a-b', 'a.b', taken, 63)).not.toBe(name);
  });

  test('keeps the length limit, ends in no separator before the suffix', () => {
    const plain = `${'x'.repeat(53)}-${'y'.repeat(9)}`; // 63
    const name = uniqueName(plain, 'id', n => n === plain, 63);
    expect(name).toBe(`${'x'.repeat(53)}${nameSuffix('id')}`); // 'x...x-' cut, the '-' dropped
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(DNS_LABEL);
    expect(() => uniqueName('p', 'id', () => true, 63, 3)).toThrow(/no free name/);
  });

  test('a suffixed name that is taken too gives another deterministic one', () => {
    const first = `p${nameSuffix('id')}`;
    const name = uniqueName('p', 'id', n => n === 'p' || n === first, 63);
    expect(name).not.toBe(first);
    expect(name).toMatch(/^p-[0-9a-f]{8}$/);
    expect(uniqueName('p', 'id', n => n === 'p' || n === first, 63)).toBe(name);
  });

  test('case-insensitive spaces: the caller decides what taken means', () => {
    const taken = (n: string) => n.toLowerCase() === 'prod-a-b';
    expect(uniqueName('PROD-a-b', 'x', taken, 64)).toMatch(/^PROD-a-b-[0-9a-f]{8}$/);
  });
});

describe('verification Jobs', () => {
  test('a.b and a-b in one namespace get distinct Job names; the first keeps its name', () => {
    const out = specApp({
      serviceAccounts: [
        { name: 'a.b', namespace: 'x', verify: true },
        { name: 'a-b', namespace: 'x', verify: true },
        { name: 'a-b', namespace: 'y', verify: true },
      ],
    } as any);
    const jobs = out.manifests.S.filter(o => o.kind === 'Job').map(j => `${j.metadata.namespace}/${j.metadata.name}/${j.spec.template.spec.serviceAccountName}`);
    expect(jobs).toEqual([
      'x/verify-a-b/a.b',
      expect.stringMatching(/^x\/verify-a-b-[0-9a-f]{8}\/a-b$/),
      'y/verify-a-b/a-b', // another namespace: no collision, no suffix
    ]);
    const second = out.manifests.S.filter(o => o.kind === 'Job')[1];
    expect(second.metadata.name).toMatch(DNS_LABEL);
    expect(second.metadata.labels['app.kubernetes.io/instance']).toBe(second.metadata.name);
    // same input, same name
    expect(specApp({ serviceAccounts: [{ name: 'a.b', namespace: 'x', verify: true }, { name: 'a-b', namespace: 'x', verify: true }] } as any)
      .manifests.S.filter(o => o.kind === 'Job')[1].metadata.name).toBe(second.metadata.name);
  });

  test('long names that cut to the same label stay distinct and within 63 characters', () => {
    const long1 = `${'a'.repeat(60)}.b`;
    const long2 = `${'a'.repeat(60)}-b`;
    const out = specApp({ serviceAccounts: [{ name: long1, namespace: 'x', verify: true, role: { name: 'r1' } }, { name: long2, namespace: 'x', verify: true, role: { name: 'r2' } }] } as any);
    const names = out.manifests.S.filter(o => o.kind === 'Job').map(j => j.metadata.name);
    expect(new Set(names).size).toBe(2);
    names.forEach(n => {
      expect(n.length).toBeLessThanOrEqual(63);
      expect(n).toMatch(DNS_LABEL);
    });
  });
});

describe('RBAC bindings', () => {
  const bindings = (out: ReturnType<typeof specApp>) => out.manifests.S
    .filter(o => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')
    .map(o => ({ kind: o.kind, ns: o.metadata.namespace, name: o.metadata.name as string, group: o.subjects[0].name, role: o.roleRef.name }));

  test.each([
    ['Viewers', 'view', 'viewers', 'view', 'viewers-view'],
    ['team-a', 'view', 'team_a', 'view', 'team-a-view'],
    ['a-b', 'c', 'a', 'b-c', 'a-b-c'],
  ])('(%s, %s) and (%s, %s): distinct ClusterRoleBindings, the first keeps %s', (g1, r1, g2, r2, plain) => {
    const out = specApp({ rbac: [{ group: g1, clusterRole: r1 }, { group: g2, clusterRole: r2 }] });
    const b = bindings(out);
    expect(b).toHaveLength(2);
    expect(b[0]).toMatchObject({ kind: 'ClusterRoleBinding', name: plain, group: g1, role: r1 });
    expect(b[1]).toMatchObject({ kind: 'ClusterRoleBinding', group: g2, role: r2 });
    expect(b[1].name).toMatch(new RegExp(`^${plain}-[0-9a-f]{8}$`));
    expect(checkRbacName('name', b[1].name, 'ClusterRoleBinding')).toEqual([]);
  });

  test('RoleBindings collide only in the namespaces they share; one name per binding', () => {
    const out = specApp({
      rbac: [
        { group: 'Viewers', clusterRole: 'view', namespaces: ['a'] },
        { group: 'viewers', clusterRole: 'view', namespaces: ['b'] },
        { group: 'VIEWERS', clusterRole: 'view', namespaces: ['b', 'c'] },
      ],
    });
    const b = bindings(out);
    expect(b.slice(0, 2).map(x => `${x.ns}/${x.name}`)).toEqual(['a/viewers-view', 'b/viewers-view']);
    expect(b[2].name).toMatch(/^viewers-view-[0-9a-f]{8}$/);
    expect(b[3].name).toBe(b[2].name);
  });

  test('the same binding twice is still refused by its own rule', () => {
    expect(() => specApp({ rbac: [{ group: 'viewers', clusterRole: 'view' }, { group: 'viewers', clusterRole: 'view' }] }))
      .toThrow(/k8s-rbac-binding-duplicate/);
  });

  test('TypeScript: an explicit name wins when it comes first; after a generated one it is a clear error', () => {
    const app = new App();
    const stack = new Stack(app, 'T', { env: { account: '111122223333', region: 'us-west-2' } });
    const chart = IdentityChart.forStack(stack);
    const [explicit] = chart.bindGroup({ group: 'admins', clusterRole: 'admin', name: 'viewers-view' });
    const [generated] = chart.bindGroup({ group: 'viewers', clusterRole: 'view' });
    expect(explicit.name).toBe('viewers-view');
    expect(generated.name).toMatch(/^viewers-view-[0-9a-f]{8}$/);

    const chart2 = IdentityChart.forStack(new Stack(app, 'T2', { env: { account: '111122223333', region: 'us-west-2' } }));
    chart2.bindGroup({ group: 'viewers', clusterRole: 'view' });
    const e = expectIdentityError(() => chart2.bindGroup({ group: 'admins', clusterRole: 'admin', name: 'viewers-view' }), 'name', /generated for group 'viewers'/);
    expect(e.code).toBe('k8s-rbac-binding-duplicate');
    expect(e.fix).toMatch(/another name/);
    // explicit names twice: the duplicate rule as before
    chart2.bindGroup({ group: 'a', clusterRole: 'view', name: 'mine' });
    expect(() => chart2.bindGroup({ group: 'b', clusterRole: 'view', name: 'mine' })).toThrow(/'mine' is already a ClusterRoleBinding/);
  });
});

describe('default IAM role names', () => {
  test('c@a-b and b-c@a: distinct role names; the first keeps its name (IRSA and Pod Identity)', () => {
    for (const mechanism of ['irsa', 'podIdentity']) {
      const out = specApp({
        serviceAccounts: [
          { name: 'c', namespace: 'a-b', mechanism },
          { name: 'b-c', namespace: 'a', mechanism },
        ],
      } as any);
      const names = roleNames(out.templates.S);
      expect(names[0]).toBe('my-cluster-a-b-c');
      expect(names[1]).toMatch(/^my-cluster-a-b-c-[0-9a-f]{8}$/);
      names.forEach(n => expect(checkRoleName('roleName', n)).toEqual([]));
      if (mechanism === 'irsa') {
        // the annotation names the role that was created
        const sa = out.manifests.S.find(o => o.kind === 'ServiceAccount' && o.metadata.name === 'b-c');
        expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe(`arn:aws:iam::111122223333:role/${names[1]}`);
      }
    }
  });

  test('wildcard service accounts and mixed mechanisms', () => {
    const app = new App();
    const stack = new Stack(app, 'W', { env: { account: '111122223333', region: 'us-west-2' } });
    const cluster = IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'prod', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: ISSUER });
    const a = new ServiceAccountRole(stack, 'A', { cluster, subjects: [{ namespace: 'ci', serviceAccountName: 'runner-*' }], allowWildcards: true });
    const b = new ServiceAccountRole(stack, 'B', { cluster, subjects: [{ namespace: 'ci', serviceAccountName: 'runner-?' }], allowWildcards: true });
    const irsa = new WorkloadIdentity(stack, 'I', { cluster, namespace: 'a-b', serviceAccountName: 'c' });
    const pi = new WorkloadIdentity(stack, 'P', { cluster, namespace: 'a', serviceAccountName: 'b-c', mechanism: IdentityMechanism.POD_IDENTITY });
    expect(a.roleName).toBe('prod-ci-runner-_');
    expect(b.roleName).toMatch(/^prod-ci-runner-_-[0-9a-f]{8}$/);
    expect(irsa.serviceAccountRole!.roleName).toBe('prod-a-b-c');
    expect(pi.podIdentityRole!.roleName).toMatch(/^prod-a-b-c-[0-9a-f]{8}$/);
    synth(app);
  });

  test('names that differ only in case collide in IAM: the later one gets a suffix', () => {
    const app = new App();
    const stack = new Stack(app, 'K', { env: { account: '111122223333', region: 'us-west-2' } });
    const upper = IdentityCluster.fromAttributes(stack, 'U', { clusterName: 'Prod', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: ISSUER });
    const lower = IdentityCluster.fromAttributes(stack, 'L', { clusterName: 'prod', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: ISSUER.replace('EXAMPLED', 'EXAMPLEE') });
    const a = new ServiceAccountRole(stack, 'A', { cluster: upper, subjects: [{ namespace: 'ns', serviceAccountName: 'app' }] });
    const b = new ServiceAccountRole(stack, 'B', { cluster: lower, subjects: [{ namespace: 'ns', serviceAccountName: 'app' }] });
    expect(a.roleName).toBe('Prod-ns-app');
    expect(b.roleName).toMatch(/^prod-ns-app-[0-9a-f]{8}$/);
  });

  test('long inputs that cut to the same 64 characters stay distinct and within 64', () => {
    // '<cluster>-a-b-<long>' from (a, b-<long>) and (a-b, <long>): one full name, so one cut and one hash
    const long = 'n'.repeat(60);
    const out = specApp({ serviceAccounts: [{ name: `b-${long}`, namespace: 'a' }, { name: long, namespace: 'a-b' }] } as any);
    const names = roleNames(out.templates.S);
    expect(new Set(names.map(n => n.toLowerCase())).size).toBe(2);
    names.forEach(n => expect(n.length).toBeLessThanOrEqual(64));
  });

  test('other accounts and other stacks without an account keep the plain names', () => {
    const app = new App();
    const mk = (id: string, account?: string) => {
      const stack = new Stack(app, id, account ? { env: { account, region: 'us-west-2' } } : {});
      const cluster = IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'prod', account: account ?? '111122223333', region: 'us-west-2', oidcIssuerUrl: ISSUER });
      return new ServiceAccountRole(stack, 'R', { cluster, subjects: [{ namespace: 'a-b', serviceAccountName: 'c' }] });
    };
    expect(mk('One', '111122223333').roleName).toBe('prod-a-b-c');
    expect(mk('Two', '444455556666').roleName).toBe('prod-a-b-c');
    expect(mk('Three').roleName).toBe('prod-a-b-c');
    expect(mk('Four').roleName).toBe('prod-a-b-c');
  });

  test('an explicit roleName first wins; after a generated one it is a clear iam-role-name-unique error', () => {
    const app = new App();
    const stack = new Stack(app, 'E', { env: { account: '111122223333', region: 'us-west-2' } });
    const cluster = IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'prod', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: ISSUER });
    const explicit = new ServiceAccountRole(stack, 'X', { cluster, roleName: 'prod-a-b-c', subjects: [{ namespace: 'other', serviceAccountName: 'x' }] });
    const generated = new WorkloadIdentity(stack, 'G', { cluster, namespace: 'a-b', serviceAccountName: 'c' });
    expect(explicit.roleName).toBe('prod-a-b-c');
    expect(generated.serviceAccountRole!.roleName).toMatch(/^prod-a-b-c-[0-9a-f]{8}$/);

    const stack2 = new Stack(app, 'E2', { env: { account: '444455556666', region: 'us-west-2' } });
    const c2 = IdentityCluster.fromAttributes(stack2, 'C', { clusterName: 'prod', account: '444455556666', region: 'us-west-2', oidcIssuerUrl: ISSUER });
    new WorkloadIdentity(stack2, 'G', { cluster: c2, namespace: 'a-b', serviceAccountName: 'c', mechanism: IdentityMechanism.POD_IDENTITY });
    for (const mechanism of [IdentityMechanism.IRSA, IdentityMechanism.POD_IDENTITY]) {
      const e = expectIdentityError(() => new WorkloadIdentity(stack2, `X${mechanism}`, { cluster: c2, namespace: 'other', serviceAccountName: 'x', roleName: 'PROD-a-b-c', mechanism }),
        'roleName', /default role name generated for service account a-b\/c/);
      expect(e.code).toBe('iam-role-name-unique');
      expect(e.fix).toMatch(/roleName/);
    }
  });

  test('a Fargate pod execution role or Pod Identity role named first keeps its name; named after, a clear error', () => {
    const app = new App();
    const stack = new Stack(app, 'F', { env: { account: '111122223333', region: 'us-west-2' } });
    const cluster = IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'prod', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: ISSUER });
    new PodExecutionRole(stack, 'Exec', { cluster, roleName: 'prod-a-b-c' });
    new PodIdentityRole(stack, 'Pi', { roleName: 'prod-x-y' });
    const a = new WorkloadIdentity(stack, 'A', { cluster, namespace: 'a-b', serviceAccountName: 'c' });
    const b = new WorkloadIdentity(stack, 'B', { cluster, namespace: 'x', serviceAccountName: 'y', mechanism: IdentityMechanism.POD_IDENTITY });
    expect(a.serviceAccountRole!.roleName).toMatch(/^prod-a-b-c-[0-9a-f]{8}$/);
    expect(b.podIdentityRole!.roleName).toMatch(/^prod-x-y-[0-9a-f]{8}$/);
    new WorkloadIdentity(stack, 'G', { cluster, namespace: 'g', serviceAccountName: 'h' });
    expect(() => new PodIdentityRole(stack, 'Late', { roleName: 'prod-g-h' })).toThrow(/default role name generated for service account g\/h.*iam-role-name-unique/);
    expect(() => new PodExecutionRole(stack, 'LateExec', { cluster, roleName: 'PROD-G-H' })).toThrow(/iam-role-name-unique/);
  });

  test('spec: a role.name equal to the default name of another service account keeps it, in either order', () => {
    // the stack reserves the names the spec gives before any default name is generated
    for (const serviceAccounts of [
      [{ name: 'c', namespace: 'a-b' }, { name: 'x', namespace: 'other', role: { name: 'my-cluster-a-b-c' } }],
      [{ name: 'x', namespace: 'other', role: { name: 'my-cluster-a-b-c' } }, { name: 'c', namespace: 'a-b' }],
    ]) {
      const out = specApp({ serviceAccounts } as any);
      const names = roleNames(out.templates.S);
      const given = serviceAccounts.findIndex(sa => (sa as any).role);
      expect(names[given]).toBe('my-cluster-a-b-c');
      expect(names[1 - given]).toMatch(/^my-cluster-a-b-c-[0-9a-f]{8}$/);
    }
  });

  test('reserveRoleNames: names the spec gives are kept for them whatever the order', () => {
    const app = new App();
    const stack = new Stack(app, 'R', { env: { account: '111122223333', region: 'us-west-2' } });
    const cluster = IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'prod', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: ISSUER });
    reserveRoleNames(stack, [{ name: 'prod-a-b-c', field: 'serviceAccounts[1].role.name' }]);
    const generated = new WorkloadIdentity(stack, 'G', { cluster, namespace: 'a-b', serviceAccountName: 'c' });
    const explicit = new WorkloadIdentity(stack, 'X', { cluster, namespace: 'other', serviceAccountName: 'x', roleName: 'prod-a-b-c' });
    expect(generated.serviceAccountRole!.roleName).toMatch(/^prod-a-b-c-[0-9a-f]{8}$/);
    expect(explicit.serviceAccountRole!.roleName).toBe('prod-a-b-c');
    synth(app);
  });

  test('the same service account twice is still refused by its own rule', () => {
    const app = new App();
    const stack = new Stack(app, 'D', { env: { account: '111122223333', region: 'us-west-2' } });
    const cluster = IdentityCluster.fromAttributes(stack, 'C', { clusterName: 'prod', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: ISSUER });
    new ServiceAccountRole(stack, 'A', { cluster, subjects: [{ namespace: 'a', serviceAccountName: 'b' }] });
    new ServiceAccountRole(stack, 'B', { cluster, subjects: [{ namespace: 'a', serviceAccountName: 'b' }] });
    // the same input generates the same name: no suffix, and the app-wide rule refuses the pair at synth
    expect(() => app.synth()).toThrow(/roleName: '[^']+' is already used by .*\[iam-role-name-unique\]/);
  });
});

describe('a spec reserves its given role names before any default name is generated', () => {
  const cluster = { name: 'c', account: '111122223333', region: 'us-west-2', oidcIssuerUrl: 'https://oidc.eks.us-west-2.amazonaws.com/id/ABCDEF' };
  const namesOf = (serviceAccounts: any[]) => {
    const app = new App();
    const stack = new WorkloadIdentityStack(app, 'S', { spec: { cluster, serviceAccounts } });
    return stack.workloads.map((w: any) => w.serviceAccountRole.roleName);
  };

  test('a default name equal to a later given name takes the suffix, the given name stays', () => {
    const names = namesOf([
      { name: 'x', namespace: 'a' }, // default c-a-x
      { name: 'y', namespace: 'b', role: { name: 'c-a-x' } },
    ]);
    expect(names[1]).toBe('c-a-x');
    expect(names[0]).toMatch(/^c-a-x-[0-9a-f]{8}$/);
  });

  test('without a collision, names are as before', () => {
    expect(namesOf([{ name: 'x', namespace: 'a' }, { name: 'y', namespace: 'b', role: { name: 'given' } }])).toEqual(['c-a-x', 'given']);
  });
});
