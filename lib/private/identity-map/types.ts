/**
 * The documented shape of `<artifactId>.identity.json` (see docs/doctor.md, "The identity map").
 * `version` changes only when a field changes meaning or goes away; new fields and sections are
 * added within a version. Every list is sorted; every value is text a person can read: a value
 * known only at deploy is a placeholder (`<cluster name of App/Stack/Cluster>`) or the
 * CloudFormation expression (`${ReaderRoleB3AA51B4.Arn}`), never a CDK token.
 */
export const IDENTITY_MAP_VERSION = 1;

export interface ServiceAccountRow {
  cluster: string;
  namespace: string;
  serviceAccount: string;
  mechanism: string;
  roleArn: string;
  targetRoleArn?: string;
  policies: string[];
  verify: boolean;
  /** construct path of the `WorkloadIdentity` */
  path: string;
}

export interface RoleSubjectRow {
  /** the issuer without `https://`, or a placeholder */
  issuer: string;
  namespace: string;
  serviceAccount: string;
  /** the `sub` the trust matches (`system:serviceaccount:<namespace>:<name>`) */
  sub: string;
}

export interface RoleRow {
  /** construct path of the construct that made the role (`ServiceAccountRole`, `PodIdentityRole`, `PodExecutionRole`) */
  path: string;
  /** who assumes it: `irsa`, `podIdentity`, `fargate` */
  mechanism: string;
  name: string;
  arn: string;
  /** IRSA: the service accounts the trust admits */
  subjects?: RoleSubjectRow[];
  /** IRSA: a subject holds `*` or `?` (matched with `StringLike`: every service account whose name matches) */
  wildcard?: boolean;
  /** IRSA: the OIDC providers trusted */
  providerArns?: string[];
  policies: string[];
}

export interface PodIdentityAssociationRow {
  cluster: string;
  namespace: string;
  serviceAccount: string;
  roleArn: string;
  targetRoleArn?: string;
  path: string;
}

export interface AccessPolicyRow {
  policy: string;
  scope: string;
  namespaces?: string[];
}

export interface AccessEntryRow {
  cluster: string;
  principalArn: string;
  type: string;
  username?: string;
  kubernetesGroups: string[];
  accessPolicies: AccessPolicyRow[];
  path: string;
}

export interface RbacSubjectRow {
  kind: string;
  name: string;
  namespace?: string;
}

export interface RbacBindingRow {
  kind: string;
  name: string;
  /** RoleBindings only */
  namespace?: string;
  role: { kind: string; name: string };
  subjects: RbacSubjectRow[];
}

export interface FargateSelectorRow {
  namespace: string;
  labels?: { [key: string]: string };
}

export interface FargateProfileRow {
  cluster: string;
  name: string;
  selectors: FargateSelectorRow[];
  podExecutionRoleArn: string;
  path: string;
}

export interface OidcProviderRow {
  /** created by this stack, or imported by ARN */
  created: boolean;
  issuerUrl: string;
  arn: string;
  path: string;
}

export interface IdentityMapJson {
  readonly version: number;
  readonly stack: string;
  readonly serviceAccounts: ServiceAccountRow[];
  readonly accessEntries: AccessEntryRow[];
  readonly roles: RoleRow[];
  readonly podIdentityAssociations: PodIdentityAssociationRow[];
  readonly rbacBindings: RbacBindingRow[];
  readonly fargateProfiles: FargateProfileRow[];
  readonly oidcProviders: OidcProviderRow[];
}
