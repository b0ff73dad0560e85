/** Every add-on of the catalogue. */
import { AWS_LOAD_BALANCER_CONTROLLER } from './aws-load-balancer-controller';
import { CERT_MANAGER } from './cert-manager';
import { CLUSTER_AUTOSCALER } from './cluster-autoscaler';
import { EBS_CSI_DRIVER } from './ebs-csi-driver';
import { EFS_CSI_DRIVER } from './efs-csi-driver';
import { EXTERNAL_DNS } from './external-dns';
import { EXTERNAL_SECRETS } from './external-secrets';
import { KARPENTER } from './karpenter';
import { AddonDefinition } from './types';

export const ADDONS: readonly AddonDefinition[] = [
  AWS_LOAD_BALANCER_CONTROLLER,
  EBS_CSI_DRIVER,
  EFS_CSI_DRIVER,
  EXTERNAL_DNS,
  CERT_MANAGER,
  CLUSTER_AUTOSCALER,
  KARPENTER,
  EXTERNAL_SECRETS,
];

/** The catalogue ids. */
export function addonIds(): string[] {
  return ADDONS.map(a => a.id);
}
