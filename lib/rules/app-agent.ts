/**
 * The Pod Identity agent across the app: a cluster whose add-ons use Pod Identity (AddonIdentity,
 * KarpenterIdentity's controller, the spec's addons:, managed or not) gets the
 * eks-pod-identity-agent add-on from somewhere the app can see. Pure.
 */
import { AppFinding, AppModelData, at, groupBy } from './app-model';
import { warning } from './finding';
import { POD_IDENTITY_AGENT_ADDON } from './pod-identity';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'pod-identity-agent-missing',
    severity: 'warning',
    checks: 'a cluster with Pod Identity add-ons gets the Pod Identity agent: created in the app (spec podIdentityAgent, PodIdentityAgentAddon, any AWS::EKS::Addon of that name) or declared external',
    why: 'without the eks-pod-identity-agent add-on, pods of Pod Identity associations get no credentials',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-agent-setup.html',
  },
];

export const POD_IDENTITY_AGENT = POD_IDENTITY_AGENT_ADDON;

/**
 * One warning per cluster, on its first Pod Identity add-on. Workloads alone are not checked:
 * they synthesized without this warning before add-ons existed.
 */
export function checkPodIdentityAgentPresent(m: AppModelData): AppFinding[] {
  const addons = m.podIdentityAddons ?? [];
  if (addons.length === 0) return [];
  const agents = new Set([...m.addons.filter(a => a.name === POD_IDENTITY_AGENT).map(a => a.cluster), ...(m.agentsInTree ?? [])]);
  const out: AppFinding[] = [];
  for (const list of groupBy(addons, a => a.cluster).values()) {
    const first = list[0];
    const keys = [first.cluster, ...first.clusterNames.map(n => `raw:${n}`)];
    if (keys.some(k => agents.has(k))) continue;
    const names = [...new Set(list.map(a => a.addon))];
    out.push(...at(first.path, [warning('pod-identity-agent-missing', 'mechanism', 'podIdentity',
      `is the mechanism of ${names.join(', ')} on cluster ${first.clusterLabel}, and nothing in the app installs the eks-pod-identity-agent add-on there: its pods get no credentials without it`,
      'add podIdentityAgent: true to the spec (TypeScript: new PodIdentityAgentAddon, or the stack\'s podIdentityAgentAddon); if the agent is installed otherwise (eksctl, console, EKS Auto Mode), say so: podIdentityAgent: { external: true }, or PodIdentityAgentAddon.declareExternal(this, cluster)')]));
  }
  return out;
}
