import { IConstruct } from 'constructs';
import { collectFromTree, OurAccessEntry } from './collect';
import { agentsInTree } from './collect-agents';
import { ensureValidation } from './validation';
import {
  AddonRecord, AppFinding, AppModelData, AssociationRecord, EksManagedRoleRecord, FargateProfileRecord, ImportedRoleRecord,
  K8sObjectRecord, OidcProviderRecord, PodIdentityAddonRecord, RbacBindingRecord, RoleRecord, ServiceAccountRecord,
} from '../rules/app-model';
import { runAppRules } from '../rules/app-rules';

const MODELS = new WeakMap<IConstruct, IdentityModel>();

/**
 * The identity model of one app (one construct tree root): every construct records what it
 * declares with one call, and the app-wide rules run once over the finished model, from one
 * validation (see `validation.ts`). Records are plain data: construct paths, never constructs.
 */
export class IdentityModel {
  /** The model of the app that holds `scope`. */
  public static of(scope: IConstruct): IdentityModel {
    const root = scope.node.root;
    let model = MODELS.get(root);
    if (!model) {
      model = new IdentityModel(root);
      MODELS.set(root, model);
    }
    ensureValidation(model, scope);
    return model;
  }

  /** Bumped on every record: the findings are computed again only when the model changed. */
  public version = 0;
  public readonly providers: OidcProviderRecord[] = [];
  public readonly roles: RoleRecord[] = [];
  public readonly importedRoles: ImportedRoleRecord[] = [];
  public readonly serviceAccounts: ServiceAccountRecord[] = [];
  public readonly associations: AssociationRecord[] = [];
  public readonly fargateProfiles: FargateProfileRecord[] = [];
  public readonly eksManagedRoles: Array<Omit<EksManagedRoleRecord, 'principalKeys' | 'clusterKeys'> & { roleArn: string; clusterName?: string; scopePath: string }> = [];
  public readonly accessEntries: OurAccessEntry[] = [];
  public readonly addons: AddonRecord[] = [];
  public readonly podIdentityAddons: PodIdentityAddonRecord[] = [];
  public readonly k8sObjects: K8sObjectRecord[] = [];
  /** the stages whose validation reports this model's findings */
  public readonly stages = new Set<IConstruct>();
  /** `path|message` of the warnings already added */
  public readonly warned = new Set<string>();
  /** Functions that return the groups bound by RBAC objects, run when access entries need them. */
  public readonly groupSources: Array<() => Iterable<string>> = [];
  /** The RBAC bindings of each top-level stack's manifest (`place` is its path), read when asked (the identity map). */
  public readonly rbacSources: Array<{ readonly place: string; readonly read: () => RbacBindingRecord[] }> = [];

  private cache?: { version: number; findings: AppFinding[] };
  private readonly profilesByCluster = new Map<string, FargateProfileRecord[]>();

  private constructor(public readonly root: IConstruct) {}

  public addProvider(r: OidcProviderRecord): void { this.providers.push(r); this.version++; }
  public addRole(r: RoleRecord): void { this.roles.push(r); this.version++; }
  public addImportedRole(r: ImportedRoleRecord): void { this.importedRoles.push(r); this.version++; }
  public addServiceAccount(r: ServiceAccountRecord): void { this.serviceAccounts.push(r); this.version++; }
  public addAssociation(r: AssociationRecord): void { this.associations.push(r); this.version++; }
  public addFargateProfile(r: FargateProfileRecord): void {
    this.fargateProfiles.push(r);
    const list = this.profilesByCluster.get(r.cluster);
    if (list) list.push(r);
    else this.profilesByCluster.set(r.cluster, [r]);
    this.version++;
  }
  public addAccessEntry(r: OurAccessEntry): void { this.accessEntries.push(r); this.version++; }
  public addAddon(r: AddonRecord): void { this.addons.push(r); this.version++; }
  public addPodIdentityAddon(r: PodIdentityAddonRecord): void { this.podIdentityAddons.push(r); this.version++; }
  public addK8sObject(r: K8sObjectRecord): void { this.k8sObjects.push(r); this.version++; }

  /**
   * A role EKS makes an access entry for by itself (a pod execution role used without an
   * `AWS::EKS::FargateProfile` resource of this app, say); those resources are found by themselves.
   */
  public addEksManagedRole(scope: IConstruct, roleArn: string, kind: EksManagedRoleRecord['kind'], clusterName?: string): void {
    this.eksManagedRoles.push({ roleArn, kind, clusterName, usedBy: scope.node.path, scopePath: scope.node.path });
    this.version++;
  }

  /** The Fargate profiles of one cluster so far, in creation order. */
  public profilesOf(cluster: string): FargateProfileRecord[] {
    return this.profilesByCluster.get(cluster) ?? [];
  }

  /** Every finding of the app-wide rules, computed once per model version. */
  public findings(): AppFinding[] {
    if (this.cache && this.cache.version === this.version) return this.cache.findings;
    const findings = runAppRules(this.data());
    this.cache = { version: this.version, findings };
    return findings;
  }

  /** Forget the findings: the next synthesis looks at the tree again. */
  public reset(): void {
    this.cache = undefined;
  }

  /** The finished model: the records, plus what only the finished tree tells (stacks, raw EKS resources). */
  public data(): AppModelData {
    const tree = collectFromTree(this);
    return {
      providers: this.providers,
      roles: this.roles,
      importedRoles: this.importedRoles,
      serviceAccounts: this.serviceAccounts,
      associations: this.associations,
      fargateProfiles: this.fargateProfiles,
      eksManagedRoles: tree.eksManagedRoles,
      accessEntries: tree.accessEntries,
      boundGroups: tree.boundGroups,
      addons: this.addons,
      k8sObjects: this.k8sObjects,
      stacks: tree.stacks,
      podIdentityAddons: this.podIdentityAddons,
      agentsInTree: agentsInTree(this),
    };
  }
}
