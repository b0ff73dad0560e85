import * as iam from 'aws-cdk-lib/aws-iam';
import { bindKarpenterAddon, BoundKarpenter, checkNoKarpenterKeys } from './bind-karpenter';
import { bindManagedPolicy, bindPolicyDocument, checkBoundary, ManagedPolicyRef } from './bind-policy';
import { IdentitySpec } from './types';
import { AddonSpec } from './types-addons';
import { AddonPolicyScope } from '../addons/addon-identity';
import { KARPENTER } from '../addons/karpenter';
import { findAddon } from '../addons/policy';
import { addonIds } from '../addons/registry';
import { onLiteral } from '../private/enforce';
import { checkAddonDuplicate, checkAddonMechanism, checkAddonNameSpec, checkManagedAddonName, checkManagedDuplicate, checkResolveConflicts } from '../rules/addon-spec';
import { checkAddonVersion } from '../rules/addons';
import { errorsOf, Finding } from '../rules/finding';
import { checkRoleName, checkRolePath } from '../rules/iam-role';
import { checkManagedPoliciesUnique } from '../rules/managed-policies';
import { IdentityMechanism } from '../workload-identity';

/** One add-on of the spec, bound: catalogue defaults filled in. */
export interface BoundAddon {
  readonly spec: AddonSpec;
  /** `addons[2]` */
  readonly field: string;
  /** Construct id: `Addon:<name>`, and `Addon:<name>:<namespace>:<serviceaccount>` for a later instance of the same add-on. */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly mechanism: IdentityMechanism;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** The EKS add-on name, for a managed add-on. */
  readonly managedAddonName?: string;
  /** configurationValues as the JSON string CloudFormation takes. */
  readonly configurationValues?: string;
  /** scope, copied (the catalogue reads the keys its add-on narrows). */
  readonly policyScope?: AddonPolicyScope;
  /** role.managedPolicies, bound. */
  readonly managedPolicies: ManagedPolicyRef[];
  /** role.statements as a document. */
  readonly inlinePolicy?: iam.PolicyDocument;
  /** `name: karpenter`: the KarpenterIdentity bundle. */
  readonly karpenter?: BoundKarpenter;
}

/** The podIdentityAgent section, bound. */
export interface BoundPodIdentityAgent {
  readonly addonVersion?: string;
  readonly external: boolean;
}

/** The addons and podIdentityAgent sections, with spec paths. */
export function bindAddons(spec: IdentitySpec): { bound: BoundAddon[]; agent?: BoundPodIdentityAgent; findings: Finding[] } {
  const findings: Finding[] = [];
  const known = addonIds();
  const managedNames = new Map<string, string>();
  const bound: BoundAddon[] = [];
  const instances = new Map<string, string>();
  const names = new Set<string>();
  (spec.addons ?? []).forEach((a, i) => {
    const field = `addons[${i}]`;
    const errorsBefore = errorsOf(findings).length;
    const nameErr = onLiteral(a.name, n => checkAddonNameSpec(`${field}.name`, n, known));
    findings.push(...nameErr);
    const def = findAddon(a.name);
    if (nameErr.length > 0 || !def) return;
    const version = a.version ?? def.versions[def.versions.length - 1];
    const mechanism = a.mechanism ?? IdentityMechanism.IRSA;
    const isKarpenter = def.id === KARPENTER.id;
    // karpenter's version and mechanism are checked by its binder (with Auto Mode they do not apply)
    if (!isKarpenter) {
      findings.push(
        ...checkNoKarpenterKeys(field, def.id, a),
        ...onLiteral(version, v => checkAddonVersion(`${field}.version`, def.id, v, def.versions)),
        ...onLiteral(mechanism, m => checkAddonMechanism(`${field}.mechanism`, def.id, m, def.mechanisms)),
      );
    }
    findings.push(
      ...onLiteral(a.role?.name, n => checkRoleName(`${field}.role.name`, n)),
      ...onLiteral(a.role?.path, p => checkRolePath(`${field}.role.path`, p)),
      ...(a.role?.permissionsBoundary !== undefined ? checkBoundary(`${field}.role.permissionsBoundary`, a.role.permissionsBoundary, spec.cluster.region) : []),
      ...onLiteral(a.role?.managedPolicies, m => checkManagedPoliciesUnique(`${field}.role.managedPolicies`, m, spec.cluster.region)),
    );
    const managedPolicies = (a.role?.managedPolicies ?? []).map((m, j) => {
      const r = bindManagedPolicy(`${field}.role.managedPolicies[${j}]`, m, spec.cluster.region);
      findings.push(...r.findings);
      return r.ref;
    });
    let inlinePolicy: iam.PolicyDocument | undefined;
    if (a.role?.statements && a.role.statements.length > 0) {
      const d = bindPolicyDocument(a.role.statements, `${field}.role.statements`, `the role of add-on ${def.id}`);
      findings.push(...d.findings);
      inlinePolicy = d.doc;
    }
    let karpenter: BoundKarpenter | undefined;
    if (isKarpenter) {
      const k = bindKarpenterAddon(a, field, spec.cluster.region, spec.cluster.name);
      findings.push(...k.findings);
      karpenter = k.bound;
    }
    let managedAddonName: string | undefined;
    if (a.managed) {
      findings.push(...checkManagedAddonName(`${field}.managed.addonName`, def.id, def.eksAddonName, a.managed.addonName));
      managedAddonName = a.managed.addonName ?? def.eksAddonName;
      if (a.managed.resolveConflicts !== undefined) {
        findings.push(...onLiteral(a.managed.resolveConflicts, r => checkResolveConflicts(`${field}.managed.resolveConflicts`, r)));
      }
      if (managedAddonName !== undefined) {
        findings.push(...checkManagedDuplicate(`${field}.managed.addonName`, managedAddonName, spec.cluster.name, managedNames.get(managedAddonName)));
        if (!managedNames.has(managedAddonName)) managedNames.set(managedAddonName, field);
      }
    }
    const namespace = a.namespace ?? def.defaultNamespace;
    const serviceAccountName = a.serviceAccountName ?? def.defaultServiceAccount;
    const instance = `${def.id}|${namespace}|${serviceAccountName}`;
    // one error per entry: a managed duplicate has its own rule, an entry in error is reported for that first
    if (!a.managed && errorsOf(findings).length === errorsBefore) {
      findings.push(...checkAddonDuplicate(`${field}.name`, def.id, namespace, serviceAccountName, instances.get(instance)));
    }
    if (!instances.has(instance)) instances.set(instance, field);
    const id = names.has(def.id) ? `Addon:${def.id}:${namespace}:${serviceAccountName}` : `Addon:${def.id}`;
    names.add(def.id);
    bound.push({
      spec: a,
      field,
      id,
      name: def.id,
      version,
      mechanism,
      namespace,
      serviceAccountName,
      managedAddonName,
      configurationValues: a.managed?.configurationValues !== undefined ? JSON.stringify(a.managed.configurationValues) : undefined,
      policyScope: a.scope !== undefined ? { ...a.scope } : undefined,
      managedPolicies,
      inlinePolicy,
      karpenter,
    });
  });
  // a YAML spec may say `podIdentityAgent: true` (the TypeScript type is the object: jsii has no unions)
  const raw = spec.podIdentityAgent as unknown as boolean | { addonVersion?: string; external?: boolean } | undefined;
  const agent: BoundPodIdentityAgent | undefined = raw === undefined || raw === false ? undefined
    : raw === true ? { external: false } : { addonVersion: raw.addonVersion, external: !!raw.external };
  if (agent && !agent.external && managedNames.has('eks-pod-identity-agent')) {
    findings.push(...checkManagedDuplicate(`${managedNames.get('eks-pod-identity-agent')}.managed.addonName`, 'eks-pod-identity-agent', spec.cluster.name, 'podIdentityAgent'));
  }
  // whether the cluster gets the agent is an app-wide rule (pod-identity-agent-missing): the agent
  // may come from TypeScript, another stack, or be declared external
  return { bound, agent, findings: errorsOf(findings) };
}
