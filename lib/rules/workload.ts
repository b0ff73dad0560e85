import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'identity-mechanism',
    severity: 'error',
    checks: 'the identity mechanism is IRSA or Pod Identity',
    why: 'EKS gives pods AWS credentials through IAM roles for service accounts or through EKS Pod Identity; any other value picks neither',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/service-accounts.html',
  },
  {
    code: 'role-conflict',
    severity: 'error',
    checks: 'existingRoleArn is not combined with options that shape a created role',
    why: 'options such as roleName or managedPolicies would be silently ignored for a role that already exists',
    source: 'observed: the options apply only to a role the library creates',
  },
  {
    code: 'irsa-subjects-empty',
    severity: 'error',
    checks: 'an IRSA role trusts at least one service account',
    why: 'the trust policy lists the system:serviceaccount:<namespace>:<name> subjects allowed to assume the role: with none, no pod can ever assume it',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'irsa-role-arn-literal',
    severity: 'error',
    checks: 'the eks.amazonaws.com/role-arn annotation gets a literal role ARN (account, partition, path and name known at synth)',
    why: 'the ServiceAccount manifest is written at synth; the pod identity webhook only warns on a bad ARN and the pods silently get no role',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
];

/** The mechanism must be one of `known` (the enum's values). */
export function checkMechanism(field: string, mechanism: string, known: string[]): Finding[] {
  return known.includes(mechanism) ? [] : [error('identity-mechanism', field, mechanism,
    'is not an identity mechanism', 'use IdentityMechanism.IRSA or IdentityMechanism.POD_IDENTITY')];
}

/** `existingRoleArn` brings a role: options that shape a created role would be ignored. */
export function checkExistingRoleOptions(field: string, existingRoleArn: string | undefined, hasRoleOptions: boolean): Finding[] {
  if (existingRoleArn === undefined || !hasRoleOptions) return [];
  return [error('role-conflict', field, existingRoleArn,
    'is set together with options that shape a created role (roleName, managedPolicies, ...)',
    'either bring your own role with existingRoleArn, or let one be created: not both')];
}

/** An IRSA role needs at least one subject. */
export function checkSubjectCount(field: string, count: number): Finding[] {
  return count > 0 ? [] : [error('irsa-subjects-empty', field, [],
    'is empty: a role with no subject can never be assumed', 'list at least one { namespace, serviceAccountName }')];
}

/** Which part of the role ARN is not known at synth. */
export type RoleArnPart = 'account' | 'region' | 'roleName' | 'existingRoleArn';

const UNKNOWN: Record<RoleArnPart, { field: string; rule: string; fix: string }> = {
  account: {
    field: 'cluster.account',
    rule: 'is not known at synth, but the eks.amazonaws.com/role-arn annotation needs a literal role ARN',
    fix: 'set account (and region) on the cluster reference, or give the stack an explicit env',
  },
  roleName: {
    field: 'roleName',
    rule: 'is not known at synth, but the eks.amazonaws.com/role-arn annotation needs a literal role ARN',
    fix: 'set roleName, or give the cluster reference a literal clusterName (IdentityCluster.fromCluster(..., { clusterName })) so the default name can be computed',
  },
  region: {
    field: 'cluster.region',
    rule: 'is not known at synth, so the partition of the role ARN is unknown',
    fix: 'set region on the cluster reference, or give the stack an explicit env',
  },
  existingRoleArn: {
    field: 'existingRoleArn',
    rule: 'is not known at synth, but the eks.amazonaws.com/role-arn annotation needs a literal ARN',
    fix: 'pass the role ARN as a literal string',
  },
};

/** The role-arn annotation needs every part of the ARN at synth: `known` is false for a token. */
export function checkRoleArnPartKnown(part: RoleArnPart, known: boolean): Finding[] {
  if (known) return [];
  const u = UNKNOWN[part];
  return [{ ...error('irsa-role-arn-literal', u.field, undefined, u.rule, u.fix), value: '(unresolved token)' }];
}
