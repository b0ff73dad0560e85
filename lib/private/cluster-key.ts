import { Token } from 'aws-cdk-lib';
import { IIdentityCluster } from '../cluster';

/**
 * One key per EKS cluster across the app: `<account>/<region>/<name>` when all three are literal
 * (two references to one cluster then share it), else the reference's construct path.
 */
export function clusterKey(cluster: IIdentityCluster): string {
  const parts = [cluster.account, cluster.region, cluster.clusterName];
  return parts.every(p => !Token.isUnresolved(p)) ? parts.join('/') : cluster.node.path;
}

/** The cluster name for messages: the literal name, else the reference's path. */
export function clusterLabel(cluster: IIdentityCluster): string {
  return Token.isUnresolved(cluster.clusterName) ? cluster.node.path : `'${cluster.clusterName}'`;
}
