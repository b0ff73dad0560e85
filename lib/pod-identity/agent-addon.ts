import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { IIdentityCluster } from '../cluster';
import { IdentityModel } from '../model/identity-model';
import { clusterKey, clusterLabel } from '../private/cluster-key';
import { enforce, onLiteral } from '../private/enforce';
import { checkAddonVersion } from '../rules/eks';
import { POD_IDENTITY_AGENT_ADDON } from '../rules/pod-identity';

/**
 * Options of the `eks-pod-identity-agent` add-on.
 */
export interface PodIdentityAgentAddonOptions {
  /**
   * The add-on version, like `v1.3.4-eksbuild.1`
   * (`aws eks describe-addon-versions --addon-name eks-pod-identity-agent`).
   *
   * @default - the default version for the cluster's Kubernetes version
   */
  readonly addonVersion?: string;

  /**
   * Keep the agent running on the cluster when the add-on resource is deleted (stack deletion):
   * removing it breaks every Pod Identity workload of the cluster.
   *
   * @default true
   */
  readonly preserveOnDelete?: boolean;
}

/**
 * Properties of a `PodIdentityAgentAddon`.
 */
export interface PodIdentityAgentAddonProps extends PodIdentityAgentAddonOptions {
  /** The cluster. */
  readonly cluster: IIdentityCluster;
}

/**
 * The `eks-pod-identity-agent` EKS add-on (`AWS::EKS::Addon`): the DaemonSet that hands Pod
 * Identity credentials to pods. Without it, pods of associated service accounts get no
 * credentials. EKS Auto Mode clusters run the agent already; create it only once per cluster.
 */
export class PodIdentityAgentAddon extends Construct {
  /**
   * Declares that the cluster runs the Pod Identity agent installed outside this app (eksctl, the
   * console, another app, EKS Auto Mode): nothing is created, and the app-wide
   * `pod-identity-agent-missing` check counts the cluster as having it.
   *
   * @param scope where the declaration is recorded (any construct of the app)
   * @param cluster the cluster that runs the agent
   */
  public static declareExternal(scope: Construct, cluster: IIdentityCluster): void {
    IdentityModel.of(scope).addAddon({
      path: scope.node.path, cluster: clusterKey(cluster), clusterLabel: clusterLabel(cluster), name: POD_IDENTITY_AGENT_ADDON, external: true,
    });
  }

  /** The add-on ARN. */
  public readonly addonArn: string;

  constructor(scope: Construct, id: string, props: PodIdentityAgentAddonProps) {
    super(scope, id);
    enforce(this, [
      ...onLiteral(props.addonVersion, v => checkAddonVersion('addonVersion', v, POD_IDENTITY_AGENT_ADDON)),
    ]);
    // once per cluster: checked over the whole app
    IdentityModel.of(this).addAddon({
      path: this.node.path, cluster: clusterKey(props.cluster), clusterLabel: clusterLabel(props.cluster), name: POD_IDENTITY_AGENT_ADDON,
    });

    const resource = new eks.CfnAddon(this, 'Resource', {
      clusterName: props.cluster.clusterNameRef ?? props.cluster.clusterName,
      addonName: POD_IDENTITY_AGENT_ADDON,
      addonVersion: props.addonVersion,
      preserveOnDelete: props.preserveOnDelete ?? true,
    });
    this.addonArn = resource.attrArn;
  }
}
