import { ClusterSpec, IdentitySpec } from './types';
import { AccessEntrySpec } from './types-access';
import { FleetClusterSpec } from './types-fleet';
import { ServiceAccountSpec } from './types-service-accounts';
import {
  checkClusterKnown, checkClusterUnique, checkFleetAccessEntry, checkFleetKey, checkFleetServiceAccount,
  checkIssuerShared, checkRoleAccount, checkRolePartition, checkSharedTrustLength,
} from '../rules/app-fleet';
import { formatRoleArn, partitionForRegion } from '../rules/arns';
import { errorsOf, Finding } from '../rules/finding';
import { defaultRoleName } from '../rules/iam-role';
import { DEFAULT_AUDIENCE, issuerHostPath, oidcProviderArn } from '../rules/issuer';
import { QUOTA_RANGES } from '../rules/quotas';
import { irsaCondition, irsaTrustPolicy } from '../rules/trust-policy';
import { IdentityMechanism } from '../workload-identity';

/** An OIDC provider the fleet creates: one per (account, issuer). */
export interface PlannedProvider {
  readonly account: string;
  readonly issuerUrl: string;
  readonly arn: string;
  /** The clusters whose issuer it is (one, once fleet-issuer-shared holds). */
  readonly clusters: string[];
}

/** A role of one service account shared by several clusters, or living in another account than its cluster. */
export interface PlannedSharedRole {
  /** `serviceAccounts[i]` */
  readonly field: string;
  readonly spec: ServiceAccountSpec;
  readonly account: string;
  readonly partition: string;
  readonly roleName: string;
  readonly path: string;
  readonly arn: string;
  /** The clusters it trusts (one statement per issuer), in spec order. */
  readonly clusters: FleetClusterSpec[];
}

/** The stack of one account: its OIDC providers and shared roles. */
export interface PlannedAccount {
  readonly account: string;
  /** The region of its stage (its first cluster's, else the first region whose roles it holds). */
  readonly region: string;
  readonly stageId: string;
  readonly stackName: string;
  readonly providers: PlannedProvider[];
  readonly roles: PlannedSharedRole[];
}

/** One cluster: its stage and the single-cluster spec its `WorkloadIdentityStack` is built from. */
export interface PlannedCluster {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly stageId: string;
  readonly stackName: string;
  readonly spec: IdentitySpec;
  /** The stages whose account stacks this cluster's stack needs first (its provider, its shared roles). */
  readonly needs: string[];
}

/** A fleet spec, planned: what `IdentityFleet` builds, or the findings. */
export interface FleetPlan {
  readonly findings: Finding[];
  /** Stage ids (`Env-<account>-<region>`) in spec order. */
  readonly stages: Array<{ id: string; account: string; region: string }>;
  readonly accounts: PlannedAccount[];
  readonly clusters: PlannedCluster[];
}

/** `cluster:` as a fleet of one; `clusters:` as is. */
export function fleetClusters(spec: IdentitySpec): FleetClusterSpec[] {
  if (spec.clusters !== undefined) return spec.clusters;
  return spec.cluster !== undefined ? [{ ...spec.cluster, fargate: spec.fargate }] : [];
}

/** A single-cluster spec's fleet keys: clusters may only name its cluster, role.account only be its account. */
export function bindSingleClusterFleetKeys(spec: IdentitySpec): Finding[] {
  const c = spec.cluster;
  const out: Finding[] = [];
  (spec.serviceAccounts ?? []).forEach((sa, i) => {
    (sa.clusters ?? []).forEach((n, j) => out.push(...checkClusterKnown(`serviceAccounts[${i}].clusters[${j}]`, n, [c.name])));
    const a = sa.role?.account;
    if (a !== undefined && a !== c.account) out.push(...checkRoleAccount(`serviceAccounts[${i}].role.account`, a, 'single', c.name));
  });
  (spec.accessEntries ?? []).forEach((e, i) =>
    (e.clusters ?? []).forEach((n, j) => out.push(...checkClusterKnown(`accessEntries[${i}].clusters[${j}]`, n, [c.name]))));
  return out;
}

/**
 * Plans a fleet: one stage per (account, region); in it one stack per cluster (a single-cluster
 * spec, built by `WorkloadIdentityStack`) and, in each account's first stage, the account's stack
 * with its OIDC providers (one per issuer) and the roles shared by several clusters or living in
 * another account. The rules about the spec itself run here, with spec paths (cluster names,
 * issuers, role placement, two entries of the spec on one cluster); the rules that span the app
 * (role names per account, one provider per account and issuer, stack names per environment, an
 * object or access entry declared by two stacks) run once over the app's identity model, where
 * every stage of the fleet and every other stack of the app is seen. Pure: nothing is built.
 */
export function bindFleet(spec: IdentitySpec, fleetId: string): FleetPlan {
  const findings: Finding[] = [];
  const clusters = fleetClusters(spec);
  const names = clusters.map(c => c.name);
  const byName = new Map<string, FleetClusterSpec>();
  const issuers = new Map<string, string>();
  clusters.forEach((c, i) => {
    findings.push(...checkClusterUnique(`clusters[${i}].name`, c.name, byName.has(c.name) ? `clusters[${names.indexOf(c.name)}]` : undefined));
    if (!byName.has(c.name)) byName.set(c.name, c);
    if (c.oidcIssuerUrl !== undefined) {
      const key = c.oidcIssuerUrl.replace(/\/+$/, '');
      findings.push(...checkIssuerShared(`clusters[${i}].oidcIssuerUrl`, c.oidcIssuerUrl, issuers.get(key)));
      if (!issuers.has(key)) issuers.set(key, `clusters[${i}] (${c.name})`);
    }
  });
  if (spec.clusters !== undefined) {
    if (spec.oidcProvider !== undefined) findings.push(...checkFleetKey('oidcProvider', 'oidcProvider', 'remove it: the fleet creates one OIDC provider per (account, issuer)'));
    if (spec.fargate !== undefined) findings.push(...checkFleetKey('fargate', 'fargate', 'move it to the cluster it belongs to (clusters[].fargate)'));
    if (spec.manifests?.apply) findings.push(...checkFleetKey('manifests.apply', true, 'apply each cluster\'s <artifactId>.k8s.yaml yourself (kubectl apply -f), or use one spec per cluster'));
  }
  const of = (refs: string[] | undefined, field: string): FleetClusterSpec[] => {
    if (refs === undefined) return [...byName.values()];
    refs.forEach((n, j) => findings.push(...checkClusterKnown(`${field}.clusters[${j}]`, n, names)));
    return [...byName.values()].filter(c => refs.includes(c.name));
  };

  // each service account: on which clusters, and where its role lives
  const trustLimit = spec.quotas?.trustPolicyLength ?? QUOTA_RANGES.trustPolicyLength.default;
  const prefix = spec.defaults?.roleNamePrefix ?? '';
  const shared: PlannedSharedRole[] = [];
  const perCluster = new Map<string, ServiceAccountSpec[]>(clusters.map(c => [c.name, []]));
  const needs = new Map<string, Set<string>>(clusters.map(c => [c.name, new Set<string>()]));
  const saKeys = new Map<string, string>();
  const providerNeeds: Array<{ account: string; cluster: FleetClusterSpec }> = [];
  (spec.serviceAccounts ?? []).forEach((sa, i) => {
    const field = `serviceAccounts[${i}]`;
    const on = of(sa.clusters, field);
    const irsa = (sa.mechanism ?? IdentityMechanism.IRSA) === IdentityMechanism.IRSA;
    const creates = sa.existingRoleArn === undefined;
    for (const c of on) {
      const key = `${c.name}/${sa.namespace}/${sa.name}`;
      findings.push(...checkFleetServiceAccount(`${field}.name`, key, saKeys.get(key)));
      if (!saKeys.has(key)) saKeys.set(key, field);
    }
    const { clusters: _c, ...plain } = sa;
    const roleAccount = sa.role?.account;
    if (!irsa && roleAccount !== undefined) findings.push(...checkRoleAccount(`${field}.role.account`, roleAccount, 'podIdentity', on[0]?.name ?? ''));
    // by role account: one role per account, shared by that account's clusters
    const groups = new Map<string, FleetClusterSpec[]>();
    for (const c of on) {
      const a = irsa && creates ? roleAccount ?? c.account : c.account;
      groups.set(a, [...(groups.get(a) ?? []), c]);
    }
    for (const [account, group] of groups) {
      const local = !irsa || !creates || (group.length === 1 && group[0].account === account);
      if (local) {
        for (const c of group) {
          perCluster.get(c.name)!.push(stripFleetKeys(plain));
          if (irsa && creates) providerNeeds.push({ account, cluster: c });
        }
        continue;
      }
      for (const c of group) {
        if (c.oidcIssuerUrl === undefined) findings.push(...checkRoleAccount(`${field}.role.account`, account, 'no-issuer', c.name));
      }
      const partition = partitionForRegion(group[0].region);
      group.forEach(c => findings.push(...checkRolePartition(`${field}.clusters`, partition, c.name, partitionForRegion(c.region))));
      const roleName = sa.role?.name ?? defaultRoleName(prefix, group[0].name, sa.namespace, sa.name);
      const path = sa.role?.path ?? spec.defaults?.rolePath ?? '/';
      const audience = sa.audience ?? DEFAULT_AUDIENCE;
      const withIssuer = group.filter(c => c.oidcIssuerUrl !== undefined);
      const trust = irsaTrustPolicy(withIssuer.map(c => ({
        providerArn: oidcProviderArn(partition, account, c.oidcIssuerUrl!),
        condition: irsaCondition(issuerHostPath(c.oidcIssuerUrl!), [{ namespace: sa.namespace, serviceAccountName: sa.name }], audience),
      })));
      findings.push(...checkSharedTrustLength(`${field}.clusters`, JSON.stringify(trust).length, trustLimit, group.map(c => c.name)));
      const arn = formatRoleArn(partition, account, path, roleName);
      shared.push({ field, spec: sa, account, partition, roleName, path, arn, clusters: group });
      for (const c of group) {
        providerNeeds.push({ account, cluster: c });
        const { role: _r, ...rest } = stripFleetKeys(plain);
        perCluster.get(c.name)!.push({ ...rest, existingRoleArn: arn });
      }
    }
  });

  // access entries per cluster: one per principal
  const entries = new Map<string, AccessEntrySpec[]>(clusters.map(c => [c.name, []]));
  const entryKeys = new Map<string, string>();
  (spec.accessEntries ?? []).forEach((e, i) => {
    const field = `accessEntries[${i}]`;
    const { clusters: _c, ...plain } = e;
    for (const c of of(e.clusters, field)) {
      const key = `${c.name}/${e.principalArn}`;
      findings.push(...checkFleetAccessEntry(`${field}.principalArn`, key, entryKeys.get(key)));
      if (!entryKeys.has(key)) entryKeys.set(key, field);
      entries.get(c.name)!.push(plain);
    }
  });

  // stages and account stacks
  const stageId = (account: string, region: string) => `Env-${account}-${region}`;
  const stages: FleetPlan['stages'] = [];
  const addStage = (account: string, region: string) => {
    if (!stages.some(s => s.account === account && s.region === region)) stages.push({ id: stageId(account, region), account, region });
  };
  for (const c of byName.values()) addStage(c.account, c.region);
  const home = new Map<string, string>();
  for (const c of byName.values()) if (!home.has(c.account)) home.set(c.account, c.region);
  for (const p of providerNeeds) if (!home.has(p.account)) home.set(p.account, p.cluster.region);
  for (const [account, region] of home) addStage(account, region);

  const prefixName = spec.stackName ?? fleetId;
  const accounts: PlannedAccount[] = [];
  for (const [account, region] of home) {
    const providers: PlannedProvider[] = [];
    for (const { cluster } of providerNeeds.filter(p => p.account === account)) {
      if (cluster.oidcIssuerUrl === undefined) continue;
      const arn = oidcProviderArn(partitionForRegion(cluster.region), account, cluster.oidcIssuerUrl);
      const existing = providers.find(p => p.arn === arn);
      if (!existing) providers.push({ account, issuerUrl: cluster.oidcIssuerUrl, arn, clusters: [cluster.name] });
      else if (!existing.clusters.includes(cluster.name)) existing.clusters.push(cluster.name);
    }
    const roles = shared.filter(r => r.account === account);
    if (providers.length === 0 && roles.length === 0) continue;
    accounts.push({ account, region, stageId: stageId(account, region), stackName: `${prefixName}-account-${account}`, providers, roles });
  }
  const accountOf = (a: string) => accounts.find(x => x.account === a);

  const planned: PlannedCluster[] = [...byName.values()].map(c => {
    const { name: _n, fargate, ...cluster } = c;
    const own = accountOf(c.account)?.providers.find(p => p.clusters.includes(c.name));
    const need = needs.get(c.name)!;
    if (own) need.add(accountOf(c.account)!.stageId);
    for (const r of shared) if (r.clusters.includes(c)) need.add(accountOf(r.account)!.stageId);
    const clusterSpec: ClusterSpec = { name: c.name, ...cluster };
    const derived: IdentitySpec = {
      ...omit(spec, ['clusters', 'cluster', 'serviceAccounts', 'accessEntries', 'fargate', 'oidcProvider', 'stackName']),
      stackName: `${prefixName}-${c.name}`,
      cluster: clusterSpec,
      ...(own ? { oidcProvider: { arn: own.arn } } : spec.clusters === undefined && spec.oidcProvider ? { oidcProvider: spec.oidcProvider } : {}),
      ...(fargate ? { fargate } : {}),
      ...(perCluster.get(c.name)!.length > 0 ? { serviceAccounts: perCluster.get(c.name) } : {}),
      ...(entries.get(c.name)!.length > 0 ? { accessEntries: entries.get(c.name) } : {}),
    };
    return {
      name: c.name,
      account: c.account,
      region: c.region,
      stageId: stageId(c.account, c.region),
      stackName: derived.stackName!,
      spec: derived,
      needs: [...need],
    };
  });

  return { findings: errorsOf(findings), stages, accounts, clusters: planned };
}

/** A service account as its cluster's single spec has it: no clusters, no role.account. */
function stripFleetKeys(sa: ServiceAccountSpec): ServiceAccountSpec {
  const { clusters: _c, ...rest } = sa;
  if (rest.role?.account === undefined) return rest;
  const { account: _a, ...role } = rest.role;
  return { ...rest, role };
}

function omit<T extends object>(o: T, keys: string[]): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k))) as Partial<T>;
}
