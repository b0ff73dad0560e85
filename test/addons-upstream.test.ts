/**
 * The catalogue against upstream: for every (add-on, version, file) of the reference corpus next
 * to the repository, the generated document admits exactly what upstream's admits (statements
 * compared after normalizing order, single-value lists and Sid). Skipped when the corpus is absent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AddonPolicyOptions, planAddonPolicy } from '../lib/addons/policy';
import { ADDONS } from '../lib/addons/registry';
import { AddonScope } from '../lib/addons/types';

const CORPUS = path.join(__dirname, '..', '..', 'shared', 'addon-policies');
const HAVE = fs.existsSync(path.join(CORPUS, 'MANIFEST.json'));
const maybe = HAVE ? describe : describe.skip;

interface Entry { addon: string; version: string; file: string | null; partition: string }

/** The values upstream writes as placeholders or examples, per add-on. */
const CONTEXT: { [addon: string]: { partition?: string; scope?: AddonScope; options?: AddonPolicyOptions } } = {
  'karpenter': {
    partition: '${AWS::Partition}',
    options: {
      region: '${AWS::Region}',
      account: '${AWS::AccountId}',
      clusterName: '${ClusterName}',
      nodeRoleArn: '${KarpenterNodeRole.Arn}',
      interruptionQueueArn: '${KarpenterInterruptionQueue.Arn}',
    },
  },
  'cluster-autoscaler': {
    scope: { autoScalingGroupNames: ['${YOUR_ASG_NAME}'] },
    options: { region: '${YOUR_CLUSTER_AWS_REGION}', account: '${YOUR_AWS_ACCOUNT_ID}' },
  },
  'external-secrets': {
    scope: {
      secretArns: ['arn:aws:secretsmanager:us-west-2:111122223333:secret:dev-*'],
      parameterArns: ['arn:aws:ssm:us-east-2:1234567889911:parameter/dev-*'],
    },
  },
  // upstream's Pod Identity example leaves the secrets at `*`
  'external-secrets/pod-identity-secrets-manager-policy.json': {},
  'external-dns': { scope: { recordNames: ['*example.com', 'marketing.example.com', '*-beta.example.com'] } },
  'efs-csi-driver': { scope: { roleArns: ['arn:aws:iam::123456789012:role/EFSCrossAccountAccessRole'] } },
  'vpc-cni': { scope: { vpcIds: ['${VPC_ID}'] }, options: { clusterName: '${CLUSTER_NAME}' } },
  'mountpoint-s3-csi-driver': { scope: { bucketArns: ['arn:aws:s3:::amzn-s3-demo-bucket'] } },
  'mountpoint-s3-csi-driver/mountpoint-directory-bucket-policy.json': {
    scope: { bucketArns: ['arn:aws:s3express:REGION:ACCOUNT-ID:bucket/amzn-s3-demo-bucket--az_id--x-s3'] },
  },
  'velero': { scope: { bucketArns: ['arn:aws:s3:::${BUCKET}'] } },
  'secrets-store-csi-provider-aws': { scope: { secretArns: ['arn:*:secretsmanager:*:*:secret:MySecret-??????'] } },
  'aws-privateca-issuer': { scope: { certificateAuthorityArns: ['arn:aws:acm-pca:<region>:<account_id>:certificate-authority/<resource_id>'] } },
  'cert-manager': { scope: { roleArns: ['arn:aws:iam::YYYYYYYYYYYY:role/dns-manager'] } },
};

function sortedList(v: unknown): unknown {
  const xs = Array.isArray(v) ? v : [v];
  return [...xs].map(x => (typeof x === 'object' ? normalizeValue(x) : x)).sort();
}

function normalizeValue(v: any): any {
  if (Array.isArray(v)) return sortedList(v);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map(k => [k, normalizeValue(v[k])]));
  }
  return sortedList(v);
}

/** A statement as a canonical string: no Sid, every list sorted, single values as lists. */
function canonical(s: any): string {
  const { Sid: _sid, ...rest } = s;
  return JSON.stringify(normalizeValue(rest));
}

function canonicalStatements(doc: any): string[] {
  const st = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return st.map(canonical).sort();
}

const manifest: Entry[] = HAVE ? JSON.parse(fs.readFileSync(path.join(CORPUS, 'MANIFEST.json'), 'utf8')) : [];
const files = manifest.filter(e => e.file !== null && e.version !== null && !e.file.endsWith('managed-policies.json')) as Array<Entry & { file: string }>;
const managed = HAVE ? JSON.parse(fs.readFileSync(path.join(CORPUS, 'managed-policies.json'), 'utf8')) : { managed_policy_only_addons: [] };
const catalogued = files.filter(e => ADDONS.some(a => a.id === e.addon));

maybe('add-on policies match upstream', () => {
  test.each(catalogued.map(e => [e.file, e] as const))('%s', (_name, e) => {
    const addon = ADDONS.find(a => a.id === e.addon)!;
    const base = path.basename(e.file);
    const ctx = CONTEXT[`${addon.id}/${base}`] ?? CONTEXT[addon.id] ?? {};
    const partition = ctx.partition ?? (e.partition === 'any' ? 'aws' : e.partition);
    const doc = addon.documents.find(d => d.upstreamFile(partition) === base);
    if (!doc) throw new Error(`no document of ${addon.id} matches the upstream file ${base}`);
    expect(addon.versions).toContain(e.version);
    const plan = planAddonPolicy(addon.id, e.version, partition, ctx.scope ?? {}, { ...ctx.options, documents: [doc.name] });
    expect(plan.findings.filter(f => f.severity === 'error')).toEqual([]);
    expect(plan.documents).toHaveLength(1);
    expect(plan.documents[0].upstreamFile).toBe(base);
    const upstream = JSON.parse(fs.readFileSync(path.join(CORPUS, e.file), 'utf8'));
    expect(canonicalStatements({ Statement: plan.documents[0].statements })).toEqual(canonicalStatements(upstream));
  });

  test('every catalogued version is in the corpus, and every corpus version of a catalogued add-on is catalogued', () => {
    for (const addon of ADDONS) {
      const inCorpus = [...new Set(files.filter(e => e.addon === addon.id).map(e => e.version))];
      if (inCorpus.length === 0) continue; // managed-policy-only add-ons
      expect([...addon.versions].sort()).toEqual(inCorpus.sort());
    }
  });

  test('managed-policy-only add-ons need the managed policies upstream names', () => {
    for (const m of managed.managed_policy_only_addons as Array<{ addon: string; managed_policies: Array<{ name: string }> }>) {
      const addon = ADDONS.find(a => a.id === m.addon)!;
      expect(addon).toBeDefined();
      const names = m.managed_policies.map(p => p.name).sort();
      expect([...(addon.managedPolicies ?? addon.managedEquivalents ?? [])].sort()).toEqual(names);
    }
  });

  test('coverage report', () => {
    const covered = [...new Set(catalogued.map(e => e.addon))];
    const missing = [...new Set(files.filter(e => !covered.includes(e.addon)).map(e => e.addon))];
    // eslint-disable-next-line no-console
    console.log(`add-on documents compared with upstream: ${catalogued.length} of ${files.length} files; `
      + `covered: ${covered.join(', ')}; not catalogued: ${missing.join(', ') || '(none)'}`);
    expect(catalogued.length).toBeGreaterThan(0);
  });
});
