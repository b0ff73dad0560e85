import { AccessEntryType } from '../access/access-entry';
import { AuthenticationMode } from '../cluster';
import { FargateSelector } from '../fargate/fargate-profile';
import { IdentityQuotas } from '../quotas';
import { IdentityMechanism } from '../workload-identity';

/**
 * The identity spec (identity.yaml): everything a `WorkloadIdentityStack` builds.
 * The YAML/JSON file and the TypeScript props have the same shape.
 */
export interface IdentitySpec {
  /**
   * CloudFormation stack name.
   *
   * @default - the construct id
   */
  readonly stackName?: string;

  /** The cluster. */
  readonly cluster: ClusterSpec;

  /**
   * The IAM OIDC provider.
   *
   * @default - one is created for the cluster's issuer and retained on delete
   */
  readonly oidcProvider?: OidcProviderSpec;

  /**
   * Defaults applied to every role this spec creates.
   *
   * @default - none
   */
  readonly defaults?: RoleDefaultsSpec;

  /**
   * AWS quotas raised on your account.
   *
   * @default - AWS defaults
   */
  readonly quotas?: IdentityQuotas;

  /**
   * Service accounts and their identities.
   *
   * @default - none
   */
  readonly serviceAccounts?: ServiceAccountSpec[];

  /**
   * Fargate: the pod execution role and the profiles.
   *
   * @default - nothing for Fargate
   */
  readonly fargate?: FargateSpec;

  /**
   * EKS access entries of the cluster (needs authenticationMode API or API_AND_CONFIG_MAP).
   *
   * @default - none
   */
  readonly accessEntries?: AccessEntrySpec[];

  /**
   * Bindings of Kubernetes groups (the kubernetesGroups of access entries) to ClusterRoles.
   *
   * @default - none
   */
  readonly rbac?: RbacBindingSpec[];

  /**
   * How the resources are laid out in CloudFormation. `single` keeps everything in one template
   * (500 resources, 1 MB); `nested` puts each namespace in a nested stack of its own. Never
   * switched implicitly: a spec that outgrows `single` fails synth.
   *
   * @default StackLayout.SINGLE
   */
  readonly layout?: StackLayout;

  /**
   * How the Kubernetes objects are delivered.
   *
   * @default - written to `<artifactId>.k8s.yaml` only
   */
  readonly manifests?: ManifestsSpec;
}

/**
 * How a `WorkloadIdentityStack` lays out its resources in CloudFormation.
 */
export enum StackLayout {
  /** One template: at most 500 resources and 1 MB. */
  SINGLE = 'single',
  /**
   * The OIDC provider and shared resources in the parent stack, each namespace's resources in a
   * nested stack (split by a stable hash of the service account name when a namespace outgrows one
   * template). Still one `cdk deploy`.
   */
  NESTED = 'nested',
}

/**
 * The cluster section.
 */
export interface ClusterSpec {
  /** Cluster name. */
  readonly name: string;
  /** Account id (12 digits, quoted in YAML). */
  readonly account: string;
  /** Region. */
  readonly region: string;

  /**
   * OIDC issuer URL; required once any service account uses IRSA.
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
}

/**
 * The oidcProvider section.
 */
export interface OidcProviderSpec {
  /**
   * ARN of an existing provider for the cluster's issuer (eksctl, Terraform...).
   *
   * @default - a provider is created
   */
  readonly arn?: string;

  /**
   * Thumbprints of a created provider.
   *
   * @default - none: IAM obtains it
   */
  readonly thumbprints?: string[];
}

/**
 * The defaults section.
 */
export interface RoleDefaultsSpec {
  /**
   * Prefix of every default role name.
   *
   * @default ''
   */
  readonly roleNamePrefix?: string;

  /**
   * IAM path of every role.
   *
   * @default '/'
   */
  readonly rolePath?: string;

  /**
   * Permissions boundary ARN of every role.
   *
   * @default - none
   */
  readonly permissionsBoundary?: string;

  /**
   * Tags on every resource of the stack.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/**
 * One service account.
 */
export interface ServiceAccountSpec {
  /** Service account name. */
  readonly name: string;
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
 * The fargate section.
 */
export interface FargateSpec {
  /**
   * The pod execution role shared by the profiles.
   *
   * @default - a role with a generated name
   */
  readonly podExecutionRole?: PodExecutionRoleSpec;

  /**
   * The Fargate profiles, created one after the other.
   *
   * @default - none
   */
  readonly profiles?: FargateProfileSpec[];
}

/**
 * The pod execution role of the fargate section.
 */
export interface PodExecutionRoleSpec {
  /**
   * Role name.
   *
   * @default - generated by CloudFormation
   */
  readonly name?: string;
}

/**
 * One Fargate profile.
 */
export interface FargateProfileSpec {
  /** Profile name, unique in the cluster. */
  readonly name: string;

  /**
   * Private subnets for the pods.
   *
   * @default - the cluster's subnets
   */
  readonly subnetIds?: string[];

  /** Selectors: namespace (wildcards allowed) and optional labels. */
  readonly selectors: FargateSelector[];
}

/**
 * One access entry.
 */
export interface AccessEntrySpec {
  /** ARN of the IAM role (a path is fine) or user. */
  readonly principalArn: string;

  /**
   * Type.
   *
   * @default STANDARD
   */
  readonly type?: AccessEntryType;

  /**
   * Kubernetes username (STANDARD only).
   *
   * @default - generated by EKS
   */
  readonly username?: string;

  /**
   * Kubernetes groups (STANDARD only).
   *
   * @default - none
   */
  readonly kubernetesGroups?: string[];

  /**
   * Access policies.
   *
   * @default - none
   */
  readonly accessPolicies?: AccessPolicySpec[];

  /**
   * Tags of the access entry.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/**
 * One access policy of an access entry.
 */
export interface AccessPolicySpec {
  /** A policy name (AmazonEKSViewPolicy) or a full cluster-access-policy ARN. */
  readonly policy: string;

  /**
   * Namespaces it applies in (wildcards like `dev-*` allowed).
   *
   * @default - cluster scope
   */
  readonly namespaces?: string[];
}

/**
 * A group bound to a ClusterRole.
 */
export interface RbacBindingSpec {
  /** The Kubernetes group. */
  readonly group: string;

  /** The ClusterRole. */
  readonly clusterRole: string;

  /**
   * Namespaces to create RoleBindings in.
   *
   * @default - one ClusterRoleBinding
   */
  readonly namespaces?: string[];
}

/**
 * A role to create.
 */
export interface RoleSpec {
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

/**
 * The manifests section.
 */
export interface ManifestsSpec {
  /**
   * Apply the objects in-stack through a kubectl provider (aws-eks-v2 `KubernetesManifest`,
   * batched by namespace, never pruned). Needs `kubectlRoleArn` and `cluster.kubernetesVersion`.
   *
   * @default false
   */
  readonly apply?: boolean;

  /**
   * The execution role of the kubectl Lambda function. It must trust `lambda.amazonaws.com`, have
   * cluster-admin access on the cluster (an access entry with `AmazonEKSClusterAdminPolicy`, or
   * `system:masters`) and the `AWSLambdaBasicExecutionRole` permissions (plus
   * `AWSLambdaVPCAccessExecutionRole` with `subnetIds`). Required when `apply` is true.
   *
   * @default - none
   */
  readonly kubectlRoleArn?: string;

  /**
   * Adopt objects that already exist in the cluster (ServiceAccounts made by Helm or eksctl):
   * `kubectl apply` instead of `kubectl create` on the first deploy.
   *
   * @default false
   */
  readonly overwrite?: boolean;

  /**
   * Also write (and apply) a Namespace object for every namespace of the spec.
   *
   * @default false
   */
  readonly createNamespaces?: boolean;

  /**
   * Private-endpoint clusters: the subnets the kubectl Lambda runs in.
   *
   * @default - the cluster endpoint is reached publicly
   */
  readonly subnetIds?: string[];

  /**
   * Private-endpoint clusters: the security groups of the kubectl Lambda (required with
   * `subnetIds`; the cluster security group usually fits).
   *
   * @default - none
   */
  readonly securityGroupIds?: string[];
}
