import { error, Finding, warning } from './finding';
import { evaluateCondition, evaluatePolicy, iamGlobMatches, parseOperator, statementMatches, webIdentityRequest } from './iam-conditions';
import { checkClientIds, checkProviderArn } from './issuer';
import { serviceAccountSubject } from './k8s-names';
import { RuleMeta } from './rule-meta';
import { checkSubject, WEB_IDENTITY_ACTION } from './trust-policy';

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
const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';

const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const strings = (v: unknown): string[] => asArray(v).filter((x): x is string => typeof x === 'string');

export { iamGlobMatches };

/** True when an Action element matches sts:AssumeRoleWithWebIdentity (IAM matches actions case-insensitively, with wildcards). */
function actsWebIdentity(actions: unknown): boolean {
  return strings(actions).some(a => iamGlobMatches(a.toLowerCase(), WEB_IDENTITY_ACTION.toLowerCase()));
}

/** One `Operator: { key: values }` entry of a condition that lists values a key must match. */
interface Listing { readonly operator: string; readonly like: boolean; readonly values: string[] }

/** The positive String operators (any prefix, IfExists, IgnoreCase) that list the values of `key`. */
function listings(condition: unknown, key: string): Listing[] {
  if (!condition || typeof condition !== 'object') return [];
  const out: Listing[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    const op = parseOperator(operator);
    if (!op || op.negated || !op.base.startsWith('String') || !block || typeof block !== 'object') continue;
    for (const [k, v] of Object.entries(block)) {
      if (k.toLowerCase() === key.toLowerCase()) out.push({ operator, like: op.base === 'StringLike', values: strings(v) });
    }
  }
  return out;
}

/** The statement with only the condition entries `keep` accepts (operator, key). */
function filtered(statement: any, keep: (operator: string, key: string) => boolean): any {
  const cond = statement.Condition;
  if (!cond || typeof cond !== 'object') return statement;
  const out: Record<string, unknown> = {};
  for (const [operator, block] of Object.entries<any>(cond)) {
    if (!block || typeof block !== 'object' || Array.isArray(block)) {
      if (keep(operator, '')) out[operator] = block;
      continue;
    }
    const kept = Object.fromEntries(Object.entries(block).filter(([k]) => keep(operator, k)));
    if (Object.keys(kept).length > 0) out[operator] = kept;
  }
  return { ...statement, Condition: out };
}

/**
 * The findings of one IRSA trust policy for one service account, judged by what IAM would do
 * with its token (`lib/rules/iam-conditions.ts`): some statement must admit it — a web identity
 * statement of the cluster's OIDC provider whose conditions hold for
 * `sub = system:serviceaccount:<ns>:<sa>` and `aud = <the service account's audience>` — and no
 * Deny may refuse it. A role that admits it is then checked for what it admits besides (no `sub`
 * condition: every service account; wildcards spanning namespaces or the issuer; a name wildcard
 * only with the opt-in tag); a missing `aud` is hardening advice (STS checks the audience against
 * the provider's client ids). A role that does not admit it is told why: another issuer, another
 * audience, another subject. An operator IAM does not know is an error either way.
 */
export function checkTrustAdmits(field: string, input: TrustAnalysisInput): Finding[] {
  const subject = serviceAccountSubject(input.namespace, input.serviceAccountName);
  const base = field ? `${field}.` : '';
  const doc = input.document as any;
  const all = asArray(doc?.Statement);
  const findings: Finding[] = [];
  const mismatches: Finding[] = [];
  const request = (providerArn: string, namespace = input.namespace, name = input.serviceAccountName) =>
    webIdentityRequest({ providerArn, namespace, serviceAccountName: name, audience: input.audience });

  // IAM refuses the whole document for an operator it does not know
  all.forEach((s: any, i) => {
    for (const p of evaluateCondition(s?.Condition, {}, `${base}Statement[${i}].Condition`).problems.filter(x => x.kind === 'unknown')) {
      findings.push(error('iam-condition-operator', p.path, p.value,
        'is not an IAM condition operator: IAM refuses the trust policy (MalformedPolicyDocument), and a condition with it never holds',
        'remove it (JSON policies take no comments: say it in the statement\'s Sid or the role\'s description)'));
    }
  });

  const statements = all.filter((s: any) => s && s.Effect === 'Allow' && actsWebIdentity(s.Action) && strings(s.Principal?.Federated).length > 0);
  if (statements.length === 0) {
    const podIdentity = all.some((s: any) => s?.Effect === 'Allow' && strings(s.Principal?.Service).includes(POD_IDENTITY_SERVICE));
    return [...findings, error('irsa-trust-no-web-identity', `${base}Statement`, subject,
      `is named by the role-arn annotation, but the role trusts no OIDC provider with sts:AssumeRoleWithWebIdentity${podIdentity ? ` (it trusts ${POD_IDENTITY_SERVICE}: a Pod Identity role)` : ''}: IRSA cannot assume it`,
      podIdentity
        ? `create a Pod Identity association for ${input.namespace}/${input.serviceAccountName} with this role and remove the eks.amazonaws.com/role-arn annotation, or give the role an IRSA statement`
        : 'add a statement with Principal.Federated set to the cluster\'s OIDC provider ARN and Action sts:AssumeRoleWithWebIdentity (or use Pod Identity, which needs no annotation)')];
  }
  const admittingProviders: string[] = [];
  statements.forEach((s: any) => {
    const i = all.indexOf(s);
    const at = `${base}Statement[${i}]`;
    for (const provider of strings(s.Principal.Federated)) {
      const m = PROVIDER_SUFFIX.exec(provider);
      if (!m) {
        findings.push(...checkProviderArn(`${at}.Principal.Federated`, provider));
        continue;
      }
      const prefix = m[1];
      const subKey = `${prefix}:sub`;
      const audKey = `${prefix}:aud`;
      const stmtFindings: Finding[] = [];
      const issuerFindings = input.issuerUrl !== undefined ? checkProviderArn(`${at}.Principal.Federated`, provider, input.issuerUrl) : [];
      stmtFindings.push(...issuerFindings);
      const cond = s.Condition && typeof s.Condition === 'object' ? s.Condition : {};
      const keys = Object.values(cond).flatMap(b => (b && typeof b === 'object' ? Object.keys(b) : []));
      const foreignKeys = keys.filter(k => /:(sub|aud)$/i.test(k) && k.replace(/:(sub|aud)$/i, '').toLowerCase() !== prefix.toLowerCase());
      for (const key of foreignKeys) {
        const keyPrefix = key.replace(/:(sub|aud)$/i, '');
        stmtFindings.push(error('irsa-trust-condition-issuer', `${at}.Condition.${key}`, key,
          `names the issuer '${keyPrefix}', but the statement trusts the provider of '${prefix}': the condition never matches a token of that provider (another cluster's issuer?)`,
          `use the condition keys ${prefix}:sub and ${prefix}:aud (the provider ARN's suffix)`));
      }
      const subs = listings(cond, subKey);
      const auds = listings(cond, audKey);
      const audValues = auds.flatMap(a => a.values);
      if (input.clientIds !== undefined && audValues.length > 0) {
        stmtFindings.push(...checkClientIds(`${at}.Principal.Federated`, input.clientIds, audValues.filter(a => !a.includes('*'))));
      }
      const holds = (st: any, namespace?: string, name?: string) => statementMatches(st, request(provider, namespace, name), at).matches;
      // a token of the cluster's issuer can only match the statement of the cluster's provider
      const admits = issuerFindings.length === 0 && holds(s);
      if (admits) {
        admittingProviders.push(provider);
        if (holds(s, '\u0000other-namespace', '\u0000other') && subs.length === 0) {
          stmtFindings.push(error('irsa-trust-no-sub', `${at}.Condition`, provider,
            `has no ${subKey} condition: every service account of the cluster (any namespace) can assume the role`,
            `add StringEquals ${subKey}: ${subject}`));
        }
        if (audValues.length === 0) {
          stmtFindings.push(warning('irsa-trust-no-aud', `${at}.Condition`, provider,
            `has no ${audKey} condition: STS accepts a token of any audience the provider lists as a client id`,
            `add StringEquals ${audKey}: ${input.audience} (hardening; it also documents the audience)`));
          if (input.clientIds !== undefined) stmtFindings.push(...checkClientIds(`${at}.Principal.Federated`, input.clientIds, [input.audience]));
        }
        for (const l of subs) {
          l.values.forEach(v => {
            const f = `${at}.Condition.${l.operator}.${subKey}`;
            const sm = SUBJECT.exec(v);
            if (l.like && /[*?]/.test(v)) {
              if (!sm) {
                stmtFindings.push(error('irsa-trust-issuer-wildcard', f, v,
                  'is a wildcard over the whole issuer: every service account of the cluster can assume the role',
                  `list the subjects, e.g. ${subject}`));
              } else if (/[*?]/.test(sm[1])) {
                stmtFindings.push(...checkSubject(f, { namespace: sm[1], serviceAccountName: sm[2] }, true).map(x => ({ ...x, value: `'${v}'` })));
              } else if (!input.wildcardOptIn) {
                stmtFindings.push(warning('irsa-trust-name-wildcard', f, v,
                  `admits every matching service account of namespace ${sm[1]}, and the role does not carry the opt-in tag cdk-eks-identity:wildcard-subjects`,
                  'list the service accounts, or opt in explicitly (ServiceAccountRole allowWildcards: true tags the role)'));
              }
            } else if (!l.like && sm && /[*?]/.test(v)) {
              stmtFindings.push(...checkSubject(f, { namespace: sm[1], serviceAccountName: sm[2] }, false));
            }
          });
        }
        findings.push(...stmtFindings);
        continue;
      }
      mismatches.push(...stmtFindings);
      // why not: another issuer (reported above), an unknown operator (reported above), the audience, or the subject
      if (issuerFindings.length > 0 || (foreignKeys.length > 0 && subs.length === 0)) continue;
      if (holds(filtered(s, op => parseOperator(op) !== undefined))) continue;
      if (auds.length > 0 && holds(filtered(s, (_op, k) => k.toLowerCase() !== audKey.toLowerCase()))) {
        mismatches.push(error('irsa-trust-audience', `${at}.Condition.${auds[0].operator}.${audKey}`, audValues.length === 1 ? audValues[0] : audValues,
          `does not equal the audience of ${subject} ('${input.audience}'): STS rejects its token`,
          `set ${audKey} to '${input.audience}', or set the service account's eks.amazonaws.com/audience to '${audValues[0]}'`));
        continue;
      }
      const listed = subs.flatMap(l => l.values);
      mismatches.push(error('irsa-trust-subject', subs.length > 0 ? `${at}.Condition.${subs[subs.length - 1].operator}.${subKey}` : `${at}.Condition`,
        listed.length === 0 ? JSON.stringify(cond) : listed.length === 1 ? listed[0] : listed,
        `does not admit ${subject}${describeNear(listed, input.namespace, input.serviceAccountName)}: pods of that service account get AccessDenied from AssumeRoleWithWebIdentity`,
        `add ${subject} to ${subKey}, or point the service account at the role made for it`));
    }
  });
  // an explicit Deny refuses whatever an Allow admits
  if (admittingProviders.length > 0) {
    const denied = admittingProviders.map(p => evaluatePolicy(doc, request(p))).filter(d => d.deniedBy.length > 0);
    if (denied.length === admittingProviders.length) {
      const i = denied[0].deniedBy[0];
      return [...findings, error('irsa-trust-denied', `${base}Statement[${i}]`, subject,
        'is refused by this Deny statement, which overrides the Allow that admits it: pods of that service account get AccessDenied',
        `narrow the Deny statement so that it does not match ${subject}, or point the service account at another role`)];
    }
  }
  // a role that admits the subject through one statement is fine even when other statements do not
  return admittingProviders.length > 0 ? findings : [...findings, ...mismatches];
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

const IRSA_DOC = 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html';
const CONDITIONS_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';

/** Rule metadata of the trust analysis (an existing trust policy against a service account). */
export const RULES: RuleMeta[] = [
  {
    code: 'irsa-trust-no-web-identity',
    severity: 'error',
    checks: 'the role named by a role-arn annotation trusts an oidc provider with sts:AssumeRoleWithWebIdentity',
    why: 'without such a statement STS refuses every AssumeRoleWithWebIdentity call of the pods',
    source: IRSA_DOC,
  },
  {
    code: 'irsa-trust-condition-issuer',
    severity: 'error',
    checks: 'the sub and aud condition keys name the issuer of the statement\'s provider',
    why: 'IAM fills only the keys of the token\'s issuer; a condition on another issuer\'s key is on an absent key and never holds',
    source: CONDITIONS_DOC,
  },
  {
    code: 'irsa-trust-no-sub',
    severity: 'error',
    checks: 'a statement that admits the service account restricts the sub of the token',
    why: 'without a sub condition every service account of the cluster, in any namespace, can assume the role',
    source: IRSA_DOC,
  },
  {
    code: 'irsa-trust-no-aud',
    severity: 'warning',
    checks: 'a statement that admits the service account pins the token audience',
    why: 'STS already checks the audience against the provider\'s client ids; pinning it in the trust is hardening and documents the audience',
    source: IRSA_DOC,
  },
  {
    code: 'irsa-trust-audience',
    severity: 'error',
    checks: 'the aud condition admits the audience of the service account\'s tokens',
    why: 'a token of another audience does not satisfy the condition: AccessDenied',
    source: IRSA_DOC,
  },
  {
    code: 'irsa-trust-issuer-wildcard',
    severity: 'error',
    checks: 'a sub wildcard stays inside system:serviceaccount:<namespace>:',
    why: 'a wildcard over the whole issuer admits every service account of the cluster',
    source: CONDITIONS_DOC,
  },
  {
    code: 'irsa-trust-name-wildcard',
    severity: 'warning',
    checks: 'a service account name wildcard in one namespace carries the opt-in tag',
    why: 'every matching service account of the namespace, including ones created later, can assume the role',
    source: CONDITIONS_DOC,
  },
  {
    code: 'irsa-trust-subject',
    severity: 'error',
    checks: 'some statement admits system:serviceaccount:<namespace>:<name> of the service account naming the role',
    why: 'when no statement\'s conditions hold for the token, STS refuses it: AccessDenied from AssumeRoleWithWebIdentity',
    source: CONDITIONS_DOC,
  },
  {
    code: 'irsa-trust-denied',
    severity: 'error',
    checks: 'no deny statement of the trust matches the service account an allow admits',
    why: 'an explicit deny overrides every allow',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
  },
];
