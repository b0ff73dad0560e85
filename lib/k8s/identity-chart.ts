import { Stack } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import type { IIdentityCluster } from '../cluster';
import { cdk8sPlus } from './cdk8s-plus';
import { InStackApply } from './in-stack-apply';
import { attachManifestOutput } from './manifest-output';
import { isPlainServiceAccount, ServiceAccountData, serviceAccountJson, serviceAccountYaml } from './service-account-yaml';
import { IdentityModel } from '../model/identity-model';
import { clusterKey } from '../private/cluster-key';
import { pathOf } from '../private/construct-path';
import { enforce } from '../private/enforce';
import { k8sNames, pickName } from '../private/generated-names';
import type { RbacBindingRecord } from '../rules/app-model';
import { checkAnnotations, checkLabels, checkNamespaceName, checkServiceAccountName } from '../rules/k8s-names';
import { checkManifestLiteral, checkServiceAccountUnique } from '../rules/k8s-objects';
import { bindingIdentity, checkBindingNameFree, checkGroupBinding, checkRbacName, defaultBindingName } from '../rules/rbac';

/**
 * A ServiceAccount object for the chart.
 */
export interface ServiceAccountManifestProps {
  /** Service account name. */
  readonly name: string;

  /** Namespace. */
  readonly namespace: string;

  /**
   * Annotations (already validated by the caller for `eks.amazonaws.com/*` semantics).
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Labels.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Mount the service account token into pods automatically. cdk8s-plus writes `false` unless
   * told otherwise (Kubernetes' own default is true).
   *
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;

  /**
   * The cluster the object belongs to. When it has a kubectl provider
   * (`IIdentityCluster.kubectlCluster`), the object is also applied in-stack.
   *
   * @default - written to the manifest file only
   */
  readonly cluster?: IIdentityCluster;

  /**
   * The construct the object belongs to: its stack (a nested stack, say) holds the in-stack apply
   * of the object's namespace batch.
   *
   * @default - the chart's stack
   */
  readonly owner?: IConstruct;
}

/**
 * A Namespace object for the chart.
 */
export interface NamespaceManifestProps {
  /** Namespace name. */
  readonly name: string;

  /**
   * The cluster the namespace belongs to (applied in-stack when it has a kubectl provider).
   *
   * @default - written to the manifest file only
   */
  readonly cluster?: IIdentityCluster;

  /**
   * The construct whose stack applies the namespace in-stack.
   *
   * @default - the chart's stack
   */
  readonly owner?: IConstruct;
}

/**
 * A Kubernetes group bound to a ClusterRole, cluster-wide or in some namespaces.
 */
export interface GroupBindingProps {
  /**
   * The group, as access entries name it in `kubernetesGroups`.
   */
  readonly group: string;

  /**
   * The ClusterRole to bind, e.g. `view`, `edit`, `admin`, `cluster-admin` or one of your own.
   */
  readonly clusterRole: string;

  /**
   * Namespaces to bind it in (one RoleBinding each, referring to the ClusterRole).
   *
   * @default - one ClusterRoleBinding: cluster-wide
   */
  readonly namespaces?: string[];

  /**
   * Name of the binding objects.
   *
   * @default `<group>-<clusterRole>`, lower-cased, characters other than letters, digits, '-' and '.' replaced by '-'
   * (a later binding whose default name another binding of the stack has ends in `-` + 8 hex characters)
   */
  readonly name?: string;

  /**
   * The cluster the binding belongs to. When it has a kubectl provider
   * (`IIdentityCluster.kubectlCluster`), the binding is also applied in-stack.
   *
   * @default - written to the manifest file only
   */
  readonly cluster?: IIdentityCluster;
}

const CHARTS = new WeakMap<Stack, IdentityChart>();
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * The Kubernetes objects of one CDK stack, built with cdk8s-plus-28 in a cdk8s App of their own
 * (a cdk8s Chart cannot live under a CDK Stack). Written at synth as `<artifactId>.k8s.yaml` into
 * the cloud assembly, and applied in-stack when a kubectl provider is configured.
 */
export class IdentityChart extends cdk8s.Chart {
  /**
   * The chart of the stack that contains `scope` (created on first use).
   */
  public static forStack(scope: IConstruct): IdentityChart {
    // a nested stack's objects belong to its top-level stack: one manifest file per deployable unit
    let stack = Stack.of(scope);
    while (stack.nestedStackParent) stack = stack.nestedStackParent;
    let chart = CHARTS.get(stack);
    if (!chart) {
      chart = new IdentityChart(new cdk8s.App({ yamlOutputType: cdk8s.YamlOutputType.FILE_PER_CHART }), 'Identity', stack);
      CHARTS.set(stack, chart);
      const c = chart;
      // the groups its RBAC objects bind, read once the app is built (objects added directly count too)
      const model = IdentityModel.of(stack);
      model.groupSources.push(() => boundGroupsOf(c));
      model.rbacSources.push({ place: stack.node.path, read: () => rbacBindingsOf(c) });
      attachManifestOutput(stack, () => c.toYaml());
    }
    return chart;
  }

  /** The top-level CDK stack whose `<artifactId>.k8s.yaml` this chart is. */
  public readonly stack: Stack;

  private readonly serviceAccounts = new Set<string>();
  /** the ServiceAccounts of workloads written without a cdk8s-plus object, by their place in the tree */
  private readonly plainServiceAccounts = new Map<IConstruct, ServiceAccountData>();
  private readonly namespaces = new Map<string, kplus.Namespace>();
  private readonly apply: InStackApply;

  private constructor(app: cdk8s.App, id: string, stack: Stack) {
    super(app, id, { disableResourceNameHashes: true });
    this.stack = stack;
    this.apply = new InStackApply(stack);
  }

  /** Number of in-stack apply resources (`Custom::AWSCDK-EKS-KubernetesResource`) made for this chart. */
  public get applyResourceCount(): number {
    return this.apply.size;
  }

  /**
   * Adds a Namespace object (once per name).
   */
  public addNamespace(props: NamespaceManifestProps): kplus.Namespace {
    enforce(this, checkNamespaceName('namespace', props.name));
    const existing = this.namespaces.get(props.name);
    if (existing) return existing;
    const ns = new (cdk8sPlus().Namespace)(this, `Namespace:${props.name}`, { metadata: { name: props.name } });
    this.namespaces.set(props.name, ns);
    this.apply.add(cdk8s.ApiObject.of(ns), props.name, true, props.cluster, props.owner);
    this.record('Namespace', '', props.name, props.cluster, props.owner);
    return ns;
  }

  /** Number of Kubernetes objects in the chart. */
  public get objectCount(): number {
    return this.node.findAll().filter(c => c instanceof cdk8s.ApiObject).length + this.plainServiceAccounts.size;
  }

  /**
   * Adds a ServiceAccount. Names are checked against the Kubernetes rules; one object per
   * namespace and name.
   */
  public addServiceAccount(props: ServiceAccountManifestProps): kplus.ServiceAccount {
    const key = this.checkServiceAccount(props);
    const sa = new (cdk8sPlus().ServiceAccount)(this, `ServiceAccount:${key}`, {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: sortKeys(props.annotations),
        labels: sortKeys(props.labels),
      },
      automountToken: props.automountServiceAccountToken ?? false,
    });
    this.serviceAccounts.add(key);
    this.apply.add(cdk8s.ApiObject.of(sa), props.namespace, false, props.cluster, props.owner);
    this.record('ServiceAccount', props.namespace, props.name, props.cluster, props.owner);
    return sa;
  }

  /**
   * The ServiceAccount of a workload, which nobody else gets hold of: the same checks, the same
   * place in the tree and the same bytes as `addServiceAccount`, without a cdk8s-plus object when
   * no in-stack apply needs one and every scalar of it is plain (then the chart writes its
   * document itself: a fraction of the cost, at thousands of workloads). Otherwise `addServiceAccount`.
   * @internal
   */
  public _addWorkloadServiceAccount(props: ServiceAccountManifestProps): void {
    const data: ServiceAccountData = {
      name: props.name,
      namespace: props.namespace,
      annotations: sortKeys(props.annotations),
      labels: sortKeys(props.labels),
      automountToken: props.automountServiceAccountToken ?? false,
    };
    if (props.cluster?.kubectlCluster !== undefined || process.env.CDK8S_DISABLE_SORT || !isPlainServiceAccount(data)) {
      this.addServiceAccount(props);
      return;
    }
    const key = this.checkServiceAccount(props);
    // where the cdk8s-plus ServiceAccount would be: the chart's order of objects is the tree's
    this.plainServiceAccounts.set(new Construct(this, `ServiceAccount:${key}`), data);
    this.serviceAccounts.add(key);
    this.record('ServiceAccount', props.namespace, props.name, props.cluster, props.owner);
  }

  private checkServiceAccount(props: ServiceAccountManifestProps): string {
    enforce(this, [
      ...checkNamespaceName('namespace', props.namespace),
      ...checkServiceAccountName('serviceAccountName', props.name),
      ...checkLabels('labels', props.labels ?? {}),
      ...checkAnnotations('annotations', props.annotations ?? {}),
    ]);
    const key = `${props.namespace}/${props.name}`;
    enforce(this, checkServiceAccountUnique('serviceAccountName', key, this.serviceAccounts.has(key)));
    return key;
  }

  /**
   * Binds a Kubernetes group (the `kubernetesGroups` of access entries) to a ClusterRole: a
   * ClusterRoleBinding, or a RoleBinding in each namespace given. Returns the binding objects.
   */
  public bindGroup(props: GroupBindingProps): kplus.Resource[] {
    const kind = props.namespaces ? 'RoleBinding' : 'ClusterRoleBinding';
    const plain = props.name ?? defaultBindingName(props.group, props.clusterRole);
    enforce(this, [
      ...checkGroupBinding('', props.group, props.clusterRole, props.namespaces),
      ...checkRbacName('name', plain, kind),
    ]);
    // a default name another binding holds (in one of the namespaces) gets a suffix: one name per binding
    const spaces = (props.namespaces ?? [undefined]).map(ns => k8sNames(this, kind, ns));
    const identity = props.name === undefined ? bindingIdentity(props.group, props.clusterRole) : undefined;
    const name = identity === undefined ? plain : pickName(spaces, plain, identity, 253);
    const held = spaces.map(s => s.holder(name)).findIndex(h => h !== undefined);
    if (held >= 0) {
      const h = spaces[held].holder(name)!;
      enforce(this, checkBindingNameFree('name', kind, props.namespaces?.[held], name, { generated: h.identity !== undefined, what: h.what }, identity === undefined));
    }
    spaces.forEach(s => s.claim(name, { identity, what: `group '${props.group}' bound to ClusterRole '${props.clusterRole}'` }));
    const keys = props.namespaces ? props.namespaces.map(ns => `RoleBinding:${ns}/${name}`) : [`ClusterRoleBinding:${name}`];
    const plus = cdk8sPlus();
    if (!props.namespaces) {
      const id = keys[0];
      const binding = new plus.ClusterRoleBinding(this, id, {
        metadata: { name },
        role: plus.ClusterRole.fromClusterRoleName(this, `${id}:ClusterRole`, props.clusterRole),
      });
      binding.addSubjects(plus.Group.fromName(this, `${id}:Group`, props.group));
      // cluster-scoped objects get a batch of their own ('ClusterScoped' is no namespace name)
      this.apply.add(cdk8s.ApiObject.of(binding), 'ClusterScoped', false, props.cluster);
      this.record('ClusterRoleBinding', '', name, props.cluster);
      return [binding];
    }
    return props.namespaces.map((namespace, i) => {
      const id = keys[i];
      const binding = new plus.RoleBinding(this, id, {
        metadata: { name, namespace },
        role: plus.ClusterRole.fromClusterRoleName(this, `${id}:ClusterRole`, props.clusterRole),
      });
      binding.addSubjects(plus.Group.fromName(this, `${id}:Group`, props.group));
      this.apply.add(cdk8s.ApiObject.of(binding), namespace, false, props.cluster);
      this.record('RoleBinding', namespace, name, props.cluster);
      return binding;
    });
  }

  /** The object in the app's identity model: one object per (cluster, kind, namespace, name) across the app. */
  private record(kind: string, namespace: string, name: string, cluster?: IIdentityCluster, owner?: IConstruct): void {
    IdentityModel.of(this.stack).addK8sObject({
      path: pathOf(owner ?? this.stack),
      cluster: cluster ? clusterKey(cluster) : undefined,
      kind,
      namespace,
      name,
      place: pathOf(this.stack),
    });
  }

  /** Every object of the chart, in the chart's order (the workloads' ServiceAccounts included). */
  public toJson(): any[] {
    return this.documents().map(d => d.json ?? serviceAccountJson(d.plain!));
  }

  /** Multi-document YAML of every object, in a stable order. */
  public toYaml(): string {
    // what cdk8s.Yaml.stringify(...this.toJson()) writes: one document each, joined by '---\n'
    const yaml = this.documents().map(d => (d.plain ? serviceAccountYaml(d.plain) : cdk8s.Yaml.stringify(d.json))).join('---\n');
    enforce(this, checkManifestLiteral('manifests', yaml));
    return yaml;
  }

  /**
   * cdk8s's objects of the chart (`Chart.toJson`), with the plain ServiceAccounts where their
   * constructs are in the chart's dependency order (cdk8s orders the objects by it).
   */
  private documents(): Array<{ json?: any; plain?: ServiceAccountData }> {
    const objects: any[] = super.toJson();
    if (this.plainServiceAccounts.size === 0) return objects.map(json => ({ json }));
    const docs: Array<{ json?: any; plain?: ServiceAccountData }> = [];
    let next = 0;
    for (const c of new cdk8s.DependencyGraph(this.node).topology()) {
      const plain = this.plainServiceAccounts.get(c);
      if (plain) docs.push({ plain });
      else if (c instanceof cdk8s.ApiObject && cdk8s.Chart.of(c) === this) docs.push({ json: objects[next++] });
    }
    if (next !== objects.length) throw new Error(`IdentityChart: ${objects.length} objects from cdk8s, ${next} in the chart's order`);
    return docs;
  }
}

function sortKeys(r?: { [key: string]: string }): { [key: string]: string } | undefined {
  if (!r || Object.keys(r).length === 0) return undefined;
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Names of the groups bound by a RoleBinding or ClusterRoleBinding of the chart (whether made by `bindGroup` or added directly). */
function boundGroupsOf(chart: IdentityChart): string[] {
  return rbacBindingsOf(chart).flatMap(b => b.subjects.filter(x => x.kind === 'Group').map(x => x.name));
}

/** The RoleBindings and ClusterRoleBindings of the chart (whether made by `bindGroup` or added directly), in chart order. */
function rbacBindingsOf(chart: IdentityChart): RbacBindingRecord[] {
  const out: RbacBindingRecord[] = [];
  for (const obj of chart.node.findAll()) {
    if (!(obj instanceof cdk8s.ApiObject) || obj.apiGroup !== RBAC_GROUP || (obj.kind !== 'RoleBinding' && obj.kind !== 'ClusterRoleBinding')) continue;
    const json = obj.toJson();
    const subjects: any[] = json.subjects ?? [];
    out.push({
      kind: obj.kind,
      name: String(json.metadata?.name ?? ''),
      namespace: obj.kind === 'RoleBinding' ? String(json.metadata?.namespace ?? '') : '',
      roleRef: { kind: String(json.roleRef?.kind ?? ''), name: String(json.roleRef?.name ?? '') },
      subjects: subjects.filter(x => typeof x?.name === 'string').map(x => ({
        kind: String(x.kind), name: x.name, ...(typeof x.namespace === 'string' ? { namespace: x.namespace } : {}),
      })),
    });
  }
  return out;
}
