import { error, Finding, warning } from './finding';
import { checkLabelValue, checkNamespaceName, checkQualifiedName } from './k8s-names';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'fargate-selectors',
    severity: 'error',
    checks: 'a Fargate profile has at least one selector',
    why: 'a profile without selectors never schedules a pod',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html',
  },
  {
    code: 'fargate-selectors-per-profile',
    severity: 'error',
    checks: 'a Fargate profile has at most quotas.selectorsPerFargateProfile selectors (5 by default)',
    why: 'the EKS quota on selectors per profile',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html',
  },
  {
    code: 'fargate-selector-namespace',
    severity: 'error',
    checks: 'every Fargate selector names a namespace',
    why: 'EKS requires the namespace of every selector',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/fargate-profile.html',
  },
  {
    code: 'fargate-labels-per-selector',
    severity: 'error',
    checks: 'a Fargate selector has at most quotas.labelsPerFargateSelector label pairs (5 by default)',
    why: 'the EKS quota on labels per selector',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html',
  },
  {
    code: 'fargate-label-value',
    severity: 'error',
    checks: 'selector label values are non-empty strings',
    why: 'EKS needs a value for every selector label',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_FargateProfileSelector.html',
  },
  {
    code: 'ec2-subnet-id',
    severity: 'error',
    checks: 'subnet ids are subnet- followed by 8 or 17 hex digits',
    why: 'EC2 refuses any other subnet id at deploy',
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Subnet.html',
  },
  {
    code: 'ec2-subnet-id-duplicate',
    severity: 'error',
    checks: 'each subnet is listed once',
    why: 'the CloudFormation schema requires unique subnets',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateFargateProfile.html',
  },
  {
    code: 'fargate-profile-name-unique',
    severity: 'error',
    checks: 'Fargate profile names are unique per cluster',
    why: 'a second profile of the same name fails at deploy',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateFargateProfile.html',
  },
  {
    code: 'fargate-profiles-per-cluster',
    severity: 'warning',
    checks: 'at most 10 Fargate profiles per cluster',
    why: 'the default EKS quota on Fargate profiles per cluster (adjustable)',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html',
  },
  {
    code: 'fargate-pod-execution-role-permissions',
    severity: 'warning',
    checks: 'no application permissions on a Fargate pod execution role',
    why: 'containers never receive its credentials: only the kubelet and image pulls use it',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-execution-role.html',
  },
  {
    code: 'fargate-profile-name',
    severity: 'error',
    checks: 'a given Fargate profile name is not empty',
    why: 'EKS refuses an empty profile name',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateFargateProfile.html',
  },
];

/** The service that assumes a Fargate pod execution role. */
export const FARGATE_PODS_SERVICE = 'eks-fargate-pods.amazonaws.com';
/** The AWS-managed policy every pod execution role needs. */
export const FARGATE_POD_EXECUTION_POLICY = 'AmazonEKSFargatePodExecutionRolePolicy';
/** EKS default: Fargate profiles per cluster (adjustable). */
export const DEFAULT_PROFILES_PER_CLUSTER = 10;

/**
 * `arn:<partition>:eks:<region>:<account>:fargateprofile/<cluster>/*`: the `aws:SourceArn` the
 * pod execution role trusts. `region` and `cluster` may be `*` only when the caller widened them
 * explicitly.
 */
export function fargateProfileSourceArn(partition: string, region: string, account: string, clusterName: string): string {
  return `arn:${partition}:eks:${region}:${account}:fargateprofile/${clusterName}/*`;
}

/** The pod execution role trust policy as IAM stores it, for tests and length checks. */
export function podExecutionTrustPolicy(sourceArn: string): object {
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Service: FARGATE_PODS_SERVICE },
      Action: 'sts:AssumeRole',
      Condition: { ArnLike: { 'aws:SourceArn': sourceArn } },
    }],
  };
}

export interface FargateSelectorInput {
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
}

const WILDCARDS = /[*?]/g;
/** A wildcard pattern checked as the name it could match: `*` and `?` stand for one letter. */
const asName = (pattern: string) => pattern.replace(WILDCARDS, 'a');

/**
 * Selectors of one Fargate profile: 1..`maxSelectors` (5 by default, an adjustable quota), each
 * with a namespace (DNS-1123 label; `*` and `?` wildcards allowed) and at most `maxLabels` label
 * pairs (5 by default) whose keys and values follow the Kubernetes label rules (wildcards allowed).
 */
export function checkFargateSelectors(field: string, selectors: FargateSelectorInput[], maxSelectors: number, maxLabels: number): Finding[] {
  if (selectors.length === 0) {
    return [error('fargate-selectors', field, '[]',
      'is empty: a Fargate profile needs at least one selector, or no pod would ever run on it',
      'add a selector such as { namespace: default }')];
  }
  const out: Finding[] = [];
  if (selectors.length > maxSelectors) {
    out.push(error('fargate-selectors-per-profile', field, `${selectors.length} selectors`,
      `exceeds the ${maxSelectors} selectors a Fargate profile may have`,
      maxSelectors === 5
        ? 'split the selectors over several profiles, use namespace wildcards (prod-*), or raise the EKS quota and set quotas.selectorsPerFargateProfile'
        : 'split the selectors over several profiles, or raise the EKS quota and quotas.selectorsPerFargateProfile further'));
  }
  selectors.forEach((s, i) => {
    const f = `${field}[${i}]`;
    if (s.namespace === undefined || s.namespace === '') {
      out.push(error('fargate-selector-namespace', `${f}.namespace`, s.namespace,
        'is required: every Fargate selector must name a namespace',
        'set namespace (wildcards allowed: prod-*, team-?)'));
    } else {
      out.push(...checkNamespaceName(`${f}.namespace`, asName(s.namespace)).map(x => ({
        ...x,
        value: `'${s.namespace}'`,
        rule: `${x.rule}; '*' and '?' are the only wildcards`,
      })));
    }
    const labels = Object.entries(s.labels ?? {});
    if (labels.length > maxLabels) {
      out.push(error('fargate-labels-per-selector', `${f}.labels`, `${labels.length} labels`,
        `exceeds the ${maxLabels} label pairs a Fargate selector may have`,
        maxLabels === 5
          ? 'match on fewer labels, or raise the EKS quota and set quotas.labelsPerFargateSelector'
          : 'match on fewer labels, or raise the EKS quota and quotas.labelsPerFargateSelector further'));
    }
    for (const [k, v] of labels) {
      out.push(...checkQualifiedName(`${f}.labels.${k}`, asName(k), 'label').map(x => ({ ...x, value: `'${k}'` })));
      if (typeof v !== 'string' || v === '') {
        out.push(error('fargate-label-value', `${f}.labels.${k}`, v,
          'is not a non-empty string: EKS needs a value for every selector label',
          'quote the value in YAML, or drop the label'));
      } else {
        out.push(...checkLabelValue(`${f}.labels.${k}`, asName(v)).map(x => ({ ...x, value: `'${v}'` })));
      }
    }
  });
  return out;
}

/** Subnet ids as EC2 writes them: `subnet-` and 8 or 17 hex digits. */
export function checkSubnetIds(field: string, subnetIds: string[]): Finding[] {
  const out: Finding[] = [];
  subnetIds.forEach((id, i) => {
    if (!/^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) {
      out.push(error('ec2-subnet-id', `${field}[${i}]`, id, 'is not an EC2 subnet id',
        'use an id like subnet-0123456789abcdef0 (aws ec2 describe-subnets); Fargate takes private subnets only'));
    }
  });
  const dup = subnetIds.find((id, i) => subnetIds.indexOf(id) !== i);
  if (dup !== undefined) {
    out.push(error('ec2-subnet-id-duplicate', field, dup, 'is listed twice', 'list each subnet once'));
  }
  return out;
}

/** Glob match as Fargate selectors do it: `*` any run of characters, `?` exactly one. */
export function namespaceMatches(pattern: string, namespace: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(namespace);
}

export interface NamedProfile {
  readonly name: string;
  /** where the profile is declared (spec path or construct path) */
  readonly where: string;
}

/** Profile names are unique per cluster; EKS fails the second create. */
export function checkProfileNameUnique(field: string, name: string, existing?: string): Finding[] {
  if (existing === undefined) return [];
  return [error('fargate-profile-name-unique', field, name,
    `is already the name of the Fargate profile at ${existing}: profile names are unique per cluster`,
    'give each profile of the cluster its own name')];
}

/** 10 profiles per cluster by default (an adjustable EKS quota): a warning above it. */
export function checkProfileCount(field: string, count: number, limit: number = DEFAULT_PROFILES_PER_CLUSTER): Finding[] {
  if (count <= limit) return [];
  return [warning('fargate-profiles-per-cluster', field, `${count} profiles`,
    `exceeds the ${limit} Fargate profiles a cluster may have by default`,
    'merge selectors into fewer profiles, or request a higher Fargate profiles per cluster quota before deploying')];
}

/**
 * The pod execution role is for the kubelet and image pulls on Fargate; containers never get its
 * credentials. Application permissions belong on an IRSA or Pod Identity role.
 */
export function checkPodExecutionRolePermissions(field: string, extra: { statements: number; managedPolicies: string[] }): Finding[] {
  if (extra.statements === 0 && extra.managedPolicies.length === 0) return [];
  const what = [
    extra.statements ? `${extra.statements} statement${extra.statements === 1 ? '' : 's'}` : '',
    extra.managedPolicies.length ? `managed polic${extra.managedPolicies.length === 1 ? 'y' : 'ies'} ${extra.managedPolicies.join(', ')}` : '',
  ].filter(Boolean).join(' and ');
  return [warning('fargate-pod-execution-role-permissions', field, what,
    'were added to a Fargate pod execution role: containers never receive its credentials, only the kubelet and image pulls use it',
    'grant application permissions to a WorkloadIdentity (IRSA or Pod Identity) instead; acknowledge this warning if they are for Fargate logging or image pulls')];
}

const PROFILE_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

/**
 * A Fargate profile name: 1 to 100 letters, digits, '-' and '_', starting with a letter or digit,
 * and not starting with the prefix 'eks-' that EKS reserves.
 */
export function checkProfileName(field: string, name: string): Finding[] {
  if (name.length === 0) {
    return [error('fargate-profile-name', field, name, 'is empty', 'omit it for a generated name, or give a name')];
  }
  if (!PROFILE_NAME.test(name)) {
    return [error('fargate-profile-name', field, name,
      'is not a Fargate profile name: 1 to 100 letters, digits, \'-\' and \'_\', starting with a letter or digit',
      `use a name like '${name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[^0-9A-Za-z]+/, '').slice(0, 100) || 'default'}'`)];
  }
  if (name.startsWith('eks-')) {
    return [error('fargate-profile-name', field, name, 'starts with \'eks-\', a prefix EKS reserves for its own profiles',
      `use a name like '${name.slice(4) || 'default'}'`)];
  }
  return [];
}

