import { Finding } from './finding';

/**
 * The plain records of the per-App identity model: what every construct of the app declares,
 * as literal values where they are known (`undefined` when a token). `path` is the construct path
 * of the declaring construct: findings about the record are reported there.
 *
 * The app-wide rules (`app-*.ts`) are pure functions over these records.
 */

/** How a role is assumed. */
export type TrustMechanism = 'irsa' | 'podIdentity' | 'fargate' | 'other';

/** A service account an IRSA trust admits. */
export interface TrustSubject {
  /** issuer without `https://`, when literal */
  readonly issuer?: string;
  readonly namespace: string;
  /** may hold `*` and `?` when the role allows wildcards */
  readonly serviceAccount: string;
}

export interface TrustRecord {
  readonly mechanism: TrustMechanism;
  /** IRSA only */
  readonly subjects?: TrustSubject[];
  /** IRSA only: the literal provider ARNs trusted */
  readonly providerArns?: string[];
}

export interface OidcProviderRecord {
  readonly path: string;
  /** literal account of the stack that holds (or imports) it; else undefined */
  readonly account?: string;
  readonly partition?: string;
  /** `https://...` when literal */
  readonly issuerUrl?: string;
  readonly created: boolean;
  /** literal ARN (imports) */
  readonly arn?: string;
}

export interface RoleRecord {
  readonly path: string;
  /** construct path of the `iam.Role` (the key associations use) */
  readonly rolePath?: string;
  /** account scope: the literal account, else the stack path (names are unique per account) */
  readonly accountKey: string;
  /** literal account, when known */
  readonly account?: string;
  readonly partition?: string;
  readonly name?: string;
  /** IAM path, '/' by default */
  readonly iamPath?: string;
  /** literal ARN, when everything about it is known */
  readonly arn?: string;
  readonly trust: TrustRecord;
  /** the field that sets the name, for messages */
  readonly nameField: string;
}

/** A role the app says already exists (imported by ARN). */
export interface ImportedRoleRecord {
  readonly path: string;
  readonly arn: string;
  /** what imports it: `existingRoleArn`, `kubectlRoleArn`, `podExecutionRole` */
  readonly field: string;
  /** the mechanism it is used for, when it is an identity role */
  readonly usedAs?: TrustMechanism;
}

export interface ServiceAccountRecord {
  readonly path: string;
  /** one key per cluster across the app */
  readonly cluster: string;
  /** for messages */
  readonly clusterLabel: string;
  /** literal issuer of the cluster (without https://) when known */
  readonly issuer?: string;
  readonly namespace: string;
  readonly name: string;
  readonly mechanism: 'irsa' | 'podIdentity';
  /** literal role ARN */
  readonly roleArn?: string;
  /** the role is the user's (`existingRoleArn`) */
  readonly existingRole: boolean;
  /** the top-level stack whose manifest holds it */
  readonly stack: string;
}

export interface AssociationRecord {
  readonly path: string;
  readonly cluster: string;
  readonly clusterLabel: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** literal role ARN */
  readonly roleArn?: string;
  /** construct path of the role object (matches `RoleRecord.rolePath`) */
  readonly rolePath?: string;
  readonly targetRoleArn?: string;
}

export interface FargateSelectorRecord {
  readonly namespace: string;
  readonly labels?: Record<string, string>;
}

export interface FargateProfileRecord {
  readonly path: string;
  readonly cluster: string;
  readonly clusterLabel: string;
  /** literal profile name */
  readonly name?: string;
  /** literal selectors only */
  readonly selectors: FargateSelectorRecord[];
  /** `Fargate profile 'web' of cluster 'c' (Stack/Web)` */
  readonly where: string;
}

export type EksManagedKind = 'fargate-pod-execution-role' | 'managed-node-group-role';

/** A role EKS makes an access entry for by itself. */
export interface EksManagedRoleRecord {
  /** comparable keys of its ARN (`arn:<literal>`, `raw:<token string>`) */
  readonly principalKeys: string[];
  /** comparable keys of its cluster; empty: every cluster */
  readonly clusterKeys: string[];
  readonly kind: EksManagedKind;
  readonly usedBy: string;
}

/** An access entry of the app (ours, aws-eks-v2's or a raw L1). */
export interface AccessEntryRecord {
  /** where findings go */
  readonly path: string;
  /** the AWS::EKS::AccessEntry resource path, for messages */
  readonly resourcePath: string;
  readonly principalKeys: string[];
  readonly clusterKeys: string[];
  /** ours only: the principal field and value as shown, the cluster as shown, the groups */
  readonly ours?: {
    readonly field: string;
    readonly display: string;
    readonly clusterLabel: string;
    /** literal groups */
    readonly groups?: string[];
  };
}

export interface AddonRecord {
  readonly path: string;
  readonly cluster: string;
  readonly clusterLabel: string;
  readonly name: string;
  /** Declared as installed outside this app (`PodIdentityAgentAddon.declareExternal`): nothing is created. */
  readonly external?: boolean;
}

/** An add-on whose identity is a Pod Identity association: its pods need the Pod Identity agent. */
export interface PodIdentityAddonRecord {
  readonly path: string;
  readonly cluster: string;
  readonly clusterLabel: string;
  /** The cluster's names as its reference holds them (literal or token strings), to match raw `AWS::EKS::Addon`s. */
  readonly clusterNames: string[];
  readonly addon: string;
}

export interface K8sObjectRecord {
  readonly path: string;
  /** cluster key; undefined when the object names no cluster */
  readonly cluster?: string;
  readonly kind: string;
  /** '' for cluster-scoped objects */
  readonly namespace: string;
  readonly name: string;
  /** the manifest it is written to (top-level stack path) */
  readonly place: string;
}

/** A `RoleBinding` or `ClusterRoleBinding` of a stack's manifest (made by `bindGroup` or added to the chart directly). */
export interface RbacBindingRecord {
  readonly kind: string;
  readonly name: string;
  /** '' for a ClusterRoleBinding */
  readonly namespace: string;
  readonly roleRef: { readonly kind: string; readonly name: string };
  readonly subjects: ReadonlyArray<{ readonly kind: string; readonly name: string; readonly namespace?: string }>;
}

export interface StackRecord {
  readonly path: string;
  readonly account?: string;
  readonly region?: string;
  readonly stackName: string;
}

/** Everything the app declares. */
export interface AppModelData {
  readonly providers: OidcProviderRecord[];
  readonly roles: RoleRecord[];
  readonly importedRoles: ImportedRoleRecord[];
  readonly serviceAccounts: ServiceAccountRecord[];
  readonly associations: AssociationRecord[];
  readonly fargateProfiles: FargateProfileRecord[];
  readonly eksManagedRoles: EksManagedRoleRecord[];
  readonly accessEntries: AccessEntryRecord[];
  readonly boundGroups: ReadonlySet<string>;
  readonly addons: AddonRecord[];
  readonly k8sObjects: K8sObjectRecord[];
  readonly stacks: StackRecord[];
  /** Add-ons with Pod Identity associations. */
  readonly podIdentityAddons?: PodIdentityAddonRecord[];
  /**
   * Keys of the clusters that get the eks-pod-identity-agent from a construct of another library
   * (a raw `AWS::EKS::Addon`): `<account>/<region>/<name>` and `raw:<cluster name string>`.
   */
  readonly agentsInTree?: string[];
}

/** A finding of an app-wide rule, and the construct path it is reported on. */
export interface AppFinding {
  readonly path: string;
  readonly finding: Finding;
}

export const at = (path: string, findings: Finding[]): AppFinding[] => findings.map(finding => ({ path, finding }));

/** Groups records by a key, keeping declaration order. */
export function groupBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
