import * as eks from 'aws-cdk-lib/aws-eks';
import { AddonIdentity } from '../addons/addon-identity';

/** What one add-on of the spec built. */
export interface BuiltAddon {
  /**
   * A self-managed add-on: its identity (role, association or annotated ServiceAccount).
   *
   * @default - none: a managed add-on
   */
  readonly identity?: AddonIdentity;
  /**
   * A managed add-on: the `AWS::EKS::Addon`.
   *
   * @default - none: a self-managed add-on
   */
  readonly addon?: eks.CfnAddon;
  /** The ARN of the add-on's role. */
  readonly roleArn: string;
}
