import { Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as cdk8s from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import type { IIdentityCluster } from '../cluster';

/** One in-stack apply: the objects of one namespace (or the Namespace object itself) in one stack. */
interface Batch {
  readonly objects: cdk8s.ApiObject[];
  readonly resource: eks.KubernetesManifest;
}

/**
 * The in-stack apply of one chart's objects: each object joins the batch of its namespace in its
 * owner's stack, one `KubernetesManifest` per batch, `prune: false`. The batch of an object
 * depends only on its namespace and its owner's stack, so adding objects never moves another one.
 * Namespace objects have a batch of their own, retained on delete: deleting a namespace deletes
 * all in it.
 */
export class InStackApply {
  private readonly batches = new Map<string, Batch>();

  /** @param chartStack the top-level stack of the chart (the default owner) */
  constructor(private readonly chartStack: Stack) {}

  /** Number of in-stack apply resources made. */
  public get size(): number {
    return this.batches.size;
  }

  /** Applies `obj` in-stack when its cluster has a kubectl provider; does nothing otherwise. */
  public add(obj: cdk8s.ApiObject, namespace: string, isNamespace: boolean, cluster?: IIdentityCluster, owner?: IConstruct): void {
    const target = cluster?.kubectlCluster;
    if (!cluster || !target) return;
    const stack = Stack.of(owner ?? this.chartStack);
    const key = `${stack.node.path}|${cluster.node.path}|${isNamespace ? 'ns' : 'objects'}|${namespace}`;
    let batch = this.batches.get(key);
    if (!batch) {
      const objects: cdk8s.ApiObject[] = [];
      const resource = new eks.KubernetesManifest(applyScope(stack, cluster), isNamespace ? `Namespace-${namespace}` : namespace, {
        cluster: target,
        // resolved at synth: every object of the batch, as in <artifactId>.k8s.yaml
        manifest: Lazy.any({ produce: () => objects.map(o => o.toJson()) }) as any,
        prune: false,
        overwrite: cluster.overwriteManifests,
        removalPolicy: isNamespace ? RemovalPolicy.RETAIN : undefined,
      });
      batch = { objects, resource };
      this.batches.set(key, batch);
      const otherKey = `${stack.node.path}|${cluster.node.path}|${isNamespace ? 'objects' : 'ns'}|${namespace}`;
      const other = this.batches.get(otherKey);
      if (other) {
        if (isNamespace) other.resource.node.addDependency(resource);
        else resource.node.addDependency(other.resource);
      }
    }
    batch.objects.push(obj);
  }
}

const APPLY_SCOPES = new WeakMap<Stack, Map<IIdentityCluster, Construct>>();

/** `K8sApply-<cluster id>`: the construct under which one stack's batches for one cluster live. */
function applyScope(stack: Stack, cluster: IIdentityCluster): Construct {
  let byCluster = APPLY_SCOPES.get(stack);
  if (!byCluster) {
    byCluster = new Map();
    APPLY_SCOPES.set(stack, byCluster);
  }
  let scope = byCluster.get(cluster);
  if (!scope) {
    let id = `K8sApply-${cluster.node.id}`;
    if (stack.node.tryFindChild(id)) id = `${id}-${cluster.node.addr.slice(0, 8)}`;
    scope = new Construct(stack, id);
    byCluster.set(cluster, scope);
  }
  return scope;
}
