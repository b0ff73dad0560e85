import { Token } from 'aws-cdk-lib';
import { bindAccessEntries, bindRbac, BoundAccessEntry } from './bind-access';
import { bindAddons, BoundAddon, BoundPodIdentityAgent } from './bind-addons';
import { bindFargate, BoundFargate } from './bind-fargate';
import { bindSingleClusterFleetKeys } from './bind-fleet';
import { bindServiceAccounts, BoundServiceAccount } from './bind-service-accounts';
import { IdentitySpec, RbacBindingSpec, StackLayout } from './types';
import { ServiceAccountSpec } from './types-service-accounts';
import { onLiteral } from '../private/enforce';
import { checkTags } from '../rules/access-entry';
import { checkKubernetesVersion, checkPlatformVersion } from '../rules/annotations';
import { checkAccount, checkArnPartition, checkRegion } from '../rules/arns';
import { errorsOf, Finding } from '../rules/finding';
import { checkClientIdCount, checkIssuerUrl, checkProviderArn, checkThumbprints, DEFAULT_AUDIENCE } from '../rules/issuer';
import { checkIssuerRegion } from '../rules/issuer-region';
import { checkCreatedNamespace, checkNamespaceName } from '../rules/k8s-names';
import { BUILT_IN_NAMESPACES, checkManifests } from '../rules/manifests';
import { checkQuota, QUOTA_RANGES, QuotaName } from '../rules/quotas';
import { checkIssuerForIrsa, checkLayout } from '../rules/spec-sections';
import { IdentityMechanism } from '../workload-identity';

/**
 * A spec bound to construct props: what `WorkloadIdentityStack` builds, in the order it builds it,
 * and the errors of every spec-level rule, each naming its spec path (`serviceAccounts[2].namespace`).
 * Nothing is built here.
 */
export interface BoundSpec {
  /**
   * The errors, in spec order, and the warnings of the rules only the spec has (a created
   * namespace `kube-*`). Warnings of the other rules are raised by the constructs that get these
   * props (they run the same rules on the same values), once, on the construct at fault.
   */
  readonly findings: Finding[];
  readonly layout: StackLayout;
  /** The quotas, every default filled in. */
  readonly quotas: Record<QuotaName, number>;
  readonly serviceAccounts: BoundServiceAccount[];
  /** Roles the spec creates for service accounts (none for existingRoleArn). */
  readonly createdRoles: number;
  /** With createNamespaces: the namespaces to create, in order of first appearance (built-in ones never). */
  readonly namespaces: string[];
  readonly fargate?: BoundFargate;
  readonly accessEntries: BoundAccessEntry[];
  readonly rbac: RbacBindingSpec[];
  readonly addons: BoundAddon[];
  readonly podIdentityAgent?: BoundPodIdentityAgent;
}

/** What the spec does not say but the stack knows. */
export interface BindOptions {
  /** The stack creates the Pod Identity agent add-on from TypeScript (podIdentityAgentAddon). */
  readonly podIdentityAgentFromProps?: boolean;
}

/** Binds a spec: runs the spec-level rules and returns the construct props, or the findings. */
export function bindSpec(spec: IdentitySpec, _options: BindOptions = {}): BoundSpec {
  const findings: Finding[] = [];
  const quotas = {} as Record<QuotaName, number>;
  for (const name of Object.keys(QUOTA_RANGES) as QuotaName[]) {
    const v = spec.quotas?.[name];
    if (v !== undefined) findings.push(...onLiteral(v, x => checkQuota('quotas', name, x)));
    quotas[name] = v ?? QUOTA_RANGES[name].default;
  }
  const layout = spec.layout ?? StackLayout.SINGLE;
  findings.push(...checkLayout('layout', layout, Object.values(StackLayout)));
  findings.push(...bindCluster(spec));
  findings.push(...onLiteral(spec.defaults?.tags, t => checkTags('defaults.tags', t)));
  findings.push(...bindSingleClusterFleetKeys(spec));

  const serviceAccounts = spec.serviceAccounts ?? [];
  const needsIrsa = serviceAccounts.some(sa =>
    (sa.mechanism ?? IdentityMechanism.IRSA) === IdentityMechanism.IRSA && sa.existingRoleArn === undefined);
  findings.push(...bindAudiences(serviceAccounts));
  findings.push(...checkIssuerForIrsa('cluster.oidcIssuerUrl', needsIrsa, spec.cluster.oidcIssuerUrl !== undefined || spec.oidcProvider?.arn !== undefined));

  const fargate = bindFargate(spec, quotas);
  findings.push(...fargate.findings);
  const namespaces = bindNamespaces(spec);
  const workloads = bindServiceAccounts(spec, quotas.managedPoliciesPerRole);
  findings.push(...workloads.findings);
  const access = bindAccessEntries(spec);
  findings.push(...access.findings);
  const rbac = bindRbac(spec);
  findings.push(...rbac.findings);
  const addons = bindAddons(spec);

  return {
    findings: [...errorsOf(findings), ...namespaces.findings, ...addons.findings],
    layout,
    quotas,
    serviceAccounts: workloads.bound,
    createdRoles: serviceAccounts.filter(sa => sa.existingRoleArn === undefined).length,
    namespaces: namespaces.bound,
    fargate: fargate.bound,
    accessEntries: access.bound,
    rbac: rbac.bound,
    addons: addons.bound,
    podIdentityAgent: addons.agent,
  };
}

/** The distinct audiences of the IRSA roles the spec creates become the provider's client ids: at most 100. */
function bindAudiences(serviceAccounts: ServiceAccountSpec[]): Finding[] {
  const seen = new Set<string>();
  return serviceAccounts.flatMap((sa, i) => {
    const a = sa.audience ?? DEFAULT_AUDIENCE;
    const createsIrsaRole = (sa.mechanism ?? IdentityMechanism.IRSA) === IdentityMechanism.IRSA && sa.existingRoleArn === undefined;
    if (!createsIrsaRole || Token.isUnresolved(a) || seen.has(a)) return [];
    seen.add(a);
    return checkClientIdCount(`serviceAccounts[${i}].audience`, a, seen.size);
  });
}

/** The cluster, oidcProvider and manifests sections. */
function bindCluster(spec: IdentitySpec): Finding[] {
  const c = spec.cluster;
  const provider = spec.oidcProvider ?? {};
  const manifests = spec.manifests ?? {};
  return [
    ...onLiteral(c.account, a => checkAccount('cluster.account', a)),
    ...onLiteral(c.region, r => checkRegion('cluster.region', r)),
    ...onLiteral(c.oidcIssuerUrl, u => checkIssuerUrl('cluster.oidcIssuerUrl', u)),
    ...onLiteral(c.oidcIssuerUrl, u => onLiteral(c.region, r => checkIssuerRegion('cluster.oidcIssuerUrl', u, r))),
    ...onLiteral(c.kubernetesVersion, v => checkKubernetesVersion('cluster.kubernetesVersion', v)),
    ...onLiteral(c.platformVersion, v => checkPlatformVersion('cluster.platformVersion', v)),
    ...onLiteral(provider.arn, a => [
      ...checkProviderArn('oidcProvider.arn', a, c.oidcIssuerUrl !== undefined && !Token.isUnresolved(c.oidcIssuerUrl) ? c.oidcIssuerUrl : undefined),
      ...checkArnPartition('oidcProvider.arn', a, c.region),
    ]),
    ...onLiteral(provider.thumbprints, t => checkThumbprints('oidcProvider.thumbprints', t)),
    ...onLiteral(manifests, m => [
      ...checkManifests(m, c),
      ...(m.apply ? onLiteral(m.kubectlRoleArn, a => checkArnPartition('manifests.kubectlRoleArn', a, c.region)) : []),
    ]),
  ];
}

/** createNamespaces: every namespace of the spec (built-in ones excepted), named where it first appears. */
function bindNamespaces(spec: IdentitySpec): { bound: string[]; findings: Finding[] } {
  const findings: Finding[] = [];
  if (!spec.manifests?.createNamespaces) return { bound: [], findings };
  const first = new Map<string, number>();
  (spec.serviceAccounts ?? []).forEach((sa, i) => { if (!first.has(sa.namespace)) first.set(sa.namespace, i); });
  const out: string[] = [];
  for (const [ns, i] of first) {
    if (BUILT_IN_NAMESPACES.includes(ns)) continue;
    const field = `serviceAccounts[${i}].namespace`;
    findings.push(...onLiteral(ns, n => [...checkNamespaceName(field, n), ...checkCreatedNamespace(field, n)]));
    out.push(ns);
  }
  return { bound: out, findings };
}
