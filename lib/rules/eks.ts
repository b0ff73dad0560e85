import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'eks-cluster-name',
    severity: 'error',
    checks: 'a cluster name is 1-100 letters, digits, - and _, starting with a letter or digit',
    why: 'EKS names clusters this way: any other name matches no cluster, and every resource naming it fails at deploy',
    source: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html',
  },
  {
    code: 'eks-addon-version',
    severity: 'error',
    checks: 'an add-on version has the form v<major>.<minor>.<patch>-eksbuild.<n>',
    why: 'EKS add-on versions are named this way (aws eks describe-addon-versions); any other value fails at deploy',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html',
  },
];

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;
const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

export function checkClusterName(field: string, name: string): Finding[] {
  return CLUSTER_NAME.test(name) ? [] : [error('eks-cluster-name', field, name,
    'is not a valid EKS cluster name (1-100 letters, digits, \'-\' and \'_\', starting with a letter or digit)', 'use the name shown by aws eks list-clusters')];
}

export function checkAddonVersion(field: string, version: string, addonName: string): Finding[] {
  return ADDON_VERSION.test(version) ? [] : [error('eks-addon-version', field, version,
    'is not an EKS add-on version', `use a version listed by aws eks describe-addon-versions --addon-name ${addonName}, like v1.3.4-eksbuild.1`)];
}
