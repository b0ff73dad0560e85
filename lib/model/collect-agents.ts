import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { cfnProp } from './collect';
import type { IdentityModel } from './identity-model';
import { POD_IDENTITY_AGENT } from '../rules/app-agent';

/**
 * The clusters that get the eks-pod-identity-agent from an `AWS::EKS::Addon` of any construct
 * library (aws-eks-v2's `Addon`, an L1), as `<account>/<region>/<name>` and `raw:<name string>`
 * keys. The tree is walked only when a cluster with Pod Identity add-ons has no agent recorded.
 */
export function agentsInTree(model: IdentityModel): string[] {
  if (model.podIdentityAddons.length === 0) return [];
  const recorded = new Set(model.addons.filter(a => a.name === POD_IDENTITY_AGENT).map(a => a.cluster));
  if (model.podIdentityAddons.every(a => recorded.has(a.cluster))) return [];
  const keys: string[] = [];
  for (const c of model.root.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || c.cfnResourceType !== 'AWS::EKS::Addon') continue;
    if (cfnProp(c, 'addonName', 'AddonName') !== POD_IDENTITY_AGENT) continue;
    const name = cfnProp(c, 'clusterName', 'ClusterName');
    if (typeof name !== 'string') continue;
    keys.push(`raw:${name}`);
    const stack = Stack.of(c);
    if (![name, stack.account, stack.region].some(x => Token.isUnresolved(x))) keys.push(`${stack.account}/${stack.region}/${name}`);
  }
  return keys;
}
