import { RuleMeta } from './rule-meta';

/**
 * IAM policy evaluation as IAM documents it, for the parts a role's trust policy uses: the
 * `Condition` operators on strings, ARNs, booleans and key presence, `...IfExists`, the set
 * prefixes `ForAnyValue:` and `ForAllValues:`, absent keys, AND across operators and keys, OR
 * across the values of one key and across statements, and an explicit `Deny` overriding any
 * `Allow`. Pure: no IAM call, no CDK.
 *
 * See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * and https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */

/** The request context: condition key (matched case-insensitively) to its value or values. A key not listed is absent. */
export interface RequestContext { readonly [key: string]: string | string[] }

/** Something in a policy the evaluator could not read; IAM refuses such a document. */
export interface PolicyProblem {
  /** `unknown`: no IAM operator; `unsupported`: an IAM operator this evaluator does not evaluate (the condition counts as false); `malformed`: not the shape IAM reads */
  readonly kind: 'unknown' | 'unsupported' | 'malformed';
  /** where in the document, e.g. `Statement[0].Condition.__doc_comment` */
  readonly path: string;
  /** the operator or element at fault */
  readonly value: string;
  readonly message: string;
}

/** A condition operator, split into its parts. */
export interface ParsedOperator {
  /** `ForAnyValue`, `ForAllValues`, or undefined */
  readonly set?: 'ForAnyValue' | 'ForAllValues';
  /** the base operator, e.g. `StringLike` */
  readonly base: string;
  readonly ifExists: boolean;
  /** StringNotEquals, StringNotLike, ArnNotEquals, ArnNotLike and their IgnoreCase forms */
  readonly negated: boolean;
}

type Matcher = (policyValue: string, contextValue: string) => boolean;

/** IAM's glob: `*` any run of characters, `?` one character. */
export function iamGlobMatches(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('').map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 's');
  return re.test(value);
}

/** ArnLike: each of the six colon-separated parts matched by its own glob (the resource part keeps its colons). */
export function arnLikeMatches(pattern: string, arn: string): boolean {
  const parts = (s: string) => {
    const p = s.split(':');
    return p.length < 6 ? undefined : [...p.slice(0, 5), p.slice(5).join(':')];
  };
  const a = parts(pattern);
  const b = parts(arn);
  if (!a || !b) return false;
  return a.every((x, i) => iamGlobMatches(x, b[i]));
}

const MATCHERS: { [base: string]: { match: Matcher; negated: boolean } } = {
  StringEquals: { match: (p, v) => p === v, negated: false },
  StringNotEquals: { match: (p, v) => p === v, negated: true },
  StringEqualsIgnoreCase: { match: (p, v) => p.toLowerCase() === v.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { match: (p, v) => p.toLowerCase() === v.toLowerCase(), negated: true },
  StringLike: { match: iamGlobMatches, negated: false },
  StringNotLike: { match: iamGlobMatches, negated: true },
  ArnEquals: { match: arnLikeMatches, negated: false },
  ArnNotEquals: { match: arnLikeMatches, negated: true },
  ArnLike: { match: arnLikeMatches, negated: false },
  ArnNotLike: { match: arnLikeMatches, negated: true },
  Bool: { match: (p, v) => p.toLowerCase() === v.toLowerCase(), negated: false },
};

/** The operators this evaluator knows (without prefix or `IfExists`). */
export const KNOWN_OPERATORS = [...Object.keys(MATCHERS), 'Null'];

/** IAM operators no trust policy of a workload needs, which this evaluator does not evaluate. */
const OTHER_IAM_OPERATORS = ['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan',
  'NumericGreaterThanEquals', 'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan',
  'DateGreaterThanEquals', 'BinaryEquals', 'IpAddress', 'NotIpAddress'];

/** True when `op` is an IAM condition operator (with its prefix and `IfExists`), evaluated here or not. */
export function isIamOperator(op: string): boolean {
  if (parseOperator(op)) return true;
  const m = /^(?:(?:ForAnyValue|ForAllValues):)?(.+?)(?:IfExists)?$/.exec(op);
  return m !== null && OTHER_IAM_OPERATORS.includes(m[1]);
}

/** Splits `ForAnyValue:StringLikeIfExists` into its parts; undefined when it is no operator this evaluator knows. */
export function parseOperator(op: string): ParsedOperator | undefined {
  const m = /^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$/.exec(op);
  if (!m) return undefined;
  const base = m[2];
  if (base === 'Null') return m[1] || m[3] ? undefined : { base, ifExists: false, negated: false };
  const known = MATCHERS[base];
  if (!known) return undefined;
  return { set: m[1] as ParsedOperator['set'], base, ifExists: m[3] !== undefined, negated: known.negated };
}

const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const scalarStrings = (v: unknown): string[] => asArray(v)
  .filter(x => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean').map(String);

/** The values of a key in the context (case-insensitive key); undefined when absent (an empty list is absent too). */
export function contextValues(context: RequestContext, key: string): string[] | undefined {
  const k = Object.keys(context).find(x => x.toLowerCase() === key.toLowerCase());
  if (k === undefined) return undefined;
  const vs = asArray(context[k]).map(String);
  return vs.length === 0 ? undefined : vs;
}

/** One operator on one key: true when the condition holds for the context. */
export function evaluateOperator(op: ParsedOperator, key: string, policyValues: unknown, context: RequestContext): boolean {
  const values = contextValues(context, key);
  const wanted = scalarStrings(policyValues);
  if (op.base === 'Null') {
    // Null: "true" means the key must be absent, "false" present; several values are ORed
    return wanted.some(w => (w.toLowerCase() === 'true' ? values === undefined : values !== undefined));
  }
  if (values === undefined) {
    if (op.ifExists) return true;
    if (op.set === 'ForAllValues') return true; // vacuously true over an empty set
    if (op.set === 'ForAnyValue') return false;
    return op.negated; // a negated operator on an absent key is true, any other false
  }
  const { match } = MATCHERS[op.base];
  const matchesAny = (v: string) => wanted.some(w => match(w, v));
  const holds = (v: string) => (op.negated ? !matchesAny(v) : matchesAny(v));
  if (op.set === 'ForAllValues') return values.every(holds);
  if (op.set === 'ForAnyValue') return values.some(holds);
  return op.negated ? !values.some(matchesAny) : values.some(matchesAny);
}

/** The result of a `Condition` block. */
export interface ConditionResult {
  readonly holds: boolean;
  readonly problems: PolicyProblem[];
}

/**
 * A whole `Condition` block: every operator and every key must hold (AND), any value of a key
 * may match (OR). An operator the evaluator does not know makes the block fail and is reported.
 */
export function evaluateCondition(condition: unknown, context: RequestContext, path = 'Condition'): ConditionResult {
  if (condition === undefined) return { holds: true, problems: [] };
  if (!condition || typeof condition !== 'object' || Array.isArray(condition)) {
    return { holds: false, problems: [{ kind: 'malformed', path, value: JSON.stringify(condition), message: 'is not an object of condition operators' }] };
  }
  const problems: PolicyProblem[] = [];
  let holds = true;
  for (const [name, block] of Object.entries(condition)) {
    const op = parseOperator(name);
    if (!op) {
      problems.push(isIamOperator(name)
        ? { kind: 'unsupported', path: `${path}.${name}`, value: name, message: 'is an IAM condition operator this check does not evaluate: the condition is taken as not holding' }
        : { kind: 'unknown', path: `${path}.${name}`, value: name, message: 'is not an IAM condition operator (String*, Arn*, Bool, Null, Numeric*, Date*, IpAddress, BinaryEquals, with IfExists and ForAnyValue:/ForAllValues:)' });
      holds = false;
      continue;
    }
    if (!block || typeof block !== 'object' || Array.isArray(block)) {
      problems.push({ kind: 'malformed', path: `${path}.${name}`, value: JSON.stringify(block), message: 'is not an object of condition keys' });
      holds = false;
      continue;
    }
    for (const [key, values] of Object.entries(block)) {
      if (!evaluateOperator(op, key, values, context)) holds = false;
    }
  }
  return { holds, problems };
}

/** A request to assume a role, as the trust policy sees it. */
export interface AssumeRequest {
  /** e.g. `sts:AssumeRoleWithWebIdentity` */
  readonly action: string;
  /** the principal's type in the policy's `Principal` (`Federated`, `Service`, `AWS`) */
  readonly principalType: 'Federated' | 'Service' | 'AWS';
  /** the principal, e.g. the OIDC provider ARN */
  readonly principal: string;
  readonly context: RequestContext;
}

/** The verdict of a policy on one request. */
export interface PolicyDecision {
  readonly allowed: boolean;
  /** indexes of the Allow statements that match */
  readonly allowedBy: number[];
  /** indexes of the Deny statements that match (any one refuses the request) */
  readonly deniedBy: number[];
  readonly problems: PolicyProblem[];
}

const actionMatches = (patterns: unknown, action: string) =>
  scalarStrings(patterns).some(p => iamGlobMatches(p.toLowerCase(), action.toLowerCase()));

function principalMatches(principal: unknown, r: AssumeRequest): boolean {
  if (principal === '*') return true;
  if (!principal || typeof principal !== 'object') return false;
  const p = principal as { [k: string]: unknown };
  if (scalarStrings(p.AWS).includes('*')) return true;
  return scalarStrings(p[r.principalType]).includes(r.principal);
}

/** Whether one statement applies to the request (principal, action, condition), ignoring its effect. */
export function statementMatches(statement: any, r: AssumeRequest, path: string): { matches: boolean; problems: PolicyProblem[] } {
  if (!statement || typeof statement !== 'object') return { matches: false, problems: [{ kind: 'malformed', path, value: JSON.stringify(statement), message: 'is not a statement object' }] };
  const principalOk = statement.Principal !== undefined ? principalMatches(statement.Principal, r)
    : statement.NotPrincipal !== undefined ? !principalMatches(statement.NotPrincipal, r) : false;
  const actionOk = statement.Action !== undefined ? actionMatches(statement.Action, r.action)
    : statement.NotAction !== undefined ? !actionMatches(statement.NotAction, r.action) : false;
  const cond = evaluateCondition(statement.Condition, r.context, `${path}.Condition`);
  return { matches: principalOk && actionOk && cond.holds, problems: cond.problems };
}

/** A policy document's decision on a request: allowed when some Allow statement matches and no Deny statement does. */
export function evaluatePolicy(document: unknown, r: AssumeRequest): PolicyDecision {
  const statements = asArray((document as any)?.Statement);
  const allowedBy: number[] = [];
  const deniedBy: number[] = [];
  const problems: PolicyProblem[] = [];
  statements.forEach((s: any, i) => {
    const m = statementMatches(s, r, `Statement[${i}]`);
    problems.push(...m.problems);
    if (!m.matches) return;
    if (s.Effect === 'Deny') deniedBy.push(i);
    else if (s.Effect === 'Allow') allowedBy.push(i);
  });
  return { allowed: allowedBy.length > 0 && deniedBy.length === 0, allowedBy, deniedBy, problems };
}

/** A (cluster issuer, namespace, service account) that could present a token to STS. */
export interface WebIdentitySubject {
  /** the OIDC provider ARN of the cluster whose issuer signed the token */
  readonly providerArn: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** the token's audience; default sts.amazonaws.com */
  readonly audience?: string;
}

/** The verdict for one subject. */
export interface SubjectVerdict {
  readonly subject: WebIdentitySubject;
  readonly admitted: boolean;
  readonly decision: PolicyDecision;
}

/** The issuer host/path an OIDC provider ARN names (its suffix), or undefined. */
export function providerSuffix(providerArn: string): string | undefined {
  return /^arn:[a-z-]+:iam::[^:]*:oidc-provider\/(.+)$/.exec(providerArn)?.[1];
}

/** The request STS evaluates for AssumeRoleWithWebIdentity with a service account token of that subject. */
export function webIdentityRequest(s: WebIdentitySubject): AssumeRequest {
  const issuer = providerSuffix(s.providerArn) ?? s.providerArn;
  return {
    action: 'sts:AssumeRoleWithWebIdentity',
    principalType: 'Federated',
    principal: s.providerArn,
    context: {
      [`${issuer}:sub`]: `system:serviceaccount:${s.namespace}:${s.serviceAccountName}`,
      [`${issuer}:aud`]: s.audience ?? 'sts.amazonaws.com',
      'aws:FederatedProvider': s.providerArn,
    },
  };
}

/** Which of the subjects can assume a role with this trust policy (AssumeRoleWithWebIdentity). */
export function subjectsAdmitted(trustPolicy: unknown, subjects: WebIdentitySubject[]): SubjectVerdict[] {
  return subjects.map(subject => {
    const decision = evaluatePolicy(trustPolicy, webIdentityRequest(subject));
    return { subject, admitted: decision.allowed, decision };
  });
}

/** Rule metadata of the findings built on this evaluator. */
export const RULES: RuleMeta[] = [{
  code: 'iam-condition-operator',
  severity: 'error',
  checks: 'every condition operator of a trust policy is one IAM knows',
  why: 'IAM refuses a policy with an unknown condition operator (MalformedPolicyDocument), so the trust cannot be set as written',
  source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
}];
