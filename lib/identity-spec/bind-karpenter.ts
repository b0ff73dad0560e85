/**
 * The karpenter section, bound: a raw object at a spec path -> `KarpenterIdentity` props (without
 * the cluster and the managed policy objects), or findings with spec paths. Pure.
 *
 * It checks the shape itself (unknown keys, types: the section is not in the JSON Schema yet) and
 * then the construct's rules, so the same mistake reads `karpenter.nodeRole.name` here and
 * `nodeRoleName` in TypeScript.
 */
import { bindManagedPolicy, ManagedPolicyRef } from './bind-policy';
import { AccessEntryType } from '../access/access-entry';
import { KARPENTER } from '../addons/karpenter';
import { KarpenterIdentityProps } from '../addons/karpenter-identity';
import { onLiteral } from '../private/enforce';
import { checkAddonVersion } from '../rules/addons';
import { editDistance } from '../rules/edit-distance';
import { errorsOf, Finding, show } from '../rules/finding';
import { checkRoleName, checkRolePath } from '../rules/iam-role';
import { checkNamespaceName, checkServiceAccountName } from '../rules/k8s-names';
import {
  checkAutoModeOptions, checkInstanceProfileName, checkInterruptionQueueName, checkNodeAccessEntryType, checkNodeRoleName,
} from '../rules/karpenter';
import { checkIdentityMechanism, specShape } from '../rules/spec-sections';
import { IdentityMechanism } from '../workload-identity';

/** The props the section sets (the cluster, boundary and managed policy objects come from the stack). */
export type KarpenterBinding = Omit<KarpenterIdentityProps, 'cluster' | 'nodeRoleManagedPolicies' | 'permissionsBoundary'>;

/** What `bindKarpenter` returns when the section holds no error. */
export interface BoundKarpenter {
  readonly props: KarpenterBinding;
  /** `nodeRole.managedPolicies`, in order. */
  readonly nodeRoleManagedPolicies: ManagedPolicyRef[];
}

type Kind = 'string' | 'boolean' | 'strings' | 'object' | 'toggle';
const KEYS: Record<string, Kind> = {
  version: 'string',
  mechanism: 'string',
  namespace: 'string',
  serviceAccountName: 'string',
  controllerRole: 'object',
  nodeRole: 'object',
  interruptionQueue: 'toggle',
  instanceProfile: 'toggle',
  autoMode: 'boolean',
  accessEntry: 'boolean',
  accessEntryType: 'string',
};
const CONTROLLER_ROLE_KEYS: Record<string, Kind> = { name: 'string' };
const NODE_ROLE_KEYS: Record<string, Kind> = { name: 'string', path: 'string', managedPolicies: 'strings' };
const NAMED_KEYS: Record<string, Kind> = { name: 'string' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (field: string, key: string) => `${field}${field ? '.' : ''}${key}`;

/** Unknown keys and wrong types of one mapping. */
function shape(field: string, raw: Record<string, unknown>, keys: Record<string, Kind>): Finding[] {
  const known = Object.keys(keys);
  return Object.entries(raw).flatMap(([k, v]): Finding[] => {
    const kind = keys[k];
    if (!kind) {
      const near = known.filter(x => editDistance(x.toLowerCase(), k.toLowerCase()) <= 2);
      return specShape(at(field, k), show(k), 'is not a key of the spec format here',
        near.length ? `did you mean ${near.map(x => `'${x}'`).join(' or ')}? known keys: ${known.join(', ')}` : `remove it; known keys here: ${known.join(', ')}`);
    }
    const ok = kind === 'string' ? typeof v === 'string'
      : kind === 'boolean' ? typeof v === 'boolean'
        : kind === 'strings' ? Array.isArray(v) && v.every(x => typeof x === 'string')
          : kind === 'object' ? isObject(v) : typeof v === 'boolean' || isObject(v);
    const want = { string: 'a string', boolean: 'true or false', strings: 'a list of strings', object: 'a mapping', toggle: 'true, false or a mapping with name' }[kind];
    return ok ? [] : specShape(at(field, k), show(v), `is not ${want}`, `write ${want}`);
  });
}

/**
 * Binds the karpenter section found at `field` (e.g. `karpenter`). `clusterName`, when known,
 * checks the default node role and queue names.
 */
export function bindKarpenter(raw: unknown, field: string, region: string, clusterName?: string): { bound?: BoundKarpenter; findings: Finding[] } {
  if (!isObject(raw)) return { findings: specShape(field, show(raw), 'is not a mapping', 'write the karpenter section as a mapping, e.g. { interruptionQueue: true }') };
  const findings = shape(field, raw, KEYS);
  const sub = (key: string, keys: Record<string, Kind>) => {
    const v = raw[key];
    return isObject(v) ? shape(at(field, key), v, keys) : [];
  };
  findings.push(...sub('controllerRole', CONTROLLER_ROLE_KEYS), ...sub('nodeRole', NODE_ROLE_KEYS),
    ...sub('interruptionQueue', NAMED_KEYS), ...sub('instanceProfile', NAMED_KEYS));
  if (errorsOf(findings).length > 0) return { findings };

  const s = raw as Record<string, any>;
  const f = (key: string) => at(field, key);
  const autoMode = s.autoMode === true;
  const toggle = (v: unknown): { name?: string } | undefined => (v === true ? {} : isObject(v) ? v as { name?: string } : undefined);
  const queue = toggle(s.interruptionQueue);
  const profile = toggle(s.instanceProfile);
  const nodeRole = (s.nodeRole ?? {}) as { name?: string; path?: string; managedPolicies?: string[] };
  const type = s.accessEntryType as string | undefined;
  findings.push(
    ...(autoMode ? checkAutoModeOptions(field, {
      interruptionQueue: queue !== undefined,
      instanceProfile: profile !== undefined,
      version: s.version !== undefined,
      mechanism: s.mechanism !== undefined,
    }) : []),
    ...(!autoMode ? onLiteral(s.version as string | undefined, v => checkAddonVersion(f('version'), KARPENTER.id, v, KARPENTER.versions)) : []),
    ...onLiteral(s.mechanism as string | undefined, m => checkIdentityMechanism(f('mechanism'), m, Object.values(IdentityMechanism))),
    ...onLiteral(s.namespace as string | undefined, n => checkNamespaceName(f('namespace'), n)),
    ...onLiteral(s.serviceAccountName as string | undefined, n => checkServiceAccountName(f('serviceAccountName'), n)),
    ...onLiteral(s.controllerRole?.name as string | undefined, n => checkRoleName(f('controllerRole.name'), n)),
    ...onLiteral(type, t => checkNodeAccessEntryType(f('accessEntryType'), t, autoMode)),
    ...onLiteral(nodeRole.name ?? (clusterName !== undefined ? `KarpenterNodeRole-${clusterName}` : undefined),
      n => checkNodeRoleName(f('nodeRole.name'), n, nodeRole.name === undefined)),
    ...onLiteral(nodeRole.path, p => checkRolePath(f('nodeRole.path'), p)),
    ...onLiteral(profile?.name, n => checkInstanceProfileName(f('instanceProfile.name'), n)),
    ...(queue ? onLiteral(queue.name ?? clusterName, n => checkInterruptionQueueName(f('interruptionQueue.name'), n, queue.name === undefined)) : []),
  );
  const managed = (nodeRole.managedPolicies ?? []).map((p, j) => bindManagedPolicy(f(`nodeRole.managedPolicies[${j}]`), p, region));
  findings.push(...managed.flatMap(m => m.findings));
  if (errorsOf(findings).length > 0) return { findings };
  return {
    bound: {
      props: {
        version: s.version,
        mechanism: s.mechanism as IdentityMechanism | undefined,
        namespace: s.namespace,
        serviceAccountName: s.serviceAccountName,
        controllerRoleName: s.controllerRole?.name,
        nodeRoleName: nodeRole.name,
        rolePath: nodeRole.path,
        autoMode: s.autoMode,
        accessEntry: s.accessEntry,
        accessEntryType: type as AccessEntryType | undefined,
        instanceProfile: profile !== undefined ? true : undefined,
        instanceProfileName: profile?.name,
        interruptionQueue: queue !== undefined ? true : undefined,
        interruptionQueueName: queue?.name,
      },
      nodeRoleManagedPolicies: managed.map(m => m.ref),
    },
    findings,
  };
}
