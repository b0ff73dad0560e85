import { AppFinding, AppModelData, at, groupBy } from './app-model';
import { error } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'oidc-provider-duplicate',
    severity: 'error',
    checks: 'one created IAM OIDC provider per issuer URL and account in the app',
    why: 'IAM allows one OIDC provider per issuer URL per account: the second create fails with EntityAlreadyExists',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html',
  },
  {
    code: 'irsa-provider-account',
    severity: 'error',
    checks: 'an IRSA role trusts an OIDC provider of its own account and partition',
    why: 'AssumeRoleWithWebIdentity only accepts a provider of the role\'s own account: a role trusting another account\'s provider can never be assumed',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/cross-account-access.html',
  },
];

/** An IAM OIDC provider ARN: partition, account, issuer host and path. */
export const PROVIDER_ARN = /^arn:([^:]+):iam::(\d{12}):oidc-provider\/(.+)$/;

/** One created provider per (account, issuer): the second and later ones are errors. */
export function checkProvidersUnique(m: AppModelData): AppFinding[] {
  const created = m.providers.filter(p => p.created && p.issuerUrl !== undefined);
  const out: AppFinding[] = [];
  for (const list of groupBy(created, p => `${p.account ?? p.path}|${p.issuerUrl}`).values()) {
    for (const p of list.slice(1)) {
      out.push(...at(p.path, [error('oidc-provider-duplicate', 'cluster.oidcIssuerUrl', p.issuerUrl,
        `already has an OIDC provider created in this app (${list[0].path}): IAM allows one provider per issuer URL per account`,
        'create the provider once and pass the same cluster reference, or import it with oidcProvider.arn')]));
    }
  }
  return out;
}

/** A created IRSA role must trust providers of its own account and partition. */
export function checkProviderAccounts(m: AppModelData): AppFinding[] {
  const out: AppFinding[] = [];
  for (const r of m.roles) {
    if (r.trust.mechanism !== 'irsa' || r.account === undefined) continue;
    for (const arn of r.trust.providerArns ?? []) {
      const p = PROVIDER_ARN.exec(arn);
      if (!p) continue;
      const [, partition, account] = p;
      if (account === r.account && (r.partition === undefined || partition === r.partition)) continue;
      const where = account !== r.account ? `account ${account}` : `partition ${partition}`;
      const mine = account !== r.account ? `account ${r.account}` : `partition ${r.partition}`;
      out.push(...at(r.path, [error('irsa-provider-account', 'oidcProvider.arn', arn,
        `is in ${where}, but the IRSA role trusting it is created in ${mine}: web identity federation needs the provider in the role's own account`,
        `import (or create) the cluster's OIDC provider in ${mine} (arn:${r.partition ?? partition}:iam::${r.account}:oidc-provider/${p[3]}), or deploy the role to the provider's account`)]));
    }
  }
  return out;
}
