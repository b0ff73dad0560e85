import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'oidc-provider-eks-cluster-duplicate',
    severity: 'error',
    checks: 'an aws-eks-v2 cluster has no OIDC provider of its own besides the one created for its issuer',
    why: 'IAM allows one OIDC provider per issuer URL per account: the second create fails at deploy with EntityAlreadyExists',
    source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html',
  },
];

/**
 * The cluster `clusterPath` got aws-eks-v2's own provider (`theirs`, a construct path) after we
 * created `ours` for its issuer: two providers for one issuer URL.
 */
export function checkOneProviderPerIssuer(field: string, clusterPath: string, ours: string, theirs: string | undefined): Finding[] {
  if (theirs === undefined) return [];
  return [error('oidc-provider-eks-cluster-duplicate', field, clusterPath,
    `has aws-eks-v2's own OIDC provider (${theirs}) besides the one created for its issuer (${ours}): IAM allows one provider per issuer URL per account, so the deploy fails with EntityAlreadyExists`,
    'read cluster.openIdConnectProvider before IdentityCluster.fromCluster builds its first IRSA role (it is then reused), pass useClusterOidcProvider: true, or set the feature flag @aws-cdk/aws-eks:useNativeOidcProvider')];
}
