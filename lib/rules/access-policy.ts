import { takesAccessPolicies } from './access-entry-type';
import { error, Finding, warning } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'access-policy-name',
    severity: 'error',
    checks: 'an access policy name is one EKS defines (names are case-sensitive)',
    why: 'an unknown or misspelled policy name fails at deploy',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html',
  },
  {
    code: 'access-policy-service-linked-only',
    severity: 'error',
    checks: 'policies designated for service-linked roles only are not associated with customer roles',
    why: 'EKS refuses them on customer-managed roles (it associates them itself)',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html',
  },
  {
    code: 'access-policy-unknown',
    severity: 'warning',
    checks: 'an access policy name the user guide does not list',
    why: 'AWS adds policies over time, so an unlisted name may be new or a typo',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/access-policy-permissions.html',
  },
  {
    code: 'access-policy-arn',
    severity: 'error',
    checks: 'an access policy ARN has the form arn:<partition>:eks::aws:cluster-access-policy/<name>',
    why: 'an IAM policy ARN or any other ARN is not an EKS access policy',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html',
  },
  {
    code: 'access-policy-partition',
    severity: 'error',
    checks: 'the access policy ARN is in the cluster\'s partition',
    why: 'EKS cannot associate a policy of another partition',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html',
  },
  {
    code: 'access-scope-cluster-namespaces',
    severity: 'error',
    checks: 'a cluster scope has no namespaces',
    why: 'namespaces only mean something for a namespace scope',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_AccessScope.html',
  },
  {
    code: 'access-scope-namespaces-required',
    severity: 'error',
    checks: 'a namespace scope lists at least one namespace',
    why: 'EKS needs at least one namespace for a namespace scope',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_AccessScope.html',
  },
  {
    code: 'access-scope-namespace',
    severity: 'error',
    checks: 'scope namespaces are DNS-1123 labels, optionally ending in a * wildcard',
    why: 'EKS matches the scope against namespace names',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html',
  },
  {
    code: 'access-scope-namespace-duplicate',
    severity: 'error',
    checks: 'each namespace of a scope is listed once',
    why: 'the CloudFormation schema requires unique items',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_AccessScope.html',
  },
  {
    code: 'access-policy-type',
    severity: 'error',
    checks: 'access policies only on STANDARD and EC2 access entries',
    why: 'EKS grants node entries what they need and refuses policies on them',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  },
  {
    code: 'access-policy-count',
    severity: 'error',
    checks: 'at most 20 access policies per access entry',
    why: 'the EKS limit on access policies per entry',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html',
  },
  {
    code: 'access-policy-duplicate',
    severity: 'error',
    checks: 'each access policy is associated with an entry once',
    why: 'a policy is associated once per entry, with one scope',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html',
  },
];

/**
 * Every access policy the EKS User Guide documents ("Review access policy permissions",
 * access-policy-permissions), and whether it is "designated for AWS service-linked roles only and
 * cannot be used with customer-managed roles". AWS keeps adding policies: names outside this list
 * are a warning, not an error.
 */
export const KNOWN_ACCESS_POLICIES: Readonly<Record<string, { readonly serviceLinkedOnly: boolean }>> = {
  AmazonEKSAdminPolicy: { serviceLinkedOnly: false },
  AmazonEKSClusterAdminPolicy: { serviceLinkedOnly: false },
  AmazonEKSAdminViewPolicy: { serviceLinkedOnly: false },
  AmazonEKSEditPolicy: { serviceLinkedOnly: false },
  AmazonEKSViewPolicy: { serviceLinkedOnly: false },
  AmazonEKSSecretReaderPolicy: { serviceLinkedOnly: false },
  AmazonEKSAutoNodePolicy: { serviceLinkedOnly: false },
  AmazonEKSBlockStoragePolicy: { serviceLinkedOnly: true },
  AmazonEKSLoadBalancingPolicy: { serviceLinkedOnly: false },
  AmazonEKSNetworkingPolicy: { serviceLinkedOnly: false },
  AmazonEKSComputePolicy: { serviceLinkedOnly: true },
  AmazonEKSBlockStorageClusterPolicy: { serviceLinkedOnly: true },
  AmazonEKSComputeClusterPolicy: { serviceLinkedOnly: true },
  AmazonEKSLoadBalancingClusterPolicy: { serviceLinkedOnly: false },
  AmazonEKSNetworkingClusterPolicy: { serviceLinkedOnly: false },
  AmazonEKSHybridPolicy: { serviceLinkedOnly: true },
  AmazonEKSClusterInsightsPolicy: { serviceLinkedOnly: true },
  AWSBackupFullAccessPolicyForBackup: { serviceLinkedOnly: false },
  AWSBackupFullAccessPolicyForRestore: { serviceLinkedOnly: false },
  AmazonEKSACKPolicy: { serviceLinkedOnly: false },
  AmazonEKSArgoCDClusterPolicy: { serviceLinkedOnly: false },
  AmazonEKSArgoCDPolicy: { serviceLinkedOnly: false },
  AmazonEKSKROPolicy: { serviceLinkedOnly: false },
  // listed by `aws eks list-access-policies` on the same page
  AmazonAIOpsAssistantPolicy: { serviceLinkedOnly: false },
  AmazonARCRegionSwitchScalingPolicy: { serviceLinkedOnly: false },
};

export const MAX_ACCESS_POLICIES_PER_ENTRY = 20;

const PARTITION = '(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc)';
const NAME = '[\\w+=,.@-]{1,128}';
const POLICY_NAME = new RegExp(`^${NAME}$`);
const POLICY_ARN = new RegExp(`^arn:${PARTITION}:eks::aws:cluster-access-policy/(${NAME})$`);
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAMESPACE_WILDCARD = /^([a-z0-9][-a-z0-9]*)?\*$/;

/** `arn:<partition>:eks::aws:cluster-access-policy/<name>` */
export function accessPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:eks::aws:cluster-access-policy/${name}`;
}

/** Partition and name of a cluster access policy ARN; undefined when it is not one. */
export function parseAccessPolicyArn(arn: string): { partition: string; name: string } | undefined {
  const m = POLICY_ARN.exec(arn);
  return m ? { partition: m[1], name: m[2] } : undefined;
}

export function checkAccessPolicyName(field: string, name: string): Finding[] {
  if (!POLICY_NAME.test(name)) {
    return [error('access-policy-name', field, name, 'is not an access policy name',
      'use a name such as AmazonEKSViewPolicy, or the full arn:aws:eks::aws:cluster-access-policy/<name> ARN')];
  }
  const known = KNOWN_ACCESS_POLICIES[name];
  if (known?.serviceLinkedOnly) {
    return [error('access-policy-service-linked-only', field, name,
      'is designated for AWS service-linked roles only and cannot be used with customer-managed roles (EKS associates it itself)',
      'remove it; for people and applications use AmazonEKSViewPolicy, AmazonEKSEditPolicy, AmazonEKSAdminPolicy or AmazonEKSClusterAdminPolicy')];
  }
  if (!known) {
    const near = Object.keys(KNOWN_ACCESS_POLICIES).find(k => k.toLowerCase() === name.toLowerCase());
    if (near) {
      return [error('access-policy-name', field, name, 'is not an access policy: names are case-sensitive', `write '${near}'`)];
    }
    return [warning('access-policy-unknown', field, name,
      'is not an access policy the EKS user guide lists (AWS adds new ones, so this is not an error)',
      'check the name against aws eks list-access-policies; acknowledge this warning if it is listed there')];
  }
  return [];
}

/** A full policy ARN: the pattern, and the partition of the cluster when both are known. */
export function checkAccessPolicyArn(field: string, arn: string, clusterPartition?: string): Finding[] {
  const p = parseAccessPolicyArn(arn);
  if (!p) {
    return [error('access-policy-arn', field, arn, 'is not an EKS cluster access policy ARN',
      'use arn:<partition>:eks::aws:cluster-access-policy/<name> (not an IAM policy ARN), or just the name, e.g. AmazonEKSViewPolicy')];
  }
  if (clusterPartition !== undefined && p.partition !== clusterPartition) {
    return [error('access-policy-partition', field, arn, `is in partition ${p.partition}, but the cluster is in ${clusterPartition}`,
      `use ${accessPolicyArn(clusterPartition, p.name)}, or just the name ${p.name}`)];
  }
  return checkAccessPolicyName(field, p.name);
}

/**
 * Scope `cluster` (no namespaces) or `namespace` (at least one namespace; names are DNS-1123 labels,
 * and a trailing `*` matches a prefix, e.g. `dev-*`). Each namespace once.
 */
export function checkAccessScope(field: string, type: 'cluster' | 'namespace', namespaces: string[]): Finding[] {
  if (type === 'cluster') {
    return namespaces.length === 0 ? [] : [error('access-scope-cluster-namespaces', `${field}.namespaces`, namespaces,
      'are given for a cluster scope', 'use a namespace scope (AccessScope.namespaces(...)) or drop the namespaces')];
  }
  if (namespaces.length === 0) {
    return [error('access-scope-namespaces-required', `${field}.namespaces`, namespaces,
      'is a namespace scope without namespaces: EKS needs at least one',
      'list the namespaces (wildcards such as dev-* allowed), or omit namespaces for cluster scope')];
  }
  const findings: Finding[] = [];
  const seen = new Set<string>();
  namespaces.forEach((ns, i) => {
    const f = `${field}.namespaces[${i}]`;
    if (ns.length > 63 || !(NAMESPACE.test(ns) || NAMESPACE_WILDCARD.test(ns))) {
      findings.push(error('access-scope-namespace', f, ns,
        'is not a namespace: a DNS-1123 label (lower-case letters, digits and \'-\', at most 63 characters), optionally ending in a \'*\' wildcard',
        'use a namespace like \'team-a\', or a prefix wildcard like \'dev-*\''));
    } else if (seen.has(ns)) {
      findings.push(error('access-scope-namespace-duplicate', f, ns, 'is listed twice', 'list each namespace once'));
    }
    seen.add(ns);
  });
  return findings;
}

/** One policy of an entry, as the rules see it. */
export interface AccessPolicyInput {
  /** The policy name, when known (from a name, or parsed from a literal ARN). */
  readonly name?: string;
  /** The literal ARN, when the policy was given as one. */
  readonly arn?: string;
  readonly scopeType: 'cluster' | 'namespace';
  /** The namespaces; undefined when they are not known (tokens): the scope is not checked then. */
  readonly namespaces?: string[];
}

/**
 * The policies of one entry: allowed on STANDARD and EC2 only; each policy once; at most 20; each
 * name or ARN and scope valid; service-linked-only policies refused. `scopeField` names the scope of
 * a policy (`accessPolicies[0].scope`; a spec writes the namespaces on the policy itself).
 */
export function checkAccessPolicies(field: string, policies: AccessPolicyInput[], type: string, clusterPartition?: string,
  scopeField: (policyField: string) => string = f => `${f}.scope`): Finding[] {
  if (policies.length === 0) return [];
  if (!takesAccessPolicies(type)) {
    return [error('access-policy-type', field, policies.map(p => p.name ?? p.arn ?? '(token)'),
      `are set on a ${type} access entry: access policies can be associated with STANDARD and EC2 entries only (EKS grants node entries what they need)`,
      'remove accessPolicies, or use type STANDARD')];
  }
  const findings: Finding[] = [];
  if (policies.length > MAX_ACCESS_POLICIES_PER_ENTRY) {
    findings.push(error('access-policy-count', field, `${policies.length} policies`,
      `exceeds the ${MAX_ACCESS_POLICIES_PER_ENTRY} access policies one access entry can have`,
      'keep at most 20, or grant the rest through kubernetesGroups and RBAC'));
  }
  const seen = new Map<string, number>();
  policies.forEach((p, i) => {
    const f = `${field}[${i}]`;
    if (p.arn !== undefined) findings.push(...checkAccessPolicyArn(`${f}.policy`, p.arn, clusterPartition));
    else if (p.name !== undefined) findings.push(...checkAccessPolicyName(`${f}.policy`, p.name));
    if (p.namespaces !== undefined) findings.push(...checkAccessScope(scopeField(f), p.scopeType, p.namespaces));
    if (p.name !== undefined) {
      const first = seen.get(p.name);
      if (first !== undefined) {
        findings.push(error('access-policy-duplicate', `${f}.policy`, p.name,
          `is already associated as ${field}[${first}]: each access policy can be associated with an entry once`,
          'merge the two into one association (one scope per policy: list all the namespaces there)'));
      } else {
        seen.set(p.name, i);
      }
    }
  });
  return findings;
}
