import { partitionForRegion } from './arns';
import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

/**
 * EKS writes every cluster's issuer on a host of the cluster's own region:
 * `oidc.eks.<region>.<dns suffix>` (IPv4) or `oidc-eks.<region>.<dual-stack suffix>` (IPv4 and
 * IPv6), the suffix of the region's partition (`amazonaws.com`, `amazonaws.com.cn`,
 * `amazonaws.eu`...). Issuers of other hosts (a self-managed issuer) are not checked.
 */
const EKS_ISSUER_HOST = /^oidc[.-]eks\.([a-z0-9-]+)\.([a-z0-9.-]+)$/;

/**
 * An issuer on an EKS host names the cluster's region, and a China host (`.cn`) exactly when
 * the region is in China: an issuer of another region is another cluster's, so no token of this
 * cluster would match the trust policies. Pure; `url` is a literal that passed `checkIssuerUrl`.
 */
export function checkIssuerRegion(field: string, url: string, region: string): Finding[] {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return [];
  }
  const m = EKS_ISSUER_HOST.exec(host);
  if (!m) return [];
  const [, issuerRegion, suffix] = m;
  const fix = (r: string) => `copy the issuer of the cluster in ${r} (aws eks describe-cluster --region ${r} --query cluster.identity.oidc.issuer), or set cluster.region to the cluster's region`;
  if (issuerRegion !== region) {
    return [error('oidc-issuer-region', field, url,
      `is an EKS issuer of region ${issuerRegion}, but the cluster is in region ${region}: EKS issues a cluster's OIDC issuer in the cluster's own region, so this one belongs to another cluster and no token of this one would match the trust policies`,
      fix(region))];
  }
  const china = partitionForRegion(region) === 'aws-cn';
  if (china !== suffix.endsWith('.cn')) {
    return [error('oidc-issuer-region', field, url,
      `has the DNS suffix ${suffix}, but region ${region} is in partition ${partitionForRegion(region)}${china ? ', whose EKS issuers end in .amazonaws.com.cn' : ', whose EKS issuers do not end in .cn'}: no token of the cluster would carry this issuer`,
      fix(region))];
  }
  return [];
}

/** What the rules of this file check (docs/rules.md is generated from these records). */
export const RULES: RuleMeta[] = [
  {
    code: 'oidc-issuer-region',
    severity: 'error',
    checks: 'an issuer on an EKS host (oidc.eks.<region>... or oidc-eks.<region>...) names the cluster\'s region, with a China (.cn) DNS suffix exactly for China regions',
    why: 'EKS issues each cluster\'s issuer in its own region: an issuer of another region or partition is another cluster\'s, and the trust policies would never match a token of this one',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/enable-iam-roles-for-service-accounts.html',
  },
];
