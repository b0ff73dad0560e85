import { StackProps } from 'aws-cdk-lib';
import { LockMode } from './lock-mode';

/**
 * The lock file of a `WorkloadIdentityStack`: the memory of what earlier synths placed and named
 * (docs/update-safety.md).
 */
export interface IdentityLockProps {
  /**
   * The lock file.
   *
   * @default - `<spec base name>.lock.json` beside `specFile` (`identity.lock.json` for
   * `identity.yaml`); none when there is no `specFile`
   */
  readonly lockFile?: string;

  /**
   * What synth does with the lock file. The environment variable `CDK_EKS_IDENTITY_LOCK`
   * (`auto`, `write`, `frozen`, `off`) overrides it.
   *
   * @default LockMode.AUTO
   */
  readonly lockMode?: LockMode;
}

/**
 * Options of `WorkloadIdentityStack.fromSpecFile`.
 */
export interface WorkloadIdentityStackFileProps extends StackProps, IdentityLockProps {}
