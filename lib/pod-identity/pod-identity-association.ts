import { Lazy, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IIdentityCluster } from '../cluster';
import { IdentityModel } from '../model/identity-model';
import { clusterKey, clusterLabel } from '../private/cluster-key';
import { enforce, isLiteral, onLiteral } from '../private/enforce';
import { podIdentityOptionFindings } from '../private/pod-identity-options';
import { Finding } from '../rules/finding';
import { checkNamespaceName, checkServiceAccountName } from '../rules/k8s-names';
import { checkAssociationRoleAccount } from '../rules/pod-identity';

/**
 * Pod Identity options of one service account beyond the role.
 */
export interface PodIdentityOptions {
  /**
   * A role to chain into, in this or another account: EKS Pod Identity assumes the association's
   * role, then this one, and the pods get this role's credentials. Its trust policy must allow
   * the association's role (`sts:AssumeRole` and `sts:TagSession`), ideally with the
   * association's `ExternalId`; when the association's role is created here, it is granted
   * `sts:AssumeRole` and `sts:TagSession` on this ARN.
   *
   * @default - no role chaining
   */
  readonly targetRoleArn?: string;

  /**
   * A session policy: the pods' permissions are the intersection of the role's and this
   * document's (with `targetRoleArn`, of the target role's). Requires `disableSessionTags: true`;
   * at most 2,048 characters.
   *
   * @default - none
   */
  readonly sessionPolicy?: iam.PolicyDocument;

  /**
   * Turn off the session tags EKS Pod Identity adds (`eks-cluster-name`, `kubernetes-namespace`,
   * `kubernetes-service-account`...). Required with `sessionPolicy`.
   *
   * @default false
   */
  readonly disableSessionTags?: boolean;
}

/**
 * Properties of a `PodIdentityAssociation`.
 */
export interface PodIdentityAssociationProps extends PodIdentityOptions {
  /** The cluster. */
  readonly cluster: IIdentityCluster;

  /** Namespace of the service account. */
  readonly namespace: string;

  /** Name of the service account. */
  readonly serviceAccountName: string;

  /**
   * The role the pods get, in the cluster's account, trusted by `pods.eks.amazonaws.com`
   * (`PodIdentityRole`).
   */
  readonly role: iam.IRole;
}

/**
 * An EKS Pod Identity association (`AWS::EKS::PodIdentityAssociation`): pods of the service
 * account get the role's credentials from the `eks-pod-identity-agent` add-on (see
 * `PodIdentityAgentAddon`). No ServiceAccount annotation is involved.
 *
 * Checked here: one association per cluster, namespace and service account in the app; the role
 * in the cluster's account; a session policy only with `disableSessionTags: true`; no Fargate
 * profile of the app taking the namespace's pods (Pod Identity does not work on Fargate).
 */
export class PodIdentityAssociation extends Construct {
  /** The association ARN. */
  public readonly associationArn: string;
  /** The association id. */
  public readonly associationId: string;
  /**
   * The external id EKS uses when it assumes `targetRoleArn`: put it in the target role's trust
   * policy (`sts:ExternalId`).
   */
  public readonly externalId: string;

  constructor(scope: Construct, id: string, props: PodIdentityAssociationProps) {
    super(scope, id);
    const cluster = props.cluster;
    const stack = Stack.of(this);

    const findings: Finding[] = [
      ...onLiteral(props.namespace, ns => checkNamespaceName('namespace', ns)),
      ...onLiteral(props.serviceAccountName, n => checkServiceAccountName('serviceAccountName', n)),
      ...podIdentityOptionFindings('', props, props.role.roleArn),
    ];
    const roleArn = literal(props.role.roleArn);
    if (roleArn !== undefined && !Token.isUnresolved(cluster.account)) {
      findings.push(...checkAssociationRoleAccount('role', roleArn, cluster.account));
    }

    enforce(this, findings);
    // one association per service account, none in a namespace Fargate takes, the target role: checked over the whole app
    if (isLiteral(props.namespace) && isLiteral(props.serviceAccountName)) {
      IdentityModel.of(this).addAssociation({
        path: this.node.path,
        cluster: clusterKey(cluster),
        clusterLabel: clusterLabel(cluster),
        namespace: props.namespace,
        serviceAccount: props.serviceAccountName,
        roleArn: literal(props.role.roleArn),
        rolePath: props.role.node.path,
        targetRoleArn: props.targetRoleArn !== undefined ? literal(props.targetRoleArn) : undefined,
      });
    }

    const resource = new eks.CfnPodIdentityAssociation(this, 'Resource', {
      clusterName: cluster.clusterNameRef ?? cluster.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccountName,
      roleArn: props.role.roleArn,
      targetRoleArn: props.targetRoleArn,
      disableSessionTags: props.disableSessionTags,
      policy: props.sessionPolicy
        ? Lazy.string({ produce: () => stack.toJsonString(props.sessionPolicy!.toJSON()) })
        : undefined,
    });
    this.associationArn = resource.attrAssociationArn;
    this.associationId = resource.attrAssociationId;
    this.externalId = resource.attrExternalId;
  }
}

function literal(value: string): string | undefined {
  return Token.isUnresolved(value) ? undefined : value;
}
