import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IIdentityCluster } from '../cluster';
import { IrsaRoleOptions } from '../irsa/service-account-role';
import { IdentityModel } from '../model/identity-model';
import { clusterKey, clusterLabel } from '../private/cluster-key';
import { enforce } from '../private/enforce';
import { acknowledgeWildcards } from '../private/nag';
import { partitionForRegion } from '../rules/arns';
import { IdentityMechanism, WorkloadIdentity } from '../workload-identity';
import { AddonPolicy, addonPolicy, findAddon } from './policy';
import { addonIds } from './registry';
import { packDocuments } from './split';
import { PolicyStatementJson } from './types';

/**
 * Narrowing inputs for the resources an add-on's upstream policy leaves at `*` or at an example ARN.
 */
export interface AddonPolicyScope {
  /**
   * Route 53 hosted zones (external-dns, cert-manager).
   *
   * @default - every hosted zone (an `addon-scope-open` warning)
   */
  readonly hostedZoneArns?: string[];
  /**
   * KMS keys (EBS CSI encryption, external-secrets): adds the KMS statements.
   *
   * @default - no KMS statements
   */
  readonly kmsKeyArns?: string[];
  /**
   * S3 buckets (Mountpoint for S3, Velero).
   *
   * @default - every bucket (an `addon-scope-open` warning)
   */
  readonly bucketArns?: string[];
  /**
   * Secrets Manager secrets (external-secrets, secrets store provider).
   *
   * @default - every secret (an `addon-scope-open` warning)
   */
  readonly secretArns?: string[];
  /**
   * SSM parameters (external-secrets Parameter Store).
   *
   * @default - every parameter (an `addon-scope-open` warning)
   */
  readonly parameterArns?: string[];
  /**
   * Auto Scaling group names (cluster-autoscaler minimal policy).
   *
   * @default - every group (an `addon-scope-open` warning)
   */
  readonly autoScalingGroupNames?: string[];
  /**
   * DNS record names (external-dns ABAC policy).
   *
   * @default ['*']
   */
  readonly recordNames?: string[];
  /**
   * VPC ids (VPC CNI scoped-down policy).
   *
   * @default ['*']
   */
  readonly vpcIds?: string[];
  /**
   * Private CA certificate authorities (aws-privateca-issuer).
   *
   * @default - every CA of the account
   */
  readonly certificateAuthorityArns?: string[];
  /**
   * Roles of other accounts the add-on assumes (cross-account documents).
   *
   * @default ['*']
   */
  readonly roleArns?: string[];
}

/**
 * Which policy of the catalogue: add-on, version, documents, scope.
 */
export interface AddonPolicyProps {
  /** Catalogue id of the add-on (`aws-load-balancer-controller`, `ebs-csi-driver`...; see docs/addons.md). */
  readonly addon: string;
  /**
   * Upstream version (`v2.13.4`; documentation version for Karpenter and cert-manager: `v1.14`).
   *
   * @default - the newest version of the catalogue
   */
  readonly version?: string;
  /**
   * The policy documents to include (e.g. `controller`, `aga`).
   *
   * @default - the add-on's default documents
   */
  readonly documents?: string[];
  /**
   * Narrowing inputs: the hosted zones, keys, buckets, secrets... the policy may touch (`scope:`
   * in a spec; `policyScope` here, since `scope` is the construct parameter in Python).
   *
   * @default - upstream's resources
   */
  readonly policyScope?: AddonPolicyScope;
  /**
   * Karpenter: ARN of the node role the controller passes to EC2.
   *
   * @default - none (required by Karpenter)
   */
  readonly nodeRoleArn?: string;
  /**
   * Karpenter: ARN of the interruption queue.
   *
   * @default - no interruption policy
   */
  readonly interruptionQueueArn?: string;
}

/**
 * Properties of an `AddonIdentity`.
 */
export interface AddonIdentityProps extends AddonPolicyProps, IrsaRoleOptions {
  /** The cluster. */
  readonly cluster: IIdentityCluster;
  /**
   * The identity mechanism.
   *
   * @default IdentityMechanism.IRSA
   */
  readonly mechanism?: IdentityMechanism;
  /**
   * Namespace of the add-on's service account.
   *
   * @default - the catalogue's (e.g. `kube-system`)
   */
  readonly namespace?: string;
  /**
   * Name of the add-on's service account.
   *
   * @default - the catalogue's (e.g. `aws-load-balancer-controller`)
   */
  readonly serviceAccountName?: string;
}

/** The catalogue policy as plain statements, for a cluster. */
function policyFor(cluster: IIdentityCluster, props: AddonPolicyProps): AddonPolicy {
  const partition = !Token.isUnresolved(cluster.partition) ? cluster.partition
    : !Token.isUnresolved(cluster.region) ? partitionForRegion(cluster.region) : cluster.partition;
  return addonPolicy(props.addon, props.version, partition, props.policyScope ?? {}, {
    documents: props.documents,
    region: cluster.region,
    account: cluster.account,
    clusterName: cluster.clusterName,
    nodeRoleArn: props.nodeRoleArn,
    interruptionQueueArn: props.interruptionQueueArn,
  });
}

const toDocument = (statements: PolicyStatementJson[]) => iam.PolicyDocument.fromJson({ Version: '2012-10-17', Statement: statements });

/**
 * The catalogue's IAM policies as `iam.PolicyDocument`s, usable without `AddonIdentity`.
 */
export class AddonPolicies {
  /**
   * The whole policy of an add-on (all its documents in one) for a partition. It may be larger
   * than one managed policy holds: `AddonIdentity` splits it.
   *
   * @param partition AWS partition (`aws`, `aws-cn`, `aws-us-gov`, ...)
   */
  public static document(partition: string, props: AddonPolicyProps, region?: string, account?: string, clusterName?: string): iam.PolicyDocument {
    const plan = addonPolicy(props.addon, props.version, partition, props.policyScope ?? {}, {
      documents: props.documents, region, account, clusterName, nodeRoleArn: props.nodeRoleArn, interruptionQueueArn: props.interruptionQueueArn,
    });
    return toDocument(plan.statements);
  }

  /** The catalogue ids. */
  public static addons(): string[] {
    return addonIds();
  }

  private constructor() {}
}

/**
 * The catalogue policy of an add-on as customer managed policies in `scope` (ids `Policy`, or
 * `Policy1`..`PolicyN` when split), with the AWS managed policies the add-on names. For the
 * spec's EKS managed add-ons, whose role has no association or ServiceAccount of its own.
 * @internal
 */
export function addonManagedPolicies(scope: Construct, cluster: IIdentityCluster, props: AddonPolicyProps) {
  const plan = policyFor(cluster, props);
  enforce(scope, plan.findings);
  const addon = findAddon(plan.addon)!;
  const packed = packDocuments(plan.documents);
  const policies = packed.map((p, i) => new iam.ManagedPolicy(scope, packed.length > 1 ? `Policy${i + 1}` : 'Policy', {
    description: `${addon.id} ${plan.version}: ${p.documents.join(', ')}`,
    document: toDocument(p.statements),
  }));
  // upstream's own wildcards (narrowed by its tag, region or scope conditions, or actions that take
  // no resource): a security review sees them acknowledged with the add-on and version, not as ours
  for (const policy of policies) {
    acknowledgeWildcards(policy, `the upstream IAM policy of ${addon.id} ${plan.version}: its wildcard resources are upstream's (narrowed by tag, region or scope conditions where upstream narrows them); narrow further with the add-on's scope where the catalogue offers one`);
  }
  const managed = (addon.managedPolicies ?? []).map(n => iam.ManagedPolicy.fromAwsManagedPolicyName(n));
  return { addon, version: plan.version, policies, managed };
}

/**
 * The AWS identity of a cluster add-on from the catalogue: the role (IRSA or Pod Identity, like a
 * `WorkloadIdentity`) for the add-on's service account, with the add-on's upstream policy for the
 * chosen version, in as many customer managed policies as IAM's 6,144-character limit needs, and
 * the AWS managed policies the add-on names.
 */
export class AddonIdentity extends Construct implements iam.IGrantable {
  /** The workload identity of the add-on's service account. */
  public readonly workload: WorkloadIdentity;
  /** The customer managed policies holding the add-on's policy. */
  public readonly policies: iam.ManagedPolicy[];
  /** The version whose policy was used. */
  public readonly version: string;
  /** The role ARN. */
  public readonly roleArn: string;
  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: AddonIdentityProps) {
    super(scope, id);
    const { addon, version, policies, managed } = addonManagedPolicies(this, props.cluster, props);
    this.version = version;
    this.policies = policies;
    this.workload = new WorkloadIdentity(this, 'Identity', {
      ...props,
      namespace: props.namespace ?? addon.defaultNamespace,
      serviceAccountName: props.serviceAccountName ?? addon.defaultServiceAccount,
      managedPolicies: [...(props.managedPolicies ?? []), ...this.policies, ...managed],
    });
    this.roleArn = this.workload.roleArn;
    this.grantPrincipal = this.workload.grantPrincipal;
    if ((props.mechanism ?? IdentityMechanism.IRSA) === IdentityMechanism.POD_IDENTITY) recordPodIdentityAddon(this, props.cluster, addon.id);
  }
}

/** The add-on's pods need the Pod Identity agent on the cluster: checked over the whole app. @internal */
export function recordPodIdentityAddon(scope: Construct, cluster: IIdentityCluster, addon: string): void {
  IdentityModel.of(scope).addPodIdentityAddon({
    path: scope.node.path,
    cluster: clusterKey(cluster),
    clusterLabel: clusterLabel(cluster),
    clusterNames: [...new Set([cluster.clusterName, ...(cluster.clusterNameRef !== undefined ? [cluster.clusterNameRef] : [])])],
    addon,
  });
}
