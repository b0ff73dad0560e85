import { enforceErrors } from '../private/enforce';
import { checkLockMode } from '../rules/lock';

/**
 * What synth does with the lock file of a spec (`identity.lock.json` beside `identity.yaml`).
 */
export enum LockMode {
  /**
   * Read the lock; write it when the CDK CLI runs the app (`cdk synth`, `cdk deploy`) outside CI;
   * frozen when `CI=true` and a lock file exists.
   */
  AUTO = 'auto',
  /** Read and write the lock, wherever the app runs. */
  WRITE = 'write',
  /** Read the lock; synth fails when the lock would change (or is missing). For CI. */
  FROZEN = 'frozen',
  /** Neither read nor write a lock: the output of a spec without lock file. */
  OFF = 'off',
}

/** The environment variable that overrides the mode of every stack of the app. */
export const LOCK_MODE_ENV = 'CDK_EKS_IDENTITY_LOCK';

/** What synth does, the mode resolved. */
export interface LockBehaviour {
  readonly read: boolean;
  readonly write: boolean;
  readonly frozen: boolean;
}

/**
 * The mode in effect: `CDK_EKS_IDENTITY_LOCK` when set (so CI can freeze any app), else the
 * stack's `lockMode`, else AUTO. Throws on an unknown value of the variable.
 */
export function resolveLockMode(env: Record<string, string | undefined>, mode: LockMode | undefined, lockExists: boolean): LockBehaviour {
  const fromEnv = env[LOCK_MODE_ENV]?.trim().toLowerCase();
  const values = Object.values(LockMode) as string[];
  if (fromEnv !== undefined && fromEnv !== '') enforceErrors(checkLockMode(LOCK_MODE_ENV, env[LOCK_MODE_ENV]!, values));
  const m = (fromEnv || mode || LockMode.AUTO) as LockMode;
  switch (m) {
    case LockMode.OFF: return { read: false, write: false, frozen: false };
    case LockMode.WRITE: return { read: true, write: true, frozen: false };
    case LockMode.FROZEN: return { read: true, write: false, frozen: true };
    default: {
      const ci = isCi(env.CI);
      if (ci) return { read: true, write: false, frozen: lockExists };
      // the CDK CLI tells the app where to write the assembly: a real synth, not a unit test
      return { read: true, write: env.CDK_OUTDIR !== undefined, frozen: false };
    }
  }
}

function isCi(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
