import { Stack } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { IdentityValidationError } from '../errors';
import { attachManifestOutput } from './manifest-output';
import { enforce } from '../private/enforce';
import { checkAnnotations, checkLabels, checkNamespaceName, checkServiceAccountName } from '../rules/k8s-names';

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

const CHARTS = new WeakMap<Stack, IdentityChart>();

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
      const c = chart;
      attachManifestOutput(stack, () => c.toYaml());
    }
    return chart;
  }

  private readonly serviceAccounts = new Map<string, kplus.ServiceAccount>();

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
