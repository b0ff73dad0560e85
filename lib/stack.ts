import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, CfnWaitConditionHandle, Duration, NestedStack, Stack, StackProps, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { AccessEntry, AccessEntryType } from './access/access-entry';
import { AccessPolicy, AccessPolicyAssociation } from './access/access-policy';
import { AccessScope } from './access/access-scope';
import { IdentityCluster } from './cluster';
import { IdentityValidationError } from './errors';
import { FargateProfile } from './fargate/fargate-profile';
import { PodExecutionRole } from './fargate/pod-execution-role';
import { IdentityChart } from './k8s/identity-chart';
import { ImportedClusterKubectl } from './k8s/kubectl';
import { PodIdentityAgentAddon, PodIdentityAgentAddonOptions } from './pod-identity/agent-addon';
import { addFindingsValidation, enforce, onLiteral, warn } from './private/enforce';
import { afterSynthesize } from './private/synth-hook';
import { resolveQuotas } from './quotas';
import { checkManagedPolicyArn } from './rules/arns';
import { checkProfileNameUnique } from './rules/fargate';
import { error, Finding } from './rules/finding';
import { checkCreatedNamespace, checkNamespaceName } from './rules/k8s-names';
import { assignShards, checkNamespaceSplit, checkNestedLayout, checkSingleLayout, SHARD_BUDGET, sumWeights, TemplateWeight } from './rules/layout';
import { BUILT_IN_NAMESPACES, checkManifests } from './rules/manifests';
import { checkRoleCount } from './rules/quotas';
import { IdentitySpecFile } from './spec/loader';
import { AccessEntrySpec, FargateSpec, IdentitySpec, PolicyStatementSpec, RoleSpec, ServiceAccountSpec, StackLayout } from './spec/types';
import { IdentityMechanism, WorkloadIdentity } from './workload-identity';

/**
 * Properties of a `WorkloadIdentityStack`.
 */
export interface WorkloadIdentityStackProps extends StackProps {
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
}

/** Spec key of each construct prop, so errors name the spec path. */
const SPEC_KEY: Record<string, string> = {
  namespace: 'namespace',
  serviceAccountName: 'name',
  tokenExpiration: 'tokenExpirationSeconds',
  stsRegionalEndpoints: 'stsRegionalEndpoints',
  audience: 'audience',
  existingRoleArn: 'existingRoleArn',
  labels: 'labels',
  annotations: 'annotations',
  roleName: 'role.name',
  roleNamePrefix: 'role.name',
  path: 'role.path',
  maxSessionDuration: 'role.maxSessionDuration',
  managedPolicies: 'role.managedPolicies',
  inlinePolicies: 'role.statements',
  trustPolicy: 'name',
  mechanism: 'mechanism',
};

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
  public static fromSpecFile(scope: Construct, id: string, file: string, props: StackProps = {}): WorkloadIdentityStack {
    return new WorkloadIdentityStack(scope, id, { ...props, spec: IdentitySpecFile.load(file) });
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

  private readonly shardStacks = new Map<string, NestedStack>();
  /** createNamespaces with apply: Namespace objects are applied in-stack before their namespace's objects */
  private readonly appliesNamespaces: boolean;

  constructor(scope: Construct, id: string, props: WorkloadIdentityStackProps) {
    const spec = props.spec;
    super(scope, id, {
      ...props,
      stackName: props.stackName ?? spec.stackName,
      env: props.env ?? { account: spec.cluster.account, region: spec.cluster.region },
      description: props.description ?? `Workload identity of EKS cluster ${spec.cluster.name} (cdk-eks-identity)`,
    });
    const quotas = resolveQuotas(this, spec.quotas);
    const serviceAccounts = spec.serviceAccounts ?? [];
    const manifests = spec.manifests ?? {};
    this.layout = spec.layout ?? StackLayout.SINGLE;
    this.appliesNamespaces = !!manifests.apply && !!manifests.createNamespaces;
    if (!Object.values(StackLayout).includes(this.layout)) {
      throw new IdentityValidationError({
        field: 'layout', value: `'${this.layout}'`, rule: 'is not a layout', fix: 'use single (one template) or nested (one nested stack per namespace)',
      });
    }

    enforce(this, checkManifests(manifests, spec.cluster));
    const needsIrsa = serviceAccounts.some(sa =>
      (sa.mechanism ?? IdentityMechanism.IRSA) === IdentityMechanism.IRSA && sa.existingRoleArn === undefined);
    if (needsIrsa && spec.cluster.oidcIssuerUrl === undefined && spec.oidcProvider?.arn === undefined) {
      throw new IdentityValidationError({
        field: 'cluster.oidcIssuerUrl',
        value: '(missing)',
        rule: 'is required once any service account uses irsa: trust policies are keyed on the issuer',
        fix: 'add it from: aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer --output text',
      });
    }

    const seen = new Map<string, number>();
    serviceAccounts.forEach((sa, i) => {
      const key = `${sa.namespace}/${sa.name}`;
      if (seen.has(key)) {
        throw new IdentityValidationError({
          field: `serviceAccounts[${i}].name`,
          value: `'${key}'`,
          rule: `is already declared as serviceAccounts[${seen.get(key)}]: one entry per namespace and service account`,
          fix: 'merge the two entries',
        });
      }
      seen.set(key, i);
    });

    // a single template that cannot hold the roles fails before they are built
    const createdRoles = serviceAccounts.filter(sa => sa.existingRoleArn === undefined).length;
    if (this.layout === StackLayout.SINGLE) {
      enforce(this, checkSingleLayout('layout', this.node.path, { resources: createdRoles, bytes: 0 }));
    }

    if (manifests.apply) {
      this.kubectl = new ImportedClusterKubectl(this, 'Kubectl', {
        clusterName: spec.cluster.name,
        kubernetesVersion: spec.cluster.kubernetesVersion,
        kubectlLayer: props.kubectlLayer,
        role: iam.Role.fromRoleArn(this, 'KubectlRole', manifests.kubectlRoleArn!),
        subnets: manifests.subnetIds?.map((s, i) => ec2.Subnet.fromSubnetId(this, `KubectlSubnet${i}`, s)),
        securityGroups: manifests.securityGroupIds?.map((g, i) => ec2.SecurityGroup.fromSecurityGroupId(this, `KubectlSecurityGroup${i}`, g)),
      });
    }

    this.cluster = IdentityCluster.fromAttributes(this, 'Cluster', {
      clusterName: spec.cluster.name,
      account: spec.cluster.account,
      region: spec.cluster.region,
      oidcIssuerUrl: spec.cluster.oidcIssuerUrl,
      oidcProviderArn: spec.oidcProvider?.arn,
      oidcProviderThumbprints: spec.oidcProvider?.thumbprints,
      kubernetesVersion: spec.cluster.kubernetesVersion,
      platformVersion: spec.cluster.platformVersion,
      authenticationMode: spec.cluster.authenticationMode,
      kubectlCluster: this.kubectl?.cluster,
      overwriteManifests: manifests.overwrite,
    });

    // Fargate first: a Pod Identity service account in a namespace Fargate takes is then
    // reported on the service account (serviceAccounts[i].namespace).
    if (spec.fargate) {
      this.podExecutionRole = this.buildFargate(spec.fargate, spec);
    }

    // where each service account goes: this stack, or its namespace's shard
    const place = this.layout === StackLayout.NESTED ? this.planNested(serviceAccounts, !!manifests.apply) : () => this;

    if (manifests.createNamespaces) {
      const chart = IdentityChart.forStack(this);
      const firstIndex = new Map<string, number>();
      serviceAccounts.forEach((sa, i) => { if (!firstIndex.has(sa.namespace)) firstIndex.set(sa.namespace, i); });
      for (const [ns, i] of firstIndex) {
        if (BUILT_IN_NAMESPACES.includes(ns)) continue;
        const field = `serviceAccounts[${i}].namespace`;
        enforce(this, [...checkNamespaceName(field, ns), ...checkCreatedNamespace(field, ns)]);
        chart.addNamespace({ name: ns, cluster: this.cluster, owner: manifests.apply ? this.namespaceOwner(ns) : this });
      }
    }

    serviceAccounts.forEach((sa, i) => {
      const field = `serviceAccounts[${i}]`;
      const key = `${sa.namespace}/${sa.name}`;
      const target = place(sa);
      this.workloads.push(withSpecPath(field, () => new WorkloadIdentity(target, key.replace(/\//g, ':'), {
        cluster: this.cluster,
        namespace: sa.namespace,
        serviceAccountName: sa.name,
        mechanism: sa.mechanism,
        existingRoleArn: sa.existingRoleArn,
        podIdentity: sa.podIdentity && {
          targetRoleArn: sa.podIdentity.targetRoleArn,
          disableSessionTags: sa.podIdentity.disableSessionTags,
          sessionPolicy: sa.podIdentity.sessionPolicy && this.policyDocument(sa.podIdentity.sessionPolicy.statements, `${field}.podIdentity.sessionPolicy.statements`, 'session policy'),
        },
        audience: sa.audience,
        stsRegionalEndpoints: sa.stsRegionalEndpoints,
        tokenExpiration: sa.tokenExpirationSeconds !== undefined ? Duration.seconds(sa.tokenExpirationSeconds) : undefined,
        automountServiceAccountToken: sa.automountServiceAccountToken,
        verify: sa.verify,
        labels: sa.labels,
        annotations: sa.annotations,
        quotas: spec.quotas,
        ...(sa.existingRoleArn === undefined ? this.roleOptions(target, sa, field, spec) : {}),
      })));
    });

    if (props.podIdentityAgentAddon) {
      this.podIdentityAgentAddon = new PodIdentityAgentAddon(this, 'PodIdentityAgent', { cluster: this.cluster, ...props.podIdentityAgentAddon });
    }
    this.addAccessEntries(spec.accessEntries ?? []);
    (spec.rbac ?? []).forEach((b, i) => {
      try {
        withFieldPath(`rbac[${i}]`, f => f, () => IdentityChart.forStack(this).bindGroup({
          group: b.group,
          clusterRole: b.clusterRole,
          namespaces: b.namespaces,
          cluster: this.cluster,
        }));
      } catch (e) {
        if (IdentityValidationError.isIdentityValidationError(e) && e.code === 'k8s-rbac-binding-duplicate') {
          throw new IdentityValidationError({
            field: `rbac[${i}]`,
            value: e.value,
            rule: e.rule,
            code: e.code,
            fix: 'merge the rbac items that bind this group to this ClusterRole into one (list all their namespaces there)',
          });
        }
        throw e;
      }
    });

    for (const [k, v] of Object.entries(spec.defaults?.tags ?? {})) Tags.of(this).add(k, v);
    const created = this.workloads.filter(w => w.serviceAccountRole !== undefined || w.podIdentityRole !== undefined).length
      + (this.podExecutionRole ? 1 : 0);
    enforce(this, checkRoleCount('serviceAccounts', created, quotas.rolesPerAccount));

    // every template within CloudFormation's limits: now (the spec), at synth (constructs added
    // since, by TypeScript users) and after synth (the bytes written)
    // a spec with only Kubernetes objects (rbac, say) would give a template without resources,
    // which CloudFormation refuses: hold the stack with a no-op handle
    if (countResources(this) === 0 && this.namespaceStacks.length === 0) {
      new CfnWaitConditionHandle(this, 'NoAwsResources');
    }
    enforce(this, this.limitFindings());
    addFindingsValidation(this, () => this.limitFindings());
    afterSynthesize(this, session => enforce(this, this.limitFindings(session.outdir)));
  }

  /**
   * The template limits, per stack of this layout: resources counted in the construct tree, bytes
   * read from the written templates (after synth).
   */
  private limitFindings(outdir?: string): Finding[] {
    const stacks: Stack[] = [this, ...this.namespaceStacks];
    return stacks.flatMap(stack => {
      // before synth: resources in the construct tree; after: the bytes written (CloudFormation
      // counts the template as uploaded, indentation included)
      const size = outdir
        ? { resources: 0, bytes: fs.statSync(path.join(outdir, stack.templateFile)).size }
        : { resources: countResources(stack), bytes: 0 };
      return this.layout === StackLayout.SINGLE
        ? checkSingleLayout('layout', stack.node.path, size)
        : checkNestedLayout('layout', stack.node.path, size);
    });
  }

  /** The fargate section: one pod execution role, then the profiles, chained in spec order. */
  private buildFargate(fargate: FargateSpec, spec: IdentitySpec): PodExecutionRole {
    const boundaryArn = spec.defaults?.permissionsBoundary;
    enforce(this, onLiteral(boundaryArn, a => checkManagedPolicyArn('defaults.permissionsBoundary', a)));
    const roleFields: Record<string, string> = { roleName: 'fargate.podExecutionRole.name', path: 'defaults.rolePath' };
    const role = withFieldMap(f => roleFields[f] ?? `fargate.podExecutionRole.${f}`,
      () => new PodExecutionRole(this, 'FargatePodExecutionRole', {
        cluster: this.cluster,
        roleName: fargate.podExecutionRole?.name,
        path: spec.defaults?.rolePath,
        permissionsBoundary: boundaryArn !== undefined && !Token.isUnresolved(boundaryArn)
          ? iam.ManagedPolicy.fromManagedPolicyArn(this, 'FargatePodExecutionRoleBoundary', boundaryArn) : undefined,
      }));
    const names = new Map<string, string>();
    (fargate.profiles ?? []).forEach((p, k) => {
      const prefix = `fargate.profiles[${k}]`;
      enforce(this, checkProfileNameUnique(`${prefix}.name`, p.name, names.get(p.name)));
      names.set(p.name, prefix);
      this.fargateProfiles.push(withFieldMap(f => `${prefix}.${f.replace(/^fargateProfileName/, 'name')}`,
        () => new FargateProfile(this, `FargateProfile:${p.name}`, {
          cluster: this.cluster,
          podExecutionRole: role,
          fargateProfileName: p.name,
          selectors: p.selectors ?? [],
          subnetIds: p.subnetIds,
          quotas: spec.quotas,
        })));
    });
    return role;
  }

  /** Spec statements -> a PolicyDocument, checked as an identity policy. */
  private policyDocument(statements: PolicyStatementSpec[], field: string, what: string): iam.PolicyDocument {
    const doc = new iam.PolicyDocument({
      statements: statements.map(s => new iam.PolicyStatement({
        sid: s.sid,
        effect: s.effect === 'Deny' ? iam.Effect.DENY : iam.Effect.ALLOW,
        actions: s.actions,
        notActions: s.notActions,
        resources: s.resources,
        notResources: s.notResources,
        conditions: s.conditions,
      })),
    });
    // aws-cdk-lib's own identity-policy rules (actions and resources present, no principals...)
    const problems = doc.validateForIdentityPolicy();
    if (problems.length > 0) {
      enforce(this, [error('iam-policy-statement', field, problems[0],
        `is not a valid ${what}`, 'give every statement actions (or notActions) and resources (or notResources)')]);
    }
    return doc;
  }

  private addAccessEntries(entries: AccessEntrySpec[]): void {
    const seen = new Map<string, number>();
    entries.forEach((e, i) => {
      const field = `accessEntries[${i}]`;
      const first = seen.get(e.principalArn);
      if (first !== undefined) {
        throw new IdentityValidationError({
          field: `${field}.principalArn`,
          value: `'${e.principalArn}'`,
          code: 'access-entry-duplicate-principal',
          rule: `already has an access entry (accessEntries[${first}]): EKS allows one entry per principal and cluster, a second fails at deploy with ResourceInUseException`,
          fix: 'merge the two entries into one (one entry takes several groups and access policies)',
        });
      }
      seen.set(e.principalArn, i);
      const accessPolicies: AccessPolicyAssociation[] = (e.accessPolicies ?? []).map(p => ({
        policy: p.policy.startsWith('arn:') ? AccessPolicy.fromArn(p.policy) : AccessPolicy.fromName(p.policy),
        scope: p.namespaces === undefined ? AccessScope.cluster() : AccessScope.namespaces(...p.namespaces),
      }));
      this.accessEntries.push(withFieldPath(field, specFieldOfAccessEntry, () => new AccessEntry(this, `AccessEntry:${e.principalArn.replace(/\//g, ':')}`, {
        cluster: this.cluster,
        principalArn: e.principalArn,
        type: e.type as AccessEntryType | undefined,
        username: e.username,
        kubernetesGroups: e.kubernetesGroups,
        accessPolicies,
        tags: e.tags,
      })));
    });
  }

  /**
   * `layout: nested`: each namespace in a nested stack; a namespace that outgrows one template is
   * split into 2, 4, 8... shards by a stable hash of the service account name. Only the spec decides
   * where a service account goes, so adding one never moves another (until its namespace doubles
   * its shards, which is announced with a warning).
   */
  private planNested(serviceAccounts: ServiceAccountSpec[], apply: boolean): (sa: ServiceAccountSpec) => Construct {
    const byNamespace = new Map<string, ServiceAccountSpec[]>();
    for (const sa of serviceAccounts) {
      const list = byNamespace.get(sa.namespace);
      if (list) list.push(sa);
      else byNamespace.set(sa.namespace, [sa]);
    }
    const shardOfSa = new Map<ServiceAccountSpec, number>();
    for (const [ns, list] of byNamespace) {
      // each service account's role, and the namespace's in-stack apply resource on top
      const items = list.map(sa => ({ name: sa.name, weight: estimateWeight(sa) }));
      const { shards, shardOfItem } = assignShards(items, apply ? { ...SHARD_BUDGET, resources: SHARD_BUDGET.resources - 2 } : SHARD_BUDGET);
      list.forEach((sa, i) => shardOfSa.set(sa, shardOfItem[i]));
      if (shards > 1) {
        warn(this.shardStack(ns, 0), checkNamespaceSplit('layout', ns, shards, sumWeights(items.map(i => i.weight))));
      }
    }
    // the nested stacks in a stable order: namespaces as they first appear, then shard numbers
    for (const [ns, list] of byNamespace) {
      const used = new Set(list.map(sa => shardOfSa.get(sa)!));
      if (this.appliesNamespaces && !BUILT_IN_NAMESPACES.includes(ns)) used.add(0);
      for (const shard of [...used].sort((a, b) => a - b)) this.shardStack(ns, shard);
    }
    return sa => this.shardStack(sa.namespace, shardOfSa.get(sa)!);
  }

  /** Where a namespace's Namespace object is applied: its first shard, or this stack. */
  private namespaceOwner(namespace: string): Construct {
    return this.layout === StackLayout.NESTED ? this.shardStack(namespace, 0) : this;
  }

  /** The nested stack of one namespace shard: `Namespace-<ns>`, `Namespace-<ns>:1`... (created on first use). */
  private shardStack(namespace: string, shard: number): NestedStack {
    const id = shard === 0 ? `Namespace-${namespace}` : `Namespace-${namespace}:${shard}`;
    let stack = this.shardStacks.get(id);
    if (!stack) {
      stack = new NestedStack(this, id, {
        description: `Workload identity of namespace ${namespace}${shard === 0 ? '' : ` (shard ${shard})`} (cdk-eks-identity)`,
      });
      this.shardStacks.set(id, stack);
      this.namespaceStacks.push(stack);
      // the namespace's Namespace object is applied from its first shard (created first)
      const first = this.shardStacks.get(`Namespace-${namespace}`);
      if (shard > 0 && this.appliesNamespaces && first) stack.addStackDependency(first);
    }
    return stack;
  }

  private roleOptions(scope: Construct, sa: ServiceAccountSpec, field: string, spec: IdentitySpec) {
    const role: RoleSpec = sa.role ?? {};
    const boundaryArn = role.permissionsBoundary ?? spec.defaults?.permissionsBoundary;
    const findings: Finding[] = [
      ...onLiteral(boundaryArn, a => checkManagedPolicyArn(role.permissionsBoundary ? `${field}.role.permissionsBoundary` : 'defaults.permissionsBoundary', a)),
    ];
    const managed = (role.managedPolicies ?? []).map((p, j) => {
      const f = `${field}.role.managedPolicies[${j}]`;
      if (p.startsWith('arn:')) {
        findings.push(...checkManagedPolicyArn(f, p));
        return iam.ManagedPolicy.fromManagedPolicyArn(scope, `${field}-Managed${j}`, p);
      }
      if (!/^([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/.test(p)) {
        findings.push(error('iam-policy-name', f, p, 'is neither an AWS-managed policy name nor a policy ARN',
          'use a name with its path such as service-role/AmazonEBSCSIDriverPolicy, or a full arn:aws:iam::... ARN'));
      }
      return iam.ManagedPolicy.fromAwsManagedPolicyName(p);
    });
    enforce(this, findings);
    let inlinePolicies: Record<string, iam.PolicyDocument> | undefined;
    if (role.statements && role.statements.length > 0) {
      inlinePolicies = { Inline: this.policyDocument(role.statements, `${field}.role.statements`, 'identity policy') };
    }
    return {
      roleName: role.name,
      roleNamePrefix: role.name === undefined ? spec.defaults?.roleNamePrefix : undefined,
      path: role.path ?? spec.defaults?.rolePath,
      maxSessionDuration: role.maxSessionDuration !== undefined ? Duration.seconds(role.maxSessionDuration) : undefined,
      managedPolicies: managed.length > 0 ? managed : undefined,
      inlinePolicies,
      permissionsBoundary: boundaryArn !== undefined && !Token.isUnresolved(boundaryArn)
        ? iam.ManagedPolicy.fromManagedPolicyArn(scope, `${field}-Boundary`, boundaryArn) : undefined,
    };
  }
}

/** Errors that already name a top-level spec section keep their field. */
const TOP_LEVEL = new Set(['cluster', 'oidcProvider', 'defaults', 'quotas', 'manifests', 'serviceAccounts', 'fargate']);

/**
 * Re-throws construct errors with their field as the spec names it; `map` returns undefined for
 * fields that already name a spec path (`cluster.*`, `quotas.*`...), which are kept.
 */
function remapErrors<T>(map: (field: string) => string | undefined, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (!IdentityValidationError.isIdentityValidationError(e)) throw e;
    const field = map(e.field);
    if (field === undefined || field === e.field) throw e;
    throw new IdentityValidationError({ field, value: e.value, rule: e.rule, fix: e.fix, code: e.code });
  }
}

const startsWithAny = (field: string, prefixes: string[]) => prefixes.some(p => field.startsWith(p));

/** Errors of the fargate section: `cluster.*` and `quotas.*` fields stay as they are. */
function withFieldMap<T>(map: (field: string) => string, build: () => T): T {
  return remapErrors(f => (startsWithAny(f, ['quotas.', 'cluster.']) ? undefined : map(f)), build);
}

/** Errors of a service account, with its spec path (`serviceAccounts[2].namespace`). */
function withSpecPath<T>(prefix: string, build: () => T): T {
  return remapErrors(f => {
    if (f.includes('[')) return undefined;
    const [head, ...rest] = f.split('.');
    if (TOP_LEVEL.has(head)) return undefined;
    return [`${prefix}.${head.startsWith('subjects') ? 'name' : (SPEC_KEY[head] ?? head)}`, ...rest].join('.');
  }, build);
}

/** Construct field -> spec field of an access entry (`accessPolicies[0].scope.namespaces` -> `accessPolicies[0].namespaces`). */
function specFieldOfAccessEntry(field: string): string {
  if (field === 'principal') return 'principalArn';
  return field.replace(/\.scope\.namespaces/, '.namespaces').replace(/\.scope$/, '.namespaces');
}

/** Errors of an access entry or rbac item, with its spec path (`accessEntries[1].username`). */
function withFieldPath<T>(prefix: string, map: (field: string) => string, build: () => T): T {
  return remapErrors(f => (startsWithAny(f, ['cluster.', 'manifests']) ? undefined : `${prefix}.${map(f)}`), build);
}

/** Resources of one template: CloudFormation resources of `stack`, not those of its nested stacks. */
function countResources(stack: Stack): number {
  let n = 0;
  const visit = (c: IConstruct) => {
    for (const child of c.node.children) {
      if (Stack.isStack(child)) continue;
      if (CfnResource.isCfnResource(child)) n++;
      visit(child);
    }
  };
  visit(stack);
  return n;
}

/**
 * What one service account adds to a template: its role (none with existingRoleArn), and about
 * that many bytes (trust policy, description, tags, policies as CDK writes them).
 */
function estimateWeight(sa: ServiceAccountSpec): TemplateWeight {
  // Pod Identity adds its association (and its role unless one is brought)
  const association = sa.mechanism === IdentityMechanism.POD_IDENTITY ? 1 : 0;
  if (sa.existingRoleArn !== undefined) return { resources: association, bytes: association * 600 };
  return { resources: 1 + association, bytes: 1500 + association * 600 + 3 * JSON.stringify(sa.role ?? {}).length };
}
