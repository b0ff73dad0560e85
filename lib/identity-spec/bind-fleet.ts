import { ClusterSpec, IdentitySpec, ManifestsSpec } from './types';
import { AccessEntrySpec, RbacBindingSpec } from './types-access';
import { FleetClusterSpec } from './types-fleet';
import { ServiceAccountSpec } from './types-service-accounts';
import {
  checkClusterKnown, checkClusterUnique, checkFleetAccessEntry, checkFleetKey, checkFleetServiceAccount,
  checkIssuerShared, checkRoleAccount, checkRolePartition, checkSharedTrustLength,
} from '../rules/app-fleet';
import { checkArnPartition, formatRoleArn, partitionForRegion } from '../rules/arns';
import { errorsOf, Finding } from '../rules/finding';
import { checkProviderImport, providerArnAccount } from '../rules/fleet-providers';
import { defaultRoleName } from '../rules/iam-role';
import { checkProviderArn, DEFAULT_AUDIENCE, issuerHostPath, oidcProviderArn } from '../rules/issuer';
import { checkManifests } from '../rules/manifests';
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
  /** The existing providers of this account the spec imports (`clusters[].oidcProvider`): its shared roles trust them. */
  readonly imported: PlannedProvider[];
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
  (spec.rbac ?? []).forEach((b, i) =>
    (b.clusters ?? []).forEach((n, j) => out.push(...checkClusterKnown(`rbac[${i}].clusters[${j}]`, n, [c.name]))));
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
  // `<account>|<cluster>` -> the imported provider of that cluster's issuer in that account
  const imports = new Map<string, { arn: string; field: string }>();
  clusters.forEach((c, i) => {
    findings.push(...checkClusterUnique(`clusters[${i}].name`, c.name, byName.has(c.name) ? `clusters[${names.indexOf(c.name)}]` : undefined));
    if (!byName.has(c.name)) byName.set(c.name, c);
    if (c.oidcIssuerUrl !== undefined) {
      const key = c.oidcIssuerUrl.replace(/\/+$/, '');
      findings.push(...checkIssuerShared(`clusters[${i}].oidcIssuerUrl`, c.oidcIssuerUrl, issuers.get(key)));
      if (!issuers.has(key)) issuers.set(key, `clusters[${i}] (${c.name})`);
    }
    findings.push(...bindProviderImports(c, `clusters[${i}].oidcProvider`, imports));
  });
  if (spec.clusters !== undefined) {
    if (spec.oidcProvider !== undefined) findings.push(...checkFleetKey('oidcProvider', 'oidcProvider', 'move an existing provider to the cluster whose issuer it is (clusters[].oidcProvider.arn), or remove it: the fleet creates one OIDC provider per (account, issuer)'));
    if (spec.fargate !== undefined) findings.push(...checkFleetKey('fargate', 'fargate', 'move it to the cluster it belongs to (clusters[].fargate)'));
    for (const key of ['subnetIds', 'securityGroupIds'] as const) {
      if (spec.manifests?.[key] !== undefined) findings.push(...checkFleetKey(`manifests.${key}`, spec.manifests[key], `move it to the cluster whose VPC it belongs to (clusters[].manifests.${key})`));
    }
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

  // RBAC bindings per cluster (default every cluster)
  const rbac = new Map<string, RbacBindingSpec[]>(clusters.map(c => [c.name, []]));
  (spec.rbac ?? []).forEach((b, i) => {
    const { clusters: _c, ...plain } = b;
    for (const c of of(b.clusters, `rbac[${i}]`)) rbac.get(c.name)!.push(b.clusters === undefined ? b : plain);
  });
  // in-stack apply per cluster: the spec-wide manifests, then the cluster's own
  const manifests = new Map<string, ManifestsSpec | undefined>();
  clusters.forEach((c, i) => {
    const m = spec.manifests === undefined && c.manifests === undefined ? undefined : { ...spec.manifests, ...c.manifests };
    manifests.set(c.name, m);
    if (spec.clusters === undefined || m === undefined || byName.get(c.name) !== c) return;
    findings.push(...bindClusterManifests(m, c, i, c.manifests ?? {}));
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

  const prefixName = spec.stackName ?? fleetId;
  const accounts: PlannedAccount[] = [];
  for (const [account, region] of home) {
    const providers: PlannedProvider[] = [];
    const imported: PlannedProvider[] = [];
    for (const { cluster } of providerNeeds.filter(p => p.account === account)) {
      if (cluster.oidcIssuerUrl === undefined) continue;
      const given = imports.get(`${account}|${cluster.name}`);
      const arn = given?.arn ?? oidcProviderArn(partitionForRegion(cluster.region), account, cluster.oidcIssuerUrl);
      const list = given ? imported : providers;
      const existing = list.find(p => p.arn === arn);
      if (!existing) list.push({ account, issuerUrl: cluster.oidcIssuerUrl, arn, clusters: [cluster.name] });
      else if (!existing.clusters.includes(cluster.name)) existing.clusters.push(cluster.name);
    }
    const roles = shared.filter(r => r.account === account);
    if (providers.length === 0 && roles.length === 0) continue;
    accounts.push({ account, region, stageId: stageId(account, region), stackName: `${prefixName}-account-${account}`, providers, roles, imported });
  }
  // a stage for every account stack (an account whose providers are all imported and that holds no shared role has none)
  for (const a of accounts) addStage(a.account, a.region);
  const accountOf = (a: string) => accounts.find(x => x.account === a);

  const planned: PlannedCluster[] = [...byName.values()].map(c => {
    const { name: _n, fargate, oidcProvider: _p, manifests: _m, ...cluster } = c;
    const own = accountOf(c.account)?.providers.find(p => p.clusters.includes(c.name));
    const ownImport = imports.get(`${c.account}|${c.name}`);
    const m = manifests.get(c.name);
    const need = needs.get(c.name)!;
    if (own) need.add(accountOf(c.account)!.stageId);
    for (const r of shared) if (r.clusters.includes(c)) need.add(accountOf(r.account)!.stageId);
    const clusterSpec: ClusterSpec = { name: c.name, ...cluster };
    const derived: IdentitySpec = {
      ...omit(spec, ['clusters', 'cluster', 'serviceAccounts', 'accessEntries', 'fargate', 'oidcProvider', 'stackName', 'rbac', 'manifests']),
      stackName: `${prefixName}-${c.name}`,
      cluster: clusterSpec,
      ...(own ? { oidcProvider: { arn: own.arn } } : ownImport ? { oidcProvider: { arn: ownImport.arn } }
        : spec.clusters === undefined && spec.oidcProvider ? { oidcProvider: spec.oidcProvider } : {}),
      ...(spec.rbac !== undefined ? { rbac: rbac.get(c.name) } : {}),
      ...(m !== undefined ? { manifests: m } : {}),
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

/**
 * The existing providers of one cluster's issuer (`clusters[].oidcProvider`): each names its
 * account; `arn` is the cluster's own account's, `crossAccountArns` one per other account.
 */
function bindProviderImports(c: FleetClusterSpec, field: string, imports: Map<string, { arn: string; field: string }>): Finding[] {
  const op = c.oidcProvider;
  if (op === undefined) return [];
  const findings: Finding[] = [];
  const given = [
    ...(op.arn !== undefined ? [{ at: `${field}.arn`, arn: op.arn, own: true }] : []),
    ...(op.crossAccountArns ?? []).map((arn, j) => ({ at: `${field}.crossAccountArns[${j}]`, arn, own: false })),
  ];
  for (const g of given) {
    const shape = [...checkProviderArn(g.at, g.arn, c.oidcIssuerUrl), ...checkArnPartition(g.at, g.arn, c.region)];
    findings.push(...shape);
    const account = providerArnAccount(g.arn);
    if (account === undefined || shape.length > 0) continue;
    const key = `${account}|${c.name}`;
    findings.push(...checkProviderImport(g.at, g.arn, account, c.name, c.account, g.own, imports.get(key)?.field));
    if (!imports.has(key)) imports.set(key, { arn: g.arn, field: g.at });
  }
  return findings;
}

/** The manifests rules on one cluster's merged manifests, with the path of the key that set each value. */
function bindClusterManifests(m: ManifestsSpec, c: FleetClusterSpec, i: number, own: ManifestsSpec): Finding[] {
  return checkManifests(m, c).map(f => {
    const key = /^manifests\.([A-Za-z]+)/.exec(f.field)?.[1];
    if (f.field === 'cluster.kubernetesVersion') return { ...f, field: `clusters[${i}].kubernetesVersion` };
    // a value the cluster set, or one missing (set it on the cluster): clusters[i].manifests.<key>
    if (key !== undefined && (key in own || (m as any)[key] === undefined)) return { ...f, field: `clusters[${i}].${f.field}` };
    // a spec-wide value: say which cluster it fails on
    return { ...f, rule: `${f.rule} (on cluster '${c.name}')` };
  });
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
