import * as fs from 'fs';
import * as path from 'path';
import { Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { FargateProfileLock, lockFileOf, readLock, RoleLock, serializeLock, stableJson, StackLock } from './lock-file';
import { LockMode, resolveLockMode } from './lock-mode';
import { placeWithLock } from './placement';
import { IIdentityCluster } from '../cluster';
import { BoundServiceAccount } from '../identity-spec/bind-service-accounts';
import { IdentitySpec } from '../identity-spec/types';
import { OidcProvider } from '../oidc-provider';
import { enforceErrors } from '../private/enforce';
import { afterSynthesize } from '../private/synth-hook';
import { withSuffix } from '../rules/generated-names';
import { defaultRoleName, MAX_ROLE_NAME } from '../rules/iam-role';
import { TemplateWeight } from '../rules/layout';
import { checkAccessEntryType, checkFargateProfileChange, checkLockFrozen, checkRolePathChange } from '../rules/lock';

/** Where the lock is and what synth does with it. */
export interface StackLockOptions {
  /** The spec file (the lock is `<base>.lock.json` beside it). */
  readonly specFile?: string;
  /** The lock file, when not beside the spec. */
  readonly lockFile?: string;
  readonly mode?: LockMode;
}

/** What the finished stack offers for recording. */
export interface LockedParts {
  readonly serviceAccounts: BoundServiceAccount[];
  readonly workloads: IConstruct[];
  readonly podExecutionRole?: IConstruct;
  readonly fargateProfiles: IConstruct[];
  readonly accessEntries: IConstruct[];
  readonly cluster: IIdentityCluster;
}

const FARGATE_ROLE = 'fargate.podExecutionRole';

/**
 * The lock of one `WorkloadIdentityStack`: read before the build (names and placement of deployed
 * roles, the OIDC provider the stack created), checked after it (create-only properties of
 * deployed resources), written (or compared, when frozen) once the template is synthesized.
 * Without a lock file every method leaves the output as it is.
 */
export class StackLockSession {
  public static open(stack: Stack, spec: IdentitySpec, options: StackLockOptions): StackLockSession {
    const file = options.lockFile ?? (options.specFile !== undefined ? lockFileOf(options.specFile) : undefined);
    const specName = options.specFile !== undefined ? path.basename(options.specFile) : undefined;
    if (file === undefined) return new StackLockSession(stack, spec, specName);
    const behaviour = resolveLockMode(process.env, options.mode, fs.existsSync(file));
    const locked = behaviour.read ? readLock(file)?.stacks[stack.node.path] : undefined;
    return new StackLockSession(stack, spec, specName, file, locked, behaviour.write, behaviour.frozen);
  }

  private constructor(
    private readonly stack: Stack, private readonly spec: IdentitySpec,
    /** errors about spec fields name the spec file */
    private readonly findingsFile?: string, private readonly file?: string,
    private readonly locked?: StackLock, private readonly write = false, private readonly frozen = false) {}

  /**
   * The service accounts with the names the lock keeps: a generated name keeps its locked form;
   * a generated name whose path changes gets a suffix (so the replacement has a name of its own);
   * a fixed name whose path changes is an error.
   */
  public serviceAccounts(bound: BoundServiceAccount[]): BoundServiceAccount[] {
    const roles = this.sameCluster()?.roles;
    if (roles === undefined) return bound;
    return bound.map(sa => {
      if (sa.spec.existingRoleArn !== undefined) return sa;
      const locked = roles[keyOf(sa)];
      const given = sa.spec.role?.name !== undefined;
      const rolePath = sa.props.path ?? '/';
      if (locked === undefined || [rolePath, sa.props.roleName].some(v => v !== undefined && Token.isUnresolved(v))) return sa;
      if (given) {
        if (locked.name?.toLowerCase() !== sa.props.roleName!.toLowerCase()) return sa;
        const field = sa.spec.role?.path !== undefined || this.spec.defaults?.rolePath === undefined ? `${sa.field}.role.path` : 'defaults.rolePath';
        enforceErrors(checkRolePathChange(field, locked, sa.props.roleName, true, rolePath).findings, this.findingsFile);
        return sa;
      }
      const base = defaultRoleName(sa.props.roleNamePrefix ?? '', this.spec.cluster.name, sa.spec.namespace, sa.spec.name);
      if (locked.given || locked.base !== base) return sa;
      const { rename } = checkRolePathChange(`${sa.field}.role.path`, locked, locked.name, false, rolePath);
      const name = rename ? withSuffix(base, JSON.stringify([keyOf(sa), rolePath]), MAX_ROLE_NAME) : locked.name;
      return name === undefined || name === base ? sa : { ...sa, props: { ...sa.props, roleName: name } };
    });
  }

  /** The shards of a namespace's service accounts: deployed ones where the lock placed them, new ones where they fit. */
  public placement(serviceAccounts: BoundServiceAccount[], planned: number[], weights: TemplateWeight[], budget: TemplateWeight): number[] {
    const locked = this.sameCluster();
    if (locked?.layout !== 'nested') return planned;
    const shards = serviceAccounts.map(sa => shardOfStackId(sa.spec.namespace, locked.placement?.[keyOf(sa)]));
    return placeWithLock(weights, shards, planned, budget);
  }

  /**
   * The OIDC provider the stack created stays while the spec describes the same cluster and
   * issuer, even when no IRSA workload is left (`oidcProvider.keep: false` lets it go).
   */
  public keepProvider(cluster: IIdentityCluster & IConstruct): void {
    const keep = this.spec.oidcProvider?.keep;
    const provider = this.sameCluster()?.oidcProvider;
    if (provider === undefined || keep === false || this.spec.oidcProvider?.arn !== undefined) return;
    if (this.spec.cluster.oidcIssuerUrl !== provider.url || cluster.node.tryFindChild('OidcProvider') !== undefined) return;
    for (const id of provider.clientIds) cluster.addAudience(id);
    cluster.oidcProvider();
  }

  /** Checks the deployed resources' create-only properties, then records the lock at synth. */
  public finish(parts: LockedParts): void {
    const locked = this.sameCluster();
    if (locked !== undefined) {
      const facts = this.facts(parts);
      (this.spec.fargate?.profiles ?? []).forEach((p, k) => {
        const now = facts.fargateProfiles[p.name];
        if (now) enforceErrors(checkFargateProfileChange(`fargate.profiles[${k}].name`, p.name, locked.fargateProfiles[p.name], now), this.findingsFile);
      });
      (this.spec.accessEntries ?? []).forEach((e, k) => {
        const now = facts.accessEntries[e.principalArn];
        if (now) enforceErrors(checkAccessEntryType(`accessEntries[${k}].type`, e.principalArn, locked.accessEntries[e.principalArn]?.type, now.type), this.findingsFile);
      });
    }
    if (this.file === undefined || (!this.write && !this.frozen)) return;
    const file = this.file;
    const stackPath = this.stack.node.path;
    afterSynthesize(this.stack, () => {
      const after = this.facts(parts);
      if (this.frozen) {
        enforceErrors(checkLockFrozen(stackPath, this.locked && stableJson(this.locked), stableJson(after)), path.basename(file));
        return;
      }
      // read again: another stack of the app may share the file
      const current = readLock(file);
      const bytes = serializeLock({ ...current?.stacks, [stackPath]: after });
      const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
      if (old !== bytes) fs.writeFileSync(file, bytes);
    });
  }

  /** The lock when it describes the spec's cluster (another cluster's lock remembers nothing of this one). */
  private sameCluster(): StackLock | undefined {
    return this.locked?.cluster === this.spec.cluster.name ? this.locked : undefined;
  }

  /** What the lock remembers, read from the constructs (their literal L1 properties). */
  private facts(parts: LockedParts): StackLock {
    const stack = this.stack;
    const roles: Record<string, RoleLock> = {};
    const placement: Record<string, string> = {};
    const nested = (this.spec.layout ?? 'single') === 'nested';
    parts.serviceAccounts.forEach((sa, i) => {
      const w = parts.workloads[i];
      if (nested) placement[keyOf(sa)] = Stack.of(w).node.id;
      const role = cfnRoleOf(w);
      if (role === undefined) return;
      const given = sa.spec.role?.name !== undefined;
      roles[keyOf(sa)] = {
        ...roleFacts(role),
        given,
        base: given ? undefined : defaultRoleName(sa.props.roleNamePrefix ?? '', this.spec.cluster.name, sa.spec.namespace, sa.spec.name),
      };
    });
    const execRole = parts.podExecutionRole && cfnRoleOf(parts.podExecutionRole);
    if (execRole) roles[FARGATE_ROLE] = { ...roleFacts(execRole), given: this.spec.fargate?.podExecutionRole?.name !== undefined };
    const exec = roles[FARGATE_ROLE];
    const fargateProfiles: Record<string, FargateProfileLock> = {};
    for (const p of parts.fargateProfiles) {
      const cfn = p.node.tryFindChild('Resource') as eks.CfnFargateProfile | undefined;
      if (!cfn || cfn.fargateProfileName === undefined || Token.isUnresolved(cfn.fargateProfileName)) continue;
      fargateProfiles[cfn.fargateProfileName] = {
        selectors: JSON.parse(stableJson(stack.resolve(cfn.selectors))),
        subnets: stack.resolve(cfn.subnets) ?? [],
        podExecutionRole: `${exec?.name ?? ''}|${exec?.path ?? '/'}`,
      };
    }
    const accessEntries: Record<string, { type: string }> = {};
    for (const e of parts.accessEntries) {
      const cfn = e.node.tryFindChild('Resource') as eks.CfnAccessEntry | undefined;
      if (!cfn || Token.isUnresolved(cfn.principalArn)) continue;
      accessEntries[cfn.principalArn] = { type: cfn.type ?? 'STANDARD' };
    }
    const created = parts.cluster.node.tryFindChild('OidcProvider');
    const url = this.spec.cluster.oidcIssuerUrl;
    const providerCfn = created instanceof OidcProvider
      ? created.node.findAll().find(c => c instanceof iam.CfnOIDCProvider) as iam.CfnOIDCProvider | undefined : undefined;
    const oidcProvider = providerCfn && url !== undefined && !Token.isUnresolved(url)
      ? { url, clientIds: (stack.resolve(providerCfn.clientIdList) ?? []) as string[] } : undefined;
    return {
      cluster: this.spec.cluster.name,
      layout: nested ? 'nested' : 'single',
      oidcProvider,
      roles,
      placement: nested ? placement : undefined,
      fargateProfiles,
      accessEntries,
    };
  }
}

/** `<namespace>/<service account>`. */
const keyOf = (sa: BoundServiceAccount) => `${sa.spec.namespace}/${sa.spec.name}`;

/** `Namespace-<ns>` -> 0, `Namespace-<ns>:3` -> 3; anything else: not placed. */
function shardOfStackId(namespace: string, id: string | undefined): number | undefined {
  if (id === undefined) return undefined;
  if (id === `Namespace-${namespace}`) return 0;
  const m = /^Namespace-(.+):(\d+)$/.exec(id);
  return m && m[1] === namespace ? Number(m[2]) : undefined;
}

function cfnRoleOf(scope: IConstruct): iam.CfnRole | undefined {
  return scope.node.findAll().find(c => c instanceof iam.CfnRole) as iam.CfnRole | undefined;
}

function roleFacts(role: iam.CfnRole): { name?: string; path: string } {
  const name = role.roleName !== undefined && !Token.isUnresolved(role.roleName) ? role.roleName : undefined;
  const p = role.path !== undefined && !Token.isUnresolved(role.path) ? role.path : '/';
  return { name, path: p };
}

