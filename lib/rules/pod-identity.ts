import { parseRoleArn } from './arns';
import { namespaceMatches } from './fargate';
import { error, Finding, warning } from './finding';
import { policyLength } from './iam-role';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'pod-identity-irsa-option',
    severity: 'error',
    checks: 'no IRSA option (audience, token expiration, STS regional endpoints) on a Pod Identity service account',
    why: 'Pod Identity reads no eks.amazonaws.com/* annotation: the options would be silently ignored',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html',
  },
  {
    code: 'pod-identity-options-on-irsa',
    severity: 'error',
    checks: 'Pod Identity options only on Pod Identity service accounts',
    why: 'an IRSA service account has no association to carry them',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html',
  },
  {
    code: 'pod-identity-session-policy-tags',
    severity: 'error',
    checks: 'a session policy comes with disableSessionTags: true',
    why: 'EKS refuses a session policy while session tags are on',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreatePodIdentityAssociation.html',
  },
  {
    code: 'pod-identity-session-policy-length',
    severity: 'error',
    checks: 'a session policy is at most 2,048 characters',
    why: 'STS refuses longer session policies',
    source: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html',
  },
  {
    code: 'pod-identity-role-account',
    severity: 'error',
    checks: 'the association\'s role is in the cluster\'s account',
    why: 'EKS Pod Identity takes roles of the cluster\'s account; other accounts go through targetRoleArn',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-assign-target-role.html',
  },
  {
    code: 'pod-identity-target-role',
    severity: 'error',
    checks: 'the target role is not the association\'s own role',
    why: 'the target role is assumed with the association role\'s credentials, so it must be another role',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-assign-target-role.html',
  },
  {
    code: 'pod-identity-association-unique',
    severity: 'error',
    checks: 'one Pod Identity association per cluster, namespace and service account',
    why: 'EKS allows one association per service account',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html',
  },
  {
    code: 'pod-identity-associations-per-cluster',
    severity: 'error',
    checks: 'at most 5,000 Pod Identity associations per cluster',
    why: 'the EKS quota on associations per cluster',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html',
  },
  {
    code: 'pod-identity-on-fargate',
    severity: 'error',
    checks: 'no Pod Identity service account in a namespace a Fargate profile takes (a warning when the selector has labels)',
    why: 'EKS Pod Identity does not work for pods on Fargate',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html',
  },
];

/** The service that assumes Pod Identity roles. */
export const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';
/** Pod Identity assumes the role and tags the session: both actions are needed. */
export const POD_IDENTITY_ACTIONS = ['sts:AssumeRole', 'sts:TagSession'];
/** The EKS add-on that serves Pod Identity credentials on the nodes. */
export const POD_IDENTITY_AGENT_ADDON = 'eks-pod-identity-agent';
/** EKS quota: Pod Identity associations per cluster. */
export const MAX_ASSOCIATIONS_PER_CLUSTER = 5000;
/** STS: the plaintext of a session policy is at most 2,048 characters. */
export const MAX_SESSION_POLICY_CHARS = 2048;

/** The Pod Identity trust policy as IAM stores it. */
export function podIdentityTrustPolicy(): object {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: POD_IDENTITY_SERVICE }, Action: POD_IDENTITY_ACTIONS }],
  };
}

/** The options only IRSA reads (the webhook's annotations), as set on a Pod Identity service account. */
export interface IrsaOnlyOptions {
  readonly audience?: unknown;
  readonly tokenExpiration?: unknown;
  readonly stsRegionalEndpoints?: unknown;
}

/**
 * IRSA-only keys on a Pod Identity service account: Pod Identity writes no annotation, so they
 * would be silently ignored. `names` maps each option to the field name the caller reports.
 */
export function checkIrsaOnlyOptions(options: IrsaOnlyOptions, names: Partial<Record<keyof IrsaOnlyOptions, string>> = {}): Finding[] {
  return (Object.keys(options) as Array<keyof IrsaOnlyOptions>)
    .filter(k => options[k] !== undefined)
    .map(k => error('pod-identity-irsa-option', names[k] ?? k, options[k],
      'is an IRSA option (an eks.amazonaws.com/* annotation), but this service account uses Pod Identity, which reads no annotation',
      'remove it, or use mechanism irsa'));
}

/** `podIdentity` options on an IRSA service account would be silently ignored. */
export function checkPodIdentityOptionsOnIrsa(field: string, present: boolean): Finding[] {
  return present ? [error('pod-identity-options-on-irsa', field, 'set',
    'only applies to Pod Identity, but this service account uses IRSA',
    'set mechanism: podIdentity (IdentityMechanism.POD_IDENTITY), or remove it')] : [];
}

/** A session policy needs `disableSessionTags: true` (EKS API). */
export function checkSessionPolicyTags(field: string, hasSessionPolicy: boolean, disableSessionTags: boolean | undefined): Finding[] {
  if (!hasSessionPolicy || disableSessionTags === true) return [];
  return [error('pod-identity-session-policy-tags', field, disableSessionTags,
    'must be true when a session policy is set: EKS refuses a session policy while session tags are on',
    'set disableSessionTags: true (conditions on the kubernetes-* session tags then stop matching), or drop the session policy')];
}

/** STS limits the plaintext of a session policy to 2,048 characters. */
export function checkSessionPolicyLength(field: string, doc: unknown): Finding[] {
  const n = policyLength(doc);
  return n > MAX_SESSION_POLICY_CHARS ? [error('pod-identity-session-policy-length', field, `${n} characters`,
    `exceeds the ${MAX_SESSION_POLICY_CHARS} characters STS accepts for a session policy`,
    'shorten it (wildcards in actions and resources), or put the restriction in the role\'s own policies')] : [];
}

/**
 * The association's role must live in the cluster's account (EKS passes it with iam:PassRole);
 * roles of other accounts are reached through `targetRoleArn`.
 */
export function checkAssociationRoleAccount(field: string, roleArn: string, clusterAccount: string): Finding[] {
  const parsed = parseRoleArn(roleArn);
  if (!parsed || parsed.account === clusterAccount) return [];
  return [error('pod-identity-role-account', field, roleArn,
    `is in account ${parsed.account}, but a Pod Identity association's role must be in the cluster's account ${clusterAccount}`,
    'use a role of the cluster\'s account and put the other account\'s role in podIdentity.targetRoleArn (role chaining)')];
}

/** A target role equal to the association role is a pointless second AssumeRole. */
export function checkTargetRole(field: string, targetRoleArn: string, roleArn?: string): Finding[] {
  return roleArn !== undefined && targetRoleArn === roleArn ? [error('pod-identity-target-role', field, targetRoleArn,
    'is the association\'s own role: the target role is assumed with that role\'s credentials, so it must be another role',
    'remove targetRoleArn, or name the role of the other account')] : [];
}

export interface AssociationKey {
  readonly cluster: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** One association per (cluster, namespace, service account): EKS refuses the second one. */
export function checkAssociationUnique(field: string, key: AssociationKey, existing?: string): Finding[] {
  if (existing === undefined) return [];
  return [error('pod-identity-association-unique', field, `${key.namespace}/${key.serviceAccount}`,
    `already has a Pod Identity association on cluster ${key.cluster} (${existing}): EKS allows one per service account`,
    'keep one association; several workloads can share one service account and so one role')];
}

/** 5,000 associations per cluster. */
export function checkAssociationCount(field: string, count: number): Finding[] {
  return count > MAX_ASSOCIATIONS_PER_CLUSTER ? [error('pod-identity-associations-per-cluster', field, `${count} associations`,
    `exceed the ${MAX_ASSOCIATIONS_PER_CLUSTER} Pod Identity associations a cluster may have`,
    'share service accounts between workloads, or spread them over clusters')] : [];
}

export interface FargateSelectorRef {
  readonly namespace: string;
  readonly labels?: Record<string, string>;
  /** where it is declared, for the message: `Fargate profile 'web' selector 0` */
  readonly where: string;
}

/**
 * Pod Identity does not work for pods on Fargate. A label-less selector whose namespace pattern
 * matches sends every pod of the namespace to Fargate: error. A selector with labels sends only
 * some pods there: warning.
 */
export function checkPodIdentityOnFargate(field: string, namespace: string, selectors: FargateSelectorRef[]): Finding[] {
  const matching = selectors.filter(s => namespaceMatches(s.namespace, namespace));
  const all = matching.find(s => Object.keys(s.labels ?? {}).length === 0);
  if (all) {
    return [error('pod-identity-on-fargate', field, namespace,
      `is matched by ${all.where} (namespace '${all.namespace}', no labels): every pod of the namespace runs on Fargate, where EKS Pod Identity does not work`,
      'use mechanism irsa for this service account, or narrow the Fargate selector (other namespace, or labels the pods of this service account do not carry)')];
  }
  return matching.map(s => warning('pod-identity-on-fargate', field, namespace,
    `is matched by ${s.where} (namespace '${s.namespace}', labels ${JSON.stringify(s.labels)}): pods carrying those labels run on Fargate, where EKS Pod Identity does not work`,
    'make sure pods of this service account do not carry those labels, or use mechanism irsa'));
}
