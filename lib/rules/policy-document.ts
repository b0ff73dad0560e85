import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

/**
 * The problems aws-cdk-lib finds in a policy document used as an identity or session policy
 * (`PolicyDocument.validateForIdentityPolicy()`: statements without actions or resources, a
 * principal...), as a finding on the first one.
 */
export function checkIdentityPolicyProblems(field: string, problems: string[], what: string): Finding[] {
  return problems.length === 0 ? [] : [error('iam-policy-statement', field, problems[0], `is not a valid ${what}`,
    'give every statement actions (or notActions) and resources (or notResources), and no principal')];
}

/** What the rules of this file check (docs/rules.md is generated from these records). */
export const RULES: RuleMeta[] = [
  {
    code: 'iam-policy-statement',
    severity: 'error',
    checks: 'every statement of an identity or session policy has actions and resources and no principal',
    why: 'IAM refuses such a policy at deploy (MalformedPolicyDocument)',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html',
  },
];
