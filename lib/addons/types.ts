import type { AddonPolicyScope } from './addon-identity';
/**
 * The shapes of the add-on catalogue: plain data, no CDK. Each add-on is one file in this folder
 * (`lib/addons/<catalogue id>.ts`); `registry.ts` lists them.
 */

/** One IAM statement as plain JSON (Sid left out: it does not change what a statement admits). */
export interface PolicyStatementJson {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: { [operator: string]: { [key: string]: string | string[] } };
  readonly Sid?: string;
}

/** Narrowing inputs for the resources upstream leaves at `*` or at a sample ARN (the public `AddonPolicyScope`). */
export type AddonScope = AddonPolicyScope;

/** Where the policy is used: values upstream leaves as placeholders. */
export interface AddonPolicyContext {
  /** AWS partition: `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`, `aws-eusc`. */
  readonly partition: string;
  /** Region of the cluster (`*` when unknown; Karpenter needs it). */
  readonly region?: string;
  /** Account id of the cluster (`*` when unknown; Karpenter needs it). */
  readonly account?: string;
  /** Cluster name (Karpenter needs it). */
  readonly clusterName?: string;
  /** ARN of the Karpenter node role the controller passes to EC2. */
  readonly nodeRoleArn?: string;
  /** ARN of the Karpenter interruption queue. */
  readonly interruptionQueueArn?: string;
  /** Narrowing inputs. */
  readonly scope?: AddonScope;
}

/** A document context with every placeholder resolved. */
export interface ResolvedContext {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly clusterName?: string;
  readonly nodeRoleArn?: string;
  readonly interruptionQueueArn?: string;
  readonly scope: AddonScope;
  /** The version, to ask `since()` about. */
  readonly version: string;
}

/** One policy document an add-on publishes (one upstream file). */
export interface AddonDocument {
  /** Our name for it, e.g. `controller`, `aga`. */
  readonly name: string;
  /** The upstream file name (per partition where upstream ships variants). */
  readonly upstreamFile: (partition: string) => string;
  /** First version that publishes it (default: the first catalogued version). */
  readonly since?: string;
  /** First version that no longer publishes it (default: none). */
  readonly until?: string;
  /** Left out of a plain install when this context value is not set. */
  readonly defaultOnlyWith?: 'interruptionQueueArn';
  /** Partitions upstream publishes a file for, by version (default: every partition, rendered from the `aws` file). */
  readonly partitions?: (version: string) => string[];
  /** Context values it cannot do without. */
  readonly requires?: Array<'clusterName' | 'nodeRoleArn' | 'interruptionQueueArn' | 'region' | 'account'>;
  /** Its statements. */
  readonly statements: (ctx: ResolvedContext) => PolicyStatementJson[];
  /** What it is for, one line. */
  readonly description: string;
}

/** One add-on of the catalogue. */
export interface AddonDefinition {
  /** Catalogue id (the upstream project's usual name). */
  readonly id: string;
  readonly description: string;
  /** Upstream repository. */
  readonly repository: string;
  readonly defaultNamespace: string;
  readonly defaultServiceAccount: string;
  /** Supported mechanisms. */
  readonly mechanisms: Array<'irsa' | 'podIdentity'>;
  /** The EKS managed add-on name, when EKS offers one. */
  readonly eksAddonName?: string;
  /** Known versions, oldest first (as upstream's release tags or docs versions name them). */
  readonly versions: string[];
  /** Documents, each with the versions that publish it. */
  readonly documents: AddonDocument[];
  /** Documents a plain install gets. */
  readonly defaultDocuments: string[];
  /** AWS managed policy names the add-on needs (instead of, or besides, its documents). */
  readonly managedPolicies?: string[];
  /** AWS managed policies upstream names as equivalents of its documents. */
  readonly managedEquivalents?: string[];
  /** What changed, per version that changed something. */
  readonly changes: { [version: string]: string };
  /** The Helm chart of a self-managed install, and the values key that holds its service account. */
  readonly helm?: AddonHelmChart;
}

/** Where a chart's values hold the service account (`serviceAccount`, `controller.serviceAccount`...). */
export interface AddonHelmChart {
  /** `repo/chart` (or an OCI reference) as upstream's install instructions name it. */
  readonly chart: string;
  /** Dotted values key of the service account block (its `create`, `name`, `annotations`). */
  readonly serviceAccountKey: string;
  /** Values the identity needs besides the service account (cluster name, region...), one line. */
  readonly notes?: string;
}

// ---- helpers for writing statements -------------------------------------------------------

/** A statement; `resource` may be one string. */
export function allow(actions: string[], resource: string | string[], condition?: PolicyStatementJson['Condition']): PolicyStatementJson {
  return {
    Effect: 'Allow',
    Action: actions,
    Resource: typeof resource === 'string' ? [resource] : resource,
    ...(condition ? { Condition: condition } : {}),
  };
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function arn(ctx: { partition: string }, service: string, region: string, account: string, resource: string): string {
  return `arn:${ctx.partition}:${service}:${region}:${account}:${resource}`;
}

/** Version compare on the numbers in the names (`v2.13.4`, `v1.14`, `v1.9` < `v1.10`). */
export function compareVersions(a: string, b: string): number {
  const na = (a.match(/\d+/g) ?? []).map(Number);
  const nb = (b.match(/\d+/g) ?? []).map(Number);
  for (let i = 0; i < Math.max(na.length, nb.length); i++) {
    const d = (na[i] ?? 0) - (nb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** True when `version` is `first` or later. */
export function since(version: string, first: string): boolean {
  return compareVersions(version, first) >= 0;
}

/** The items whose `since` (the key) the version has reached, flattened. */
export function added<T>(version: string, byVersion: { [first: string]: T[] }): T[] {
  return Object.entries(byVersion).filter(([first]) => since(version, first)).flatMap(([, items]) => items);
}

/** The scope value, or the fallback when the scope was left open. */
export function scoped(values: string[] | undefined, fallback: string[]): string[] {
  return values && values.length > 0 ? values : fallback;
}

/** The statement with a Sid. */
export function sid(name: string, statement: PolicyStatementJson): PolicyStatementJson {
  return { Sid: name, ...statement };
}
