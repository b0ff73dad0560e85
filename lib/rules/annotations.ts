import { error, Finding, warning } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'irsa-token-expiration',
    severity: 'error',
    checks: 'eks.amazonaws.com/token-expiration is 600..86400 seconds',
    why: 'the pod identity webhook silently raises shorter tokens to 600 seconds and the kubelet caps longer ones',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'irsa-sts-regional-endpoints',
    severity: 'error',
    checks: 'eks.amazonaws.com/sts-regional-endpoints is true or false',
    why: 'the pod identity webhook ignores any other value without a word',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/configure-sts-endpoint.html',
  },
  {
    code: 'irsa-audience',
    severity: 'error',
    checks: 'the audience is non-empty, has no whitespace and is at most 255 characters',
    why: 'the token\'s aud must equal a client id of the OIDC provider and the trust policy\'s aud',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'eks-kubernetes-version',
    severity: 'error',
    checks: 'the Kubernetes version is a minor version such as "1.31"',
    why: 'EKS clusters run a Kubernetes minor version; an unquoted 1.30 in YAML becomes 1.3',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html',
  },
  {
    code: 'eks-platform-version',
    severity: 'error',
    checks: 'the EKS platform version has the form eks.<n>',
    why: 'EKS names platform versions eks.1, eks.2, ...',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/platform-versions.html',
  },
  {
    code: 'irsa-sts-regional-version',
    severity: 'warning',
    checks: 'the cluster version honours the sts-regional-endpoints annotation',
    why: 'below the documented Kubernetes and platform versions only the global STS endpoint is used',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/configure-sts-endpoint.html',
  },
  {
    code: 'irsa-reserved-annotation',
    severity: 'error',
    checks: 'no eks.amazonaws.com/* key in free-form annotations',
    why: 'the pod identity webhook reads these keys; they are set from typed, checked fields',
    source: 'https://github.com/aws/amazon-eks-pod-identity-webhook',
  },
];

export const ANNOTATION_PREFIX = 'eks.amazonaws.com/';
export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
export const AUDIENCE_ANNOTATION = 'eks.amazonaws.com/audience';
export const STS_REGIONAL_ANNOTATION = 'eks.amazonaws.com/sts-regional-endpoints';
export const TOKEN_EXPIRATION_ANNOTATION = 'eks.amazonaws.com/token-expiration';
export const MIN_TOKEN_EXPIRATION = 600;
export const MAX_TOKEN_EXPIRATION = 86400;

/** The typed field that owns each annotation the pod identity webhook reads. */
const TYPED_FIELD: Record<string, string> = {
  [ROLE_ARN_ANNOTATION]: 'role (or existingRoleArn)',
  [AUDIENCE_ANNOTATION]: 'audience',
  [STS_REGIONAL_ANNOTATION]: 'stsRegionalEndpoints',
  [TOKEN_EXPIRATION_ANNOTATION]: 'tokenExpirationSeconds',
};

/** The webhook raises values below 600 silently and defaults to 86400; we accept 600..86400. */
export function checkTokenExpiration(field: string, seconds: number): Finding[] {
  if (!Number.isInteger(seconds) && seconds >= MIN_TOKEN_EXPIRATION && seconds <= MAX_TOKEN_EXPIRATION) {
    return [error('irsa-token-expiration', field, seconds, `is not a whole number of seconds: the token expiration annotation takes whole seconds (${MIN_TOKEN_EXPIRATION}..${MAX_TOKEN_EXPIRATION})`,
      `use a whole number of seconds from 600 to 86400, e.g. ${Math.round(seconds)} (Duration.seconds(${Math.round(seconds)}) in TypeScript)`)];
  }
  if (!Number.isInteger(seconds) || seconds < MIN_TOKEN_EXPIRATION || seconds > MAX_TOKEN_EXPIRATION) {
    return [error('irsa-token-expiration', field, seconds,
      `is outside ${MIN_TOKEN_EXPIRATION}..${MAX_TOKEN_EXPIRATION} seconds: the pod identity webhook silently raises shorter tokens to 600 and the kubelet caps longer ones`,
      'use a whole number of seconds from 600 (10 minutes) to 86400 (24 hours, the default)')];
  }
  return [];
}

/** The webhook reads only the strings "true" and "false" and ignores anything else silently. */
export function checkStsRegionalEndpoints(field: string, value: unknown): Finding[] {
  if (typeof value === 'boolean' || value === 'true' || value === 'false') return [];
  return [error('irsa-sts-regional-endpoints', field, value,
    'is not true or false: the pod identity webhook ignores any other value without a word',
    'use true (regional STS endpoint, recommended) or false')];
}

export function checkAudience(field: string, audience: string): Finding[] {
  if (audience.length === 0 || /\s/.test(audience)) {
    return [error('irsa-audience', field, audience, 'is not a valid audience (empty or contains whitespace)',
      'omit it to use sts.amazonaws.com, or give the client id listed on the OIDC provider')];
  }
  if (audience.length > 255) {
    return [error('irsa-audience', field, audience, `is ${audience.length} characters long: the audience becomes a client id of the IAM OIDC provider, at most 255 characters`,
      'use a shorter audience (omit it to use sts.amazonaws.com)')];
  }
  return [];
}

/** `eks.amazonaws.com/*` keys in free-form annotations would bypass the typed, checked fields. */
export function checkReservedAnnotations(field: string, annotations: Record<string, string>): Finding[] {
  return Object.keys(annotations).filter(k => k.startsWith(ANNOTATION_PREFIX)).map(k => error(
    'irsa-reserved-annotation', `${field}.${k}`, k,
    'is an annotation the EKS pod identity webhook reads, and cdk-eks-identity sets it from a typed, validated field',
    TYPED_FIELD[k] ? `remove it from annotations and set ${TYPED_FIELD[k]} instead` : `remove it: ${k} is not an annotation cdk-eks-identity supports`));
}

/**
 * From the EKS platform versions table: the first platform version of each Kubernetes version where the STS endpoint
 * is configurable (and regional by default). Below it, only the global endpoint works.
 */
export const STS_REGIONAL_TABLE: Record<string, number> = {
  '1.25': 1, '1.26': 1, '1.27': 1, '1.28': 1, '1.29': 1, '1.30': 2, '1.31': 4,
};

export function parseKubernetesVersion(v: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export function checkKubernetesVersion(field: string, v: string): Finding[] {
  return parseKubernetesVersion(v) ? [] : [error('eks-kubernetes-version', field, v,
    'is not a Kubernetes minor version', 'write it as a quoted string like "1.31"')];
}

export function checkPlatformVersion(field: string, v: string): Finding[] {
  return /^eks\.\d+$/.test(v) ? [] : [error('eks-platform-version', field, v,
    'is not an EKS platform version', 'write it like eks.4 (aws eks describe-cluster --query cluster.platformVersion)')];
}

/** Warn when the declared cluster version is below the table: the regional endpoint is not honoured there. */
export function checkStsRegionalSupport(field: string, kubernetesVersion: string, platformVersion?: string): Finding[] {
  const v = parseKubernetesVersion(kubernetesVersion);
  if (!v) return [];
  const [major, minor] = v;
  const fix = 'upgrade the cluster, or leave stsRegionalEndpoints unset: pods on this version use the global STS endpoint';
  if (major === 1 && minor < 25) {
    return [warning('irsa-sts-regional-version', field, kubernetesVersion,
      'is older than 1.25: the sts-regional-endpoints annotation is not honoured there', fix)];
  }
  const min = STS_REGIONAL_TABLE[`${major}.${minor}`];
  const p = platformVersion ? /^eks\.(\d+)$/.exec(platformVersion) : null;
  if (min !== undefined && p && Number(p[1]) < min) {
    return [warning('irsa-sts-regional-version', field, `${kubernetesVersion} ${platformVersion}`,
      `is below eks.${min}, the first platform version of ${kubernetesVersion} where the sts-regional-endpoints annotation is honoured`, fix)];
  }
  return [];
}
