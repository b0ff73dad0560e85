import { error, Finding, warning } from './finding';
import { AssumeRequest, evaluateCondition, evaluatePolicy, parseOperator, PolicyDecision, RequestContext } from './iam-conditions';
import { POD_IDENTITY_SERVICE } from './pod-identity';
import { RuleMeta } from './rule-meta';

/**
 * Judging a role's trust policy for EKS Pod Identity, as IAM evaluates the requests EKS makes
 * (`lib/rules/iam-conditions.ts`): the EKS Auth service (`pods.eks.amazonaws.com`) calls
 * `sts:AssumeRole` and, with session tags on (the default), `sts:TagSession` with six tags
 * (`eks-cluster-arn`, `eks-cluster-name`, `kubernetes-namespace`, `kubernetes-service-account`,
 * `kubernetes-pod-name`, `kubernetes-pod-uid`) that conditions read as `aws:RequestTag/<tag>`;
 * `aws:SourceAccount` is the cluster's account and `aws:SourceArn` the cluster's ARN. Pure.
 *
 * See https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html and
 * https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html
 */

/** The (cluster, namespace, service account) of a Pod Identity association. */
export interface PodIdentitySubject {
  readonly clusterName: string;
  /** `arn:<partition>:eks:<region>:<account>:cluster/<name>`, when known */
  readonly clusterArn?: string;
  /** the cluster's account, when known */
  readonly account?: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
}

export interface PodIdentityTrustInput {
  /** the role's trust policy (literal JSON) */
  readonly document: unknown;
  /** the association's subject */
  readonly subject: PodIdentitySubject;
  /** the association's `disableSessionTags`: no session tags, no `sts:TagSession` */
  readonly disableSessionTags?: boolean;
}

/** The session tags EKS Pod Identity adds. */
export const POD_IDENTITY_SESSION_TAGS = ['eks-cluster-arn', 'eks-cluster-name', 'kubernetes-namespace', 'kubernetes-service-account',
  'kubernetes-pod-name', 'kubernetes-pod-uid'];

const TAG = (t: string) => `aws:RequestTag/${t}`;
const POD_KEYS = [TAG('kubernetes-pod-name'), TAG('kubernetes-pod-uid')];

/** The condition keys whose value is not known for a subject (the pod's own tags, the cluster's ARN or account when not given). */
export function unknownPodIdentityKeys(s: PodIdentitySubject, disableSessionTags = false): string[] {
  return [
    ...(disableSessionTags ? [] : POD_KEYS),
    ...(s.clusterArn === undefined ? [...(disableSessionTags ? [] : [TAG('eks-cluster-arn')]), 'aws:SourceArn'] : []),
    ...(s.account === undefined ? ['aws:SourceAccount'] : []),
  ];
}

/** The request context EKS Pod Identity presents to STS for a subject (the keys it cannot know left out). */
export function podIdentityContext(s: PodIdentitySubject, disableSessionTags = false): RequestContext {
  const tags: Record<string, string> = disableSessionTags ? {} : {
    [TAG('eks-cluster-name')]: s.clusterName,
    [TAG('kubernetes-namespace')]: s.namespace,
    [TAG('kubernetes-service-account')]: s.serviceAccountName,
    ...(s.clusterArn !== undefined ? { [TAG('eks-cluster-arn')]: s.clusterArn } : {}),
  };
  return {
    ...tags,
    ...(disableSessionTags ? {} : { 'aws:TagKeys': POD_IDENTITY_SESSION_TAGS }),
    ...(s.account !== undefined ? { 'aws:SourceAccount': s.account } : {}),
    ...(s.clusterArn !== undefined ? { 'aws:SourceArn': s.clusterArn } : {}),
  };
}

const request = (action: string, context: RequestContext): AssumeRequest =>
  ({ action, principalType: 'Service', principal: POD_IDENTITY_SERVICE, context });

const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const strings = (v: unknown): string[] => asArray(v).filter((x): x is string => typeof x === 'string');
const lower = (ks: string[]) => ks.map(k => k.toLowerCase());

/**
 * The document as far as it can be judged for the subject: conditions on keys whose value is
 * unknown are taken as holding in an Allow, and a Deny that reads such a key is left out (so a
 * refusal reported is certain).
 */
function judgeable(document: unknown, unknown: string[]): any {
  const u = lower(unknown);
  const statements = asArray((document as any)?.Statement).flatMap((s: any) => {
    const cond = s?.Condition;
    if (!cond || typeof cond !== 'object' || Array.isArray(cond)) return [s];
    const reads = Object.values<any>(cond).some(b => b && typeof b === 'object' && Object.keys(b).some(k => u.includes(k.toLowerCase())));
    if (reads && s.Effect === 'Deny') return [];
    const kept: Record<string, unknown> = {};
    for (const [op, block] of Object.entries<any>(cond)) {
      if (!block || typeof block !== 'object' || Array.isArray(block)) { kept[op] = block; continue; }
      const b = Object.fromEntries(Object.entries(block).filter(([k]) => !u.includes(k.toLowerCase())));
      if (Object.keys(b).length > 0) kept[op] = b;
    }
    return [{ ...s, Condition: kept }];
  });
  return { ...(document as any), Statement: statements };
}

/** The decisions on the AssumeRole (and, with session tags, TagSession) requests of a subject. */
export function podIdentityDecisions(input: PodIdentityTrustInput): { assume: PolicyDecision; tag?: PolicyDecision } {
  const doc = judgeable(input.document, unknownPodIdentityKeys(input.subject, input.disableSessionTags));
  const ctx = podIdentityContext(input.subject, input.disableSessionTags);
  return {
    assume: evaluatePolicy(doc, request('sts:AssumeRole', ctx)),
    tag: input.disableSessionTags ? undefined : evaluatePolicy(doc, request('sts:TagSession', ctx)),
  };
}

/** True when EKS Pod Identity can assume the role for the subject. */
export function podIdentityAdmits(input: PodIdentityTrustInput): boolean {
  const d = podIdentityDecisions(input);
  return d.assume.allowed && (d.tag === undefined || d.tag.allowed);
}

const withoutCondition = (s: any) => ({ ...s, Condition: undefined });

/** What a condition key is about, for messages; and the subject's value of it. */
function describeKey(key: string, s: PodIdentitySubject): { what: string; value?: string } {
  const k = key.toLowerCase();
  if (k === TAG('kubernetes-namespace').toLowerCase()) return { what: 'namespace', value: s.namespace };
  if (k === TAG('kubernetes-service-account').toLowerCase()) return { what: 'service account', value: s.serviceAccountName };
  if (k === TAG('eks-cluster-name').toLowerCase()) return { what: 'cluster name', value: s.clusterName };
  if (k === TAG('eks-cluster-arn').toLowerCase() || k === 'aws:sourcearn') return { what: 'cluster ARN', value: s.clusterArn };
  if (k === 'aws:sourceaccount') return { what: 'cluster account', value: s.account };
  return { what: key };
}

/** The subject with one dimension (a condition key's) changed to a value no condition names. */
function probe(s: PodIdentitySubject, key: string): PodIdentitySubject | undefined {
  const other = '\u0000other';
  switch (describeKey(key, s).what) {
    case 'namespace': return { ...s, namespace: other };
    case 'service account': return { ...s, serviceAccountName: other };
    case 'cluster name':
    case 'cluster ARN': return { ...s, clusterName: other, clusterArn: s.clusterArn?.replace(/cluster\/.*$/, `cluster/${other}`) };
    case 'cluster account': return { ...s, account: other, clusterArn: s.clusterArn?.replace(/^(arn:[^:]*:eks:[^:]*:)[^:]*/, `$1${other}`) };
    default: return undefined;
  }
}

/** `Operator.key` entries of a statement's condition with a positive operator listing a value other than a bare `*`. */
function scopingEntries(statement: any): Array<{ operator: string; key: string; values: string[] }> {
  const cond = statement?.Condition;
  if (!cond || typeof cond !== 'object') return [];
  const out: Array<{ operator: string; key: string; values: string[] }> = [];
  for (const [operator, block] of Object.entries<any>(cond)) {
    const op = parseOperator(operator);
    if (!op || op.negated || op.base === 'Null' || op.base === 'Bool' || !block || typeof block !== 'object') continue;
    for (const [key, v] of Object.entries(block)) {
      const values = strings(v);
      if (values.length > 0 && !values.every(x => x === '*')) out.push({ operator, key, values });
    }
  }
  return out;
}

/**
 * The findings of a role's trust policy for a Pod Identity association: errors when EKS cannot
 * assume it for the association's subject (no statement for `pods.eks.amazonaws.com`, no
 * `sts:TagSession` while session tags are on, a condition that refuses the subject, a Deny), or
 * when conditions that name a namespace, service account or cluster admit other ones anyway;
 * a warning when a cluster is pinned by name only.
 */
export function checkPodIdentityTrust(field: string, input: PodIdentityTrustInput): Finding[] {
  const base = field ? `${field}.` : '';
  const s = input.subject;
  const who = `${s.clusterName}/${s.namespace}/${s.serviceAccountName}`;
  const all = asArray((input.document as any)?.Statement);
  const findings: Finding[] = [];
  all.forEach((st: any, i) => {
    for (const p of evaluateCondition(st?.Condition, {}, `${base}Statement[${i}].Condition`).problems.filter(x => x.kind === 'unknown')) {
      findings.push(error('iam-condition-operator', p.path, p.value,
        'is not an IAM condition operator: IAM refuses the trust policy (MalformedPolicyDocument), and a condition with it never holds',
        'remove it (JSON policies take no comments: say it in the statement\'s Sid or the role\'s description)'));
    }
  });
  const ctx = podIdentityContext(s, input.disableSessionTags);
  const forService = all.map((st: any, i) => ({ st, i })).filter(({ st }) => st?.Effect === 'Allow'
    && evaluatePolicy({ Statement: [withoutCondition(st)] }, request('sts:AssumeRole', ctx)).allowed);
  if (forService.length === 0) {
    const trusted = all.flatMap((st: any) => [...strings(st?.Principal?.Service), ...strings(st?.Principal?.Federated).map(() => 'an OIDC provider (IRSA)')]);
    return [...findings, error('pod-identity-trust-service', `${base}Statement`, who,
      `is a Pod Identity association, but no Allow statement lets ${POD_IDENTITY_SERVICE} call sts:AssumeRole${trusted.length > 0 ? ` (the role trusts ${[...new Set(trusted)].join(', ')})` : ''}: EKS cannot assume the role and the pods get no credentials`,
      `add a statement { Effect: Allow, Principal: { Service: ${POD_IDENTITY_SERVICE} }, Action: [sts:AssumeRole, sts:TagSession] }, or use a role made for Pod Identity`)];
  }
  const d = podIdentityDecisions(input);
  if (!d.assume.allowed) {
    if (d.assume.deniedBy.length > 0 && d.assume.allowedBy.length > 0) {
      return [...findings, error('pod-identity-trust-denied', `${base}Statement[${d.assume.deniedBy[0]}]`, who,
        'is refused by this Deny statement, which overrides the Allow that admits it: the pods of the association get no credentials',
        `narrow the Deny statement so that it does not match ${who}, or associate another role`)];
    }
    return [...findings, refusal(base, input, forService)];
  }
  if (d.tag !== undefined && !d.tag.allowed) {
    const i = d.assume.allowedBy[0];
    return [...findings, error('pod-identity-trust-tag-session', `${base}Statement[${i}].Action`, strings((all[i] as any)?.Action),
      'lets EKS Pod Identity call sts:AssumeRole but not sts:TagSession: EKS tags every session (cluster, namespace, service account), so STS refuses the request and the association fails',
      'add sts:TagSession to the Action, or set disableSessionTags: true on the association (conditions on aws:RequestTag/* then stop matching)')];
  }
  findings.push(...scopeFindings(base, input, d.assume.allowedBy));
  return findings;
}

/** Why a subject is refused: the first condition entry of a statement for the service that does not hold. */
function refusal(base: string, input: PodIdentityTrustInput, forService: Array<{ st: any; i: number }>): Finding {
  const s = input.subject;
  const who = `${s.clusterName}/${s.namespace}/${s.serviceAccountName}`;
  const ctx = podIdentityContext(s, input.disableSessionTags);
  const unknown = lower(unknownPodIdentityKeys(s, input.disableSessionTags));
  for (const { st, i } of forService) {
    for (const [operator, block] of Object.entries<any>(st.Condition ?? {})) {
      for (const [key, values] of Object.entries<any>(block && typeof block === 'object' ? block : {})) {
        if (unknown.includes(key.toLowerCase())) continue;
        if (evaluateCondition({ [operator]: { [key]: values } }, ctx).holds) continue;
        const { what, value } = describeKey(key, s);
        const tag = /^aws:requesttag\/(.*)$/i.exec(key)?.[1];
        const why = tag !== undefined && input.disableSessionTags
          ? `the association disables session tags, so ${key} is absent and the condition never holds`
          : tag !== undefined && !POD_IDENTITY_SESSION_TAGS.includes(tag)
            ? `EKS Pod Identity sets no tag '${tag}' (it sets ${POD_IDENTITY_SESSION_TAGS.join(', ')}), so the condition is on an absent key`
            : value !== undefined ? `the association's ${what} is '${value}'` : `${key} is not a key of the Pod Identity request`;
        return error('pod-identity-trust-subject', `${base}Statement[${i}].Condition.${operator}.${key}`, asArray(values).length === 1 ? asArray(values)[0] : values,
          `does not admit the association ${who} (${why}): EKS cannot assume the role and the pods get no credentials`,
          input.disableSessionTags && tag !== undefined
            ? `turn session tags back on for the association (disableSessionTags: false), or pin the role with aws:SourceArn instead of ${key}`
            : `add '${value ?? `<the association's ${what}>`}' to ${key}, or associate the role made for it`);
      }
    }
  }
  const i = forService[0].i;
  return error('pod-identity-trust-subject', `${base}Statement[${i}].Condition`, who,
    'does not admit the association: EKS cannot assume the role and the pods get no credentials',
    'make the conditions admit the association\'s cluster, namespace and service account, or associate the role made for it');
}

/** Conditions that name a namespace, service account or cluster but admit others anyway; a cluster pinned by name only. */
function scopeFindings(base: string, input: PodIdentityTrustInput, admitting: number[]): Finding[] {
  const all = asArray((input.document as any)?.Statement);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const unknown = lower(unknownPodIdentityKeys(input.subject, input.disableSessionTags));
  for (const i of admitting) {
    const entries = scopingEntries(all[i]);
    for (const e of entries) {
      const p = probe(input.subject, e.key);
      const { what } = describeKey(e.key, input.subject);
      if (!p || seen.has(what) || unknown.includes(e.key.toLowerCase())) continue;
      seen.add(what);
      // the condition is meant to admit the probe (a wildcard value): nothing to say
      if (podIdentityAdmits({ document: { Statement: [all[i]] }, subject: p })) continue;
      const probed = { ...input, subject: p };
      if (!podIdentityAdmits(probed)) continue;
      const by = podIdentityDecisions(probed).assume.allowedBy;
      const other = by.find(j => j !== i);
      const tag = /^aws:requesttag\//i.test(e.key);
      const why = other !== undefined ? `Statement[${other}] admits it without this condition`
        : tag && input.disableSessionTags ? `the association disables session tags: ${e.key} is absent, and ${e.operator} holds on an absent key`
          : `${e.operator} holds for a ${what} it does not list`;
      findings.push(error('pod-identity-trust-scope', `${base}Statement[${i}].Condition.${e.operator}.${e.key}`, e.values.length === 1 ? e.values[0] : e.values,
        `names the ${what} the role is for, but the trust admits associations of any other ${what} too (${why}): whoever can create an association can hand the role to any pod`,
        other !== undefined ? `put the same condition on Statement[${other}], or remove it`
          : tag && input.disableSessionTags ? 'turn session tags on (disableSessionTags: false) and drop IfExists, or pin the cluster with aws:SourceArn'
            : `use StringEquals (without IfExists) on ${e.key}`));
    }
    const keys = lower(entries.map(e => e.key));
    if (keys.includes(TAG('eks-cluster-name').toLowerCase()) && !keys.some(k => [TAG('eks-cluster-arn').toLowerCase(), 'aws:sourcearn'].includes(k))) {
      const e = entries.find(x => x.key.toLowerCase() === TAG('eks-cluster-name').toLowerCase())!;
      findings.push(warning('pod-identity-trust-cluster-name', `${base}Statement[${i}].Condition.${e.operator}.${e.key}`, e.values.length === 1 ? e.values[0] : e.values,
        'pins the cluster by name only: a cluster of the same name in another region of the account (or one created later) matches too',
        `pin it by ARN: aws:RequestTag/eks-cluster-arn or aws:SourceArn = ${input.subject.clusterArn ?? 'arn:aws:eks:<region>:<account>:cluster/<name>'}`));
    }
  }
  return findings;
}

const POD_ID_ROLE_DOC = 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html';

/** Rule metadata of the Pod Identity trust checks. */
export const RULES: RuleMeta[] = [
  {
    code: 'pod-identity-trust-service',
    severity: 'error',
    checks: 'the role of a Pod Identity association trusts pods.eks.amazonaws.com with sts:AssumeRole',
    why: 'EKS Pod Identity assumes the role as that service; a role trusting anyone else (an OIDC provider, another service) cannot be assumed',
    source: POD_ID_ROLE_DOC,
  },
  {
    code: 'pod-identity-trust-tag-session',
    severity: 'error',
    checks: 'the trust allows sts:TagSession beside sts:AssumeRole (unless the association disables session tags)',
    why: 'EKS Pod Identity tags every session; without sts:TagSession STS refuses the request',
    source: POD_ID_ROLE_DOC,
  },
  {
    code: 'pod-identity-trust-subject',
    severity: 'error',
    checks: 'the conditions of the trust admit the association\'s cluster, namespace and service account (the aws:RequestTag/* session tags, aws:SourceAccount, aws:SourceArn)',
    why: 'when no statement\'s conditions hold, STS refuses EKS and the pods get no credentials; with session tags disabled the aws:RequestTag/* keys are absent',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html',
  },
  {
    code: 'pod-identity-trust-denied',
    severity: 'error',
    checks: 'no Deny statement of the trust matches the association an Allow admits',
    why: 'an explicit deny overrides every allow',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
  },
  {
    code: 'pod-identity-trust-scope',
    severity: 'error',
    checks: 'a condition naming a namespace, service account or cluster keeps other ones out (no IfExists over absent session tags, no other statement without it)',
    why: 'the role can then be handed to any pod by whoever can create an association, which the condition was written to prevent',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
  },
  {
    code: 'pod-identity-trust-cluster-name',
    severity: 'warning',
    checks: 'a trust that pins the cluster pins it by ARN (eks-cluster-arn or aws:SourceArn), not by name only',
    why: 'cluster names repeat across regions and over time; the ARN names one cluster',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html',
  },
];
