/**
 * The EKS add-on names of the catalogue (`managed.addonName` defaults) are EKS's own. Source: the
 * Amazon EKS User Guide, "AWS add-ons" (workloads-add-ons-available-eks), each section's "The
 * Amazon EKS add-on name is `...`" (vpc-cni, aws-ebs-csi-driver, aws-efs-csi-driver,
 * aws-fsx-csi-driver, aws-mountpoint-s3-csi-driver, adot, amazon-cloudwatch-observability,
 * aws-privateca-connector-for-kubernetes, eks-pod-identity-agent), and "Community add-ons"
 * (community-addons) for external-dns and cert-manager.
 */
import { ADDONS } from '../lib/addons/registry';
import { POD_IDENTITY_AGENT_ADDON } from '../lib/rules/pod-identity';

test('every EKS add-on name of the catalogue, as EKS names it', () => {
  const names = Object.fromEntries(ADDONS.filter(a => a.eksAddonName !== undefined).map(a => [a.id, a.eksAddonName]));
  expect(names).toEqual({
    'aws-privateca-issuer': 'aws-privateca-connector-for-kubernetes',
    'vpc-cni': 'vpc-cni',
    'ebs-csi-driver': 'aws-ebs-csi-driver',
    'efs-csi-driver': 'aws-efs-csi-driver',
    'fsx-lustre-csi-driver': 'aws-fsx-csi-driver',
    'mountpoint-s3-csi-driver': 'aws-mountpoint-s3-csi-driver',
    'amazon-cloudwatch-observability': 'amazon-cloudwatch-observability',
    'adot': 'adot',
    'external-dns': 'external-dns',
    'cert-manager': 'cert-manager',
  });
  expect(POD_IDENTITY_AGENT_ADDON).toBe('eks-pod-identity-agent');
});

test('add-ons EKS does not offer have no EKS add-on name (managed: is refused for them)', () => {
  const none = ADDONS.filter(a => a.eksAddonName === undefined).map(a => a.id).sort();
  // Helm-only upstream projects, and the AMP remote-write role (ADOT or Prometheus use it)
  expect(none).toEqual(expect.arrayContaining(['aws-load-balancer-controller', 'karpenter', 'cluster-autoscaler', 'velero', 'external-secrets']));
  // the FSx CSI add-on is the Lustre driver only: OpenZFS is Helm-only
  expect(none).toContain('fsx-openzfs-csi-driver');
});
