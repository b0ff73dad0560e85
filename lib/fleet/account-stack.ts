import { Stack, StackProps, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { IdentityCluster } from '../cluster';
import { PlannedAccount, PlannedProvider, PlannedSharedRole } from '../identity-spec/bind-fleet';
import { bindServiceAccounts } from '../identity-spec/bind-service-accounts';
import { IdentitySpec, StackLayout } from '../identity-spec/types';
import { FleetClusterSpec } from '../identity-spec/types-fleet';
import { buildRolePolicies } from '../identity-stack/build-workloads';
import { enforceTemplateLimits } from '../identity-stack/template-limits';
import { ServiceAccountRole } from '../irsa/service-account-role';
import { OidcProvider } from '../oidc-provider';
import { enforce } from '../private/enforce';
import { QUOTA_RANGES } from '../rules/quotas';

/** Properties of a `FleetAccountStack`. */
export interface FleetAccountStackProps extends StackProps {
  /** The fleet spec. */
  readonly spec: IdentitySpec;
  /** The account's plan. @internal */
  readonly _plan: PlannedAccount;
  /** The audiences of each provider, by provider ARN. @internal */
  readonly _audiences: Map<string, string[]>;
  /** The spec file, for error messages. @default - none */
  readonly specFile?: string;
}

/**
 * The stack of one account of a fleet: the OIDC provider of every cluster issuer whose roles live
 * in this account (one per issuer, retained on delete), and the roles shared by several clusters
 * (one trust statement per cluster issuer) or living in another account than their clusters.
 * The clusters' own stacks import these providers and roles by their ARNs.
 */
export class FleetAccountStack extends Stack {
  /** The providers, in plan order. */
  public readonly providers: OidcProvider[] = [];
  /** The shared roles, in spec order. */
  public readonly roles: ServiceAccountRole[] = [];
  private readonly imported: PlannedProvider[];

  constructor(scope: Construct, id: string, props: FleetAccountStackProps) {
    super(scope, id, props);
    const plan = props._plan;
    this.imported = plan.imported ?? [];
    for (const p of plan.providers) {
      this.providers.push(new OidcProvider(this, `OidcProvider-${p.clusters[0]}`, {
        issuerUrl: p.issuerUrl, clientIds: props._audiences.get(p.arn),
      }));
    }
    for (const r of plan.roles) this.roles.push(this.buildRole(props.spec, r, props.specFile));
    for (const [k, v] of Object.entries(props.spec.defaults?.tags ?? {})) Tags.of(this).add(k, v);
    enforceTemplateLimits(this, [], StackLayout.SINGLE);
  }

  private buildRole(spec: IdentitySpec, r: PlannedSharedRole, specFile?: string): ServiceAccountRole {
    const { clusters: _c, ...sa } = r.spec;
    const role = sa.role ? (({ account: _a, ...rest }) => rest)(sa.role) : undefined;
    // the binder's rules and props for this one service account, as on its first cluster
    const first = r.clusters[0];
    const single: IdentitySpec = {
      defaults: spec.defaults, quotas: spec.quotas, cluster: clusterOf(first), serviceAccounts: [{ ...sa, role: { ...role, name: r.roleName } }],
    };
    const bound = bindServiceAccounts(single, spec.quotas?.managedPoliciesPerRole ?? QUOTA_RANGES.managedPoliciesPerRole.default);
    enforce(this, bound.findings, specFile);
    const b = { ...bound.bound[0], field: r.field };
    const p = b.props;
    const clusters = r.clusters.map(c => IdentityCluster.fromAttributes(this, `${r.field}-Cluster-${c.name}`, {
      clusterName: c.name,
      account: c.account,
      region: c.region,
      oidcIssuerUrl: c.oidcIssuerUrl,
      // the provider created here, else the existing one the spec imports (clusters[].oidcProvider)
      oidcProviderArn: this.providers.find(x => x.issuer === c.oidcIssuerUrl!.replace(/^https:\/\//, ''))?.providerArn
        ?? this.imported.find(x => x.clusters.includes(c.name))?.arn,
    }));
    const out = new ServiceAccountRole(this, `${sa.namespace}:${sa.name}`, {
      cluster: clusters[0],
      subjects: clusters.map(cluster => ({ cluster, namespace: sa.namespace, serviceAccountName: sa.name })),
      audience: p.audience,
      roleName: r.roleName,
      path: r.path,
      maxSessionDuration: p.maxSessionDuration,
      inlinePolicies: p.inlinePolicies,
      quotas: spec.quotas,
      description: `IRSA role of ${sa.namespace}/${sa.name} on clusters ${r.clusters.map(c => c.name).join(', ')} (cdk-eks-identity fleet)`,
      ...buildRolePolicies(this, b),
    });
    return out;
  }
}

function clusterOf(c: FleetClusterSpec) {
  const { fargate: _f, oidcProvider: _p, manifests: _m, ...cluster } = c;
  return cluster;
}
