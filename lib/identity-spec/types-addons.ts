import { KarpenterAddonKeys } from './types-karpenter';
import { PolicyStatementSpec } from './types-service-accounts';
import { AddonPolicyScope } from '../addons/addon-identity';
import { IdentityMechanism } from '../workload-identity';

export * from './types-karpenter';

/** `managed:` of an add-on: install it as an EKS managed add-on (`AWS::EKS::Addon`). */
export interface ManagedAddonSpec {
  /**
   * The EKS add-on name.
   *
   * @default - the catalogue's EKS add-on name (an error for add-ons EKS does not offer)
   */
  readonly addonName?: string;
  /**
   * The EKS add-on version (`v1.40.0-eksbuild.1`).
   *
   * @default - EKS's default version
   */
  readonly addonVersion?: string;
  /**
   * Configuration values (an object; serialized to JSON for CloudFormation).
   *
   * @default - none
   */
  readonly configurationValues?: { [key: string]: any };
  /**
   * OVERWRITE, NONE or PRESERVE.
   *
   * @default - CloudFormation's default
   */
  readonly resolveConflicts?: string;
}

/** `role:` of an add-on. */
export interface AddonRoleSpec {
  /** @default - generated */
  readonly name?: string;
  /** @default '/' (the spec's `defaults` do not apply to add-on roles: set it here) */
  readonly path?: string;
  /** @default - none (the spec's `defaults.permissionsBoundary` does not apply to add-on roles: set it here) */
  readonly permissionsBoundary?: string;
  /** @default - none besides the catalogue's */
  readonly managedPolicies?: string[];
  /** Inline statements besides the catalogue's policy (the serviceAccounts statement format). @default - none */
  readonly statements?: PolicyStatementSpec[];
}

/**
 * One entry of `addons:`. `name: karpenter` builds Karpenter's whole AWS side
 * (`KarpenterIdentity`): `role` is the controller role, and the keys of `KarpenterAddonKeys`
 * (nodeRole, interruptionQueue, instanceProfile, autoMode, accessEntry, accessEntryType) apply to
 * it only.
 */
export interface AddonSpec extends KarpenterAddonKeys {
  /** Catalogue id. */
  readonly name: string;
  /** @default - the newest version of the catalogue */
  readonly version?: string;
  /** @default IdentityMechanism.IRSA */
  readonly mechanism?: IdentityMechanism;
  /** @default - the catalogue's */
  readonly namespace?: string;
  /** @default - the catalogue's */
  readonly serviceAccountName?: string;
  /** @default - upstream's resources */
  readonly scope?: AddonPolicyScope;
  /** @default - a generated role */
  readonly role?: AddonRoleSpec;
  /** @default - self-managed (Helm): role plus association or annotated ServiceAccount */
  readonly managed?: ManagedAddonSpec;
}

/** `podIdentityAgent:` as an object. */
export interface PodIdentityAgentSpec {
  /** @default - EKS's default version */
  readonly addonVersion?: string;
  /**
   * The agent is installed outside this spec (no add-on is created).
   *
   * @default false
   */
  readonly external?: boolean;
}
