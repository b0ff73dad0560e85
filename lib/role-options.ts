import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityQuotas } from './quotas';

/**
 * What every role this library creates for a workload (IRSA or Pod Identity) takes, whatever
 * trusts it.
 */
export interface WorkloadRoleOptions {
  /**
   * IAM path of the role.
   *
   * @default '/'
   */
  readonly path?: string;

  /**
   * Permissions boundary.
   *
   * @default - none
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * Maximum session duration (1 to 12 hours).
   *
   * @default Duration.hours(1)
   */
  readonly maxSessionDuration?: Duration;

  /**
   * Managed policies attached to the role.
   *
   * @default - none
   */
  readonly managedPolicies?: iam.IManagedPolicy[];

  /**
   * Inline policies of the role.
   *
   * @default - none
   */
  readonly inlinePolicies?: { [name: string]: iam.PolicyDocument };

  /**
   * Quotas your account has raised.
   *
   * @default - AWS defaults
   */
  readonly quotas?: IdentityQuotas;
}
