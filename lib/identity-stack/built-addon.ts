import * as eks from 'aws-cdk-lib/aws-eks';
import { AddonIdentity } from '../addons/addon-identity';
import { KarpenterIdentity } from '../addons/karpenter-identity';

/** What one add-on of the spec built. */
export interface BuiltAddon {
  /**
   * A self-managed add-on: its identity (role, association or annotated ServiceAccount).
   *
   * @default - none: a managed add-on, or karpenter with autoMode
   */
  readonly identity?: AddonIdentity;
  /**
   * A managed add-on: the `AWS::EKS::Addon`.
   *
   * @default - none: a self-managed add-on
   */
  readonly addon?: eks.CfnAddon;
  /**
   * `name: karpenter`: the whole bundle (`identity` is its controller).
   *
   * @default - none: another add-on
   */
  readonly karpenter?: KarpenterIdentity;
  /** The ARN of the add-on's role (karpenter with autoMode: the node role's). */
  readonly roleArn: string;
}
