import { error, Finding } from './finding';
import { policyLength } from './iam-role';
import { serviceAccountSubject } from './k8s-names';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'irsa-namespace-wildcard',
    severity: 'error',
    checks: 'no wildcard in the namespace of a trusted subject',
    why: 'a trust policy spanning namespaces lets any namespace\'s service account assume the role',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'irsa-wildcard-opt-in',
    severity: 'error',
    checks: 'wildcards in service account names only with allowWildcards (StringLike)',
    why: 'StringEquals matches * literally, so no service account would assume the role',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
  },
  {
    code: 'iam-trust-policy-length',
    severity: 'error',
    checks: 'the trust policy is at most quotas.trustPolicyLength characters (2,048 by default, whitespace not counted)',
    why: 'the IAM quota on role trust policy length',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
  },
];

export const DEFAULT_TRUST_POLICY_LENGTH = 2048;
export const MAX_TRUST_POLICY_LENGTH = 4096;
export const WEB_IDENTITY_ACTION = 'sts:AssumeRoleWithWebIdentity';
/** Set on roles whose trust policy uses the explicit service-account wildcard option. */
export const WILDCARD_OPT_IN_TAG = 'cdk-eks-identity:wildcard-subjects';

export interface IrsaSubjectInput {
  readonly namespace: string;
  readonly serviceAccountName: string;
}

/** The IRSA condition block of one issuer: StringEquals on aud (always) and on sub, or StringLike on sub when opted in. */
export interface IrsaCondition {
  readonly StringEquals: Record<string, string | string[]>;
  readonly StringLike?: Record<string, string | string[]>;
}

const hasWildcard = (s: string) => /[*?]/.test(s);

/**
 * Wildcards: only in the service account name, only with the explicit opt-in; a namespace
 * wildcard would let other namespaces assume the role. `*` under StringEquals matches literally.
 */
export function checkSubject(field: string, subject: IrsaSubjectInput, allowWildcards: boolean): Finding[] {
  if (hasWildcard(subject.namespace)) {
    return [error('irsa-namespace-wildcard', `${field}.namespace`, subject.namespace,
      'contains a wildcard: a trust policy that spans namespaces lets any namespace\'s service account assume the role',
      'list each namespace as its own subject')];
  }
  if (hasWildcard(subject.serviceAccountName) && !allowWildcards) {
    return [error('irsa-wildcard-opt-in', `${field}.serviceAccountName`, subject.serviceAccountName,
      'contains \'*\' or \'?\', which StringEquals matches literally: no service account would ever assume the role',
      'use the exact service account name, or set allowWildcards: true to emit StringLike for this role')];
  }
  return [];
}

/** The condition of one issuer's statement. `amr` is Cognito-only and never emitted. */
export function irsaCondition(issuerHostPath: string, subjects: IrsaSubjectInput[], audience: string): IrsaCondition {
  const subs = [...new Set(subjects.map(s => serviceAccountSubject(s.namespace, s.serviceAccountName)))];
  const value = (xs: string[]) => xs.length === 1 ? xs[0] : xs;
  const aud = `${issuerHostPath}:aud`;
  const sub = `${issuerHostPath}:sub`;
  if (subs.some(hasWildcard)) {
    // aud stays under StringEquals; all subjects go under StringLike (conditions of one statement are ANDed).
    return { StringEquals: { [aud]: audience }, StringLike: { [sub]: value(subs) } };
  }
  return { StringEquals: { [aud]: audience, [sub]: value(subs) } };
}

/** The whole trust policy document as IAM stores it, for length checks and tests. */
export function irsaTrustPolicy(statements: Array<{ providerArn: string; condition: IrsaCondition }>): object {
  return {
    Version: '2012-10-17',
    Statement: statements.map(s => ({
      Effect: 'Allow',
      Principal: { Federated: s.providerArn },
      Action: WEB_IDENTITY_ACTION,
      Condition: s.condition,
    })),
  };
}

export function checkTrustPolicyLength(field: string, doc: unknown, limit: number): Finding[] {
  const n = policyLength(doc);
  if (n > limit) {
    return [error('iam-trust-policy-length', field, `${n} characters`,
      `exceeds the role trust policy length quota of ${limit} characters (whitespace not counted)`,
      limit < MAX_TRUST_POLICY_LENGTH
        ? `split the subjects over several roles, or raise the IAM quota and set quotas.trustPolicyLength (up to ${MAX_TRUST_POLICY_LENGTH})`
        : 'split the subjects over several roles')];
  }
  return [];
}
