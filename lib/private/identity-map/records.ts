import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * What the identity map shows beyond the app-wide identity model (`lib/model/`): values the model
 * leaves out because they are tokens or only matter for the map (the verify flag, the pod
 * execution role of a profile, an access entry's resource). Keyed by the construct path of the
 * model record they belong to; the model stays the source of what exists.
 */

/** @internal */
export interface WorkloadRecord {
  /** the role ARN as the ServiceAccount or association uses it (may be a token) */
  readonly roleArn: string;
  /** the `iam.Role` created for the workload, when one was */
  readonly role?: IConstruct;
  /** Pod Identity role chaining: the role the pods end up with */
  readonly targetRoleArn?: string;
  readonly verify: boolean;
}

/** @internal */
export interface AccessEntryRecord {
  /** `<cluster name>` as the model labels clusters: `'name'` or the reference's path */
  readonly clusterLabel: string;
  readonly resource: CfnResource;
  readonly effectiveUsername?: string;
  /** construct path of the principal's `iam.Role`, when the entry was given a role object */
  readonly principalRolePath?: string;
}

/** @internal */
export interface FargateProfileMapRecord {
  /** the name given (may be a token); undefined: CloudFormation generates one */
  readonly name?: string;
  readonly selectors: ReadonlyArray<{ readonly namespace: string; readonly labels?: { readonly [key: string]: string } }>;
  readonly podExecutionRoleArn: string;
  /** construct path of the pod execution role's `iam.Role`, when it is one of ours */
  readonly podExecutionRolePath?: string;
}

/** The map's records of one app. @internal */
export interface MapRecords {
  readonly workloads: Map<string, WorkloadRecord>;
  readonly accessEntries: Map<string, AccessEntryRecord>;
  readonly fargateProfiles: Map<string, FargateProfileMapRecord>;
}

const STORES = new WeakMap<IConstruct, MapRecords>();

/** @internal */
export function mapRecordsOf(scope: IConstruct): MapRecords {
  const root = scope.node.root;
  let s = STORES.get(root);
  if (!s) {
    s = { workloads: new Map(), accessEntries: new Map(), fargateProfiles: new Map() };
    STORES.set(root, s);
  }
  return s;
}

/** @internal */
export function recordWorkload(scope: IConstruct, r: WorkloadRecord): void {
  mapRecordsOf(scope).workloads.set(scope.node.path, r);
}

/** @internal */
export function recordAccessEntry(scope: IConstruct, r: AccessEntryRecord): void {
  mapRecordsOf(scope).accessEntries.set(scope.node.path, r);
}

/** @internal */
export function recordFargateProfile(scope: IConstruct, r: FargateProfileMapRecord): void {
  mapRecordsOf(scope).fargateProfiles.set(scope.node.path, r);
}

/** The deployable stack of `stack`: a nested stack's map is its top-level stack's. @internal */
export function topLevelStack(stack: Stack): Stack {
  let s = stack;
  while (s.nestedStackParent) s = s.nestedStackParent;
  return s;
}
