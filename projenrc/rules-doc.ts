import * as fs from 'fs';
import * as path from 'path';
import { RULE_CATALOG } from '../lib/rules/catalog';
import { RuleMeta } from '../lib/rules/rule-meta';

/** Where `npx projen docs:rules` writes the rules reference. */
export const RULES_DOC = path.join(__dirname, '..', 'docs', 'rules.md');

/** Sections of docs/rules.md, by code prefix (the first that matches wins). */
const FAMILIES: ReadonlyArray<{ prefix: string; title: string }> = [
  { prefix: 'k8s-', title: 'Kubernetes objects' },
  { prefix: 'addon-', title: 'Cluster add-ons' },
  { prefix: 'oidc-', title: 'OIDC issuer and provider' },
  { prefix: 'irsa-', title: 'IAM roles for service accounts (IRSA)' },
  { prefix: 'iam-', title: 'IAM roles and policies' },
  { prefix: 'aws-', title: 'AWS accounts, regions and tags' },
  { prefix: 'access-', title: 'Access entries' },
  { prefix: 'pod-identity-', title: 'EKS Pod Identity' },
  { prefix: 'fargate-', title: 'Fargate' },
  { prefix: 'ec2-', title: 'EC2 ids' },
  { prefix: 'eks-', title: 'EKS clusters and add-ons' },
  { prefix: 'identity-', title: 'Workload identity' },
  { prefix: 'role-', title: 'Workload identity' },
  { prefix: 'quota-', title: 'Quotas' },
  { prefix: 'layout-', title: 'Stack layout' },
  { prefix: 'manifests-', title: 'In-stack apply (manifests)' },
  { prefix: 'kubectl-', title: 'In-stack apply (manifests)' },
  { prefix: 'spec-', title: 'Spec file' },
  { prefix: 'doctor-', title: 'cdk-eks-identity doctor' },
  { prefix: 'diff-', title: 'cdk-eks-identity diff (before deploy)' },
];

/** The section a code belongs to. */
export function familyOf(code: string): string {
  return FAMILIES.find(f => code.startsWith(f.prefix))?.title ?? 'Other rules';
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const SITES: ReadonlyArray<[string, string]> = [
  ['docs.aws.amazon.com', 'AWS'], ['kubernetes.io', 'Kubernetes'], ['github.com', 'GitHub'], ['json-schema.org', 'JSON Schema'],
];

/** `[AWS: creating-access-entries](https://...)`: the site and the page, short enough for a table. */
function link(source: string): string {
  if (!/^https:\/\//.test(source)) return cell(source);
  const url = new URL(source);
  const site = SITES.find(([host]) => url.hostname === host)?.[1] ?? url.hostname;
  const page = url.pathname.split('/').filter(x => x.length > 0).pop()?.replace(/\.html$/, '') ?? url.hostname;
  return `[${site}: ${page}${url.hash}](${source})`;
}

/** docs/rules.md: one section per family, in the order of FAMILIES, codes sorted within it. */
export function renderRulesDoc(catalog: readonly RuleMeta[]): string {
  const titles = [...new Set([...FAMILIES.map(f => f.title), 'Other rules'])];
  const out: string[] = [
    '<!-- Generated from the RULES of lib/rules/*.ts by `npx projen docs:rules`: do not edit by hand. -->',
    '',
    '# Rules',
    '',
    'Every check cdk-eks-identity runs has a stable code. An **error** fails `cdk synth` with an',
    '`IdentityValidationError` whose message names the field, the value, the rule and the fix and ends',
    'with the code in brackets (`... [k8s-namespace]`); checks that span constructs report it as a',
    'validation error of the construct. A **warning** is a CDK annotation with the id',
    '`cdk-eks-identity:<code>`: when you have checked it, acknowledge it on the construct (or a scope',
    'above it):',
    '',
    '```ts',
    'Annotations.of(scope).acknowledgeWarning(\'cdk-eks-identity:<code>\', \'why it is fine here\');',
    '```',
    '',
    'A **note** is reported by `cdk-eks-identity doctor` only. Every check is skipped for values that',
    'are unresolved tokens, except where the output needs a literal (the role ARN of a ServiceAccount',
    'annotation).',
    '',
  ];
  for (const title of titles) {
    const rules = catalog.filter(r => familyOf(r.code) === title).sort((a, b) => a.code.localeCompare(b.code));
    if (rules.length === 0) continue;
    out.push(`## ${title}`, '', '| code | severity | what it checks | why | source |', '| --- | --- | --- | --- | --- |');
    for (const r of rules) {
      out.push(`| \`${r.code}\` | ${r.severity} | ${cell(r.checks)} | ${cell(r.why)} | ${link(r.source)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

if (require.main === module) {
  fs.writeFileSync(RULES_DOC, renderRulesDoc(RULE_CATALOG));
  // eslint-disable-next-line no-console
  console.log(`wrote ${path.relative(process.cwd(), RULES_DOC)} (${RULE_CATALOG.length} rules)`);
}
