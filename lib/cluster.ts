import { FeatureFlags, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EKS_USE_NATIVE_OIDC_PROVIDER } from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';
import { OidcProvider } from './oidc-provider';
import { addFindingsValidation, enforce, onLiteral } from './private/enforce';
import { checkKubernetesVersion, checkPlatformVersion } from './rules/annotations';
import { checkAccount, checkRegion, partitionForRegion } from './rules/arns';
import { checkOneProviderPerIssuer } from './rules/cluster-provider';
import { checkClusterName } from './rules/eks';
import { error } from './rules/finding';
import { checkClientIdCount, checkIssuerUrl, DEFAULT_AUDIENCE } from './rules/issuer';
import { checkIssuerRegion } from './rules/issuer-region';
import { checkKubectlCluster } from './rules/kubectl';

/**
 * How the cluster authenticates IAM principals (EKS `accessConfig.authenticationMode`).
 * Access entries need API or API_AND_CONFIG_MAP; the mode only moves forward.
 */
export enum AuthenticationMode {
  /** Only the aws-auth ConfigMap (the EKS API default). Access entries are refused. */
  CONFIG_MAP = 'CONFIG_MAP',
  /** Access entries and the aws-auth ConfigMap. */
  API_AND_CONFIG_MAP = 'API_AND_CONFIG_MAP',
  /** Only access entries. */
  API = 'API',
}

/**
 * A reference to an EKS cluster: what cdk-eks-identity needs to know about it.
 */
export interface IIdentityCluster extends IConstruct {
  /** The cluster name (a literal when known: used in messages and default role names). */
  readonly clusterName: string;
  /**
   * The cluster name as the EKS resources we create write it (access entries, Fargate profiles,
   * Pod Identity associations, add-ons): the aws-eks-v2 cluster's own `clusterName`, a `Ref` of
   * its `AWS::EKS::Cluster`, so CloudFormation creates them after the cluster and deletes them
   * before it.
   *
   * @default - `clusterName`
   */
  readonly clusterNameRef?: string;
  /** The account the cluster runs in. */
  readonly account: string;
  /** The region the cluster runs in. */
  readonly region: string;
  /** The partition of `region` (a literal when the region is). */
  readonly partition: string;
  /** The OIDC issuer URL, when known. */
  readonly oidcIssuerUrl?: string;
  /** The Kubernetes version, like "1.31", when declared. */
  readonly kubernetesVersion?: string;
  /** The EKS platform version, like "eks.4", when declared. */
  readonly platformVersion?: string;
  /** The authentication mode, when declared. */
  readonly authenticationMode?: AuthenticationMode;
  /** The aws-eks-v2 cluster this reference was made from, if any. */
  readonly eksCluster?: eks.ICluster;
  /** True when the IAM OIDC provider is imported or is the aws-eks-v2 cluster's own (not created by this library). */
  readonly providerIsExternal: boolean;
  /**
   * The aws-eks-v2 cluster reference, with a kubectl provider, through which the Kubernetes
   * objects of this cluster are applied in-stack; undefined when they are only written to
   * `<artifactId>.k8s.yaml`.
   */
  readonly kubectlCluster?: eks.ICluster;
  /** In-stack apply adopts objects that already exist (`kubectl apply` instead of `kubectl create`). */
  readonly overwriteManifests: boolean;

  /**
   * The cluster's IAM OIDC provider: imported, the aws-eks-v2 cluster's own, or created (once)
   * the first time an IRSA role needs it.
   */
  oidcProvider(): iam.IOpenIdConnectProvider;

  /**
   * Records an audience a trust policy uses, so a created provider lists it as a client id.
   */
  addAudience(audience: string): void;
}

/**
 * Attributes of an EKS cluster, for `IdentityCluster.fromAttributes`.
 */
export interface IdentityClusterAttributes {
  /** The cluster name. */
  readonly clusterName: string;

  /**
   * The account the cluster runs in. Required (as a literal) whenever a manifest needs a role ARN.
   *
   * @default - the stack's account
   */
  readonly account?: string;

  /**
   * The region the cluster runs in; it decides the partition of the ARNs we write.
   *
   * @default - the stack's region
   */
  readonly region?: string;

  /**
   * The cluster's OIDC issuer URL (`aws eks describe-cluster --query cluster.identity.oidc.issuer`).
   * Required for IRSA.
   *
   * @default - none: IRSA roles cannot be created for this cluster
   */
  readonly oidcIssuerUrl?: string;

  /**
   * ARN of an IAM OIDC provider that already exists for this issuer (made by eksctl, Terraform or
   * the console). It must belong to `oidcIssuerUrl`.
   *
   * @default - a provider is created (and retained on delete) when the first IRSA role needs it
   */
  readonly oidcProviderArn?: string;

  /**
   * Thumbprints of a created provider.
   *
   * @default - none: IAM obtains the thumbprint itself
   */
  readonly oidcProviderThumbprints?: string[];

  /**
   * The Kubernetes version, like "1.31".
   *
   * @default - unknown: version-dependent checks are skipped
   */
  readonly kubernetesVersion?: string;

  /**
   * The EKS platform version, like "eks.4".
   *
   * @default - unknown: the platform-version table checks are skipped
   */
  readonly platformVersion?: string;

  /**
   * The cluster's authentication mode.
   *
   * @default - unknown
   */
  readonly authenticationMode?: AuthenticationMode;

  /**
   * Apply the Kubernetes objects in-stack through this aws-eks-v2 cluster reference, which must
   * have a kubectl provider (`ImportedClusterKubectl.cluster`). Objects are applied with
   * `KubernetesManifest`, batched by namespace, `prune: false`.
   *
   * @default - objects are only written to `<artifactId>.k8s.yaml`
   */
  readonly kubectlCluster?: eks.ICluster;

  /**
   * In-stack apply adopts objects that already exist (ServiceAccounts made by Helm or eksctl).
   *
   * @default false
   */
  readonly overwriteManifests?: boolean;
}

/**
 * Options for `IdentityCluster.fromCluster`.
 */
export interface IdentityClusterFromClusterOptions {
  /**
   * The cluster's name as a literal. aws-eks-v2 exposes the name as a token (a `Ref`) even when
   * you set `clusterName`, and default role names (and so the role ARN in the manifest) need it.
   *
   * @default - the cluster's `clusterName` (a token: give `roleName` to each workload instead)
   */
  readonly clusterName?: string;

  /**
   * The cluster's Kubernetes version, for version-dependent checks and the kubectl layer.
   *
   * @default - unknown
   */
  readonly kubernetesVersion?: string;

  /**
   * The cluster's authentication mode.
   *
   * @default - unknown
   */
  readonly authenticationMode?: AuthenticationMode;

  /**
   * Apply the Kubernetes objects in-stack through the cluster's kubectl provider.
   *
   * @default - true when the cluster has a kubectl provider (`kubectlProviderOptions`)
   */
  readonly applyManifests?: boolean;

  /**
   * In-stack apply adopts objects that already exist (ServiceAccounts made by Helm or eksctl).
   *
   * @default false
   */
  readonly overwriteManifests?: boolean;

  /**
   * ARN of an IAM OIDC provider that already exists for the cluster's issuer: one made outside
   * this app, or one an earlier version of this library made through aws-eks-v2 (retain it, then
   * import it here; see the CHANGELOG).
   *
   * @default - aws-eks-v2's provider when the cluster already has one (or the feature flag
   * `@aws-cdk/aws-eks:useNativeOidcProvider` makes it native); otherwise a native provider is
   * created (and retained on delete) when the first IRSA role needs it
   */
  readonly oidcProviderArn?: string;

  /**
   * Use the cluster's own `cluster.openIdConnectProvider`, whatever aws-eks-v2 makes it: without
   * the feature flag `@aws-cdk/aws-eks:useNativeOidcProvider` that is the Lambda-backed
   * `Custom::AWSCDKOpenIdConnectProvider` earlier versions of this library used. It accepts only
   * the audience `sts.amazonaws.com`.
   *
   * @default false
   */
  readonly useClusterOidcProvider?: boolean;
}

/**
 * A reference to an EKS cluster, made from attributes or from an aws-eks-v2 `Cluster`.
 */
export class IdentityCluster extends Construct implements IIdentityCluster {
  /**
   * A cluster known by its attributes (a cluster made outside this app).
   */
  public static fromAttributes(scope: Construct, id: string, attrs: IdentityClusterAttributes): IdentityCluster {
    return new IdentityCluster(scope, id, attrs);
  }

  /**
   * An aws-eks-v2 cluster of this app. The EKS resources we create reference the cluster (its
   * `Ref`), and nothing on the identity path needs a Lambda: the IAM OIDC provider is native
   * (aws-eks-v2's own when the cluster already has one: never two for one issuer) and IRSA trust
   * policies on the cluster's issuer token are JSON strings built with `Fn::Sub`, not `CfnJson`.
   */
  public static fromCluster(scope: Construct, id: string, cluster: eks.ICluster, options: IdentityClusterFromClusterOptions = {}): IdentityCluster {
    const stack = Stack.of(cluster);
    return new IdentityCluster(scope, id, {
      clusterName: options.clusterName ?? cluster.clusterName,
      oidcProviderArn: options.oidcProviderArn,
      account: stack.account,
      region: stack.region,
      oidcIssuerUrl: cluster instanceof eks.Cluster ? cluster.clusterOpenIdConnectIssuerUrl : undefined,
      kubernetesVersion: options.kubernetesVersion,
      authenticationMode: options.authenticationMode,
      kubectlCluster: (options.applyManifests ?? true) && cluster.kubectlProvider !== undefined ? cluster : undefined,
      overwriteManifests: options.overwriteManifests,
    }, cluster, options.useClusterOidcProvider ?? false);
  }

  public readonly clusterName: string;
  public readonly clusterNameRef?: string;
  public readonly account: string;
  public readonly region: string;
  public readonly partition: string;
  public readonly oidcIssuerUrl?: string;
  public readonly kubernetesVersion?: string;
  public readonly platformVersion?: string;
  public readonly authenticationMode?: AuthenticationMode;
  public readonly eksCluster?: eks.ICluster;
  public readonly kubectlCluster?: eks.ICluster;
  public readonly overwriteManifests: boolean;

  private readonly attrs: IdentityClusterAttributes;
  private readonly audiences: Set<string>;
  private provider?: iam.IOpenIdConnectProvider;
  /** set when the provider is aws-eks-v2's own, which lists only sts.amazonaws.com */
  private clusterProviderChosen = false;

  private constructor(scope: Construct, id: string, attrs: IdentityClusterAttributes, eksCluster?: eks.ICluster,
    private readonly useClusterOidcProvider = false) {
    super(scope, id);
    const stack = Stack.of(this);
    this.attrs = attrs;
    this.clusterName = attrs.clusterName;
    this.clusterNameRef = eksCluster?.clusterName;
    this.audiences = eksCluster ? shared(eksCluster).audiences : new Set<string>();
    this.account = attrs.account ?? stack.account;
    this.region = attrs.region ?? stack.region;
    this.partition = Token.isUnresolved(this.region) ? stack.partition : partitionForRegion(this.region);
    // an imported provider names its issuer: https:// + the ARN's resource name
    const importedIssuer = attrs.oidcProviderArn !== undefined && !Token.isUnresolved(attrs.oidcProviderArn)
      ? /:oidc-provider\/(.+)$/.exec(attrs.oidcProviderArn)?.[1] : undefined;
    this.oidcIssuerUrl = attrs.oidcIssuerUrl ?? (importedIssuer ? `https://${importedIssuer}` : undefined);
    this.kubernetesVersion = attrs.kubernetesVersion;
    this.platformVersion = attrs.platformVersion;
    this.authenticationMode = attrs.authenticationMode;
    this.eksCluster = eksCluster;
    this.kubectlCluster = attrs.kubectlCluster;
    this.overwriteManifests = attrs.overwriteManifests ?? false;
    if (attrs.kubectlCluster !== undefined) {
      enforce(this, checkKubectlCluster('kubectlCluster', attrs.kubectlCluster.node.path, attrs.kubectlCluster.kubectlProvider !== undefined));
    }

    enforce(this, [
      ...onLiteral(attrs.clusterName, n => checkClusterName('cluster.name', n)),
      ...onLiteral(attrs.account, a => checkAccount('cluster.account', a)),
      ...onLiteral(attrs.region, r => checkRegion('cluster.region', r)),
      ...onLiteral(attrs.oidcIssuerUrl, u => checkIssuerUrl('cluster.oidcIssuerUrl', u)),
      ...onLiteral(attrs.oidcIssuerUrl, u => onLiteral(this.region, r => checkIssuerRegion('cluster.oidcIssuerUrl', u, r))),
      ...onLiteral(attrs.kubernetesVersion, v => checkKubernetesVersion('cluster.kubernetesVersion', v)),
      ...onLiteral(attrs.platformVersion, v => checkPlatformVersion('cluster.platformVersion', v)),
    ]);
    if (attrs.oidcProviderArn !== undefined) {
      this.provider = OidcProvider.fromProviderArn(this, 'OidcProvider', attrs.oidcProviderArn, attrs.oidcIssuerUrl);
    }
  }

  /** True when the IAM OIDC provider is imported or is the aws-eks-v2 cluster's own. */
  public get providerIsExternal(): boolean {
    return this.attrs.oidcProviderArn !== undefined || this.usesClusterProvider();
  }

  public addAudience(audience: string): void {
    if (Token.isUnresolved(audience)) return;
    if (this.eksCluster && audience !== DEFAULT_AUDIENCE && this.usesClusterProvider()) {
      // aws-eks-v2 creates its provider with the single client id sts.amazonaws.com.
      OidcProvider.checkAudiences(this, [DEFAULT_AUDIENCE], [audience]);
    }
    enforce(this, checkClientIdCount('audience', audience, this.audiences.size + (this.audiences.has(audience) ? 0 : 1)));
    this.audiences.add(audience);
  }

  public oidcProvider(): iam.IOpenIdConnectProvider {
    if (this.provider) return this.provider;
    if (this.eksCluster && this.usesClusterProvider()) {
      this.clusterProviderChosen = true;
      this.provider = this.eksCluster.openIdConnectProvider;
      return this.provider;
    }
    const created = this.eksCluster && shared(this.eksCluster).provider;
    if (created) {
      // another reference to the same aws-eks-v2 cluster made the provider already
      this.provider = created;
      return created;
    }
    if (this.oidcIssuerUrl === undefined) {
      enforce(this, [error('irsa-issuer-required', 'cluster.oidcIssuerUrl', undefined,
        'is required once a service account uses IRSA: the trust policy is keyed on the issuer',
        'set cluster.oidcIssuerUrl to the output of aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer')]);
    }
    this.provider = new OidcProvider(this, 'OidcProvider', {
      issuerUrl: this.oidcIssuerUrl!,
      clientIds: Lazy.list({ produce: () => [...this.audiences].sort() }, { omitEmpty: false }),
      thumbprints: this.attrs.oidcProviderThumbprints,
    }).provider;
    if (this.eksCluster) {
      shared(this.eksCluster).provider = this.provider;
      // aws-eks-v2 makes its own provider when something reads cluster.openIdConnectProvider
      // (addServiceAccount, say) after ours was created: that would be a second one for the issuer.
      const eksCluster = this.eksCluster;
      addFindingsValidation(this, () => checkOneProviderPerIssuer('cluster.openIdConnectProvider',
        eksCluster.node.path, this.node.path, clusterProviderOf(eksCluster)?.node.path));
    }
    return this.provider;
  }

  /**
   * Whether the provider is the aws-eks-v2 cluster's own: asked for (`useClusterOidcProvider`),
   * already made (never two providers for one issuer), or native by the aws-eks-v2 feature flag
   * (so a later `cluster.openIdConnectProvider` gives the same one). An imported one comes first.
   */
  private usesClusterProvider(): boolean {
    const c = this.eksCluster;
    if (c === undefined || this.attrs.oidcProviderArn !== undefined) return false;
    if (this.clusterProviderChosen || this.useClusterOidcProvider || !(c instanceof eks.Cluster)) return true;
    return clusterProviderOf(c) !== undefined || FeatureFlags.of(c).isEnabled(EKS_USE_NATIVE_OIDC_PROVIDER) === true;
  }
}

/** What every IdentityCluster made from one aws-eks-v2 cluster shares: the provider we created, its audiences. */
interface SharedProvider {
  provider?: iam.IOpenIdConnectProvider;
  readonly audiences: Set<string>;
}
const SHARED = new WeakMap<IConstruct, SharedProvider>();
function shared(cluster: IConstruct): SharedProvider {
  let s = SHARED.get(cluster);
  if (!s) SHARED.set(cluster, s = { audiences: new Set<string>() });
  return s;
}

/** The OIDC provider aws-eks-v2 made as a child of the cluster (Lambda-backed or native), if any. */
function clusterProviderOf(cluster: IConstruct): IConstruct | undefined {
  return cluster.node.tryFindChild('OpenIdConnectProvider') ?? cluster.node.tryFindChild('OidcProviderNative');
}
