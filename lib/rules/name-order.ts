import { Finding, warning } from './finding';
import { RuleMeta } from './rule-meta';

/**
 * A default role name that took a hash suffix because another input of the app holds its plain
 * name. Which of the two keeps the plain name follows the order in which they are built (the
 * order of the spec's list, of the TypeScript constructors): reorder them and the two roles swap
 * names, so CloudFormation replaces both, each under a name the other still holds, and the update
 * fails (EntityAlreadyExists). Pure.
 * @param holder the input that holds the plain name, in words
 */
export function checkSuffixedRoleName(field: string, name: string, plain: string, holder: string): Finding[] {
  return [warning('generated-name-order', field, name,
    `took a suffix because ${holder} holds the default name '${plain}': which of the two keeps '${plain}' follows the order they are declared in, so reordering them swaps the names and the update fails (each role would be replaced under a name the other still holds)`,
    'give one of the two an explicit role name (role.name in a spec, roleName in TypeScript), or keep their order')];
}

/** What the rules of this file check (docs/rules.md is generated from these records). */
export const RULES: RuleMeta[] = [
  {
    code: 'generated-name-order',
    severity: 'warning',
    checks: 'a default IAM role name needed a collision suffix, so it depends on the order of the inputs',
    why: 'reordering the two inputs swaps their names; CloudFormation would replace both roles under names still held and the update fails',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html#cfn-iam-role-rolename',
  },
];
