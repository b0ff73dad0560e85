import { editDistance } from './edit-distance';
import { error, Finding } from './finding';
import { isIamOperator, KNOWN_OPERATORS } from './iam-conditions';
import { RuleMeta } from './rule-meta';

/**
 * The grammar of the statements of an identity or session policy, checked before aws-cdk-lib sees
 * them (so none of its raw messages reaches the user) and before IAM refuses them at deploy
 * (MalformedPolicyDocument): effect, Sid, actions, resources, exclusive pairs and conditions.
 * Pure: the caller skips statements that hold unresolved tokens.
 */

/** One statement as given (spec keys, or the IAM JSON keys with {@link JSON_KEYS}); values are unchecked. */
export interface StatementInput {
  readonly [key: string]: unknown;
}

/** The names of a statement's elements in the input (spec: `actions`; IAM JSON: `Action`). */
export interface StatementKeys {
  readonly sid: string;
  readonly effect: string;
  readonly actions: string;
  readonly notActions: string;
  readonly resources: string;
  readonly notResources: string;
  readonly conditions: string;
}

/** The keys of an identity spec statement. */
export const SPEC_KEYS: StatementKeys = {
  sid: 'sid',
  effect: 'effect',
  actions: 'actions',
  notActions: 'notActions',
  resources: 'resources',
  notResources: 'notResources',
  conditions: 'conditions',
};

/** The keys of a statement in IAM policy JSON (`PolicyDocument.toJSON()`). */
export const JSON_KEYS: StatementKeys = {
  sid: 'Sid',
  effect: 'Effect',
  actions: 'Action',
  notActions: 'NotAction',
  resources: 'Resource',
  notResources: 'NotResource',
  conditions: 'Condition',
};

/** All IAM condition operators without prefix or IfExists (for did-you-mean). */
const ALL_OPERATORS = [...KNOWN_OPERATORS, 'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals',
  'NumericGreaterThan', 'NumericGreaterThanEquals', 'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals',
  'DateGreaterThan', 'DateGreaterThanEquals', 'BinaryEquals', 'IpAddress', 'NotIpAddress'];

/** `service:action` with `*` wildcards, or `*` (the form aws-cdk-lib and IAM both accept). */
const ACTION = /^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*]+)$/;
/** `arn:partition:service:region:account:resource` (parts may be empty or wildcards), or `*`. */
const RESOURCE = /^(\*|arn:[^:]*:[^:]*:[^:]*:[^:]*:.+)$/;

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/**
 * The statements of one policy document: each finding names the statement's path
 * (`<field>[1].conditions.StringEqualz`). `indexes` gives the position of each statement in the
 * document when only some are passed (the literal ones); by default 0, 1, 2...
 */
export function checkPolicyStatements(field: string, statements: StatementInput[], keys: StatementKeys = SPEC_KEYS, indexes?: number[]): Finding[] {
  const findings: Finding[] = [];
  const sids = new Map<string, number>();
  statements.forEach((s, n) => {
    const i = indexes?.[n] ?? n;
    const at = `${field}[${i}]`;
    findings.push(...checkStatement(at, s, keys));
    const sid = s[keys.sid];
    if (typeof sid === 'string' && sid !== '') {
      const first = sids.get(sid);
      if (first !== undefined) {
        findings.push(error('iam-policy-sid', `${at}.${keys.sid}`, sid, `is also the Sid of ${field}[${first}]: the Sids of a policy must be unique`,
          `rename one of them (e.g. '${sid}${i}') or remove the ${keys.sid}`));
      } else {
        sids.set(sid, i);
      }
    }
  });
  return findings;
}

/** One statement: effect, Sid, actions, resources, the exclusive pairs and the conditions. */
export function checkStatement(at: string, s: StatementInput, keys: StatementKeys = SPEC_KEYS): Finding[] {
  const out: Finding[] = [];
  const effect = s[keys.effect];
  if (effect !== undefined && effect !== 'Allow' && effect !== 'Deny') {
    out.push(error('iam-policy-effect', `${at}.${keys.effect}`, effect, 'is not an IAM effect: it must be \'Allow\' or \'Deny\' (case matters)',
      typeof effect === 'string' && /^(allow|deny)$/i.test(effect) ? `write '${effect[0].toUpperCase()}${effect.slice(1).toLowerCase()}'` : 'write Allow or Deny'));
  }
  const sid = s[keys.sid];
  if (sid !== undefined && (typeof sid !== 'string' || !/^[0-9A-Za-z]*$/.test(sid))) {
    out.push(error('iam-policy-sid', `${at}.${keys.sid}`, sid, 'is not a valid Sid for an identity policy: only letters A-Z, a-z and digits 0-9',
      typeof sid === 'string' ? `use '${sid.replace(/[^0-9A-Za-z]/g, '')}' or remove the ${keys.sid}` : `write the ${keys.sid} as a string of letters and digits`));
  }
  out.push(...exclusive(at, s, keys.actions, keys.notActions));
  out.push(...exclusive(at, s, keys.resources, keys.notResources));
  for (const key of [keys.actions, keys.notActions]) {
    if (s[key] === undefined) continue;
    asList(s[key]).forEach((a, j) => {
      const f = Array.isArray(s[key]) ? `${at}.${key}[${j}]` : `${at}.${key}`;
      if (typeof a !== 'string') {
        out.push(error('iam-policy-action', f, a, 'is not an action: actions are strings', 'write the action as \'service:Action\', e.g. \'s3:GetObject\''));
      } else if (!a.includes(':') && a !== '*') {
        out.push(error('iam-policy-action', f, a, 'has no \':\': an IAM action is \'<service prefix>:<action>\'',
          `prefix it with its service, e.g. 's3:${a || 'GetObject'}'`));
      } else if (!ACTION.test(a)) {
        out.push(error('iam-policy-action', f, a, 'is not a valid IAM action: \'<service prefix>:<action>\' with letters, digits, \'-\' in the prefix and \'*\' as the only wildcard',
          'write it as in the Service Authorization Reference, e.g. \'s3:Get*\' (no spaces, no \'?\')'));
      }
    });
  }
  for (const key of [keys.resources, keys.notResources]) {
    if (s[key] === undefined) continue;
    asList(s[key]).forEach((r, j) => {
      const f = Array.isArray(s[key]) ? `${at}.${key}[${j}]` : `${at}.${key}`;
      if (typeof r !== 'string' || !RESOURCE.test(r)) {
        out.push(error('iam-policy-resource', f, r, 'is neither an ARN (arn:<partition>:<service>:<region>:<account>:<resource>) nor \'*\'',
          'give the full ARN, e.g. \'arn:aws:s3:::my-bucket/*\', or \'*\''));
      }
    });
  }
  if (s[keys.conditions] !== undefined) out.push(...checkConditions(`${at}.${keys.conditions}`, s[keys.conditions]));
  return out;
}

function exclusive(at: string, s: StatementInput, a: string, b: string): Finding[] {
  if (s[a] === undefined || s[b] === undefined) return [];
  return [error('iam-policy-exclusive', `${at}.${b}`, s[b], `is given together with ${a}: a statement has either ${a} or ${b}, not both`,
    `keep one of ${a} and ${b}, or split them into two statements`)];
}

const isMap = (v: unknown): v is { [k: string]: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** `{ <operator>: { <key>: <value or values> } }` with IAM's operators. */
export function checkConditions(field: string, conditions: unknown): Finding[] {
  if (!isMap(conditions)) {
    return [error('iam-policy-conditions', field, conditions, 'is not a map of condition operators to maps of keys and values',
      'write it as in IAM JSON, e.g. { StringEquals: { \'aws:RequestedRegion\': \'eu-west-1\' } }')];
  }
  const out: Finding[] = [];
  for (const [op, body] of Object.entries(conditions)) {
    const f = `${field}.${op}`;
    if (!isIamOperator(op)) {
      const near = nearestOperator(op);
      out.push(error('iam-condition-operator', f, op,
        'is not an IAM condition operator (String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress, NotIpAddress, Arn*, Null, with IfExists and the ForAnyValue:/ForAllValues: prefixes)',
        near ? `did you mean '${near}'?` : 'use one of the operators of the IAM condition operator reference'));
      continue;
    }
    if (!isMap(body)) {
      out.push(error('iam-policy-conditions', f, body, `is not a map of condition keys to values: ${op} takes { <key>: <value or list of values> }`,
        `write it as ${op}: { 'aws:SourceAccount': '111122223333' }`));
      continue;
    }
    for (const [key, value] of Object.entries(body)) {
      if (!(isScalar(value) || (Array.isArray(value) && value.length > 0 && value.every(isScalar)))) {
        out.push(error('iam-policy-conditions', `${f}.${key}`, value, 'is not a condition value: a string, number or boolean, or a non-empty list of them',
          'give the value, or the list of values, the key must match'));
      }
    }
  }
  return out;
}

/** The operator (with the same prefix and IfExists) closest to a misspelt one, if near enough. */
function nearestOperator(op: string): string | undefined {
  const m = /^((?:ForAnyValue|ForAllValues):)?(.*?)(IfExists)?$/i.exec(op)!;
  const base = m[2];
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of ALL_OPERATORS) {
    const d = editDistance(o.toLowerCase(), base.toLowerCase());
    if (d < bestD) { best = o; bestD = d; }
  }
  if (best === undefined || bestD > Math.max(2, Math.floor(base.length / 4))) return undefined;
  // Null takes no set prefix and no IfExists: the nearest valid operator is Null itself
  const prefix = m[1] && best !== 'Null' ? (/^forany/i.test(m[1]) ? 'ForAnyValue:' : 'ForAllValues:') : '';
  return `${prefix}${best}${m[3] && best !== 'Null' ? 'IfExists' : ''}`;
}


/** The statements of a policy document's JSON (`{ Statement: [...] }`), for {@link checkPolicyStatements} with JSON_KEYS. */
export function statementsOfJson(doc: unknown): StatementInput[] {
  const st = isMap(doc) ? doc.Statement : undefined;
  return st === undefined ? [] : asList(st).filter(isMap);
}

/** A policy document as IAM JSON (a literal `PolicyDocument.toJSON()`): its statements' grammar, fields `<field>.Statement[i]...`. */
export function checkPolicyDocumentJson(field: string, doc: unknown): Finding[] {
  return checkPolicyStatements(`${field}.Statement`, statementsOfJson(doc), JSON_KEYS);
}

/** What the rules of this file check (docs/rules.md is generated from these records). */
export const RULES: RuleMeta[] = [
  {
    code: 'iam-policy-effect',
    severity: 'error',
    checks: 'a statement\'s effect is Allow or Deny',
    why: 'IAM refuses any other effect (MalformedPolicyDocument)',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html',
  },
  {
    code: 'iam-policy-sid',
    severity: 'error',
    checks: 'statement Sids are letters and digits only, and unique within the policy',
    why: 'IAM refuses other Sids in identity policies and duplicate Sids (MalformedPolicyDocument; cfn-lint E3510)',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html',
  },
  {
    code: 'iam-policy-action',
    severity: 'error',
    checks: 'each action is \'service:action\' (wildcard \'*\' allowed) or \'*\'',
    why: 'IAM refuses an action without a service prefix, and aws-cdk-lib stops the synth with a message naming no field',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html',
  },
  {
    code: 'iam-policy-resource',
    severity: 'error',
    checks: 'each resource is an ARN (arn:partition:service:region:account:resource) or \'*\'',
    why: 'IAM refuses a resource that is not an ARN (MalformedPolicyDocument; cfn-lint E3510)',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html',
  },
  {
    code: 'iam-policy-exclusive',
    severity: 'error',
    checks: 'a statement has actions or notActions, resources or notResources, never both of a pair',
    why: 'IAM refuses a statement with both, and aws-cdk-lib stops the synth with a message naming no field',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html',
  },
  {
    code: 'iam-policy-conditions',
    severity: 'error',
    checks: 'conditions map operators to maps of condition keys to a value or a non-empty list of values',
    why: 'IAM refuses another shape (MalformedPolicyDocument), and aws-cdk-lib stops the synth with a message naming no field',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html',
  },
];
