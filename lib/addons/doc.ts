/**
 * docs/addons.md from the catalogue (test/addons-doc.test.ts checks it is current; run it with
 * `ADDONS_DOC_WRITE=1` to rewrite the file).
 */
import { documentsAt, latestVersion } from './policy';
import { ADDONS } from './registry';
import { AddonHelmChart } from './types';

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
    '## Installing the add-on',
    '',
    'A managed add-on (`managed:` in the spec) holds its identity inside `AWS::EKS::Addon`:',
    '`PodIdentityAssociations` for Pod Identity, `ServiceAccountRoleArn` for IRSA. EKS creates the',
    'service account; there is no ServiceAccount manifest and no Helm values to set.',
    '',
    'A self-managed add-on (Helm) gets its role like any workload, and the stack writes its',
    'ServiceAccount into `<stack>.k8s.yaml` (annotated with `eks.amazonaws.com/role-arn` for IRSA; for',
    'Pod Identity without annotation, the association is in the template). Apply that manifest and tell',
    'the chart not to create the service account, with the name the spec used: each section below',
    'shows the values. Installing without the manifest (IRSA only), let the chart create the service',
    'account with the annotation instead: `create: true`, the same `name`, and',
    '`annotations: { eks.amazonaws.com/role-arn: <role ARN> }` (the role ARN is `AddonIdentity.roleArn`,',
    'or `WorkloadIdentityStack.addons[i].roleArn`).',
    '',
    'Pod Identity add-ons need the `eks-pod-identity-agent` on the cluster: `podIdentityAgent: true` in',
    'the spec, `PodIdentityAgentAddon` in TypeScript, or, when it is installed otherwise (eksctl, the',
    'console, EKS Auto Mode), `podIdentityAgent: { external: true }` /',
    '`PodIdentityAgentAddon.declareExternal(scope, cluster)`. Without one of them the app warns',
    '(`pod-identity-agent-missing`). `name: karpenter` builds Karpenter\'s whole AWS side: see karpenter.md.',
    '',
    '## Catalogue',
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
    if (a.helm) out.push('', ...helmValues(a.helm, a.defaultServiceAccount));
  }
  return out.join('\n') + '\n';
}

/** The values that make a chart use the stack's ServiceAccount: the service account block under its dotted key. */
function helmValues(helm: AddonHelmChart, serviceAccount: string): string[] {
  const keys = helm.serviceAccountKey.split('.');
  const lines = keys.map((k, i) => `${'  '.repeat(i)}${k}:`);
  const pad = '  '.repeat(keys.length);
  return [
    `Helm (${code(helm.chart)}), with the ServiceAccount of the stack's manifest${helm.notes ? `; ${helm.notes}` : ''}:`,
    '',
    '```yaml',
    ...lines,
    `${pad}create: false`,
    `${pad}name: ${serviceAccount}   # serviceAccountName of the spec, if set`,
    '```',
  ];
}
