import * as iam from 'aws-cdk-lib/aws-iam';
import { MapSection, sortBy } from './section';
import type { RoleRow } from './types';

const WILDCARD = /[*?]/;

const ASSUMED_BY: Record<string, string> = {
  podIdentity: 'pods.eks.amazonaws.com (Pod Identity associations)',
  fargate: 'eks-fargate-pods.amazonaws.com (Fargate profiles)',
};

/**
 * Every role the library creates for workloads (`ServiceAccountRole`, `PodIdentityRole`,
 * `PodExecutionRole`), who may assume it (the trust as the app-wide model records it) and its
 * policies. An IRSA subject with `*` or `?` is matched with `StringLike`: the role is marked wildcard.
 */
export const ROLES: MapSection<RoleRow> = {
  key: 'roles',
  title: 'Roles',
  build: ctx => sortBy(ctx.slice.roles.map(r => {
    const role = ctx.records.role(r);
    const scope = () => role ?? ctx.find(r.path) ?? ctx.stack;
    const subjects = r.trust.subjects?.map(s => ({
      issuer: s.issuer ?? '<issuer known at deploy>',
      namespace: s.namespace,
      serviceAccount: s.serviceAccount,
      sub: `system:serviceaccount:${s.namespace}:${s.serviceAccount}`,
    }));
    return {
      path: r.path,
      mechanism: r.trust.mechanism,
      name: r.name ?? ctx.text(scope(), (role as iam.IRole | undefined)?.roleName),
      arn: r.arn ?? ctx.text(scope(), (role as iam.IRole | undefined)?.roleArn),
      ...(subjects !== undefined ? { subjects: subjects.length > 1 ? sortBy(subjects, s => `${s.issuer}|${s.sub}`) : subjects, wildcard: subjects.some(s => WILDCARD.test(s.serviceAccount)) } : {}),
      ...(r.trust.providerArns && r.trust.providerArns.length > 0 ? { providerArns: [...new Set(r.trust.providerArns)].sort() } : {}),
      policies: ctx.policiesOf(role),
    };
  }), r => `${r.arn}|${r.path}`),
  columns: [
    ['Role', r => r.name],
    ['ARN', r => r.arn],
    ['Mechanism', r => r.mechanism],
    ['Assumed by', r => (r.subjects ? r.subjects.map(s => s.sub).join(', ') || '(nobody)' : ASSUMED_BY[r.mechanism] ?? '')],
    ['Wildcard', r => (r.wildcard ? 'yes: StringLike on sub, every matching service account' : r.subjects ? 'no' : '')],
    ['Policies', r => r.policies.join('; ') || '(none)'],
  ],
};
