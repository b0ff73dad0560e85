import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { OurAccessEntry } from '../../model/collect';
import type { FargateProfileRecord, RoleRecord, ServiceAccountRecord } from '../../rules/app-model';

/**
 * What the identity map shows beyond the app-wide identity model (`lib/model/`): values the model
 * leaves out because they are tokens or only matter for the map (the verify flag, the pod
 * execution role of a profile, an access entry's resource, the role construct). Each is attached
 * to the model record it belongs to (no path look-ups): the model stays the source of what exists.
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
  /** the principal's `iam.Role`, when the entry was given a role object */
  readonly principalRole?: IConstruct;
}

/** @internal */
export interface FargateProfileMapRecord {
  /** the name given (may be a token); undefined: CloudFormation generates one */
  readonly name?: string;
  readonly selectors: ReadonlyArray<{ readonly namespace: string; readonly labels?: { readonly [key: string]: string } }>;
  readonly podExecutionRoleArn: string;
  /** the pod execution role's `iam.IRole` */
  readonly podExecutionRole?: IConstruct;
  /** the construct, for tokens */
  readonly scope: IConstruct;
}

const WORKLOADS = new WeakMap<ServiceAccountRecord, WorkloadRecord>();
const ACCESS_ENTRIES = new WeakMap<OurAccessEntry, AccessEntryRecord>();
const PROFILES = new WeakMap<FargateProfileRecord, FargateProfileMapRecord>();
const ROLES = new WeakMap<RoleRecord, IConstruct>();
const ROLE_RECORDS = new WeakMap<IConstruct, RoleRecord>();

/** @internal */
export function recordWorkload(record: ServiceAccountRecord, r: WorkloadRecord): void {
  WORKLOADS.set(record, r);
}

/** @internal */
export function recordAccessEntry(record: OurAccessEntry, r: AccessEntryRecord): void {
  ACCESS_ENTRIES.set(record, r);
}

/** @internal */
export function recordFargateProfile(record: FargateProfileRecord, r: FargateProfileMapRecord): void {
  PROFILES.set(record, r);
}

/** The `iam.Role` of a role record. @internal */
export function recordRoleConstruct(record: RoleRecord, role: IConstruct): void {
  ROLES.set(record, role);
  ROLE_RECORDS.set(role, record);
}

/** The map's records, by the model record they belong to. @internal */
export const mapRecords = {
  workload: (r: ServiceAccountRecord) => WORKLOADS.get(r),
  accessEntry: (r: OurAccessEntry) => ACCESS_ENTRIES.get(r),
  fargateProfile: (r: FargateProfileRecord) => PROFILES.get(r),
  role: (r: RoleRecord) => ROLES.get(r),
  roleRecord: (role: IConstruct) => ROLE_RECORDS.get(role),
};

/** @internal */
export type MapRecords = typeof mapRecords;

/** The deployable stack of `stack`: a nested stack's map is its top-level stack's. @internal */
export function topLevelStack(stack: Stack): Stack {
  let s = stack;
  while (s.nestedStackParent) s = s.nestedStackParent;
  return s;
}
