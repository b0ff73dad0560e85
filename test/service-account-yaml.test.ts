/**
 * The workloads' ServiceAccounts are written by the chart itself (lib/k8s/service-account-yaml.ts)
 * instead of through a cdk8s-plus object and `cdk8s.Yaml.stringify`. Users have applied those
 * bytes: these tests render the same inputs both ways, cdk8s-plus-28 + cdk8s being the reference.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as YAML from 'yaml';
import { IdentityChart, IdentityCluster, IdentityMechanism, WorkloadIdentity } from '../lib';
import {
  isPlainScalar, isPlainServiceAccount, ServiceAccountData, serviceAccountJson, serviceAccountYaml,
} from '../lib/k8s/service-account-yaml';

/** The reference: what IdentityChart.addServiceAccount builds, rendered by cdk8s. */
function viaCdk8sPlus(sa: ServiceAccountData): { json: any; yaml: string } {
  const chart = new cdk8s.Chart(new cdk8s.App(), 'Identity', { disableResourceNameHashes: true });
  new kplus.ServiceAccount(chart, 'Sa', {
    metadata: { name: sa.name, namespace: sa.namespace, annotations: sa.annotations, labels: sa.labels },
    automountToken: sa.automountToken,
  });
  const json = chart.toJson();
  expect(json).toHaveLength(1);
  return { json: json[0], yaml: cdk8s.Yaml.stringify(...json) };
}

/** a small deterministic generator (no Math.random: failures must reproduce) */
function* randomStrings(count: number, seed: number): Generator<string> {
  const chars = 'aZz09._/:@=+-#\'" yYnNtTfFoO~!&*?|>{}[],%`\t\n\\eE$<\u00e9\u65e5\u{1F600}\u0007\u2028';
  const alphabet = Array.from(chars);
  let x = seed;
  const rnd = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
  for (let i = 0; i < count; i++) {
    const len = 1 + Math.floor(rnd() * 10);
    let s = '';
    for (let j = 0; j < len; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    yield s;
  }
}

const TRICKY = [
  '', ' ', 'yes', 'Yes', 'YES', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'y', 'Y', 'n', 'N',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', '~', '<<', '=',
  '0', '-0', '+1', '-1', '123', '0123', '0777', '08', '0x1F', '0X1f', '0o17', '0b101', '1_000', '1e3', '12e3', '1E-5', '1.5', '.5', '1.', '0.',
  '1.0', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '1:20', '1:20:30.5', '190:20:30', '0:0', '-1:30', '1e', 'e1', '0x', '0b', '1__0',
  '2001-12-14', '2001-1-1', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2026',
  'a: b', 'a:', 'a:b', 'a::b', ':a', 'a #b', 'a#b', '#x', '-', '- a', '-a', '--a', '---', '---a', '...', '....', '?', '? a', '?a',
  'a\nb', 'a\n', '\na', 'a\tb', ' lead', 'trail ', '"quoted"', "'single'", 'a"b', "a'b", 'a\\b', '@at', '`tick', '%pct', '&amp', '*star',
  '!bang', '|pipe', '>gt', '[x]', '{x}', 'a,b', 'a[b]', 'a{b}', 'x=y', 'a+b', 'a@b', 'a/b', 'a.b', 'a_b', '_a', '.a', '/a', '+a', '=a',
  '\u65e5\u672c\u8a9e', '\u00fcn\u00efc\u00f8d\u00e9', 'emoji\u{1F600}', '\u0007bell', 'a\u2028b', 'a\u0085b', '\u00a0nbsp', 'tab\t',
  'x'.repeat(2000), 'arn:aws:iam::111122223333:role/my-cluster-default-my-sa', 'arn:aws-cn:iam::111122223333:role/path/x+y=z,w.v@u_t-s',
  'arn:aws-us-gov:iam::111122223333:role/a/b/c-d', 'sts.amazonaws.com', 'https://example.com/x?y=1#z', 'eks.amazonaws.com/role-arn',
  'app.kubernetes.io/name', '86400', '600',
];
const CORPUS = [...TRICKY, ...randomStrings(1500, 7)];

const base: ServiceAccountData = { name: 'my-sa', namespace: 'default', automountToken: false };

describe('the chart writes a workload\'s ServiceAccount exactly as cdk8s-plus-28 and cdk8s do', () => {
  test('every string, as an annotation value, an annotation key, a label and the names: plain ones byte for byte, JSON always', () => {
    let plain = 0;
    for (const s of CORPUS) {
      const inputs: ServiceAccountData[] = [
        { ...base, annotations: { 'example.com/k': s } },
        { ...base, annotations: { [s]: 'v' } },
        { ...base, labels: { app: s, [s]: 'x' } },
        { ...base, name: s },
        { ...base, namespace: s, automountToken: true },
      ];
      for (const sa of inputs) {
        const ref = viaCdk8sPlus(sa);
        expect(serviceAccountJson(sa)).toEqual(ref.json);
        expect(JSON.stringify(serviceAccountJson(sa))).toBe(JSON.stringify(ref.json));
        if (isPlainServiceAccount(sa)) {
          plain++;
          expect(serviceAccountYaml(sa)).toBe(ref.yaml);
        }
      }
    }
    // the fast path is taken for ordinary input, not only for a few strings
    expect(plain).toBeGreaterThan(400);
  });

  test('a string said to be plain is written unquoted by yaml, as key and as value; the others are quoted or blocks', () => {
    const opts = { keepUndefined: true, lineWidth: 0, version: '1.1' as const };
    for (const s of CORPUS) {
      if (isPlainScalar(s, false)) expect(YAML.stringify({ a: { b: s } }, opts)).toBe(`a:\n  b: ${s}\n`);
      if (isPlainScalar(s, true)) expect(YAML.stringify({ a: { [s]: 'v' } }, opts)).toBe(`a:\n  ${s}: v\n`);
    }
    for (const s of ['yes', 'no', 'on', 'off', 'y', 'n', 'null', '~', '123', '0x1F', '1_000', '1e3', '1:20', '2001-12-14', '.inf', '', 'a:', 'a: b', '#x', '-', 'a b', '"q"', 'x\ny']) {
      expect(isPlainScalar(s, false)).toBe(false);
    }
    expect(isPlainScalar('a'.repeat(1025), true)).toBe(false);
    expect(isPlainScalar('a'.repeat(1025), false)).toBe(true);
  });

  test('many annotations and labels, in any insertion order, sorted as cdk8s sorts them', () => {
    const keys = ['b.example.com/z', 'a.example.com/y', 'Z', 'a', 'B', 'a-b', 'a.b', '9a', 'a1', 'eks.amazonaws.com/role-arn', 'eks.amazonaws.com/audience'];
    const annotations = Object.fromEntries(keys.map((k, i) => [k, `v${i}-${k.length}`]));
    const labels = Object.fromEntries([...keys].reverse().map((k, i) => [k.replace(/\//g, '.'), `l${i}`]));
    const sa = { ...base, annotations, labels };
    expect(isPlainServiceAccount(sa)).toBe(true);
    expect(serviceAccountYaml(sa)).toBe(viaCdk8sPlus(sa).yaml);
  });
});

describe('the whole manifest file is the same with the chart\'s own writer as with cdk8s-plus objects for every ServiceAccount', () => {
  /** A stack with workloads of every kind, interleaved with namespaces, bindings, verification Jobs and objects of the user. */
  function build(): { yaml: string; json: any[]; count: number; kplusServiceAccounts: number } {
    const app = new App();
    const stack = new Stack(app, 'Test', { env: { account: '111122223333', region: 'us-east-2' } });
    const cluster = IdentityCluster.fromAttributes(stack, 'Cluster', {
      clusterName: 'my-cluster',
      oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/xxxx',
      oidcProviderArn: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-2.amazonaws.com/id/xxxx',
      kubernetesVersion: '1.31',
    });
    const chart = IdentityChart.forStack(stack);
    chart.addNamespace({ name: 'team-a' });
    new WorkloadIdentity(stack, 'Plain', { cluster, namespace: 'team-a', serviceAccountName: 'web' });
    new WorkloadIdentity(stack, 'Labels', {
      cluster,
      namespace: 'team-a',
      serviceAccountName: 'api',
      labels: { 'app.kubernetes.io/name': 'api', 'tier': 'yes', 'n': '123' }, // a label value written quoted
      annotations: { 'example.com/owner': 'Team A: "core" #1 \u65e5\u672c', 'example.com/plain': 'x' },
    });
    chart.bindGroup({ group: 'viewers', clusterRole: 'view', namespaces: ['team-a'] });
    new WorkloadIdentity(stack, 'Sts', {
      cluster,
      namespace: 'team-b',
      serviceAccountName: 'worker',
      stsRegionalEndpoints: true,
      tokenExpiration: Duration.hours(2),
      audience: 'custom-aud',
      automountServiceAccountToken: true,
    });
    new WorkloadIdentity(stack, 'Verified', { cluster, namespace: 'team-b', serviceAccountName: 'checked', verify: true });
    new WorkloadIdentity(stack, 'Pi', { cluster, namespace: 'team-c', serviceAccountName: 'pods', mechanism: IdentityMechanism.POD_IDENTITY });
    new kplus.ConfigMap(chart, 'UserConfig', { metadata: { name: 'cfg', namespace: 'team-a' }, data: { a: 'b' } });
    chart.addNamespace({ name: '123' });
    new WorkloadIdentity(stack, 'NumericNs', { cluster, namespace: '123', serviceAccountName: 'yes' });
    for (let i = 0; i < 20; i++) new WorkloadIdentity(stack, `Many${i}`, { cluster, namespace: `ns-${i % 3}`, serviceAccountName: `sa-${i}` });
    chart.bindGroup({ group: 'admins', clusterRole: 'admin' });
    app.synth();
    const kplusServiceAccounts = chart.node.findAll().filter(c => c instanceof kplus.ServiceAccount).length;
    return { yaml: chart.toYaml(), json: chart.toJson(), count: chart.objectCount, kplusServiceAccounts };
  }

  test('same YAML bytes, same JSON, same object count', () => {
    const fast = build();
    // the reference: every workload's ServiceAccount through cdk8s-plus (addServiceAccount)
    const spy = jest.spyOn(IdentityChart.prototype, '_addWorkloadServiceAccount').mockImplementation(function (this: IdentityChart, props) {
      this.addServiceAccount(props);
    });
    let ref: ReturnType<typeof build>;
    try {
      ref = build();
    } finally {
      spy.mockRestore();
    }
    expect(fast.yaml).toBe(ref.yaml);
    expect(fast.json).toEqual(ref.json);
    expect(fast.count).toBe(ref.count);
    // the chart's writer did write most of them: only the verified one and those with quoted scalars are cdk8s-plus objects
    expect(ref.kplusServiceAccounts).toBe(26);
    expect(fast.kplusServiceAccounts).toBe(4);
    // the mix holds plain and quoted documents, in the order of construction
    expect(fast.yaml).toContain('  name: "yes"\n  namespace: "123"\n');
    expect(fast.yaml).toContain('kind: ConfigMap');
    expect(fast.yaml.split('---\n').length).toBe(ref.count);
  });

  test('with CDK8S_DISABLE_SORT (cdk8s keeps insertion order then) every ServiceAccount is a cdk8s-plus object', () => {
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      expect(build().kplusServiceAccounts).toBe(26);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });
});

describe('cdk8s-plus-28 is loaded only when a cdk8s-plus object is made', () => {
  /** builds a spec stack in a fresh module registry; says whether cdk8s-plus-28 was required */
  function loadsCdk8sPlus(extra: object): boolean {
    let loaded = false;
    jest.isolateModules(() => {
      jest.doMock('cdk8s-plus-28', () => {
        loaded = true;
        return jest.requireActual('cdk8s-plus-28');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const lib = require('../lib');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const cdk = require('aws-cdk-lib');
      const app = new cdk.App();
      new lib.WorkloadIdentityStack(app, 'Lazy', {
        spec: {
          cluster: { name: 'c', account: '111122223333', region: 'us-east-2', oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/xxxx' },
          serviceAccounts: [{ namespace: 'team-a', name: 'web' }, { namespace: 'team-a', name: 'api', ...extra }],
        },
      });
      app.synth();
    });
    jest.dontMock('cdk8s-plus-28');
    return loaded;
  }

  test('plain ServiceAccounts only: not loaded; a verification Job: loaded', () => {
    expect(loadsCdk8sPlus({})).toBe(false);
    expect(loadsCdk8sPlus({ verify: true })).toBe(true);
  });
});
