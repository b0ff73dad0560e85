import { ClusterSpec, ManifestsSpec } from './types';
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

  /**
   * Existing IAM OIDC providers of this cluster's issuer (eksctl, Terraform...): the fleet then
   * creates none for it in those accounts.
   *
   * @default - the fleet creates one provider per (account, issuer) that its IRSA roles need
   */
  readonly oidcProvider?: FleetOidcProviderSpec;

  /**
   * In-stack apply of this cluster's manifests: its kubectl role (cluster-admin on this cluster),
   * its subnets and security groups. Merged over the spec-wide `manifests:` (whose `apply`,
   * `overwrite` and `createNamespaces` are the defaults of every cluster).
   *
   * @default - the spec-wide `manifests:`
   */
  readonly manifests?: ManifestsSpec;
}

/**
 * The existing OIDC providers of one fleet cluster's issuer, one per account. An IAM OIDC
 * provider belongs to one account, and an IRSA role trusts a provider of its own account: the
 * cluster's account holds the provider of the roles on the cluster, and each account a role of
 * the cluster lives in (`role.account`) holds one more.
 */
export interface FleetOidcProviderSpec {
  /**
   * The provider in the cluster's own account, as the single-cluster `oidcProvider.arn`.
   *
   * @default - created by the fleet when a role in the cluster's account needs it
   */
  readonly arn?: string;

  /**
   * Providers of the same issuer in other accounts: one ARN per account that holds a role of
   * this cluster (`serviceAccounts[].role.account`). The ARN names its account.
   *
   * @default - created by the fleet in every such account
   */
  readonly crossAccountArns?: string[];
}
