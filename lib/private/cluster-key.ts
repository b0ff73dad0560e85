import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** What a cluster key is made of (an `IIdentityCluster`, structurally). */
export interface ClusterLike extends IConstruct {
  readonly clusterName: string;
  readonly account: string;
  readonly region: string;
}

const KEYS = new WeakMap<ClusterLike, { readonly key: string; readonly label: string }>();

/**
 * The key and the label of a cluster reference, computed once per reference (its attributes never
 * change): every record that names the cluster holds the same two strings.
 */
function keysOf(cluster: ClusterLike): { readonly key: string; readonly label: string } {
  let k = KEYS.get(cluster);
  if (!k) {
    const parts = [cluster.account, cluster.region, cluster.clusterName];
    k = {
      key: parts.every(p => !Token.isUnresolved(p)) ? parts.join('/') : cluster.node.path,
      label: Token.isUnresolved(cluster.clusterName) ? cluster.node.path : `'${cluster.clusterName}'`,
    };
    KEYS.set(cluster, k);
  }
  return k;
}

/**
 * One key per EKS cluster across the app: `<account>/<region>/<name>` when all three are literal
 * (two references to one cluster then share it), else the reference's construct path.
 */
export function clusterKey(cluster: ClusterLike): string {
  return keysOf(cluster).key;
}

/** The cluster name for messages: the literal name, else the reference's path. */
export function clusterLabel(cluster: ClusterLike): string {
  return keysOf(cluster).label;
}
