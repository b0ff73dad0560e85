import { NestedStack, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { NamespaceStack } from './namespace-stack';
import { BoundServiceAccount } from '../identity-spec/bind-service-accounts';
import { ServiceAccountSpec } from '../identity-spec/types';
import { warn } from '../private/enforce';
import { assignShards, checkNamespaceSplit, SHARD_BUDGET, sumWeights, TemplateWeight } from '../rules/layout';
import { BUILT_IN_NAMESPACES } from '../rules/manifests';
import { IdentityMechanism } from '../workload-identity';

/**
 * `layout: nested`: each namespace in a nested stack of `parent`; a namespace that outgrows one
 * template is split into 2, 4, 8... shards by a stable hash of the service account name. Only the
 * spec decides where a service account goes, so adding one never moves another (until its
 * namespace doubles its shards, which is announced with a warning).
 */
export class NamespaceShards {
  private readonly byId = new Map<string, NestedStack>();
  private readonly shardOf = new Map<BoundServiceAccount, number>();

  /**
   * @param stacks the nested stacks, in creation order (filled here)
   * @param appliesNamespaces createNamespaces with apply: a namespace's Namespace object is applied from its first shard
   */
  constructor(private readonly parent: Stack, private readonly stacks: NestedStack[], private readonly appliesNamespaces: boolean) {}

  /** Plans every shard and creates the nested stacks in a stable order: namespaces as they first appear, then shard numbers. */
  /**
   * @param place where a lock file puts them (deployed ones where they were): given the planned
   * shards, it returns the shards to use; without it, the plan
   */
  public plan(serviceAccounts: BoundServiceAccount[], apply: boolean, place?: ShardPlacement): void {
    const byNamespace = new Map<string, BoundServiceAccount[]>();
    for (const sa of serviceAccounts) {
      const list = byNamespace.get(sa.spec.namespace);
      if (list) list.push(sa);
      else byNamespace.set(sa.spec.namespace, [sa]);
    }
    for (const [ns, list] of byNamespace) {
      // each service account's role, and the namespace's in-stack apply resource on top
      const items = list.map(sa => ({ name: sa.spec.name, weight: estimateWeight(sa.spec) }));
      const budget = apply ? { ...SHARD_BUDGET, resources: SHARD_BUDGET.resources - 2 } : SHARD_BUDGET;
      const { shards, shardOfItem: planned } = assignShards(items, budget);
      const shardOfItem = place ? place(list, planned, items.map(i => i.weight), budget) : planned;
      list.forEach((sa, i) => this.shardOf.set(sa, shardOfItem[i]));
      if (shards > 1) {
        warn(this.shard(ns, 0), checkNamespaceSplit('layout', ns, shards, sumWeights(items.map(i => i.weight))));
      }
    }
    for (const [ns, list] of byNamespace) {
      const used = new Set(list.map(sa => this.shardOf.get(sa)!));
      if (this.appliesNamespaces && !BUILT_IN_NAMESPACES.includes(ns)) used.add(0);
      for (const shard of [...used].sort((a, b) => a - b)) this.shard(ns, shard);
    }
  }

  /** The nested stack of a planned service account. */
  public of(sa: BoundServiceAccount): Construct {
    return this.shard(sa.spec.namespace, this.shardOf.get(sa)!);
  }

  /** The nested stack of one namespace shard: `Namespace-<ns>`, `Namespace-<ns>:1`... (created on first use). */
  public shard(namespace: string, shard: number): NestedStack {
    const id = shard === 0 ? `Namespace-${namespace}` : `Namespace-${namespace}:${shard}`;
    let stack = this.byId.get(id);
    if (!stack) {
      stack = new NamespaceStack(this.parent, id, {
        description: `Workload identity of namespace ${namespace}${shard === 0 ? '' : ` (shard ${shard})`} (cdk-eks-identity)`,
      });
      this.byId.set(id, stack);
      this.stacks.push(stack);
      // the namespace's Namespace object is applied from its first shard (created first)
      const first = this.byId.get(`Namespace-${namespace}`);
      if (shard > 0 && this.appliesNamespaces && first) stack.addStackDependency(first);
    }
    return stack;
  }
}

/** Where the service accounts of one namespace go, given the planned (hash) shards. */
export type ShardPlacement = (
  serviceAccounts: BoundServiceAccount[], planned: number[], weights: TemplateWeight[], budget: TemplateWeight,
) => number[];

/**
 * What one service account adds to a template: its role (none with existingRoleArn), and about
 * that many bytes (trust policy, description, tags, policies as CDK writes them).
 */
function estimateWeight(sa: ServiceAccountSpec): TemplateWeight {
  // Pod Identity adds its association (and its role unless one is brought)
  const association = sa.mechanism === IdentityMechanism.POD_IDENTITY ? 1 : 0;
  if (sa.existingRoleArn !== undefined) return { resources: association, bytes: association * 600 };
  return { resources: 1 + association, bytes: 1500 + association * 600 + 3 * JSON.stringify(sa.role ?? {}).length };
}
