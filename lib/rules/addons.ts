/**
 * Rules for add-on references (catalogue id, version, document, partition, scope). Pure: the
 * catalogue passes what it knows; this file imports nothing from the catalogue.
 */
import { error, Finding, warning } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'addon-unknown',
    severity: 'error',
    checks: 'the add-on is one of the catalogue',
    why: 'the policy of an add-on the catalogue does not know cannot be generated',
    source: 'observed: the catalogue lists each add-on by the name of its upstream project',
  },
  {
    code: 'addon-version-unknown',
    severity: 'error',
    checks: 'the add-on version is one the catalogue holds a policy for',
    why: 'upstream changes the policy between versions; a guessed policy grants too much or too little',
    source: 'observed: upstream policy files differ between release tags (e.g. the load balancer controller v2.9 to v2.13)',
  },
  {
    code: 'addon-document-unknown',
    severity: 'error',
    checks: 'the requested policy document exists for the add-on at that version',
    why: 'upstream adds optional policies in later versions (e.g. Global Accelerator in the load balancer controller v2.17)',
    source: 'observed: upstream repositories at their release tags',
  },
  {
    code: 'addon-partition-unknown',
    severity: 'error',
    checks: 'the partition is an AWS partition',
    why: 'ARNs with an unknown partition match nothing',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html',
  },
  {
    code: 'addon-partition-unpublished',
    severity: 'warning',
    checks: 'upstream publishes a policy for the partition at that version',
    why: 'the generated policy is the standard one with the partition substituted; upstream has not checked it there',
    source: 'observed: the load balancer controller ships per-partition files, some only from a later version',
  },
  {
    code: 'addon-context-missing',
    severity: 'error',
    checks: 'the values the add-on policy names (cluster name, node role, queue, region, account) are given',
    why: 'upstream policies scope by these values; without them the statements would not match',
    source: 'https://karpenter.sh/docs/reference/cloudformation/',
  },
  {
    code: 'addon-scope-open',
    severity: 'warning',
    checks: 'resources upstream leaves at `*` or at an example ARN are narrowed by a scope',
    why: 'upstream tells users to narrow these resources; left open the role reaches every zone, key, bucket or secret',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
  },
];

export const AWS_PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

const list = (xs: readonly string[]) => xs.join(', ');

export function checkAddonName(field: string, name: string, known: readonly string[]): Finding[] {
  return known.includes(name) ? [] : [error('addon-unknown', field, name, 'is not an add-on of the catalogue',
    `use one of: ${list(known)}`)];
}

export function checkAddonVersion(field: string, addon: string, version: string, known: readonly string[]): Finding[] {
  return known.includes(version) ? [] : [error('addon-version-unknown', field, version,
    `is not a version of ${addon} the catalogue holds a policy for`, `use one of: ${list(known)} (or leave it out for ${known[known.length - 1]})`)];
}

export function checkAddonDocument(field: string, addon: string, version: string, name: string, known: readonly string[]): Finding[] {
  return known.includes(name) ? [] : [error('addon-document-unknown', field, name,
    `is not a policy document of ${addon} ${version}`, `use one of: ${list(known)}`)];
}

export function checkAddonPartition(field: string, partition: string): Finding[] {
  if (partition.startsWith('${')) return []; // a placeholder (CloudFormation pseudo parameter)
  return AWS_PARTITIONS.includes(partition) ? [] : [error('addon-partition-unknown', field, partition,
    'is not an AWS partition', `use one of: ${list(AWS_PARTITIONS)}`)];
}

export function partitionUnpublished(field: string, addon: string, version: string, document: string,
  partition: string, published: readonly string[]): Finding[] {
  return published.includes(partition) ? [] : [warning('addon-partition-unpublished', field, partition,
    `has no ${document} policy of its own in ${addon} ${version} (upstream publishes ${list(published)}); the standard one is used with the partition substituted`,
    'check the generated policy against the partition, or acknowledge the warning')];
}

export function contextMissing(field: string, addon: string, document: string, missing: readonly string[]): Finding[] {
  return missing.length === 0 ? [] : [error('addon-context-missing', field, missing.join(', '),
    `are needed by the ${document} policy of ${addon} and are not set`, `set ${list(missing)}`)];
}

export function scopeOpen(field: string, addon: string, what: string, resource: string): Finding {
  return warning('addon-scope-open', field, resource,
    `leaves ${addon} able to reach every ${what}`, `set ${field} to the ${what} ARNs the add-on manages`);
}
