/**
 * The karpenter section, bound: a raw object at a spec path -> `KarpenterIdentity` props (without
 * the cluster and the managed policy objects), or findings with spec paths. Pure.
 *
 * It checks the shape itself (unknown keys, types: TypeScript specs skip the JSON Schema) and
 * then the construct's rules, so the same mistake reads `karpenter.nodeRole.name` here and
 * `nodeRoleName` in TypeScript.
 */
import { bindManagedPolicy, ManagedPolicyRef } from './bind-policy';
import { AddonSpec } from './types-addons';
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
export type KarpenterBinding = Omit<KarpenterIdentityProps, 'cluster' | 'nodeRoleManagedPolicies' | 'permissionsBoundary' | 'controllerManagedPolicies' | 'controllerInlinePolicies'>;

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

/** The keys of an `addons:` entry that only karpenter takes. */
export const KARPENTER_ADDON_KEYS = ['nodeRole', 'interruptionQueue', 'instanceProfile', 'autoMode', 'accessEntry', 'accessEntryType'] as const;

/** `addons[i].nodeRole` (and the other karpenter keys) on an add-on that is not karpenter. */
export function checkNoKarpenterKeys(field: string, addon: string, entry: object): Finding[] {
  return KARPENTER_ADDON_KEYS.filter(k => (entry as Record<string, unknown>)[k] !== undefined).flatMap(k =>
    specShape(at(field, k), show((entry as Record<string, unknown>)[k]), `is a key of the karpenter add-on only, not of ${addon}`,
      'remove it, or move it to the entry with name: karpenter'));
}

/**
 * An `addons:` entry with `name: karpenter`, at `field` (`addons[3]`): its version, mechanism,
 * service account and karpenter keys through `bindKarpenter`; `role.name` and `role.path` become
 * the controller role name and the roles' path (the caller checks them at `role.*`). `scope` and
 * `managed` do not apply: Karpenter's policies are scoped to the cluster by tag conditions, and
 * EKS offers no Karpenter add-on (Auto Mode runs it for you: `autoMode: true`).
 */
export function bindKarpenterAddon(entry: AddonSpec, field: string, region: string,
  clusterName?: string): { bound?: BoundKarpenter; findings: Finding[] } {
  const findings: Finding[] = [];
  const e = entry as unknown as Record<string, unknown>;
  if (e.scope !== undefined) {
    findings.push(...specShape(at(field, 'scope'), show(e.scope), 'does not apply to karpenter: its policies are scoped to the cluster by tag conditions',
      'remove scope (the cluster name narrows the controller policies)'));
  }
  // without addonName, addon-not-managed says it (the add-on rule)
  if (entry.managed?.addonName !== undefined) {
    findings.push(...specShape(at(field, 'managed.addonName'), show(entry.managed.addonName), 'does not apply to karpenter: EKS offers no Karpenter add-on',
      'install Karpenter with its Helm chart (leave out managed:), or use EKS Auto Mode with autoMode: true'));
  }
  const role = entry.role ?? {};
  const nodePath = entry.nodeRole?.path;
  if (role.path !== undefined && nodePath !== undefined && role.path !== nodePath) {
    findings.push(...specShape(at(field, 'nodeRole.path'), show(nodePath), `differs from role.path ${show(role.path)}: the controller role, the node role and the instance profile share one path`,
      'give the path once, in role.path or nodeRole.path'));
  }
  if (entry.autoMode === true) {
    for (const k of ['name', 'managedPolicies', 'statements'] as const) {
      if (role[k] === undefined) continue;
      findings.push(...specShape(at(field, `role.${k}`), show(role[k]), 'does not apply with autoMode: EKS Auto Mode runs Karpenter itself, there is no controller role',
        `remove role.${k}, or set autoMode: false`));
    }
  }
  const raw: Record<string, unknown> = {};
  for (const k of ['version', 'mechanism', 'namespace', 'serviceAccountName', ...KARPENTER_ADDON_KEYS]) {
    if (e[k] !== undefined) raw[k] = e[k];
  }
  const r = bindKarpenter(raw, field, region, clusterName);
  findings.push(...r.findings);
  if (!r.bound || errorsOf(findings).length > 0) return { findings };
  return {
    bound: {
      ...r.bound,
      props: { ...r.bound.props, controllerRoleName: role.name, rolePath: r.bound.props.rolePath ?? role.path },
    },
    findings,
  };
}
