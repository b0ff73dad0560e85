import { IResource, RemovalPolicy, Resource, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IIdentityCluster } from '../cluster';
import { AccessPolicyAssociation } from './access-policy';
import { AccessScope, AccessScopeType } from './access-scope';
import type { OurAccessEntry } from '../model/collect';
import { IdentityModel } from '../model/identity-model';
import { clusterLabel } from '../private/cluster-key';
import { enforce, enforceErrors, isLiteral, onLiteral } from '../private/enforce';
import { recordAccessEntry } from '../private/identity-map';
import { checkAuthenticationMode, checkTags } from '../rules/access-entry';
import { checkAccessEntryType } from '../rules/access-entry-type';
import { AccessPolicyInput, checkAccessPolicies } from '../rules/access-policy';
import { checkArnPartition } from '../rules/arns';
import { checkKubernetesGroups } from '../rules/groups';
import { checkNodePrincipalKind, checkPrincipalArn, checkPrincipalChoice, defaultUsername, parsePrincipalArn } from '../rules/principal';
import { checkUsername } from '../rules/username';

/**
 * The type of an access entry: what the principal is for. It cannot change after creation
 * (CloudFormation replaces the entry, create-then-delete, and the create fails with 409).
 */
export enum AccessEntryType {
  /** People and applications (the default). Takes a username, groups and access policies. */
  STANDARD = 'STANDARD',
  /** The node role of self-managed Linux or Bottlerocket nodes. */
  EC2_LINUX = 'EC2_LINUX',
  /** The node role of self-managed Windows nodes. */
  EC2_WINDOWS = 'EC2_WINDOWS',
  /** A Fargate pod execution role (EKS creates these entries for profiles it knows). */
  FARGATE_LINUX = 'FARGATE_LINUX',
  /** An EKS Auto Mode node role of a custom NodeClass (with AmazonEKSAutoNodePolicy). */
  EC2 = 'EC2',
  /** The role of EKS hybrid nodes. */
  HYBRID_LINUX = 'HYBRID_LINUX',
  /** The role of SageMaker HyperPod nodes. */
  HYPERPOD_LINUX = 'HYPERPOD_LINUX',
}

/**
 * An EKS access entry.
 */
export interface IAccessEntry extends IResource {
  /** The ARN of the access entry. @attribute */
  readonly accessEntryArn: string;
  /** The ARN of its IAM principal. */
  readonly principalArn: string;
}

/**
 * Properties of an `AccessEntry`.
 */
export interface AccessEntryProps {
  /** The cluster. Its authentication mode must not be CONFIG_MAP. */
  readonly cluster: IIdentityCluster;

  /**
   * The IAM role (`iam.IRole`) or user (`iam.IUser`) the entry is for. Give this or `principalArn`.
   *
   * @default - `principalArn`
   */
  readonly principal?: iam.IIdentity;

  /**
   * The ARN of the IAM role (a path is fine) or user the entry is for. Never an STS session ARN,
   * never a service-linked role. Give this or `principal`.
   *
   * @default - `principal`
   */
  readonly principalArn?: string;

  /**
   * What the principal is for.
   *
   * @default AccessEntryType.STANDARD
   */
  readonly type?: AccessEntryType;

  /**
   * The Kubernetes username (STANDARD only). Not starting with `system:`, `eks:`, `aws:`,
   * `amazon:` or `iam:`; a `:` must come before `{{SessionName}}`.
   *
   * @default - EKS generates one: see `effectiveUsername`
   */
  readonly username?: string;

  /**
   * Kubernetes groups (STANDARD only, never `system:*`). Bind them with RoleBindings or
   * ClusterRoleBindings (`IdentityChart.bindGroup`); EKS does not check that they are bound.
   *
   * @default - none
   */
  readonly kubernetesGroups?: string[];

  /**
   * Access policies and their scopes (STANDARD and EC2 only; each policy once; at most 20).
   *
   * @default - none
   */
  readonly accessPolicies?: AccessPolicyAssociation[];

  /**
   * Tags of the access entry.
   *
   * @default - none (stack tags still apply)
   */
  readonly tags?: { [key: string]: string };

  /**
   * What happens to the entry when it leaves the stack.
   *
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An EKS access entry (`AWS::EKS::AccessEntry`) whose every EKS rule is checked at synth: the
 * type's spelling, the principal's kind and account, the username and groups, the access policies
 * and their scopes, the cluster's authentication mode, one entry per principal and cluster in the
 * app, and no entry for roles EKS maps itself (Fargate pod execution and managed node group roles).
 */
export class AccessEntry extends Resource implements IAccessEntry {
  public readonly accessEntryArn: string;
  public readonly principalArn: string;
  /** The cluster name. */
  public readonly clusterName: string;
  /** The type. */
  public readonly type: AccessEntryType;
  /** Kubernetes groups. */
  public readonly kubernetesGroups: string[];
  /**
   * The Kubernetes username of the principal: the one given, or the one EKS generates (a user's
   * ARN; for a role, `arn:<partition>:sts::<account>:assumed-role/<name without path>/{{SessionName}}`;
   * `system:node:{{EC2PrivateDNSName}}` for EC2_LINUX/EC2_WINDOWS; `system:node:{{SessionName}}` for
   * FARGATE_LINUX/HYBRID_LINUX). Undefined for EC2 and HYPERPOD_LINUX, whose generated username AWS
   * does not document.
   */
  public readonly effectiveUsername?: string;

  private readonly resource: eks.CfnAccessEntry;

  constructor(scope: Construct, id: string, props: AccessEntryProps) {
    super(scope, id);
    const cluster = props.cluster;
    const type = props.type ?? AccessEntryType.STANDARD;
    this.type = type;
    this.clusterName = cluster.clusterName;
    this.kubernetesGroups = [...(props.kubernetesGroups ?? [])];

    const principal = resolvePrincipal(props);
    this.principalArn = principal.arn;
    const literalAccount = Token.isUnresolved(cluster.account) ? undefined : cluster.account;
    const literalPartition = Token.isUnresolved(cluster.partition) ? undefined : cluster.partition;
    const parsed = Token.isUnresolved(principal.arn) ? undefined : parsePrincipalArn(principal.arn);
    const kind = principal.kind ?? parsed?.kind;

    const associations = (props.accessPolicies ?? []).map(a => ({ policy: a.policy, scope: a.scope ?? AccessScope.cluster() }));
    const policyInputs: AccessPolicyInput[] = associations.map(a => ({
      name: a.policy.policyName !== undefined && isLiteral(a.policy.policyName) && isLiteral(a.policy.givenArn) ? a.policy.policyName : undefined,
      arn: a.policy.givenArn !== undefined && isLiteral(a.policy.givenArn) ? a.policy.givenArn : undefined,
      scopeType: a.scope.type === AccessScopeType.NAMESPACE ? 'namespace' : 'cluster',
      // scope checks are skipped when a namespace is a token
      namespaces: isLiteral(a.scope.namespaceNames) ? a.scope.namespaceNames : undefined,
    }));
    const display = !Token.isUnresolved(principal.arn) ? principal.arn
      : (principal.role ?? principal.user) ? `${(principal.role ?? principal.user)!.node.path} (unresolved ARN)` : '(unresolved ARN)';

    const typeFindings = onLiteral(type as string, t => checkAccessEntryType('type', t));
    enforce(this, typeFindings);
    enforce(this, [
      ...(cluster.authenticationMode !== undefined ? checkAuthenticationMode('cluster.authenticationMode', cluster.authenticationMode) : []),
      ...onLiteral(principal.arn, a => checkPrincipalArn(principal.field, a, type, literalAccount)),
      ...onLiteral(principal.arn, a => onLiteral(cluster.region, r => checkArnPartition(principal.field, a, r))),
      ...(Token.isUnresolved(principal.arn) ? checkNodePrincipalKind(principal.field, display, principal.kind, type) : []),
      ...onLiteral(props.username, u => checkUsername('username', u, { type, principalKind: kind })),
      ...onLiteral(props.kubernetesGroups, g => checkKubernetesGroups('kubernetesGroups', g, type)),
      ...checkAccessPolicies('accessPolicies', policyInputs, type, literalPartition),
      ...onLiteral(props.tags, t => checkTags('tags', t)),
    ]);

    if (props.username !== undefined) {
      this.effectiveUsername = props.username;
    } else if (parsed) {
      this.effectiveUsername = defaultUsername(parsed, type);
    } else if (principal.role) {
      this.effectiveUsername = defaultUsername({
        kind: 'role', partition: cluster.partition, account: principal.role.env.account, path: '/', name: principal.role.roleName,
      }, type);
    } else if (principal.user) {
      this.effectiveUsername = type === AccessEntryType.STANDARD ? principal.user.userArn : undefined;
    }

    const tags = props.tags ?? {};
    this.resource = new eks.CfnAccessEntry(this, 'Resource', {
      clusterName: cluster.clusterNameRef ?? cluster.clusterName,
      principalArn: principal.arn,
      type,
      username: props.username,
      kubernetesGroups: this.kubernetesGroups.length > 0 ? this.kubernetesGroups : undefined,
      accessPolicies: associations.length > 0 ? associations.map(a => ({
        policyArn: a.policy.arnIn(cluster.partition),
        accessScope: a.scope.type === AccessScopeType.NAMESPACE
          ? { type: 'namespace', namespaces: a.scope.namespaceNames }
          : { type: 'cluster' },
      })) : undefined,
      tags: Object.keys(tags).length > 0 ? Object.keys(tags).sort().map(key => ({ key, value: tags[key] })) : undefined,
    });
    if (props.removalPolicy !== undefined) this.resource.applyRemovalPolicy(props.removalPolicy);
    this.accessEntryArn = this.resource.attrAccessEntryArn;
    // one entry per principal and cluster, no entry for roles EKS maps itself, the per-cluster
    // quota, and groups that no binding of the app names (a warning): checked over the whole app
    const record: OurAccessEntry = {
      path: this.node.path,
      resourcePath: this.resource.node.path,
      field: principal.field,
      display,
      clusterLabel: show(this.clusterName),
      groups: isLiteral(this.kubernetesGroups) ? this.kubernetesGroups : undefined,
      // the aws-eks-v2 cluster's own name token identifies the cluster too (its node groups, its
      // grantAccess entries), and so does its literal name (the entry itself takes the cluster's Ref)
      otherClusterNames: cluster.eksCluster ? [cluster.clusterName, cluster.eksCluster.clusterName] : [],
    };
    IdentityModel.of(this).addAccessEntry(record);
    recordAccessEntry(record, {
      clusterLabel: clusterLabel(cluster),
      resource: this.resource,
      effectiveUsername: this.effectiveUsername,
      principalRole: principal.role,
    });
  }
}

interface ResolvedPrincipal {
  readonly arn: string;
  readonly field: string;
  readonly kind?: 'role' | 'user';
  readonly role?: iam.IRole;
  readonly user?: iam.IUser;
}

function resolvePrincipal(props: AccessEntryProps): ResolvedPrincipal {
  const p = props.principal as any;
  const kind = p && typeof p.roleArn === 'string' ? 'role' : p && typeof p.userArn === 'string' ? 'user' : undefined;
  enforceErrors(checkPrincipalChoice(props.principalArn, p === undefined ? undefined : `${p.node?.path ?? String(p)}`, kind));
  if (props.principalArn !== undefined) return { arn: props.principalArn, field: 'principalArn' };
  if (kind === 'role') return { arn: p.roleArn, field: 'principal', kind: 'role', role: p };
  return { arn: p.userArn, field: 'principal', kind: 'user', user: p };
}

const show = (v: string) => (Token.isUnresolved(v) ? '(unresolved)' : v);
