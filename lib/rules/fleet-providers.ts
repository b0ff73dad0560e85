import { PROVIDER_ARN } from './app-providers';
import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'fleet-provider-import',
    severity: 'error',
    checks: 'an imported provider of a fleet cluster (clusters[].oidcProvider) sits in the account it is given for: arn in the cluster\'s account, each crossAccountArns entry in another account, one per account',
    why: 'an IRSA role trusts a provider of its own account only, and IAM holds one provider per issuer and account: a provider of the wrong account leaves the roles that trust it unassumable',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/cross-account-access.html',
  },
];

/** The account of an IAM OIDC provider ARN, or undefined when it is not one. */
export function providerArnAccount(arn: string): string | undefined {
  return PROVIDER_ARN.exec(arn)?.[2];
}

/**
 * One imported provider of cluster `cluster` (account `clusterAccount`): `own` is
 * `oidcProvider.arn` (the cluster's account), else a `crossAccountArns` entry (another account);
 * `firstAt` is the field of an earlier import for the same account.
 */
export function checkProviderImport(
  field: string, arn: string, account: string, cluster: string, clusterAccount: string, own: boolean, firstAt: string | undefined,
): Finding[] {
  if (own && account !== clusterAccount) {
    return [error('fleet-provider-import', field, arn,
      `is in account ${account}, not in cluster '${cluster}''s account ${clusterAccount}: oidcProvider.arn is the provider the cluster's own IRSA roles trust, and a role trusts a provider of its own account only`,
      `give the provider of account ${clusterAccount} here (or omit arn to create it), and list this one in crossAccountArns if roles of this cluster live in account ${account} (role.account)`)];
  }
  if (!own && account === clusterAccount) {
    return [error('fleet-provider-import', field, arn,
      `is in cluster '${cluster}''s own account ${clusterAccount}: crossAccountArns hold the providers of the other accounts where roles of the cluster live`,
      'set it as oidcProvider.arn instead')];
  }
  if (firstAt !== undefined) {
    return [error('fleet-provider-import', field, arn,
      `is a second provider of cluster '${cluster}''s issuer in account ${account} (the first is ${firstAt}): IAM holds one provider per issuer and account`,
      'keep one ARN per account')];
  }
  return [];
}
