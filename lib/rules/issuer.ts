import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'oidc-issuer-url',
    severity: 'error',
    checks: 'the issuer URL is https://, without port, query, fragment, userinfo or trailing slash, at most 255 characters, already in its normal form (no whitespace, lower-case host, no dot segments)',
    why: 'IAM refuses other OIDC provider URLs, and the trust policy keys must equal the issuer exactly',
    source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html',
  },
  {
    code: 'oidc-provider-arn',
    severity: 'error',
    checks: 'an OIDC provider ARN is arn:<partition>:iam::<account>:oidc-provider/<issuer>',
    why: 'the trust policy names the provider by its ARN',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html',
  },
  {
    code: 'oidc-provider-issuer-mismatch',
    severity: 'error',
    checks: 'an imported OIDC provider belongs to the cluster\'s issuer',
    why: 'roles would trust the provider of another cluster and no pod of this one could assume them',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/enable-iam-roles-for-service-accounts.html',
  },
  {
    code: 'oidc-thumbprints',
    severity: 'error',
    checks: 'at most 5 thumbprints of 40 hex characters',
    why: 'the IAM limits on OIDC provider thumbprints',
    source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html',
  },
  {
    code: 'oidc-client-id',
    severity: 'error',
    checks: 'the provider\'s client ids contain every audience a trust policy uses',
    why: 'STS rejects a token whose audience is not a client id of the provider',
    source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html',
  },
  {
    code: 'oidc-client-id-count',
    severity: 'error',
    checks: 'at most 100 distinct audiences (client ids) per cluster',
    why: 'IAM refuses an OIDC provider with more than 100 client ids',
    source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html',
  },
  {
    code: 'irsa-issuer-required',
    severity: 'error',
    checks: 'a cluster whose service accounts use IRSA has an OIDC issuer URL',
    why: 'the IRSA trust policy is keyed on the issuer',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/enable-iam-roles-for-service-accounts.html',
  },
];

export const DEFAULT_AUDIENCE = 'sts.amazonaws.com';

/**
 * The issuer URL of an EKS cluster's OIDC endpoint: https, no port, no query or fragment,
 * at most 255 characters (IAM CreateOpenIDConnectProvider). The host is not hard-coded:
 * China (`oidc.eks.<region>.amazonaws.com.cn`) and dual-stack (`oidc-eks.<region>.api.aws`) exist.
 */
export function checkIssuerUrl(field: string, url: string): Finding[] {
  const bad = (rule: string, fix = 'copy the cluster\'s issuer (aws eks describe-cluster --query cluster.identity.oidc.issuer), e.g. https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE') =>
    [error('oidc-issuer-url', field, url, rule, fix)];
  if (!url.startsWith('https://')) return bad('is not an https URL: IAM OIDC providers need an issuer that starts with https://');
  if (url.length > 255) return bad('is longer than 255 characters, the IAM limit for an OIDC provider URL');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return bad('is not a valid URL');
  }
  // URL drops a default port (':443') and an empty one (':'): look at the authority as written.
  const authority = url.slice('https://'.length).split(/[/?#]/)[0];
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (parsed.port !== '' || /:\d*$/.test(hostPort)) return bad('has a port: IAM OIDC provider URLs cannot carry one');
  if (parsed.search !== '' || url.includes('?')) return bad('has a query string: IAM OIDC provider URLs cannot carry one');
  if (parsed.hash !== '' || url.includes('#')) return bad('has a fragment: IAM OIDC provider URLs cannot carry one');
  if (parsed.username || parsed.password) return bad('has credentials in it');
  if (url.endsWith('/')) return bad('ends with \'/\': the condition keys would not match the token\'s iss claim', `drop the trailing slash: ${url.replace(/\/+$/, '')}`);
  // The raw string is what the provider URL and every condition key are made of: it must already
  // be the URL's normal form (no whitespace, lower-case host, no '.' or '..' segments...).
  const normal = normalForm(parsed);
  if (normal !== url) {
    const noSpace = url.replace(/\s+/g, '');
    const fix = /\s/.test(url) && isNormal(noSpace) ? noSpace : normal;
    return bad(`is not in the normal form of its URL (${/\s/.test(url) ? 'it contains whitespace, e.g. a trailing newline from a YAML block scalar' : `it normalizes to ${normal}`}): the provider URL and the condition keys would not match the token's iss claim`,
      `write the issuer exactly as ${fix}`);
  }
  return [];
}

function isNormal(url: string): boolean {
  try {
    return normalForm(new URL(url)) === url;
  } catch {
    return false;
  }
}

/** The URL as `new URL()` writes it, without the '/' it adds to an empty path. */
function normalForm(u: URL): string {
  return u.pathname === '/' ? u.origin : `${u.origin}${u.pathname}`;
}

/** The issuer without `https://`: the prefix of IRSA condition keys and the ARN suffix. */
export function issuerHostPath(url: string): string {
  return url.replace(/^https:\/\//, '');
}

export function oidcProviderArn(partition: string, account: string, issuerUrl: string): string {
  return `arn:${partition}:iam::${account}:oidc-provider/${issuerHostPath(issuerUrl)}`;
}

const PROVIDER_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::(\d{12}):oidc-provider\/(.+)$/;

/** An imported provider ARN must be an oidc-provider ARN whose suffix is the cluster's issuer. */
export function checkProviderArn(field: string, arn: string, issuerUrl?: string): Finding[] {
  const m = PROVIDER_ARN.exec(arn);
  if (!m) {
    return [error('oidc-provider-arn', field, arn, 'is not an IAM OIDC provider ARN',
      'use arn:<partition>:iam::<account>:oidc-provider/<issuer without https://> (aws iam list-open-id-connect-providers)')];
  }
  if (issuerUrl !== undefined && m[3] !== issuerHostPath(issuerUrl)) {
    return [error('oidc-provider-issuer-mismatch', field, arn,
      `belongs to issuer '${m[3]}', not to this cluster's issuer '${issuerHostPath(issuerUrl)}': the roles would trust another cluster`,
      `import the provider of this cluster (arn:${m[1]}:iam::${m[2]}:oidc-provider/${issuerHostPath(issuerUrl)}), or omit the ARN to create one`)];
  }
  return [];
}

/** ThumbprintList is optional today; when given: at most 5 entries of 40 hex characters. */
export function checkThumbprints(field: string, thumbprints: string[]): Finding[] {
  const out: Finding[] = [];
  if (thumbprints.length > 5) {
    out.push(error('oidc-thumbprints', field, thumbprints, 'has more than 5 thumbprints, the IAM limit', 'keep at most 5, or omit them: IAM fetches the thumbprint itself'));
  }
  thumbprints.forEach((t, i) => {
    if (!/^[0-9a-fA-F]{40}$/.test(t)) {
      out.push(error('oidc-thumbprints', `${field}[${i}]`, t, 'is not a SHA-1 thumbprint (40 hex characters)', 'omit thumbprints (IAM fetches them) or paste the 40-character hex digest'));
    }
  });
  return out;
}

export const MAX_CLIENT_IDS = 100;

/** ClientIdList holds at most 100 client ids: `count` distinct audiences once `audience` is added. */
export function checkClientIdCount(field: string, audience: string, count: number): Finding[] {
  return count <= MAX_CLIENT_IDS ? [] : [error('oidc-client-id-count', field, audience,
    `would be audience number ${count} of the cluster: the OIDC provider's client ids (one per audience) are at most ${MAX_CLIENT_IDS}`,
    `use at most ${MAX_CLIENT_IDS} distinct audiences per cluster (most workloads can share sts.amazonaws.com)`)];
}

/** ClientIdList must contain every audience the trust policies use. */
export function checkClientIds(field: string, clientIds: string[], audiences: string[]): Finding[] {
  return audiences.filter(a => !clientIds.includes(a)).map(a => error('oidc-client-id', field, clientIds,
    `does not contain the audience '${a}' that a trust policy uses: sts would reject the token`,
    `add '${a}' to the provider's client ids, or use the default audience ${DEFAULT_AUDIENCE}`));
}
