import { Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IdentityModel } from './model/identity-model';
import { pathOf } from './private/construct-path';
import { addFindingsValidation } from './private/enforce';
import { claimRoleName } from './private/generated-names';
import { recordRoleConstruct } from './private/identity-map';
import { RoleRecord, TrustRecord } from './rules/app-model';
import { formatRoleArn, partitionForRegion } from './rules/arns';
import { checkInlinePolicySize, policyLength } from './rules/iam-role';

/** What a role the library creates for a workload tells `registerWorkloadRole`. @internal */
export interface WorkloadRoleRegistration {
  /** The role name when known (given or generated); a token or undefined when IAM picks it. */
  readonly roleName?: string;
  /** The name the user gave, claimed in the app's generated-name allocator. */
  readonly givenName?: string;
  /** The IAM path ('/' when unset). */
  readonly path?: string;
  /** Account and region to assume when the stack has none (the cluster's). */
  readonly fallbackAccount?: string;
  readonly fallbackRegion?: string;
  /** The partition to assume when no region is known (the cluster's). */
  readonly fallbackPartition?: string;
  /** Who may assume the role, for the app-wide checks. */
  readonly trust: TrustRecord;
  /** Count these inline policies (and the role's DefaultPolicy, grants included) against IAM's 10,240 characters at synth. */
  readonly inlinePolicies?: { [name: string]: iam.PolicyDocument };
  readonly checkInlinePolicySize: boolean;
}

/**
 * Written once for every role the library creates for a workload (IRSA, Pod Identity, Fargate pod
 * execution): claims its given name, records it in the app's identity model and, when asked,
 * checks the inline policy size at synth. Returns the role's literal ARN when every part of it is
 * known at synth.
 * @internal
 */
export function registerWorkloadRole(scope: Construct, role: iam.Role, r: WorkloadRoleRegistration): string | undefined {
  claimRoleName(scope, r.givenName);
  const stack = Stack.of(scope);
  const account = !Token.isUnresolved(stack.account) ? stack.account : r.fallbackAccount;
  const region = !Token.isUnresolved(stack.region) ? stack.region : r.fallbackRegion;
  const partition = region !== undefined && !Token.isUnresolved(region) ? partitionForRegion(region) : literal(r.fallbackPartition);
  const name = literal(r.roleName);
  const path = literal(r.path ?? '/');
  const literalAccount = literal(account);
  const arn = name !== undefined && path !== undefined && partition !== undefined && literalAccount !== undefined
    ? formatRoleArn(partition, literalAccount, path, name) : undefined;
  const record: RoleRecord = {
    path: pathOf(scope),
    rolePath: pathOf(role),
    accountKey: Token.isUnresolved(stack.account) ? pathOf(stack) : stack.account,
    account: literalAccount,
    partition,
    name,
    iamPath: path,
    arn,
    trust: r.trust,
    nameField: 'roleName',
  };
  IdentityModel.of(scope).addRole(record);
  recordRoleConstruct(record, role);
  if (r.checkInlinePolicySize) {
    addFindingsValidation(scope, () => {
      const docs: unknown[] = Object.values(r.inlinePolicies ?? {}).map(d => stack.resolve(d.toJSON()));
      const def = role.node.tryFindChild('DefaultPolicy') as iam.Policy | undefined;
      if (def) docs.push(stack.resolve(def.document.toJSON()));
      return checkInlinePolicySize('inlinePolicies', docs.reduce<number>((n, d) => n + (d ? policyLength(d) : 0), 0));
    });
  }
  return arn;
}

function literal(v: string | undefined): string | undefined {
  return v === undefined || Token.isUnresolved(v) ? undefined : v;
}
