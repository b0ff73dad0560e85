import { IdentitySpec, ServiceAccountSpec, StackLayout } from '../../lib';

export interface GeneratedSpecOptions {
  /** number of IRSA service accounts */
  readonly serviceAccounts: number;
  /** spread over this many namespaces (round robin) */
  readonly namespaces: number;
  readonly layout?: StackLayout;
  /** extra spec keys */
  readonly extra?: Partial<IdentitySpec>;
}

export const GENERATED_CLUSTER = {
  name: 'big-cluster',
  account: '111122223333',
  region: 'us-west-2',
  oidcIssuerUrl: 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
  kubernetesVersion: '1.31',
};

/** The i-th generated service account: `app-<i>` in `team-<i mod namespaces>`, every third with a managed policy. */
export function generatedServiceAccount(i: number, namespaces: number): ServiceAccountSpec {
  return {
    name: `app-${String(i).padStart(5, '0')}`,
    namespace: `team-${String(i % namespaces).padStart(3, '0')}`,
    ...(i % 3 === 0 ? { role: { managedPolicies: ['AmazonS3ReadOnlyAccess'] } } : {}),
  };
}

/** A spec with many IRSA service accounts, the shape platform teams run at scale. */
export function generateSpec(o: GeneratedSpecOptions): IdentitySpec {
  const serviceAccounts = Array.from({ length: o.serviceAccounts }, (_, i) => generatedServiceAccount(i, o.namespaces));
  return {
    stackName: 'big-cluster-identity',
    cluster: GENERATED_CLUSTER,
    layout: o.layout,
    serviceAccounts,
    ...o.extra,
  };
}
