import { createHash } from 'crypto';
import { Token } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import type * as kplus from 'cdk8s-plus-28';
import { cdk8sPlus } from './cdk8s-plus';
import { enforceErrors } from '../private/enforce';
import { k8sNames, pickName } from '../private/generated-names';
import { parseRoleArn } from '../rules/arns';
import { checkVerifyRoleArn } from '../rules/k8s-objects';

/** The AWS CLI image the verification Job runs (pinned: same input, same manifest). */
export const VERIFY_IMAGE = 'public.ecr.aws/aws-cli/aws-cli:2.22.35';

/** @internal */
export interface VerifyJobOptions {
  readonly serviceAccount: kplus.ServiceAccount;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** The literal ARN of the role whose credentials the pods must get. */
  readonly expectedRoleArn: string;
  /** The cluster's region, for the CLI (undefined or a token: the webhook's AWS_REGION applies). */
  readonly region?: string;
}

/**
 * The assumed-role ARN prefix STS returns for sessions of a role: `arn:<p>:sts::<acct>:assumed-role/<name>/`
 * (the role's path is not part of it).
 * @internal
 */
export function expectedCallerArnPrefix(roleArn: string): string {
  enforceErrors(checkVerifyRoleArn('verify', roleArn, parseRoleArn(roleArn) !== undefined));
  const p = parseRoleArn(roleArn)!;
  return `arn:${p.partition}:sts::${p.account}:assumed-role/${p.roleName}/`;
}

/**
 * `verify-<sa>`, cut to a DNS label (a Job's name becomes a pod label) with a hash when long: the
 * plain name. `addVerifyJob` adds a suffix where two service accounts of a namespace share it.
 * @internal
 */
export function verifyJobName(serviceAccountName: string): string {
  const full = `verify-${serviceAccountName}`.replace(/\./g, '-');
  if (full.length <= 63) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

/** The shell script: the aws-cli image has sh; no jq needed (`--query Arn --output text` and `case`). @internal */
export function verifyScript(expectedPrefix: string): string {
  return [
    'set -u',
    'arn="$(aws sts get-caller-identity --query Arn --output text)" || { echo "cdk-eks-identity verify: aws sts get-caller-identity failed (no web identity token or no trust: run cdk-eks-identity doctor)" >&2; exit 1; }',
    'echo "caller: $arn"',
    'case "$arn" in',
    `  '${expectedPrefix}'*) echo "cdk-eks-identity verify: ok, the pods assume the expected role" ;;`,
    `  *) echo "cdk-eks-identity verify: expected ${expectedPrefix}<session>, got $arn (node role? missing role-arn annotation? pods created before the annotation?)" >&2; exit 1 ;;`,
    'esac',
  ].join('\n');
}

/**
 * The awscli test pod of the IRSA troubleshooting guide, automated: a Job running with the service account that fails unless
 * `aws sts get-caller-identity` returns a session of the expected role.
 * @internal
 */
export function addVerifyJob(chart: cdk8s.Chart, o: VerifyJobOptions): kplus.Job {
  const literalArn = Token.isUnresolved(o.expectedRoleArn) ? undefined : o.expectedRoleArn;
  enforceErrors(checkVerifyRoleArn('verify', literalArn, literalArn !== undefined && parseRoleArn(literalArn) !== undefined));
  // `a.b` and `a-b` give one plain name: the later service account of the namespace gets a suffix
  const jobs = k8sNames(chart, 'Job', o.namespace);
  const name = pickName([jobs], verifyJobName(o.serviceAccountName), o.serviceAccountName, 63);
  jobs.claim(name, { identity: o.serviceAccountName, what: `the verification job of service account ${o.namespace}/${o.serviceAccountName}` });
  const labels = { 'app.kubernetes.io/name': 'cdk-eks-identity-verify', 'app.kubernetes.io/instance': name };
  const plus = cdk8sPlus();
  const job = new plus.Job(chart, `VerifyJob:${o.namespace}/${o.serviceAccountName}`, {
    metadata: { name, namespace: o.namespace, labels },
    serviceAccount: o.serviceAccount,
    backoffLimit: 2,
    activeDeadline: cdk8s.Duration.minutes(5),
    ttlAfterFinished: cdk8s.Duration.hours(1),
    securityContext: { ensureNonRoot: true, user: 1000, group: 1000, fsGroup: 1000 },
    podMetadata: { labels },
  });
  const tmp = plus.Volume.fromEmptyDir(chart, `VerifyJob:${o.namespace}/${o.serviceAccountName}:tmp`, 'tmp', { sizeLimit: cdk8s.Size.mebibytes(16) });
  const env: Record<string, kplus.EnvValue> = { HOME: plus.EnvValue.fromValue('/tmp'), AWS_PAGER: plus.EnvValue.fromValue('') };
  if (o.region !== undefined && !Token.isUnresolved(o.region)) {
    env.AWS_REGION = plus.EnvValue.fromValue(o.region);
    env.AWS_DEFAULT_REGION = plus.EnvValue.fromValue(o.region);
  }
  job.addContainer({
    name: 'verify',
    image: VERIFY_IMAGE,
    command: ['/bin/sh', '-c', verifyScript(expectedCallerArnPrefix(o.expectedRoleArn))],
    envVariables: env,
    resources: {
      cpu: { request: plus.Cpu.millis(50), limit: plus.Cpu.millis(500) },
      memory: { request: cdk8s.Size.mebibytes(64), limit: cdk8s.Size.mebibytes(256) },
    },
    securityContext: {
      ensureNonRoot: true, user: 1000, group: 1000, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false,
    },
    volumeMounts: [{ path: '/tmp', volume: tmp }],
  });
  return job;
}
