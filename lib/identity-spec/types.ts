import { AccessEntrySpec, RbacBindingSpec } from './types-access';
import { AddonSpec, PodIdentityAgentSpec } from './types-addons';
import { FargateSpec } from './types-fargate';
import { FleetClusterSpec } from './types-fleet';
import { ServiceAccountSpec } from './types-service-accounts';
import { AuthenticationMode } from '../cluster';
import { IdentityQuotas } from '../quotas';

// the sections of the spec, one file each
export * from './types-service-accounts';
export * from './types-fargate';
export * from './types-access';
export * from './types-addons';
export * from './types-fleet';

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

  /** The cluster (a fleet has `clusters` instead, read by `IdentityFleet`). */
  readonly cluster: ClusterSpec;

  /**
   * A fleet: several clusters instead of `cluster` (only `IdentityFleet` reads a spec with
   * `clusters`; docs/fleet.md).
   *
   * @default - one cluster: `cluster`
   */
  readonly clusters?: FleetClusterSpec[];

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
   * Cluster add-ons from the catalogue: their identity, and optionally the EKS managed add-on.
   *
   * @default - none
   */
  readonly addons?: AddonSpec[];

  /**
   * The eks-pod-identity-agent managed add-on: `{}` (or `true` in a YAML/JSON spec), `{ addonVersion }`,
   * or `{ external: true }` when it is installed otherwise.
   *
   * @default - none
   */
  readonly podIdentityAgent?: PodIdentityAgentSpec;

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

  /**
   * Keep the created provider in the template while the spec describes this cluster and issuer,
   * also once no IRSA workload is left (the lock file remembers that the stack created it).
   * `false` stops managing it: it leaves the template (and stays in IAM, retained) when no IRSA
   * workload needs it; import it with `arn` when IRSA comes back.
   *
   * @default true
   */
  readonly keep?: boolean;
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
