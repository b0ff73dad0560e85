import { Stack } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { IdentityValidationError } from '../errors';
import { attachManifestOutput } from './manifest-output';
import { enforce } from '../private/enforce';
import { appRegistry } from '../private/registry';
import { checkAnnotations, checkLabels, checkNamespaceName, checkServiceAccountName } from '../rules/k8s-names';
import { checkGroupBinding, checkRbacName } from '../rules/rbac';

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
   */
  readonly name?: string;
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
    const stack = Stack.of(scope);
    let chart = CHARTS.get(stack);
    if (!chart) {
      chart = new IdentityChart(new cdk8s.App({ yamlOutputType: cdk8s.YamlOutputType.FILE_PER_CHART }), 'Identity');
      CHARTS.set(stack, chart);
      // every chart of the app, for checks that look at all Kubernetes objects (bound groups)
      appRegistry<IdentityChart>(stack, 'identity-charts').set(stack.node.path, chart);
      const c = chart;
      attachManifestOutput(stack, () => c.toYaml());
    }
    return chart;
  }

  private readonly serviceAccounts = new Map<string, kplus.ServiceAccount>();
  private readonly bindings = new Set<string>();

  private constructor(app: cdk8s.App, id: string) {
    super(app, id, { disableResourceNameHashes: true });
  }

  /** Number of Kubernetes objects in the chart. */
  public get objectCount(): number {
    return this.node.findAll().filter(c => c instanceof cdk8s.ApiObject).length;
  }

  /**
   * Adds a ServiceAccount. Names are checked against the Kubernetes rules; one object per
   * namespace and name.
   */
  public addServiceAccount(props: ServiceAccountManifestProps): kplus.ServiceAccount {
    enforce(this, [
      ...checkNamespaceName('namespace', props.namespace),
      ...checkServiceAccountName('serviceAccountName', props.name),
      ...checkLabels('labels', props.labels ?? {}),
      ...checkAnnotations('annotations', props.annotations ?? {}),
    ]);
    const key = `${props.namespace}/${props.name}`;
    if (this.serviceAccounts.has(key)) {
      throw new IdentityValidationError({
        field: 'serviceAccountName',
        value: `'${key}'`,
        rule: 'is declared twice in this stack: one ServiceAccount object per namespace and name',
        fix: 'declare the service account once; give a role several subjects with ServiceAccountRole if they share it',
      });
    }
    const sa = new kplus.ServiceAccount(this, `ServiceAccount:${key}`, {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        annotations: sortKeys(props.annotations),
        labels: sortKeys(props.labels),
      },
      automountToken: props.automountServiceAccountToken ?? false,
    });
    this.serviceAccounts.set(key, sa);
    return sa;
  }

  /**
   * Binds a Kubernetes group (the `kubernetesGroups` of access entries) to a ClusterRole: a
   * ClusterRoleBinding, or a RoleBinding in each namespace given. Returns the binding objects.
   */
  public bindGroup(props: GroupBindingProps): kplus.Resource[] {
    const name = props.name ?? defaultBindingName(props.group, props.clusterRole);
    enforce(this, [
      ...checkGroupBinding('', props.group, props.clusterRole, props.namespaces),
      ...checkRbacName('name', name, props.namespaces ? 'RoleBinding' : 'ClusterRoleBinding'),
    ]);
    const keys = props.namespaces ? props.namespaces.map(ns => `RoleBinding:${ns}/${name}`) : [`ClusterRoleBinding:${name}`];
    const taken = keys.find(k => this.bindings.has(k));
    if (taken) {
      throw new IdentityValidationError({
        field: 'name',
        value: `'${taken.split(':').slice(1).join(':')}'`,
        code: 'k8s-rbac-binding-duplicate',
        rule: `is already a ${taken.split(':')[0]} of this stack: one object per namespace and name`,
        fix: 'give the binding another name, or bind the group once (list all its namespaces in one binding)',
      });
    }
    keys.forEach(k => this.bindings.add(k));
    if (!props.namespaces) {
      const id = keys[0];
      const binding = new kplus.ClusterRoleBinding(this, id, {
        metadata: { name },
        role: kplus.ClusterRole.fromClusterRoleName(this, `${id}:ClusterRole`, props.clusterRole),
      });
      binding.addSubjects(kplus.Group.fromName(this, `${id}:Group`, props.group));
      return [binding];
    }
    return props.namespaces.map((namespace, i) => {
      const id = keys[i];
      const binding = new kplus.RoleBinding(this, id, {
        metadata: { name, namespace },
        role: kplus.ClusterRole.fromClusterRoleName(this, `${id}:ClusterRole`, props.clusterRole),
      });
      binding.addSubjects(kplus.Group.fromName(this, `${id}:Group`, props.group));
      return binding;
    });
  }

  /** Multi-document YAML of every object, in a stable order. */
  public toYaml(): string {
    const yaml = cdk8s.Yaml.stringify(...this.toJson());
    if (yaml.includes('${Token[')) {
      throw new IdentityValidationError({
        field: 'manifests',
        value: 'an unresolved CDK token',
        rule: 'reached a Kubernetes manifest, which must hold literal values only',
        fix: 'pass literal values (cluster account, region, role names) to the constructs that write manifests',
      });
    }
    return yaml;
  }
}

function sortKeys(r?: { [key: string]: string }): { [key: string]: string } | undefined {
  if (!r || Object.keys(r).length === 0) return undefined;
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function defaultBindingName(group: string, clusterRole: string): string {
  const name = `${group}-${clusterRole}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  return name || 'group-binding';
}

/**
 * Names of the groups bound by a RoleBinding or ClusterRoleBinding in any IdentityChart of the app
 * (whether made by `bindGroup` or added to the chart directly).
 * @internal
 */
export function boundGroups(scope: IConstruct): Set<string> {
  const groups = new Set<string>();
  for (const chart of appRegistry<IdentityChart>(scope, 'identity-charts').values()) {
    for (const obj of chart.node.findAll().filter((c): c is cdk8s.ApiObject => c instanceof cdk8s.ApiObject)) {
      if (obj.apiGroup !== RBAC_GROUP || (obj.kind !== 'RoleBinding' && obj.kind !== 'ClusterRoleBinding')) continue;
      const subjects: any[] = obj.toJson().subjects ?? [];
      subjects.filter(s => s?.kind === 'Group' && typeof s.name === 'string').forEach(s => groups.add(s.name));
    }
  }
  return groups;
}
