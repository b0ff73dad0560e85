import { error, Finding, warning } from './finding';
import { checkClientIds, checkProviderArn } from './issuer';
import { serviceAccountSubject } from './k8s-names';
import { RuleMeta } from './rule-meta';
import { checkSubject, WEB_IDENTITY_ACTION } from './trust-policy';

export const RULES: RuleMeta[] = [
  {
    code: 'irsa-trust-no-web-identity',
    severity: 'error',
    checks: 'a role named by a role-arn annotation trusts an OIDC provider with sts:AssumeRoleWithWebIdentity',
    why: 'IRSA cannot assume a role without such a statement',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'irsa-trust-condition-issuer',
    severity: 'error',
    checks: 'the trust conditions name the issuer of the trusted provider',
    why: 'a condition on another issuer\'s keys never matches a token of that provider',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'irsa-trust-no-sub',
    severity: 'error',
    checks: 'the trust policy has a sub condition',
    why: 'without it every service account of the cluster can assume the role',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'irsa-trust-no-aud',
    severity: 'error',
    checks: 'the trust policy has an aud condition',
    why: 'the trust policy must pin the audience',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'irsa-trust-audience',
    severity: 'error',
    checks: 'the trusted audience equals the service account\'s audience',
    why: 'STS rejects a token whose audience the trust policy does not admit',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'irsa-trust-issuer-wildcard',
    severity: 'error',
    checks: 'the sub condition is not a wildcard over the whole issuer',
    why: 'every service account of the cluster could assume the role',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'irsa-trust-name-wildcard',
    severity: 'warning',
    checks: 'a wildcard over service account names is opted in (the role carries the cdk-eks-identity:wildcard-subjects tag)',
    why: 'the role admits every matching service account of the namespace',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'irsa-trust-subject',
    severity: 'error',
    checks: 'the trust policy admits the service account that names the role',
    why: 'pods of that service account get AccessDenied from AssumeRoleWithWebIdentity',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
];

/**
 * Reading an existing IRSA trust policy (one we did not build, or one edited after synth) and
 * telling whether it admits a given service account. Pure: the `doctor` command feeds it
 * documents from templates or from `aws iam get-role`.
 */
export interface TrustAnalysisInput {
  /** The trust policy document (literal JSON). */
  readonly document: unknown;
  /** Namespace of the service account that names the role. */
  readonly namespace: string;
  /** Name of that service account. */
  readonly serviceAccountName: string;
  /** The audience the service account's tokens carry (`eks.amazonaws.com/audience`, default sts.amazonaws.com). */
  readonly audience: string;
  /** The cluster's issuer URL, when known. */
  readonly issuerUrl?: string;
  /** Client ids of the OIDC provider, when known. */
  readonly clientIds?: string[];
  /** True when the role carries the wildcard opt-in tag (`cdk-eks-identity:wildcard-subjects`). */
  readonly wildcardOptIn?: boolean;
}

const PROVIDER_SUFFIX = /^arn:[a-z-]+:iam::\d{12}:oidc-provider\/(.+)$/;
const SUBJECT = /^system:serviceaccount:([^:]*):([^:]*)$/;

const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const strings = (v: unknown): string[] => asArray(v).filter((x): x is string => typeof x === 'string');

/** IAM's glob: `*` any run of characters, `?` one character. */
export function iamGlobMatches(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('').map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
  return re.test(value);
}

function actsWebIdentity(actions: unknown): boolean {
  return strings(actions).some(a => a === WEB_IDENTITY_ACTION || a === 'sts:*' || a === '*');
}

/** Values of a condition key in one operator block, matching the key case-insensitively as IAM does. */
function conditionValues(block: unknown, key: string): string[] | undefined {
  if (!block || typeof block !== 'object') return undefined;
  const k = Object.keys(block).find(x => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : strings((block as any)[k]);
}

/**
 * The findings of one IRSA trust policy for one service account: a web identity statement from an
 * OIDC provider; condition keys whose prefix is the provider ARN's suffix (and the cluster's issuer);
 * `sub` admitting `system:serviceaccount:<ns>:<sa>`; `aud` equal to the service account's audience
 * and among the provider's client ids; no wildcard spanning namespaces or the issuer; a namespace's
 * name wildcard only with the opt-in tag.
 */
export function checkTrustAdmits(field: string, input: TrustAnalysisInput): Finding[] {
  const subject = serviceAccountSubject(input.namespace, input.serviceAccountName);
  const base = field ? `${field}.` : '';
  const doc = input.document as any;
  const statements = asArray(doc?.Statement).filter((s: any) => s && s.Effect === 'Allow' && actsWebIdentity(s.Action)
    && strings(s.Principal?.Federated).length > 0);
  if (statements.length === 0) {
    return [error('irsa-trust-no-web-identity', `${base}Statement`, subject,
      'is named by the role-arn annotation, but the role trusts no OIDC provider with sts:AssumeRoleWithWebIdentity: IRSA cannot assume it',
      'add a statement with Principal.Federated set to the cluster\'s OIDC provider ARN and Action sts:AssumeRoleWithWebIdentity (or use Pod Identity, which needs no annotation)')];
  }
  const findings: Finding[] = [];
  const mismatches: Finding[] = [];
  let admitted = false;
  const admits: string[] = [];
  statements.forEach((s: any) => {
    const i = asArray(doc.Statement).indexOf(s);
    const at = `${base}Statement[${i}]`;
    for (const provider of strings(s.Principal.Federated)) {
      const m = PROVIDER_SUFFIX.exec(provider);
      if (!m) {
        findings.push(...checkProviderArn(`${at}.Principal.Federated`, provider));
        continue;
      }
      const prefix = m[1];
      const stmtFindings: Finding[] = [];
      if (input.issuerUrl !== undefined) stmtFindings.push(...checkProviderArn(`${at}.Principal.Federated`, provider, input.issuerUrl));
      const cond = s.Condition ?? {};
      const keys = Object.values(cond).flatMap(b => (b && typeof b === 'object' ? Object.keys(b) : []));
      for (const key of keys.filter(k => /:(sub|aud)$/i.test(k))) {
        const keyPrefix = key.replace(/:(sub|aud)$/i, '');
        if (keyPrefix !== prefix) {
          stmtFindings.push(error('irsa-trust-condition-issuer', `${at}.Condition.${key}`, key,
            `names the issuer '${keyPrefix}', but the statement trusts the provider of '${prefix}': the condition never matches a token of that provider (another cluster's issuer?)`,
            `use the condition keys ${prefix}:sub and ${prefix}:aud (the provider ARN's suffix)`));
        }
      }
      const subKey = `${prefix}:sub`;
      const audKey = `${prefix}:aud`;
      const subEquals = conditionValues(cond.StringEquals, subKey);
      const subLike = conditionValues(cond.StringLike, subKey);
      const audValues = conditionValues(cond.StringEquals, audKey) ?? conditionValues(cond.StringLike, audKey);
      if (subEquals === undefined && subLike === undefined) {
        stmtFindings.push(error('irsa-trust-no-sub', `${at}.Condition`, provider,
          `has no ${subKey} condition: every service account of the cluster (any namespace) can assume the role`,
          `add StringEquals ${subKey}: ${subject}`));
      }
      if (audValues === undefined) {
        stmtFindings.push(error('irsa-trust-no-aud', `${at}.Condition`, provider,
          `has no ${audKey} condition: the trust policy must pin the audience`,
          `add StringEquals ${audKey}: ${input.audience}`));
      } else if (!audValues.includes(input.audience)) {
        stmtFindings.push(error('irsa-trust-audience', `${at}.Condition.StringEquals.${audKey}`, audValues.length === 1 ? audValues[0] : audValues,
          `does not equal the audience of ${subject} ('${input.audience}'): STS rejects its token`,
          `set ${audKey} to '${input.audience}', or set the service account's eks.amazonaws.com/audience to '${audValues[0]}'`));
      }
      if (input.clientIds !== undefined && audValues !== undefined) {
        stmtFindings.push(...checkClientIds(`${at}.Principal.Federated`, input.clientIds, audValues.filter(a => !a.includes('*'))));
      }
      // wildcards
      for (const [op, values] of [['StringEquals', subEquals], ['StringLike', subLike]] as const) {
        (values ?? []).forEach(v => {
          const f = `${at}.Condition.${op}.${subKey}`;
          const sm = SUBJECT.exec(v);
          if (op === 'StringLike' && /[*?]/.test(v)) {
            if (!sm) {
              stmtFindings.push(error('irsa-trust-issuer-wildcard', f, v,
                'is a wildcard over the whole issuer: every service account of the cluster can assume the role',
                `list the subjects, e.g. ${subject}`));
            } else if (/[*?]/.test(sm[1])) {
              stmtFindings.push(...checkSubject(f, { namespace: sm[1], serviceAccountName: sm[2] }, true)
                .map(x => ({ ...x, value: `'${v}'` })));
            } else if (!input.wildcardOptIn) {
              stmtFindings.push(warning('irsa-trust-name-wildcard', f, v,
                `admits every matching service account of namespace ${sm[1]}, and the role does not carry the opt-in tag cdk-eks-identity:wildcard-subjects`,
                'list the service accounts, or opt in explicitly (ServiceAccountRole allowWildcards: true tags the role)'));
            }
          } else if (op === 'StringEquals' && sm && /[*?]/.test(v)) {
            stmtFindings.push(...checkSubject(f, { namespace: sm[1], serviceAccountName: sm[2] }, false));
          }
          if (op === 'StringEquals' ? v === subject : iamGlobMatches(v, subject)) admits.push(v);
        });
      }
      const matched = (subEquals ?? []).includes(subject) || (subLike ?? []).some(p => iamGlobMatches(p, subject));
      const statementAdmits = matched && !stmtFindings.some(x => x.severity === 'error'
        && ['irsa-trust-condition-issuer', 'oidc-provider-issuer-mismatch', 'irsa-trust-audience', 'irsa-trust-no-aud'].includes(x.code));
      if (statementAdmits) {
        admitted = true;
        findings.push(...stmtFindings);
      } else {
        mismatches.push(...stmtFindings);
        if (!matched && (subEquals !== undefined || subLike !== undefined)) {
          const listed = [...(subEquals ?? []), ...(subLike ?? [])];
          mismatches.push(error('irsa-trust-subject', `${at}.Condition.${subLike ? 'StringLike' : 'StringEquals'}.${subKey}`,
            listed.length === 1 ? listed[0] : listed,
            `does not admit ${subject}${describeNear(listed, input.namespace, input.serviceAccountName)}: pods of that service account get AccessDenied from AssumeRoleWithWebIdentity`,
            `add ${subject} to ${subKey}, or point the service account at the role made for it`));
        }
      }
    }
  });
  // a role that admits the subject through one statement is fine even when other statements do not
  return admitted ? findings : [...findings, ...mismatches];
}

function describeNear(listed: string[], namespace: string, name: string): string {
  for (const v of listed) {
    const m = SUBJECT.exec(v);
    if (m && m[2] === name && m[1] !== namespace) return ` (it admits namespace ${m[1]}, the service account lives in ${namespace})`;
    if (m && m[1] === namespace && m[2] !== name) return ` (it admits service account ${m[2]} of that namespace)`;
  }
  return '';
}

/** The issuer host/path a provider ARN names (its suffix), or undefined. */
export function providerIssuerHostPath(providerArn: string): string | undefined {
  return PROVIDER_SUFFIX.exec(providerArn)?.[1];
}
