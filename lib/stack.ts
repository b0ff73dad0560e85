import { NestedStack, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { AccessEntry } from './access/access-entry';
import { IdentityCluster, IdentityClusterAttributes } from './cluster';
import { FargateProfile } from './fargate/fargate-profile';
import { PodExecutionRole } from './fargate/pod-execution-role';
import { bindSpec } from './identity-spec/bind';
import { IdentitySpecFile } from './identity-spec/loader';
import { IdentitySpec, StackLayout } from './identity-spec/types';
import { buildAccessEntries, buildRbac } from './identity-stack/build-access';
import { buildAddon, buildPodIdentityAgent } from './identity-stack/build-addons';
import { buildFargate } from './identity-stack/build-fargate';
import { buildWorkload } from './identity-stack/build-workloads';
import { BuiltAddon } from './identity-stack/built-addon';
import { NamespaceShards } from './identity-stack/nested-layout';
import { enforceTemplateLimits } from './identity-stack/template-limits';
import { IdentityChart } from './k8s/identity-chart';
import { ImportedClusterKubectl } from './k8s/kubectl';
import { IdentityLockProps, WorkloadIdentityStackFileProps } from './lock/lock-props';
import { StackLockSession } from './lock/stack-lock';
import { PodIdentityAgentAddon, PodIdentityAgentAddonOptions } from './pod-identity/agent-addon';
import { enforce, toError } from './private/enforce';
import { reserveRoleNames } from './private/generated-names';
import { checkFleetKey } from './rules/app-fleet';
import { checkSingleLayout } from './rules/layout';
import { checkRoleCount } from './rules/quotas';
import { WorkloadIdentity } from './workload-identity';

/**
 * Properties of a `WorkloadIdentityStack`.
 */
export interface WorkloadIdentityStackProps extends StackProps, IdentityLockProps {
  /** The identity spec (the same shape as identity.yaml). */
  readonly spec: IdentitySpec;

  /**
   * Create the `eks-pod-identity-agent` add-on on the cluster (TypeScript only; Pod Identity
   * needs it, EKS Auto Mode runs it already).
   *
   * @default - not created: install it yourself (aws eks create-addon --addon-name eks-pod-identity-agent)
   */
  readonly podIdentityAgentAddon?: PodIdentityAgentAddonOptions;

  /**
   * The kubectl layer for `manifests.apply` (a `LayerVersion.fromLayerVersionArn`, or a layer of
   * another stack of the app).
   *
   * @default - `@aws-cdk/lambda-layer-kubectl-v<minor>` of `cluster.kubernetesVersion`, from your project
   */
  readonly kubectlLayer?: lambda.ILayerVersion;

  /**
   * The file `spec` was read from: every error about the spec names it first
   * (`identity.yaml: serviceAccounts[0].namespace: ...`). `fromSpecFile` sets it.
   *
   * @default - none: errors name the spec path only
   */
  readonly specFile?: string;
}

/**
 * One deployable stack with the whole identity of one EKS cluster, from an `IdentitySpec`:
 * the OIDC provider, IRSA roles and the ServiceAccount manifests (`<artifactId>.k8s.yaml`),
 * applied in-stack with `manifests.apply`.
 *
 * With `layout: nested` each namespace's resources go to a nested stack of their own (split by a
 * stable hash when a namespace outgrows one template); the OIDC provider and the kubectl provider
 * stay in this stack. Either way it is one `cdk deploy`.
 *
 * The stack's environment is the cluster's account and region unless `env` says otherwise.
 */
export class WorkloadIdentityStack extends Stack {
  /**
   * A stack from a spec file (YAML or JSON).
   */
  public static fromSpecFile(scope: Construct, id: string, file: string, props: WorkloadIdentityStackFileProps = {}): WorkloadIdentityStack {
    return new WorkloadIdentityStack(scope, id, { ...props, spec: IdentitySpecFile.load(file), specFile: file });
  }

  /** The cluster reference. */
  public readonly cluster: IdentityCluster;
  /** The workloads, in spec order. */
  public readonly workloads: WorkloadIdentity[] = [];
  /** The Fargate pod execution role, when the spec has a fargate section. */
  public readonly podExecutionRole?: PodExecutionRole;
  /** The Fargate profiles, in spec order. */
  public readonly fargateProfiles: FargateProfile[] = [];
  /** The eks-pod-identity-agent add-on, when `podIdentityAgentAddon` is set. */
  public readonly podIdentityAgentAddon?: PodIdentityAgentAddon;
  /** The access entries, in spec order. */
  public readonly accessEntries: AccessEntry[] = [];
  /** The layout. */
  public readonly layout: StackLayout;
  /** The nested stacks of `layout: nested`, one per namespace shard, by construct id. */
  public readonly namespaceStacks: NestedStack[] = [];
  /** The kubectl provider of `manifests.apply`. */
  public readonly kubectl?: ImportedClusterKubectl;
  /** The add-ons of the spec's `addons:`, in spec order. */
  public readonly addons: BuiltAddon[] = [];
  /** The agent add-on of the spec's `podIdentityAgent:`. */
  public readonly specPodIdentityAgent?: PodIdentityAgentAddon;

  constructor(scope: Construct, id: string, props: WorkloadIdentityStackProps) {
    const spec = props.spec;
    if (spec.clusters !== undefined) throw toError(checkFleetKey('clusters', 'clusters', 'build a spec with clusters with IdentityFleet (IdentityFleet.fromSpecFile), or write cluster: instead')[0], props.specFile);
    super(scope, id, {
      ...props,
      stackName: props.stackName ?? spec.stackName,
      env: props.env ?? { account: spec.cluster.account, region: spec.cluster.region },
      description: props.description ?? `Workload identity of EKS cluster ${spec.cluster.name} (cdk-eks-identity)`,
    });

    // bind: every spec-level rule, with spec paths, before anything is built
    const bound = bindSpec(spec, { podIdentityAgentFromProps: props.podIdentityAgentAddon !== undefined });
    enforce(this, bound.findings, props.specFile);
    // the lock file beside the spec: names and placement of deployed resources (none: today's output)
    const lock = StackLockSession.open(this, spec, { specFile: props.specFile, lockFile: props.lockFile, mode: props.lockMode });
    const serviceAccounts = lock.serviceAccounts(bound.serviceAccounts);
    // given role names are claimed before any default name is generated, so a default name that
    // equals a given one gets the hash suffix wherever the two stand in the spec
    reserveRoleNames(this, [
      ...(bound.fargate?.roleName !== undefined ? [{ name: bound.fargate.roleName, field: 'fargate.podExecutionRole.name' }] : []),
      ...bound.serviceAccounts.filter(sa => sa.props.roleName !== undefined)
        .map(sa => ({ name: sa.props.roleName!, field: `${sa.field}.role.name` })),
    ]);
    const manifests = spec.manifests ?? {};
    this.layout = bound.layout;
    // a single template that cannot hold the roles fails before they are built
    if (this.layout === StackLayout.SINGLE) {
      enforce(this, checkSingleLayout('layout', this.node.path, { resources: bound.createdRoles, bytes: 0 }));
    }

    // build, in this order (it decides the order of the templates' resources)
    if (manifests.apply) this.kubectl = buildKubectl(this, spec, props.kubectlLayer);
    this.cluster = IdentityCluster.fromAttributes(this, 'Cluster', clusterAttributes(spec, this.kubectl));
    if (bound.fargate) {
      const fargate = buildFargate(this, this.cluster, bound.fargate, spec.quotas);
      this.podExecutionRole = fargate.role;
      this.fargateProfiles.push(...fargate.profiles);
    }
    // where each service account goes: this stack, or its namespace's shard
    const shards = new NamespaceShards(this, this.namespaceStacks, !!manifests.apply && !!manifests.createNamespaces);
    const nested = this.layout === StackLayout.NESTED;
    if (nested) shards.plan(serviceAccounts, !!manifests.apply, (list, planned, weights, budget) => lock.placement(list, planned, weights, budget));
    for (const ns of bound.namespaces) {
      IdentityChart.forStack(this).addNamespace({
        name: ns, cluster: this.cluster, owner: manifests.apply ? (nested ? shards.shard(ns, 0) : this) : this,
      });
    }
    for (const sa of serviceAccounts) {
      this.workloads.push(buildWorkload(nested ? shards.of(sa) : this, this.cluster, sa));
    }
    if (props.podIdentityAgentAddon) {
      this.podIdentityAgentAddon = new PodIdentityAgentAddon(this, 'PodIdentityAgent', { cluster: this.cluster, ...props.podIdentityAgentAddon });
    }
    lock.keepProvider(this.cluster);
    this.specPodIdentityAgent = buildPodIdentityAgent(this, this.cluster, bound.podIdentityAgent);
    for (const a of bound.addons) this.addons.push(buildAddon(this, this.cluster, a));
    this.accessEntries.push(...buildAccessEntries(this, this.cluster, bound.accessEntries));
    buildRbac(this, this.cluster, bound.rbac);
    for (const [k, v] of Object.entries(spec.defaults?.tags ?? {})) Tags.of(this).add(k, v);

    const created = this.workloads.filter(w => w.serviceAccountRole !== undefined || w.podIdentityRole !== undefined).length
      + (this.podExecutionRole ? 1 : 0)
      // every add-on creates its role; karpenter its node role too
      + this.addons.reduce((n, a) => n + 1 + (a.karpenter?.controller ? 1 : 0), 0);
    enforce(this, checkRoleCount('serviceAccounts', created, bound.quotas.rolesPerAccount));
    enforceTemplateLimits(this, this.namespaceStacks, this.layout);
    lock.finish({
      serviceAccounts,
      workloads: this.workloads,
      podExecutionRole: this.podExecutionRole,
      fargateProfiles: this.fargateProfiles,
      accessEntries: this.accessEntries,
      cluster: this.cluster,
    });
  }
}

/** The kubectl provider of `manifests.apply`. */
function buildKubectl(stack: Stack, spec: IdentitySpec, kubectlLayer?: lambda.ILayerVersion): ImportedClusterKubectl {
  const manifests = spec.manifests ?? {};
  return new ImportedClusterKubectl(stack, 'Kubectl', {
    clusterName: spec.cluster.name,
    kubernetesVersion: spec.cluster.kubernetesVersion,
    kubectlLayer,
    role: iam.Role.fromRoleArn(stack, 'KubectlRole', manifests.kubectlRoleArn!),
    subnets: manifests.subnetIds?.map((s, i) => ec2.Subnet.fromSubnetId(stack, `KubectlSubnet${i}`, s)),
    securityGroups: manifests.securityGroupIds?.map((g, i) => ec2.SecurityGroup.fromSecurityGroupId(stack, `KubectlSecurityGroup${i}`, g)),
  });
}

function clusterAttributes(spec: IdentitySpec, kubectl?: ImportedClusterKubectl): IdentityClusterAttributes {
  return {
    clusterName: spec.cluster.name,
    account: spec.cluster.account,
    region: spec.cluster.region,
    oidcIssuerUrl: spec.cluster.oidcIssuerUrl,
    oidcProviderArn: spec.oidcProvider?.arn,
    oidcProviderThumbprints: spec.oidcProvider?.thumbprints,
    kubernetesVersion: spec.cluster.kubernetesVersion,
    platformVersion: spec.cluster.platformVersion,
    authenticationMode: spec.cluster.authenticationMode,
    kubectlCluster: kubectl?.cluster,
    overwriteManifests: spec.manifests?.overwrite,
  };
}
