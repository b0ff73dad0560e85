import { AppFinding, AppModelData, at, groupBy, RoleRecord, ServiceAccountRecord, TrustMechanism } from './app-model';
import { parseRoleArn } from './arns';
import { namespaceMatches } from './fargate';
import { error } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'iam-role-name-unique',
    severity: 'error',
    checks: 'the roles the app creates have distinct names per account, ignoring case',
    why: 'IAM role names are unique per account regardless of case and path: the second create fails with EntityAlreadyExists',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names',
  },
  {
    code: 'iam-role-name-imported',
    severity: 'error',
    checks: 'a role the app creates is not named like a role the app imports as already existing',
    why: 'the imported role exists, so creating a role of the same name (ignoring case) in that account fails with EntityAlreadyExists',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names',
  },
  {
    code: 'existing-role-trust',
    severity: 'error',
    checks: 'an existingRoleArn naming a role of this app is trusted by this service account and mechanism',
    why: 'the role\'s trust policy decides who may assume it: a role trusting another service account, Fargate or the other mechanism gives the pods no credentials',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
];

const WHAT: Record<TrustMechanism, string> = {
  irsa: 'an IRSA role',
  podIdentity: 'a Pod Identity role (trusted by pods.eks.amazonaws.com)',
  fargate: 'a Fargate pod execution role (trusted by eks-fargate-pods.amazonaws.com)',
  other: 'a role',
};

/** Created roles with one name (ignoring case) in one account: every one after the first is an error. */
export function checkRoleNamesUnique(m: AppModelData): AppFinding[] {
  const out: AppFinding[] = [];
  for (const list of groupBy(m.roles, r => (r.name === undefined ? undefined : `${r.accountKey}|${r.name.toLowerCase()}`)).values()) {
    for (const r of list.slice(1)) {
      out.push(...at(r.path, [error('iam-role-name-unique', r.nameField, r.name,
        `is already used by ${list[0].path}: IAM role names are unique per account, ignoring case`,
        'give one of the roles another name (or roleNamePrefix), or use one role for both')]));
    }
  }
  return out;
}

/**
 * A created role named like an imported one (same account, same name ignoring case, but not the
 * same ARN: the app says that role already exists, so it is another role).
 */
export function checkRoleNamesImported(m: AppModelData): AppFinding[] {
  const created = groupBy(m.roles, r => (r.name === undefined || r.account === undefined ? undefined : `${r.account}|${r.name.toLowerCase()}`));
  const out: AppFinding[] = [];
  const seen = new Set<string>();
  // a role the app imports by the ARN of a role it creates (a fleet's shared role) is not an
  // existing one: two created roles of one name are iam-role-name-unique's
  const createdArns = new Set(m.roles.map(r => r.arn).filter(a => a !== undefined));
  for (const imp of m.importedRoles) {
    const parsed = parseRoleArn(imp.arn);
    if (!parsed || createdArns.has(imp.arn)) continue;
    for (const r of created.get(`${parsed.account}|${parsed.roleName.toLowerCase()}`) ?? []) {
      if (r.arn === imp.arn || seen.has(`${r.path}|${imp.arn}`)) continue;
      seen.add(`${r.path}|${imp.arn}`);
      out.push(...at(r.path, [error('iam-role-name-imported', r.nameField, r.name,
        `is the name of ${imp.arn}, which ${imp.path} uses as an existing role (${imp.field}): IAM role names are unique per account, ignoring case, so creating this role fails with EntityAlreadyExists`,
        `give the created role another name, or use the existing role (${imp.field} ${r.arn ?? 'with the created role\'s exact ARN'})`)]));
    }
  }
  return out;
}

/** Glob match of an IRSA subject (`StringLike` with `*` and `?`). */
function admits(r: RoleRecord, sa: ServiceAccountRecord): boolean {
  return (r.trust.subjects ?? []).some(s => (s.issuer === undefined || sa.issuer === undefined || s.issuer === sa.issuer)
    && s.namespace === sa.namespace && namespaceMatches(s.serviceAccount, sa.name));
}

/** existingRoleArn naming a role this app creates: its trust must admit this service account and mechanism. */
export function checkExistingRoleTrust(m: AppModelData): AppFinding[] {
  const byArn = groupBy(m.roles, r => r.arn);
  const out: AppFinding[] = [];
  for (const sa of m.serviceAccounts) {
    if (!sa.existingRole || sa.roleArn === undefined) continue;
    const role = byArn.get(sa.roleArn)?.[0];
    if (!role || role.trust.mechanism === 'other') continue;
    const who = `${sa.namespace}/${sa.name}`;
    if (role.trust.mechanism !== sa.mechanism) {
      out.push(...at(sa.path, [error('existing-role-trust', 'existingRoleArn', sa.roleArn,
        `is ${WHAT[role.trust.mechanism]} created by ${role.path}, but service account ${who} uses ${sa.mechanism === 'irsa' ? 'IRSA' : 'Pod Identity'}: its trust policy does not admit it, so the pods get no credentials`,
        sa.mechanism === 'irsa' ? 'use an IRSA role that trusts this service account, or omit existingRoleArn to create one'
          : 'use a role trusted by pods.eks.amazonaws.com (PodIdentityRole), or omit existingRoleArn to create one')]));
    } else if (sa.mechanism === 'irsa' && !admits(role, sa)) {
      const subjects = (role.trust.subjects ?? []).map(s => `${s.namespace}/${s.serviceAccount}`).join(', ');
      out.push(...at(sa.path, [error('existing-role-trust', 'existingRoleArn', sa.roleArn,
        `is the IRSA role of ${subjects} (${role.path}): its trust policy does not admit service account ${who}${sa.issuer ? ` of issuer ${sa.issuer}` : ''}, so AssumeRoleWithWebIdentity is denied`,
        `add ${who} to that role's subjects (ServiceAccountRole with several subjects), or omit existingRoleArn to create a role for it`)]));
    }
  }
  return out;
}
