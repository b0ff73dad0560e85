import { Token } from 'aws-cdk-lib';
import { AccessScope } from './access-scope';
import { accessPolicyArn, parseAccessPolicyArn } from '../rules/access-policy';

/**
 * An EKS access policy (Kubernetes permissions managed by EKS, not an IAM policy). A constant for
 * every policy the EKS User Guide documents, `fromName` for new ones, `fromArn` for a full ARN.
 *
 * Policies designated for AWS service-linked roles only (block storage, compute, hybrid, cluster
 * insights) are listed for completeness; associating them with an access entry is refused.
 */
export class AccessPolicy {
  /** Administrator access to one or more namespaces (like the `admin` ClusterRole). */
  public static readonly AMAZON_EKS_ADMIN_POLICY = new AccessPolicy('AmazonEKSAdminPolicy');
  /** Administrator access to the whole cluster (like `cluster-admin`). */
  public static readonly AMAZON_EKS_CLUSTER_ADMIN_POLICY = new AccessPolicy('AmazonEKSClusterAdminPolicy');
  /** List and view every resource, Secrets included. */
  public static readonly AMAZON_EKS_ADMIN_VIEW_POLICY = new AccessPolicy('AmazonEKSAdminViewPolicy');
  /** Edit most resources (like `edit`). */
  public static readonly AMAZON_EKS_EDIT_POLICY = new AccessPolicy('AmazonEKSEditPolicy');
  /** View most resources (like `view`). */
  public static readonly AMAZON_EKS_VIEW_POLICY = new AccessPolicy('AmazonEKSViewPolicy');
  /** Read Secrets. */
  public static readonly AMAZON_EKS_SECRET_READER_POLICY = new AccessPolicy('AmazonEKSSecretReaderPolicy');
  /** EKS Auto Mode node roles (type EC2 entries of custom NodeClasses). */
  public static readonly AMAZON_EKS_AUTO_NODE_POLICY = new AccessPolicy('AmazonEKSAutoNodePolicy');
  /** Auto Mode block storage leases. Service-linked roles only: refused on access entries. */
  public static readonly AMAZON_EKS_BLOCK_STORAGE_POLICY = new AccessPolicy('AmazonEKSBlockStoragePolicy');
  /** Auto Mode load balancing leases (EKS associates it with the cluster role). */
  public static readonly AMAZON_EKS_LOAD_BALANCING_POLICY = new AccessPolicy('AmazonEKSLoadBalancingPolicy');
  /** Auto Mode networking leases (EKS associates it with the cluster role). */
  public static readonly AMAZON_EKS_NETWORKING_POLICY = new AccessPolicy('AmazonEKSNetworkingPolicy');
  /** Auto Mode compute leases. Service-linked roles only: refused on access entries. */
  public static readonly AMAZON_EKS_COMPUTE_POLICY = new AccessPolicy('AmazonEKSComputePolicy');
  /** Auto Mode block storage capability. Service-linked roles only: refused on access entries. */
  public static readonly AMAZON_EKS_BLOCK_STORAGE_CLUSTER_POLICY = new AccessPolicy('AmazonEKSBlockStorageClusterPolicy');
  /** Auto Mode compute capability. Service-linked roles only: refused on access entries. */
  public static readonly AMAZON_EKS_COMPUTE_CLUSTER_POLICY = new AccessPolicy('AmazonEKSComputeClusterPolicy');
  /** Auto Mode load balancing capability (EKS associates it with the cluster role). */
  public static readonly AMAZON_EKS_LOAD_BALANCING_CLUSTER_POLICY = new AccessPolicy('AmazonEKSLoadBalancingClusterPolicy');
  /** Auto Mode networking capability (EKS associates it with the cluster role). */
  public static readonly AMAZON_EKS_NETWORKING_CLUSTER_POLICY = new AccessPolicy('AmazonEKSNetworkingClusterPolicy');
  /** Hybrid nodes. Service-linked roles only: refused on access entries. */
  public static readonly AMAZON_EKS_HYBRID_POLICY = new AccessPolicy('AmazonEKSHybridPolicy');
  /** Cluster Insights. Service-linked roles only: refused on access entries. */
  public static readonly AMAZON_EKS_CLUSTER_INSIGHTS_POLICY = new AccessPolicy('AmazonEKSClusterInsightsPolicy');
  /** AWS Backup: back up the cluster. */
  public static readonly AWS_BACKUP_FULL_ACCESS_POLICY_FOR_BACKUP = new AccessPolicy('AWSBackupFullAccessPolicyForBackup');
  /** AWS Backup: restore into the cluster. */
  public static readonly AWS_BACKUP_FULL_ACCESS_POLICY_FOR_RESTORE = new AccessPolicy('AWSBackupFullAccessPolicyForRestore');
  /** EKS capability: AWS Controllers for Kubernetes. */
  public static readonly AMAZON_EKS_ACK_POLICY = new AccessPolicy('AmazonEKSACKPolicy');
  /** EKS capability: Argo CD, cluster-level. */
  public static readonly AMAZON_EKS_ARGO_CD_CLUSTER_POLICY = new AccessPolicy('AmazonEKSArgoCDClusterPolicy');
  /** EKS capability: Argo CD, namespace-level. */
  public static readonly AMAZON_EKS_ARGO_CD_POLICY = new AccessPolicy('AmazonEKSArgoCDPolicy');
  /** EKS capability: kro (Kube Resource Orchestrator). */
  public static readonly AMAZON_EKS_KRO_POLICY = new AccessPolicy('AmazonEKSKROPolicy');
  /** Amazon AI operations assistant. */
  public static readonly AMAZON_AI_OPS_ASSISTANT_POLICY = new AccessPolicy('AmazonAIOpsAssistantPolicy');
  /** Amazon Application Recovery Controller region switch scaling. */
  public static readonly AMAZON_ARC_REGION_SWITCH_SCALING_POLICY = new AccessPolicy('AmazonARCRegionSwitchScalingPolicy');

  /**
   * A policy by name (`AmazonEKSViewPolicy`); the ARN takes the cluster's partition. Names the user
   * guide does not list are accepted with a warning (AWS keeps adding policies).
   */
  public static fromName(policyName: string): AccessPolicy {
    return new AccessPolicy(policyName);
  }

  /**
   * A policy by its full ARN, `arn:<partition>:eks::aws:cluster-access-policy/<name>`.
   */
  public static fromArn(policyArn: string): AccessPolicy {
    const parsed = Token.isUnresolved(policyArn) ? undefined : parseAccessPolicyArn(policyArn);
    return new AccessPolicy(parsed?.name, policyArn);
  }

  /** The policy name, when known (always for names; for literal ARNs of the right pattern). */
  public readonly policyName?: string;

  /** The ARN given to `fromArn`, if any. */
  public readonly givenArn?: string;

  private constructor(policyName?: string, policyArn?: string) {
    this.policyName = policyName;
    this.givenArn = policyArn;
  }

  /**
   * The policy ARN in a partition (ignored when the policy was given by ARN).
   */
  public arnIn(partition: string): string {
    return this.givenArn ?? accessPolicyArn(partition, this.policyName!);
  }

  /**
   * This policy with a scope, for `AccessEntryProps.accessPolicies`.
   *
   * @param scope where it applies; default the whole cluster
   */
  public scoped(scope?: AccessScope): AccessPolicyAssociation {
    return { policy: this, scope };
  }
}

/**
 * An access policy and where it applies, as associated with an access entry.
 */
export interface AccessPolicyAssociation {
  /** The policy. */
  readonly policy: AccessPolicy;

  /**
   * Where it applies.
   *
   * @default AccessScope.cluster()
   */
  readonly scope?: AccessScope;
}
