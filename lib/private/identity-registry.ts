import { IConstruct } from 'constructs';
import { appRegistry } from './registry';

/**
 * The app-wide registry of Fargate pod execution roles (name `fargate-pod-execution-roles`):
 * key = the literal role ARN when it is known at synth, else the node path of the role;
 * value = the construct path of the PodExecutionRole (or of its import). EKS creates the access
 * entry of these roles itself, so other checks (access entries) read this registry.
 */
export const POD_EXECUTION_ROLES_REGISTRY = 'fargate-pod-execution-roles';

/** A Fargate profile of the app, for the checks that span constructs. */
export interface FargateProfileRecord {
  readonly construct: IConstruct;
  /** literal profile name, when known */
  readonly name?: string;
  readonly selectors: ReadonlyArray<{ readonly namespace: string; readonly labels?: Record<string, string> }>;
  /** `Fargate profile 'web' (Stack/Web)` */
  readonly where: string;
}

/** A Pod Identity association of the app. */
export interface AssociationRecord {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** construct path */
  readonly where: string;
}

/** Fargate profiles per cluster key, in creation order (the chain EKS needs). */
export function fargateProfilesOf(scope: IConstruct, cluster: string): FargateProfileRecord[] {
  const reg = appRegistry<FargateProfileRecord[]>(scope, 'fargate-profiles');
  let list = reg.get(cluster);
  if (!list) {
    list = [];
    reg.set(cluster, list);
  }
  return list;
}

/** Pod Identity associations per cluster key, by `<namespace>/<service account>`. */
export function associationsOf(scope: IConstruct, cluster: string): Map<string, AssociationRecord> {
  const reg = appRegistry<Map<string, AssociationRecord>>(scope, 'pod-identity-associations');
  let map = reg.get(cluster);
  if (!map) {
    map = new Map();
    reg.set(cluster, map);
  }
  return map;
}
