import { FargateSpec } from './types-fargate';
import { AuthenticationMode } from '../cluster';

/**
 * One cluster of a fleet (`clusters:` instead of `cluster:`): the fields of `cluster:`, its
 * `name` unique in the spec (service accounts and access entries refer to it), and what belongs
 * to one cluster only.
 */
export interface FleetClusterSpec {
  /** Cluster name, unique in the spec (`serviceAccounts[].clusters` and `accessEntries[].clusters` name it). */
  readonly name: string;
  /** Account id (12 digits, quoted in YAML). */
  readonly account: string;
  /** Region. */
  readonly region: string;

  /**
   * OIDC issuer URL; required once any service account on this cluster uses IRSA.
   *
   * @default - none
   */
  readonly oidcIssuerUrl?: string;

  /**
   * Kubernetes version, like "1.31".
   *
   * @default - unknown
   */
  readonly kubernetesVersion?: string;

  /**
   * EKS platform version, like "eks.4"; enables the version-table checks.
   *
   * @default - unknown
   */
  readonly platformVersion?: string;

  /**
   * Authentication mode.
   *
   * @default - unknown
   */
  readonly authenticationMode?: AuthenticationMode;

  /**
   * Fargate of this cluster (its subnets are the cluster's own): the pod execution role and the profiles.
   *
   * @default - nothing for Fargate
   */
  readonly fargate?: FargateSpec;
}
