import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** What a cluster key is made of (an `IIdentityCluster`, structurally). */
export interface ClusterLike extends IConstruct {
  readonly clusterName: string;
  readonly account: string;
  readonly region: string;
}

/**
 * One key per EKS cluster across the app: `<account>/<region>/<name>` when all three are literal
 * (two references to one cluster then share it), else the reference's construct path.
 */
export function clusterKey(cluster: ClusterLike): string {
  const parts = [cluster.account, cluster.region, cluster.clusterName];
  return parts.every(p => !Token.isUnresolved(p)) ? parts.join('/') : cluster.node.path;
}

/** The cluster name for messages: the literal name, else the reference's path. */
export function clusterLabel(cluster: ClusterLike): string {
  return Token.isUnresolved(cluster.clusterName) ? cluster.node.path : `'${cluster.clusterName}'`;
}
