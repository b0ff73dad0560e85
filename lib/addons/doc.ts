/**
 * docs/addons.md from the catalogue (test/addons-doc.test.ts checks it is current; run it with
 * `ADDONS_DOC_WRITE=1` to rewrite the file).
 */
import { documentsAt, latestVersion } from './policy';
import { ADDONS } from './registry';

const code = (s: string) => `\`${s}\``;

export function renderAddonsDoc(): string {
  const out: string[] = [
    '<!-- Generated from lib/addons/*.ts by test/addons-doc.test.ts (ADDONS_DOC_WRITE=1): do not edit by hand. -->',
    '',
    '# Add-on identities',
    '',
    'The catalogue of `lib/addons` knows, for each cluster add-on, its default namespace and service',
    'account, the mechanisms it supports, the EKS managed add-on name where EKS offers one, and its IAM',
    'policy per upstream version (per partition where upstream ships variants), or the AWS managed',
    'policies it needs. `addonPolicy(addon, version, partition, scope, options)` returns the statements;',
    'an unknown add-on, version or document is an error that lists the known ones, and a resource left',
    'at `*` where upstream tells you to narrow it is an `addon-scope-open` warning.',
    '',
    'Versions are named as upstream names them: release tags (`v2.13.4`), or documentation versions',
    'for Karpenter and cert-manager (`v1.14`). The version defaults to the newest one known. Each',
    'generated document is compared in the tests with the upstream file of every listed version.',
    '',
    'Scope inputs: `hostedZoneArns` (external-dns, cert-manager), `kmsKeyArns` (EBS, external-secrets: adds',
    'the KMS statements), `secretArns` and `parameterArns` (external-secrets, secrets store provider),',
    '`bucketArns` (Mountpoint for S3, Velero), `autoScalingGroupNames` (cluster-autoscaler minimal),',
    '`recordNames` (external-dns ABAC), `vpcIds` (VPC CNI scoped down), `certificateAuthorityArns`',
    '(Private CA issuer), `roleArns` (cross-account). Karpenter needs `region`, `account`, `clusterName`,',
    '`nodeRoleArn` (and `interruptionQueueArn` for its interruption policy).',
    '',
    'Size: a managed policy holds 6,144 characters, the inline policies of a role 10,240 (whitespace',
    'not counted). `packDocuments` packs an add-on\'s documents into as few managed policies as fit; the',
    'load balancer controller with all its options needs two.',
    '',
    '| add-on | namespace / service account | mechanisms | EKS add-on | versions | default policy |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const a of ADDONS) {
    const defaults = a.documents.length > 0
      ? documentsAt(a, latestVersion(a)).filter(d => a.defaultDocuments.includes(d.name)).map(d => code(d.name)).join(', ')
      : (a.managedPolicies ?? []).join(', ');
    out.push(`| ${code(a.id)} | ${a.defaultNamespace} / ${a.defaultServiceAccount} | ${a.mechanisms.join(', ')} | ${a.eksAddonName ? code(a.eksAddonName) : '-'} `
      + `| ${a.versions.length === 1 && a.versions[0] === 'managed' ? 'managed policies' : `${a.versions[0]} … ${latestVersion(a)} (${a.versions.length})`} | ${defaults} |`);
  }
  for (const a of ADDONS) {
    out.push('', `## ${a.id}`, '', `${a.description}. Upstream: ${a.repository}.`, '');
    if (a.documents.length === 0) {
      out.push(`AWS managed policies: ${(a.managedPolicies ?? []).map(code).join(', ')}.`);
      continue;
    }
    out.push(`Versions: ${a.versions.map(code).join(', ')}.`, '', '| document | since | what it is |', '| --- | --- | --- |');
    for (const d of a.documents) {
      const when = [d.since ? d.since : a.versions[0], d.until ? `until ${d.until}` : ''].filter(Boolean).join(', ');
      out.push(`| ${code(d.name)}${a.defaultDocuments.includes(d.name) ? ' (default)' : ''} | ${when} | ${d.description.replace(/\|/g, '\\|')} |`);
    }
    for (const d of a.documents.filter(x => x.partitions && x.partitions(latestVersion(a)).length > 1)) {
      const first = (p: string) => a.versions.find(v => d.partitions!(v).includes(p));
      out.push('', `Partitions with a ${code(d.name)} file of their own: ${d.partitions!(latestVersion(a)).map(p => `${code(p)} (${d.upstreamFile(p)}, from ${first(p)})`).join(', ')}; `
        + 'other partitions get the standard file with their partition substituted and an `addon-partition-unpublished` warning.');
    }
    if (a.managedEquivalents && a.managedEquivalents.length > 0) {
      out.push('', `AWS managed equivalents: ${a.managedEquivalents.map(code).join(', ')}.`);
    }
    const changes = Object.entries(a.changes);
    out.push('', changes.length === 0
      ? 'The policy is the same in every listed version.'
      : 'What changed:');
    if (changes.length > 0) out.push('', ...changes.map(([v, c]) => `- ${code(v)}: ${c}.`));
  }
  return out.join('\n') + '\n';
}
