import { parseKubernetesVersion } from './annotations';
import { parseRoleArn } from './arns';
import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'manifests-apply-only',
    severity: 'error',
    checks: 'kubectl options are given only with manifests.apply: true',
    why: 'without in-stack apply nothing runs kubectl and the options would be silently ignored',
    source: 'https://docs.aws.amazon.com/cdk/api/v2/docs/aws-eks-v2-readme.html',
  },
  {
    code: 'manifests-kubectl-role',
    severity: 'error',
    checks: 'in-stack apply has a kubectl role ARN',
    why: 'the kubectl Lambda function needs an execution role with cluster-admin access on the cluster',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html',
  },
  {
    code: 'manifests-kubectl-role-account',
    severity: 'error',
    checks: 'the kubectl role is in the cluster\'s account',
    why: 'a Lambda execution role must be in the function\'s account',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html',
  },
  {
    code: 'manifests-kubernetes-version',
    severity: 'error',
    checks: 'in-stack apply knows the cluster\'s Kubernetes version',
    why: 'the version picks the kubectl layer (@aws-cdk/lambda-layer-kubectl-v<minor>)',
    source: 'https://docs.aws.amazon.com/cdk/api/v2/docs/aws-eks-v2-readme.html',
  },
  {
    code: 'ec2-security-group-id',
    severity: 'error',
    checks: 'security group ids are sg- followed by 8 or 17 hex digits',
    why: 'EC2 refuses any other security group id at deploy',
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroup.html',
  },
  {
    code: 'manifests-security-groups',
    severity: 'error',
    checks: 'subnets for the kubectl Lambda come with security groups',
    why: 'a Lambda function in a VPC needs a security group that may reach the cluster endpoint',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html',
  },
  {
    code: 'manifests-subnets',
    severity: 'error',
    checks: 'security groups for the kubectl Lambda come with subnets',
    why: 'security groups only apply to a Lambda function that runs in subnets',
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html',
  },
];

/** The `manifests` section, as the rules see it. */
export interface ManifestsInput {
  readonly apply?: boolean;
  readonly kubectlRoleArn?: string;
  readonly overwrite?: boolean;
  readonly createNamespaces?: boolean;
  readonly subnetIds?: string[];
  readonly securityGroupIds?: string[];
}

const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** Namespaces every EKS cluster has: never created by us (kubectl create would fail: AlreadyExists). */
export const BUILT_IN_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * In-stack apply: what it needs (the kubectl role, the Kubernetes version for the kubectl layer),
 * and the keys that only mean something with `apply: true`.
 */
export function checkManifests(m: ManifestsInput, cluster: { account: string; kubernetesVersion?: string }): Finding[] {
  const findings: Finding[] = [];
  if (!m.apply) {
    const onlyWithApply: Array<[keyof ManifestsInput, unknown]> = [
      ['kubectlRoleArn', m.kubectlRoleArn], ['overwrite', m.overwrite], ['subnetIds', m.subnetIds], ['securityGroupIds', m.securityGroupIds],
    ];
    for (const [key, value] of onlyWithApply) {
      if (value === undefined) continue;
      findings.push(error('manifests-apply-only', `manifests.${key}`, value,
        'only applies when manifests.apply is true: without it the objects are written to <artifactId>.k8s.yaml and nothing runs kubectl',
        `remove manifests.${key}, or set manifests.apply: true to apply the objects in-stack`));
    }
    return findings;
  }
  if (m.kubectlRoleArn === undefined) {
    findings.push(error('manifests-kubectl-role', 'manifests.kubectlRoleArn', undefined,
      'is required when manifests.apply is true: it is the execution role of the kubectl Lambda function',
      'give the ARN of a role that trusts lambda.amazonaws.com and has cluster-admin access on the cluster (an access entry with AmazonEKSClusterAdminPolicy)'));
  } else {
    const parsed = parseRoleArn(m.kubectlRoleArn);
    if (!parsed) {
      findings.push(error('iam-role-arn', 'manifests.kubectlRoleArn', m.kubectlRoleArn, 'is not an IAM role ARN',
        'use arn:<partition>:iam::<12-digit account>:role/<optional/path/>name'));
    } else if (parsed.account !== cluster.account) {
      findings.push(error('manifests-kubectl-role-account', 'manifests.kubectlRoleArn', m.kubectlRoleArn,
        `is in account ${parsed.account}, but the kubectl Lambda runs in the cluster's account ${cluster.account}: a Lambda execution role must be in the function's account`,
        `use a role of account ${cluster.account} that has cluster-admin access on the cluster`));
    }
  }
  if (cluster.kubernetesVersion === undefined) {
    findings.push(error('manifests-kubernetes-version', 'cluster.kubernetesVersion', undefined,
      'is required when manifests.apply is true: it picks the kubectl layer (@aws-cdk/lambda-layer-kubectl-v<minor>)',
      'set it to the cluster\'s version, e.g. "1.31" (aws eks describe-cluster --query cluster.version)'));
  }
  (m.subnetIds ?? []).forEach((s, i) => {
    if (!SUBNET_ID.test(s)) {
      findings.push(error('ec2-subnet-id', `manifests.subnetIds[${i}]`, s, 'is not a subnet id', 'use an id like subnet-0123456789abcdef0'));
    }
  });
  (m.securityGroupIds ?? []).forEach((s, i) => {
    if (!SECURITY_GROUP_ID.test(s)) {
      findings.push(error('ec2-security-group-id', `manifests.securityGroupIds[${i}]`, s, 'is not a security group id', 'use an id like sg-0123456789abcdef0'));
    }
  });
  const subnets = m.subnetIds?.length ?? 0;
  const groups = m.securityGroupIds?.length ?? 0;
  if (subnets > 0 && groups === 0) {
    findings.push(error('manifests-security-groups', 'manifests.securityGroupIds', m.securityGroupIds ?? [],
      'is required with subnetIds: the kubectl Lambda needs a security group that may reach the cluster endpoint',
      'add the cluster security group (aws eks describe-cluster --query cluster.resourcesVpcConfig.clusterSecurityGroupId)'));
  }
  if (groups > 0 && subnets === 0) {
    findings.push(error('manifests-subnets', 'manifests.subnetIds', m.subnetIds ?? [],
      'is required with securityGroupIds: security groups only apply to a Lambda that runs in subnets',
      'add the private subnets of the cluster, or remove securityGroupIds for a public endpoint'));
  }
  return findings;
}

/** The npm package and class of the kubectl layer for a Kubernetes version ("1.31" -> v31). */
export function kubectlLayerPackage(kubernetesVersion: string): { packageName: string; className: string } | undefined {
  const v = parseKubernetesVersion(kubernetesVersion);
  if (!v || v[0] !== 1) return undefined;
  return { packageName: `@aws-cdk/lambda-layer-kubectl-v${v[1]}`, className: `KubectlV${v[1]}Layer` };
}
