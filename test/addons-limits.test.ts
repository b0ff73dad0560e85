/**
 * IAM's limits for every (add-on, version, partition) of the catalogue, for the default documents
 * and for every document at once: each managed policy `packDocuments` makes holds at most 6,144
 * characters, the packed policies together admit exactly what the documents admit, and the role
 * stays within the default 10 managed policies per role (the packs plus the AWS managed policies
 * the add-on names). The catalogue's policies are managed policies, never inline: the role's
 * 10,240 inline characters stay for the user's own statements. The context is the longest a
 * cluster can have (a 100-character cluster name), so real clusters are smaller.
 */
import { documentsAt, planAddonPolicy } from '../lib/addons/policy';
import { ADDONS } from '../lib/addons/registry';
import { MANAGED_POLICY_LIMIT, packDocuments, policySize } from '../lib/addons/split';
import { PolicyStatementJson } from '../lib/addons/types';

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];
const REGION: Record<string, string> = {
  'aws': 'ap-southeast-3',
  'aws-cn': 'cn-northwest-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-iso': 'us-iso-east-1',
  'aws-iso-b': 'us-isob-east-1',
  'aws-iso-e': 'eu-isoe-west-1',
  'aws-iso-f': 'us-isof-south-1',
  'aws-eusc': 'eusc-de-east-1',
};
const CLUSTER = `c${'x'.repeat(99)}`;
const MANAGED_POLICIES_PER_ROLE = 10;

const grants = (statements: PolicyStatementJson[]) => statements.flatMap(s => s.Action.flatMap(a =>
  s.Resource.map(r => `${s.Effect} ${a} ${r} ${JSON.stringify(s.Condition ?? {})}`))).sort();

const cases = ADDONS.flatMap(a => a.versions.flatMap(v => PARTITIONS.map(p => [a.id, v, p] as const)));

test('the cases cover every add-on, version and partition', () => {
  expect(cases.length).toBe(ADDONS.reduce((n, a) => n + a.versions.length, 0) * PARTITIONS.length);
  expect(new Set(cases.map(c => c[0])).size).toBe(ADDONS.length);
});

test.each(cases)('%s %s %s: every managed policy within 6,144 characters, the role within its managed policies', (id, version, partition) => {
  const addon = ADDONS.find(a => a.id === id)!;
  const options = {
    region: REGION[partition],
    account: '111122223333',
    clusterName: CLUSTER,
    nodeRoleArn: `arn:${partition}:iam::111122223333:role/KarpenterNodeRole-${CLUSTER}`.slice(0, 120),
    interruptionQueueArn: `arn:${partition}:sqs:${REGION[partition]}:111122223333:${CLUSTER.slice(0, 80)}`,
  };
  const all = version === 'managed' ? [] : documentsAt(addon, version).map(d => d.name);
  for (const documents of [undefined, all]) {
    const plan = planAddonPolicy(id, version, partition, {}, { ...options, documents });
    expect(plan.findings.filter(f => f.severity === 'error')).toEqual([]);
    const packed = packDocuments(plan.documents);
    for (const p of packed) expect(policySize(p.statements)).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
    expect(grants(packed.flatMap(p => p.statements))).toEqual(grants(plan.statements));
    expect(packed.length + (addon.managedPolicies ?? []).length).toBeLessThanOrEqual(MANAGED_POLICIES_PER_ROLE);
  }
});
