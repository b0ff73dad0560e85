import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { enforce } from './enforce';
import { appRegistry } from './registry';
import { error } from '../rules/finding';

/**
 * Records a literal role name in the app-wide 'role-names' registry (the one ServiceAccountRole
 * uses: key `<account or stack path>|<lower-case name>`), refusing a second role of the same
 * name in one account: IAM names are unique per account, ignoring case.
 */
export function registerRoleName(scope: IConstruct, roleName: string | undefined, field: string = 'roleName'): void {
  if (roleName === undefined || Token.isUnresolved(roleName)) return;
  const stack = Stack.of(scope);
  const account = Token.isUnresolved(stack.account) ? stack.node.path : stack.account;
  const names = appRegistry<string>(scope, 'role-names');
  const key = `${account}|${roleName.toLowerCase()}`;
  const first = names.get(key);
  if (first !== undefined) {
    enforce(scope, [error('iam-role-name-unique', field, roleName,
      `is already used by ${first}: IAM role names are unique per account, ignoring case`,
      'give one of the roles another name (or roleNamePrefix), or use one role for both')]);
  }
  names.set(key, scope.node.path);
}
