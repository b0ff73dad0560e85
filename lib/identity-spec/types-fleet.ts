import { ClusterSpec } from './types';
import { FargateSpec } from './types-fargate';

/**
 * One cluster of a fleet (`clusters:` instead of `cluster:`): the fields of `cluster:`, its
 * `name` unique in the spec (`serviceAccounts[].clusters` and `accessEntries[].clusters` name it;
 * `oidcIssuerUrl` is required once a service account on this cluster uses IRSA), and what belongs
 * to one cluster only.
 */
export interface FleetClusterSpec extends ClusterSpec {
  /**
   * Fargate of this cluster (its subnets are the cluster's own): the pod execution role and the profiles.
   *
   * @default - nothing for Fargate
   */
  readonly fargate?: FargateSpec;
}
