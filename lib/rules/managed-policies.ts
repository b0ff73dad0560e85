import { partitionForRegion } from './arns';
import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

/**
 * The managed policies of one role, each at most once. A spec names a policy by its ARN or, for
 * an AWS-managed policy, by its name with its path: `ReadOnlyAccess` and
 * `arn:aws:iam::aws:policy/ReadOnlyAccess` are the same policy. CloudFormation's schema of
 * `AWS::IAM::Role` declares `ManagedPolicyArns` with unique items, so a repeated policy fails the
 * deploy (and the CloudFormation validator of aws-cdk-lib only warns). Pure; `field` is the list's
 * path (`serviceAccounts[0].role.managedPolicies`), findings name the repeated item.
 */
export function checkManagedPoliciesUnique(field: string, policies: string[], region: string): Finding[] {
  const partition = partitionForRegion(region);
  const seen = new Map<string, number>();
  const out: Finding[] = [];
  policies.forEach((p, i) => {
    const arn = p.startsWith('arn:') ? p : `arn:${partition}:iam::aws:policy/${p}`;
    const first = seen.get(arn);
    if (first === undefined) {
      seen.set(arn, i);
      return;
    }
    out.push(error('iam-managed-policy-duplicate', `${field}[${i}]`, p,
      `is the same managed policy as ${field}[${first}] (${policies[first]}): CloudFormation refuses a role whose ManagedPolicyArns repeat an item`,
      `remove ${field}[${i}]`));
  });
  return out;
}

/** What the rules of this file check (docs/rules.md is generated from these records). */
export const RULES: RuleMeta[] = [
  {
    code: 'iam-managed-policy-duplicate',
    severity: 'error',
    checks: 'a role lists each managed policy once (an AWS-managed name and its ARN are one policy)',
    why: 'the CloudFormation schema of AWS::IAM::Role requires unique ManagedPolicyArns: a repeated policy fails the deploy',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html#cfn-iam-role-managedpolicyarns',
  },
];
