import { IdentityMechanism } from '../workload-identity';

/**
 * One service account.
 */
export interface ServiceAccountSpec {
  /** Service account name. */
  readonly name: string;
  /**
   * The clusters of a fleet (`clusters:` names) this service account is on.
   *
   * @default - every cluster of the spec
   */
  readonly clusters?: string[];

  /** Namespace. */
  readonly namespace: string;

  /**
   * Mechanism.
   *
   * @default irsa
   */
  readonly mechanism?: IdentityMechanism;

  /**
   * The role to create.
   *
   * @default - a role with no permissions
   */
  readonly role?: RoleSpec;

  /**
   * An existing role instead of `role`.
   *
   * @default - a role is created
   */
  readonly existingRoleArn?: string;

  /**
   * Pod Identity only: role chaining, session policy, session tags.
   *
   * @default - none
   */
  readonly podIdentity?: PodIdentitySpec;

  /**
   * IRSA: regional STS endpoint annotation.
   *
   * @default - not written
   */
  readonly stsRegionalEndpoints?: boolean;

  /**
   * IRSA: token expiration in seconds (600..86400).
   *
   * @default - not written (86400)
   */
  readonly tokenExpirationSeconds?: number;

  /**
   * IRSA: audience.
   *
   * @default sts.amazonaws.com
   */
  readonly audience?: string;

  /**
   * Automount the service account token.
   *
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;

  /**
   * Add a verification Job that runs `aws sts get-caller-identity` with this service account and
   * fails unless it returns a session of the expected role.
   *
   * @default false
   */
  readonly verify?: boolean;

  /**
   * Labels.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations (no `eks.amazonaws.com/*` keys).
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * The podIdentity section of a service account (mechanism podIdentity only).
 */
export interface PodIdentitySpec {
  /**
   * A role (in this or another account) that Pod Identity assumes with the service account's
   * role: the pods get its credentials.
   *
   * @default - no role chaining
   */
  readonly targetRoleArn?: string;

  /**
   * A session policy narrowing the pods' permissions; requires `disableSessionTags: true`.
   *
   * @default - none
   */
  readonly sessionPolicy?: SessionPolicySpec;

  /**
   * Turn off the session tags Pod Identity adds.
   *
   * @default false
   */
  readonly disableSessionTags?: boolean;
}

/**
 * A session policy.
 */
export interface SessionPolicySpec {
  /** Its statements. */
  readonly statements: PolicyStatementSpec[];
}

/**
 * A role to create.
 */
export interface RoleSpec {
  /**
   * The account the role lives in (IRSA). A role in another account than its cluster gets the
   * cluster's OIDC provider created in that account.
   *
   * @default - the cluster's account
   */
  readonly account?: string;

  /**
   * Role name.
   *
   * @default `<prefix><cluster>-<namespace>-<serviceaccount>` (cut to 64 with a hash)
   */
  readonly name?: string;

  /**
   * IAM path.
   *
   * @default defaults.rolePath, else '/'
   */
  readonly path?: string;

  /**
   * AWS-managed policy names (with their path, e.g. `service-role/AmazonEBSCSIDriverPolicy`) or ARNs.
   *
   * @default - none
   */
  readonly managedPolicies?: string[];

  /**
   * Inline policy statements.
   *
   * @default - none
   */
  readonly statements?: PolicyStatementSpec[];

  /**
   * Maximum session duration in seconds (3600..43200).
   *
   * @default 3600
   */
  readonly maxSessionDuration?: number;

  /**
   * Permissions boundary ARN.
   *
   * @default defaults.permissionsBoundary
   */
  readonly permissionsBoundary?: string;
}

/**
 * An IAM policy statement.
 */
export interface PolicyStatementSpec {
  /**
   * Allow or Deny.
   *
   * @default Allow
   */
  readonly effect?: string;

  /**
   * Statement id.
   *
   * @default - none
   */
  readonly sid?: string;

  /**
   * Actions.
   *
   * @default - none (then notActions)
   */
  readonly actions?: string[];

  /**
   * Actions excluded.
   *
   * @default - none
   */
  readonly notActions?: string[];

  /**
   * Resources.
   *
   * @default - none (then notResources)
   */
  readonly resources?: string[];

  /**
   * Resources excluded.
   *
   * @default - none
   */
  readonly notResources?: string[];

  /**
   * Conditions, as in IAM JSON.
   *
   * @default - none
   */
  readonly conditions?: { [operator: string]: any };
}
