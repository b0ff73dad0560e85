/**
 * Rules of the Karpenter bundle (controller identity, node role, access entry, instance profile,
 * interruption queue). Pure: the construct and the spec binder pass literal values.
 */
import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'karpenter-queue-name',
    severity: 'error',
    checks: 'the interruption queue name is 1-80 letters, digits, hyphens and underscores (a standard queue: no .fifo)',
    why: 'SQS refuses other names at deploy; Karpenter reads a standard queue',
    source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-queues.html',
  },
  {
    code: 'karpenter-node-role-name',
    severity: 'error',
    checks: 'the node role name (default KarpenterNodeRole-<cluster>) is 1-64 characters of letters, digits and +=,.@_-',
    why: 'IAM refuses longer names; the EC2NodeClass names the role in spec.role, so the name is not cut silently',
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
  },
  {
    code: 'karpenter-instance-profile-name',
    severity: 'error',
    checks: 'the instance profile name is 1-128 characters of letters, digits and +=,.@_-',
    why: 'IAM refuses other names at deploy',
    source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html',
  },
  {
    code: 'karpenter-access-entry-type',
    severity: 'error',
    checks: 'the node role\'s access entry is EC2_LINUX or EC2_WINDOWS (EC2 with Auto Mode only)',
    why: 'nodes join with a node access entry type; EC2 is the Auto Mode type and takes AmazonEKSAutoNodePolicy',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  },
  {
    code: 'karpenter-auto-mode',
    severity: 'error',
    checks: 'with EKS Auto Mode, no interruption queue, no instance profile and no controller options',
    why: 'Auto Mode runs Karpenter itself (with the cluster role), handles interruptions, and makes the instance profiles of its NodeClasses',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html',
  },
  {
    code: 'karpenter-cluster-name',
    severity: 'error',
    checks: 'the cluster name is known at synth',
    why: 'Karpenter\'s policies name the cluster inside condition keys (aws:RequestTag/kubernetes.io/cluster/<name>), which CloudFormation cannot resolve',
    source: 'https://karpenter.sh/docs/reference/cloudformation/',
  },
];

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const IAM_NAME = /^[\w+=,.@-]+$/;

/** An SQS standard queue name. */
export function checkInterruptionQueueName(field: string, name: string, defaulted: boolean): Finding[] {
  if (QUEUE_NAME.test(name)) return [];
  const why = name.length > 80 ? `is ${name.length} characters; SQS queue names are at most 80` : 'is not a standard SQS queue name (letters, digits, - and _ only; no .fifo)';
  return [error('karpenter-queue-name', field, name, `${why}${defaulted ? ' (the default is the cluster name, as Karpenter\'s getting-started template names it)' : ''}`,
    defaulted ? 'set the interruption queue name to at most 80 letters, digits, - and _' : 'use at most 80 letters, digits, - and _')];
}

/** The node role name; `defaulted` when it is `KarpenterNodeRole-<cluster>`. */
export function checkNodeRoleName(field: string, name: string, defaulted: boolean): Finding[] {
  if (name.length >= 1 && name.length <= 64 && IAM_NAME.test(name)) return [];
  return [error('karpenter-node-role-name', field, name,
    name.length > 64 ? `is ${name.length} characters; IAM role names are at most 64${defaulted ? ' (the default is KarpenterNodeRole-<cluster>)' : ''}`
      : 'is not a valid IAM role name: 1-64 characters of letters, digits and +=,.@_-',
    defaulted ? 'set the node role name (the EC2NodeClass names it in spec.role)' : 'use at most 64 letters, digits and +=,.@_-')];
}

export function checkInstanceProfileName(field: string, name: string): Finding[] {
  if (name.length >= 1 && name.length <= 128 && IAM_NAME.test(name)) return [];
  return [error('karpenter-instance-profile-name', field, name, 'is not a valid instance profile name: 1-128 characters of letters, digits and +=,.@_-',
    'use at most 128 letters, digits and +=,.@_-')];
}

export const KARPENTER_NODE_TYPES = ['EC2_LINUX', 'EC2_WINDOWS'];

/** The access entry type of the node role. */
export function checkNodeAccessEntryType(field: string, type: string, autoMode: boolean): Finding[] {
  if (autoMode) {
    return type === 'EC2' ? [] : [error('karpenter-access-entry-type', field, type,
      'is not the access entry type of an EKS Auto Mode node role (EC2, with AmazonEKSAutoNodePolicy)', 'leave it out, or set EC2')];
  }
  if (KARPENTER_NODE_TYPES.includes(type)) return [];
  return [error('karpenter-access-entry-type', field, type,
    type === 'EC2' ? 'is the EKS Auto Mode node type; Karpenter nodes you run yourself join as EC2_LINUX or EC2_WINDOWS'
      : 'is not an access entry type of Karpenter nodes',
    type === 'EC2' ? 'set autoMode for an Auto Mode NodeClass role, or use EC2_LINUX' : 'use EC2_LINUX (the default) or EC2_WINDOWS')];
}

/** What Auto Mode does itself: the options that ask for it again are refused. */
export function checkAutoModeOptions(field: string, asked: { [option: string]: boolean }): Finding[] {
  return Object.entries(asked).filter(([, on]) => on).map(([option]) => error('karpenter-auto-mode', `${field}${field ? '.' : ''}${option}`, option,
    `is not used with EKS Auto Mode: ${AUTO_MODE_WHY[option] ?? 'Auto Mode runs Karpenter itself'}`,
    `remove ${option}, or turn autoMode off to run Karpenter yourself`));
}

const AUTO_MODE_WHY: { [option: string]: string } = {
  instanceProfile: 'Auto Mode makes the instance profile of a NodeClass role itself',
  interruptionQueue: 'Auto Mode handles Spot interruptions and rebalance recommendations itself',
  mechanism: 'Auto Mode runs the Karpenter controller itself, with the cluster role: there is no controller identity to create',
  version: 'Auto Mode runs the Karpenter controller itself: there is no controller policy version to choose',
};

/** The cluster name must be literal: the policies write it inside condition keys. */
export function checkClusterNameKnown(field: string, known: boolean): Finding[] {
  return known ? [] : [error('karpenter-cluster-name', field, '(unresolved)',
    'is not known at synth; Karpenter\'s policies name the cluster inside condition keys (aws:RequestTag/kubernetes.io/cluster/<name>), which CloudFormation cannot resolve',
    'give the cluster name as a literal (IdentityCluster.fromAttributes clusterName, or clusterName on the aws-eks-v2 Cluster)')];
}
