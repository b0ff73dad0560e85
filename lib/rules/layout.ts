import { createHash } from 'crypto';
import { error, Finding, warning } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'layout-single-limit',
    severity: 'error',
    checks: 'a single-stack layout stays within 500 resources and 1 MB of template',
    why: 'CloudFormation refuses larger templates, and a named role cannot move between stacks once deployed',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html',
  },
  {
    code: 'layout-nested-limit',
    severity: 'error',
    checks: 'a nested layout\'s parent stack stays within the CloudFormation limits',
    why: 'CloudFormation refuses larger templates',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html',
  },
  {
    code: 'layout-namespace-split',
    severity: 'warning',
    checks: 'a namespace whose service accounts outgrow one nested stack is split over several by a stable hash',
    why: 'named roles cannot move between nested stacks of a deployed app when the shard count changes',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-nested-stacks.html',
  },
];

/** CloudFormation: at most 500 resources in one template (CDK refuses more: TooManyResourcesInStack). */
export const MAX_RESOURCES_PER_TEMPLATE = 500;

/** CloudFormation: a template body of at most 1 MB (aws-cdk-lib counts 1,000,000 bytes). */
export const MAX_TEMPLATE_BYTES = 1_000_000;

/**
 * What one nested stack of `layout: nested` is filled with before its namespace is split: below the
 * hard limits, so that grants added later (an `AWS::IAM::Policy` per role) still fit.
 */
export const SHARD_BUDGET = { resources: 400, bytes: 700_000 } as const;

/** The size of something in a template. */
export interface TemplateWeight {
  readonly resources: number;
  readonly bytes: number;
}

/**
 * A `layout: single` stack must fit one template. The layout is never switched implicitly: moving
 * a named role from one stack to another fails to deploy, so the user decides.
 */
export function checkSingleLayout(field: string, stack: string, size: TemplateWeight): Finding[] {
  const over = overLimits(size);
  if (over === undefined) return [];
  return [error('layout-single-limit', field, 'single',
    `cannot hold stack ${stack}: ${over}`,
    'set layout: nested (one nested stack per namespace, the OIDC provider in the parent, still one cdk deploy); choose it before the first deploy, because a named role cannot move between stacks of a deployed app')];
}

/** Any template of `layout: nested` (parent or nested) must fit too. */
export function checkNestedLayout(field: string, stack: string, size: TemplateWeight): Finding[] {
  const over = overLimits(size);
  if (over === undefined) return [];
  return [error('layout-nested-limit', field, 'nested',
    `cannot hold stack ${stack}: ${over}`,
    'the parent holds the OIDC provider, the kubectl provider and one nested stack per namespace shard: spread the service accounts over fewer namespaces, or split the spec into several stacks (one per team)')];
}

function overLimits(size: TemplateWeight): string | undefined {
  if (size.resources > MAX_RESOURCES_PER_TEMPLATE) {
    return `it would hold ${size.resources} resources, more than the ${MAX_RESOURCES_PER_TEMPLATE} CloudFormation allows in one template`;
  }
  if (size.bytes > MAX_TEMPLATE_BYTES) {
    return `its template would be ${size.bytes} bytes, more than the ${MAX_TEMPLATE_BYTES} bytes (1 MB) CloudFormation allows`;
  }
  return undefined;
}

/** A hash of a name that never changes between releases, runs or machines: the first 32 bits of SHA-256. */
export function stableHash(name: string): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0);
}

/** The shard of a name among `shards` (a power of two): the low bits of its stable hash. */
export function shardOf(name: string, shards: number): number {
  return stableHash(name) % shards;
}

/**
 * How many shards a namespace needs: the smallest power of two for which every shard fits the
 * budget. Doubling keeps every name in its shard or moves it to `shard + shards` (linear hashing),
 * so a namespace that grows past a template moves the fewest roles it can.
 */
export function planShards(items: ShardItem[], budget: TemplateWeight = SHARD_BUDGET): number {
  return assignShards(items, budget).shards;
}

/** `planShards`, and the shard of every item (in order), hashing each name once. */
export function assignShards(items: ShardItem[], budget: TemplateWeight = SHARD_BUDGET): { shards: number; shardOfItem: number[] } {
  const hashes = items.map(i => stableHash(i.name));
  const total = sumWeights(items.map(i => i.weight));
  for (let shards = 1; ; shards *= 2) {
    if (shards === 1 && total.resources <= budget.resources && total.bytes <= budget.bytes) return { shards, shardOfItem: hashes.map(() => 0) };
    const res = new Array<number>(shards).fill(0);
    const bytes = new Array<number>(shards).fill(0);
    items.forEach((item, i) => {
      res[hashes[i] % shards] += item.weight.resources;
      bytes[hashes[i] % shards] += item.weight.bytes;
    });
    const fits = res.every((r, i) => r <= budget.resources && bytes[i] <= budget.bytes);
    // one item heavier than the budget cannot be split further
    if (fits || shards >= 1024) return { shards, shardOfItem: hashes.map(h => h % shards) };
  }
}

/** What sharding weighs: a service account name and what it adds to a template. */
export interface ShardItem {
  readonly name: string;
  readonly weight: TemplateWeight;
}

export function sumWeights(weights: TemplateWeight[]): TemplateWeight {
  return weights.reduce((a, w) => ({ resources: a.resources + w.resources, bytes: a.bytes + w.bytes }), { resources: 0, bytes: 0 });
}

/** A namespace split over several nested stacks: allowed, but say what it means. */
export function checkNamespaceSplit(field: string, namespace: string, shards: number, size: TemplateWeight): Finding[] {
  if (shards <= 1) return [];
  return [warning('layout-namespace-split', field, namespace,
    `needs ${size.resources} resources, more than one nested stack holds (${SHARD_BUDGET.resources}): its service accounts are split over ${shards} nested stacks by a stable hash of their names`,
    `nothing to do while the number of shards stays ${shards}; when a namespace grows into twice as many shards, the roles hashed into the new shards move between nested stacks, which fails for named roles: deploy that change in two steps (remove those service accounts, deploy, add them back) or spread them over more namespaces`)];
}
