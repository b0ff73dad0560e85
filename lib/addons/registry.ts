/** Every add-on of the catalogue. */
import { AWS_LOAD_BALANCER_CONTROLLER } from './aws-load-balancer-controller';
import { AWS_PRIVATECA_ISSUER } from './aws-privateca-issuer';
import { CERT_MANAGER } from './cert-manager';
import { CLUSTER_AUTOSCALER } from './cluster-autoscaler';
import { EBS_CSI_DRIVER } from './ebs-csi-driver';
import { EFS_CSI_DRIVER } from './efs-csi-driver';
import { EXTERNAL_DNS } from './external-dns';
import { EXTERNAL_SECRETS } from './external-secrets';
import { FSX_LUSTRE_CSI_DRIVER, FSX_OPENZFS_CSI_DRIVER } from './fsx-csi-drivers';
import { GATEWAY_API_CONTROLLER } from './gateway-api-controller';
import { KARPENTER } from './karpenter';
import { ADOT, AMAZON_CLOUDWATCH_OBSERVABILITY, AMAZON_MANAGED_PROMETHEUS } from './managed-only';
import { MOUNTPOINT_S3_CSI_DRIVER } from './mountpoint-s3-csi-driver';
import { NODE_TERMINATION_HANDLER } from './node-termination-handler';
import { SECRETS_STORE_CSI_PROVIDER_AWS } from './secrets-store-csi-provider-aws';
import { AddonDefinition } from './types';
import { VELERO } from './velero';
import { VPC_CNI } from './vpc-cni';

export const ADDONS: readonly AddonDefinition[] = [
  AWS_LOAD_BALANCER_CONTROLLER,
  EBS_CSI_DRIVER,
  EFS_CSI_DRIVER,
  EXTERNAL_DNS,
  CERT_MANAGER,
  CLUSTER_AUTOSCALER,
  KARPENTER,
  EXTERNAL_SECRETS,
  VPC_CNI,
  MOUNTPOINT_S3_CSI_DRIVER,
  FSX_LUSTRE_CSI_DRIVER,
  FSX_OPENZFS_CSI_DRIVER,
  NODE_TERMINATION_HANDLER,
  VELERO,
  GATEWAY_API_CONTROLLER,
  SECRETS_STORE_CSI_PROVIDER_AWS,
  AWS_PRIVATECA_ISSUER,
  AMAZON_CLOUDWATCH_OBSERVABILITY,
  ADOT,
  AMAZON_MANAGED_PROMETHEUS,
];

/** The catalogue ids. */
export function addonIds(): string[] {
  return ADDONS.map(a => a.id);
}
