import { changedCreateOnly, replacementKeepsIdentity } from './create-only';
import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

/**
 * The rules of the lock file (`identity.lock.json` beside `identity.yaml`): the memory of what an
 * earlier synth placed and named, so an update never asks CloudFormation for a replacement it
 * cannot carry out. Pure: the lock and the new values in, findings out.
 */
export const RULES: RuleMeta[] = [
  {
    code: 'lock-file-invalid',
    severity: 'error',
    checks: 'the lock file is JSON of the lock format (version, stacks, entries of the right types)',
    why: 'a lock that cannot be read would silently forget placement and names, and the next deploy could move or replace deployed resources',
    source: 'observed: the lock is the only memory of earlier synths (docs/update-safety.md)',
  },
  {
    code: 'lock-version-unsupported',
    severity: 'error',
    checks: 'the lock file was written by a version of the lock format this release reads',
    why: 'a lock from a newer release may hold facts this release would drop when it rewrites the file',
    source: 'observed: the lock format is versioned (docs/update-safety.md)',
  },
  {
    code: 'lock-frozen',
    severity: 'error',
    checks: 'in frozen mode (CI), synth would not change the lock file',
    why: 'a lock that changes in CI was not committed: the deployed placement and names are not what the repository remembers',
    source: 'observed: like npm ci and package-lock.json (docs/update-safety.md)',
  },
  {
    code: 'lock-role-replaced-kept-name',
    severity: 'error',
    checks: 'the path of a deployed role with a name you fixed does not change',
    why: 'AWS::IAM::Role Path is create-only: CloudFormation creates the new role before deleting the old one, and IAM refuses a second role of the same name (EntityAlreadyExists)',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html',
  },
  {
    code: 'lock-fargate-profile-replaced',
    severity: 'error',
    checks: 'the selectors, subnets and pod execution role of a deployed Fargate profile do not change while it keeps its name',
    why: 'AWS::EKS::FargateProfile Selectors, Subnets and PodExecutionRoleArn are create-only: the replacement is created under the same name first, which EKS refuses',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-eks-fargateprofile.html',
  },
  {
    code: 'lock-access-entry-type-changed',
    severity: 'error',
    checks: 'the type of a deployed access entry does not change while it keeps its principal',
    why: 'AWS::EKS::AccessEntry Type is create-only: the replacement for the same principal is created first, which EKS refuses (ResourceInUseException)',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-eks-accessentry.html',
  },
  {
    code: 'lock-mode-invalid',
    severity: 'error',
    checks: 'CDK_EKS_IDENTITY_LOCK is one of auto, write, frozen, off',
    why: 'a misspelt mode (frozn) would silently write the lock in CI instead of failing',
    source: 'observed: docs/update-safety.md',
  },
];

/** An unknown value of the lock mode variable. */
export function checkLockMode(variable: string, value: string, modes: string[]): Finding[] {
  if (modes.includes(value.trim().toLowerCase())) return [];
  return [error('lock-mode-invalid', variable, value, 'is not a lock mode', `set it to one of ${modes.join(', ')}, or unset it`)];
}

/** The lock format version this release writes and reads. */
export const LOCK_VERSION = 1;

/** A lock file that is not of the format: `where` is the JSON path (`stacks.A.roles`). */
export function lockInvalid(where: string, problem: string): Finding {
  return error('lock-file-invalid', where, problem, 'is not a valid lock file entry',
    'restore the lock file from version control, or delete it and synth again (a new lock remembers the templates of this synth)');
}

/** A lock of another format version. */
export function checkLockVersion(version: unknown): Finding[] {
  if (version === LOCK_VERSION) return [];
  const newer = typeof version === 'number' && version > LOCK_VERSION;
  return [error('lock-version-unsupported', 'version', version,
    newer ? `was written by a newer cdk-eks-identity (this release reads lock version ${LOCK_VERSION})`
      : `is not a lock version this release reads (it reads version ${LOCK_VERSION})`,
    newer ? 'upgrade cdk-eks-identity to the release that wrote the lock file (see its CHANGELOG)'
      : 'restore the lock file from version control, or delete it and synth again')];
}

/** Frozen mode: the lock of stack `stack` would change. */
export function checkLockFrozen(stack: string, before: string | undefined, after: string): Finding[] {
  if (before === after) return [];
  return [error('lock-frozen', `stacks.${stack}`, before === undefined ? 'missing' : 'changed',
    'the lock file would change: the lock is frozen (CI=true with a lock file, or CDK_EKS_IDENTITY_LOCK=frozen)',
    'run synth locally and commit the lock file')];
}

/** What the lock remembers of a role: its name (whether the spec fixed it) and its create-only path. */
export interface LockedRole {
  readonly name?: string;
  readonly given: boolean;
  readonly path: string;
}

/**
 * A deployed role whose path changes. A name we generated changes with it (the returned
 * `renameWith` is true: the caller gives the role a suffixed name); a name the spec fixed is an
 * error, because the replacement would need the name the old role still holds.
 */
export function checkRolePathChange(
  field: string, locked: LockedRole | undefined, name: string | undefined, given: boolean, path: string,
): { findings: Finding[]; rename: boolean } {
  if (locked === undefined || locked.name === undefined) return { findings: [], rename: false };
  const before = { Path: locked.path, RoleName: locked.name };
  const after = { Path: path, RoleName: name ?? locked.name };
  if (changedCreateOnly('AWS::IAM::Role', before, after).indexOf('Path') < 0) return { findings: [], rename: false };
  if (!replacementKeepsIdentity('AWS::IAM::Role', before, after)) return { findings: [], rename: false };
  if (!given) return { findings: [], rename: true };
  return {
    rename: false,
    findings: [error('lock-role-replaced-kept-name', field, path,
      `changes the path of deployed role '${locked.name}' (was '${locked.path}'): a path change replaces the role, and its fixed name would be held by the old role until the new one exists`,
      `give the role a new name with the new path, or keep path '${locked.path}'`)],
  };
}

/** What the lock remembers of a Fargate profile: its create-only properties. */
export interface LockedFargateProfile {
  readonly selectors: unknown;
  readonly subnets: unknown;
  /** The pod execution role as `name|path` (its ARN): the role's name and path decide it. */
  readonly podExecutionRole: string;
}

/** A deployed Fargate profile (its name is always the spec's) whose create-only properties change. */
export function checkFargateProfileChange(
  field: string, name: string, locked: LockedFargateProfile | undefined, now: LockedFargateProfile,
): Finding[] {
  if (locked === undefined) return [];
  const props = (p: LockedFargateProfile) => ({ FargateProfileName: name, ClusterName: 'c', Selectors: p.selectors, Subnets: p.subnets, PodExecutionRoleArn: p.podExecutionRole });
  const changed = changedCreateOnly('AWS::EKS::FargateProfile', props(locked), props(now));
  if (changed.length === 0) return [];
  const what = changed.map(c => ({ Selectors: 'selectors', Subnets: 'subnetIds', PodExecutionRoleArn: 'the pod execution role (its name or path)' } as Record<string, string>)[c] ?? c);
  return [error('lock-fargate-profile-replaced', field, name,
    `changes ${what.join(', ')} of deployed Fargate profile '${name}': those are create-only, and the replacement would need the name the old profile still holds`,
    'give the profile a new name along with the change (EKS creates the new profile, then deletes the old one), or keep its selectors, subnets and pod execution role')];
}

/** A deployed access entry whose type changes while its principal stays. */
export function checkAccessEntryType(field: string, principalArn: string, lockedType: string | undefined, type: string): Finding[] {
  if (lockedType === undefined) return [];
  const before = { PrincipalArn: principalArn, ClusterName: 'c', Type: lockedType };
  const after = { PrincipalArn: principalArn, ClusterName: 'c', Type: type };
  if (changedCreateOnly('AWS::EKS::AccessEntry', before, after).length === 0) return [];
  if (!replacementKeepsIdentity('AWS::EKS::AccessEntry', before, after)) return [];
  return [error('lock-access-entry-type-changed', field, type,
    `changes the type of the deployed access entry of ${principalArn} (was '${lockedType}'): the type is create-only, and EKS holds one entry per principal`,
    `keep type '${lockedType}', or deploy in two steps: remove the entry, deploy, then add it back with the new type`)];
}
