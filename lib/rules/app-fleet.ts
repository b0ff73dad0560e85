import { editDistance } from './edit-distance';
import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

const FLEET_DOC = 'observed: the spec refers to clusters by name (docs/fleet.md); an ambiguous or unknown name has no cluster to build for';

export const RULES: RuleMeta[] = [
  { code: 'fleet-cluster-duplicate', severity: 'error', checks: 'cluster names are unique in a fleet spec', why: 'service accounts and access entries name their clusters: two clusters of one name make the reference ambiguous', source: FLEET_DOC },
  { code: 'fleet-cluster-unknown', severity: 'error', checks: 'a workload or access entry names only clusters of the spec', why: 'a misspelt cluster name would silently leave the workload off the cluster it was meant for', source: FLEET_DOC },
  { code: 'fleet-key-per-cluster', severity: 'error', checks: 'a fleet spec holds no single-cluster section at its top (oidcProvider, fargate, manifests.subnetIds, manifests.securityGroupIds): they go to clusters[]', why: 'these sections describe one cluster (its provider ARN, its subnets, its VPC): in a fleet they belong to one cluster, not all', source: FLEET_DOC },
  { code: 'fleet-role-account', severity: 'error', checks: 'role.account is set only where a role can live in another account: IRSA with the cluster\'s issuer known', why: 'a role in another account is reached through the cluster\'s OIDC provider created in that account (IRSA); Pod Identity roles live in the cluster\'s account and chain through podIdentity.targetRoleArn', source: 'https://docs.aws.amazon.com/eks/latest/userguide/cross-account-access.html' },
  { code: 'fleet-role-partition', severity: 'error', checks: 'a shared role and the clusters it trusts are in one partition', why: 'IAM roles and OIDC providers belong to one partition: a role in aws cannot trust a provider in aws-cn', source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html' },
  { code: 'fleet-trust-length', severity: 'error', checks: 'a role shared by several clusters fits its trust statements (one per cluster issuer) in the trust policy length quota', why: 'IAM refuses a trust policy above the quota (2,048 characters by default, 4,096 at most)', source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html' },
  { code: 'fleet-issuer-shared', severity: 'error', checks: 'each cluster of a fleet has its own OIDC issuer URL', why: 'an EKS issuer URL belongs to exactly one cluster: two clusters with one issuer are one cluster listed twice (or a copy-paste)', source: 'https://docs.aws.amazon.com/eks/latest/userguide/enable-iam-roles-for-service-accounts.html' },
  { code: 'fleet-access-entry-duplicate', severity: 'error', checks: 'one access entry per (cluster, principal) among the entries of a fleet spec (across stacks and specs: access-entry-duplicate-principal)', why: 'EKS allows one access entry per principal on a cluster: the second create fails with ResourceInUseException', source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html' },
  { code: 'fleet-service-account-duplicate', severity: 'error', checks: 'one ServiceAccount per (cluster, namespace, name) among the entries of a fleet spec (across stacks and specs: k8s-object-duplicate)', why: 'two entries would write two objects of one name to one cluster: the later silently replaces the earlier', source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/' },
];

/** A cluster name declared twice. */
export function checkClusterUnique(field: string, name: string, firstAt: string | undefined): Finding[] {
  if (firstAt === undefined) return [];
  return [error('fleet-cluster-duplicate', field, name, `is already the name of ${firstAt}: cluster names are unique in a spec`, 'give each cluster its own name')];
}

/** A cluster reference that names no cluster of the spec (with a did-you-mean). */
export function checkClusterKnown(field: string, name: string, known: string[]): Finding[] {
  if (known.includes(name)) return [];
  const near = known.filter(k => editDistance(k.toLowerCase(), name.toLowerCase()) <= 2);
  return [error('fleet-cluster-unknown', field, name, 'is not a cluster of the spec',
    near.length > 0 ? `did you mean ${near.map(k => `'${k}'`).join(' or ')}? clusters: ${known.join(', ')}` : `name one of the spec's clusters: ${known.join(', ')}`)];
}

/** A single-cluster section in a fleet spec. */
export function checkFleetKey(field: string, value: unknown, fix: string): Finding[] {
  return [error('fleet-key-per-cluster', field, value, 'describes one cluster and is not supported in a fleet spec (clusters:)', fix)];
}

/** role.account where no role can be placed there. */
export function checkRoleAccount(field: string, account: string, why: 'podIdentity' | 'no-issuer' | 'single', cluster: string): Finding[] {
  const rule = {
    'podIdentity': 'is set on a podIdentity service account: Pod Identity roles live in the cluster\'s account',
    'no-issuer': `places the role outside cluster '${cluster}''s account, but the cluster has no oidcIssuerUrl: there is no OIDC provider to create in that account`,
    'single': `is not cluster '${cluster}''s account: a role in another account needs a fleet (clusters:) so its account gets the cluster's OIDC provider`,
  }[why];
  const fix = {
    'podIdentity': 'remove role.account and chain to the other account with podIdentity.targetRoleArn',
    'no-issuer': `set clusters[].oidcIssuerUrl of '${cluster}' (aws eks describe-cluster --query cluster.identity.oidc.issuer), or remove role.account`,
    'single': 'write the spec as clusters: [...] (docs/fleet.md), or remove role.account',
  }[why];
  return [error('fleet-role-account', field, account, rule, fix)];
}

/** A role trusted by clusters of another partition than its own. */
export function checkRolePartition(field: string, rolePartition: string, cluster: string, clusterPartition: string): Finding[] {
  if (rolePartition === clusterPartition) return [];
  return [error('fleet-role-partition', field, cluster, `is in partition ${clusterPartition}, the role in ${rolePartition}: a role cannot trust an OIDC provider of another partition`,
    'list the clusters of each partition in service accounts of their own (serviceAccounts[].clusters), or set role.account to an account of the cluster\'s partition')];
}

/** A shared role whose trust (one statement per cluster issuer) exceeds the quota. */
export function checkSharedTrustLength(field: string, length: number, limit: number, clusters: string[]): Finding[] {
  if (length <= limit) return [];
  return [error('fleet-trust-length', field, `${length} characters`,
    `is the trust policy of the role shared by clusters ${clusters.join(', ')} (one statement per cluster issuer): above the quota of ${limit} characters`,
    'split by cluster: give the service account one entry per group of clusters (serviceAccounts[].clusters), or raise the IAM quota and set quotas.trustPolicyLength (up to 4096)')];
}

/** Two clusters with one issuer URL. */
export function checkIssuerShared(field: string, issuer: string, firstAt: string | undefined): Finding[] {
  if (firstAt === undefined) return [];
  return [error('fleet-issuer-shared', field, issuer, `is also the issuer of ${firstAt}: an issuer URL belongs to one cluster`,
    'copy each cluster\'s own issuer (aws eks describe-cluster --query cluster.identity.oidc.issuer)')];
}

/** A (cluster, principal) with two access entries. */
export function checkFleetAccessEntry(field: string, key: string, firstAt: string | undefined): Finding[] {
  if (firstAt === undefined) return [];
  return [error('fleet-access-entry-duplicate', field, key, `is already given an access entry by ${firstAt}: one access entry per cluster and principal`,
    'merge the two entries, or narrow their clusters so they do not overlap')];
}

/** A (cluster, namespace, name) declared twice. */
export function checkFleetServiceAccount(field: string, key: string, firstAt: string | undefined): Finding[] {
  if (firstAt === undefined) return [];
  return [error('fleet-service-account-duplicate', field, key, `is already declared by ${firstAt} on the same cluster`,
    'merge the two entries, or narrow their clusters so they do not overlap')];
}
