import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'k8s-service-account-duplicate',
    severity: 'error',
    checks: 'one ServiceAccount object per namespace and name in a stack',
    why: 'two objects of one kind, namespace and name are one Kubernetes object: the last one applied silently replaces the other',
    source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/',
  },
  {
    code: 'k8s-manifest-token',
    severity: 'error',
    checks: 'Kubernetes manifests hold literal values only',
    why: 'the manifest file is written at synth: an unresolved CDK token would reach the cluster as the text ${Token[...]}',
    source: 'https://docs.aws.amazon.com/cdk/v2/guide/tokens.html',
  },
  {
    code: 'k8s-verify-role-arn',
    severity: 'error',
    checks: 'the verification Job knows the literal ARN of the role the pods assume',
    why: 'the Job compares the ARN that sts get-caller-identity returns with the expected role: it cannot compare with a token',
    source: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html',
  },
];

/** One ServiceAccount object per namespace and name (`key` is `<namespace>/<name>`). */
export function checkServiceAccountUnique(field: string, key: string, alreadyDeclared: boolean): Finding[] {
  return alreadyDeclared ? [error('k8s-service-account-duplicate', field, key,
    'is declared twice in this stack: one ServiceAccount object per namespace and name',
    'declare the service account once; give a role several subjects with ServiceAccountRole if they share it')] : [];
}

/** One binding object per kind, namespace and name: `taken` is `<kind>:<namespace/>name` of an existing one. */

/** The rendered manifests must not contain an unresolved token. */
export function checkManifestLiteral(field: string, yaml: string): Finding[] {
  if (!yaml.includes('${Token[')) return [];
  return [{
    ...error('k8s-manifest-token', field, undefined,
      'reached a Kubernetes manifest, which must hold literal values only',
      'pass literal values (cluster account, region, role names) to the constructs that write manifests'),
    value: 'an unresolved CDK token',
  }];
}

/**
 * The verification Job needs the literal ARN of the expected role: `roleArn` is undefined when
 * it is a token, `isRoleArn` says whether it parses as a role ARN.
 */
export function checkVerifyRoleArn(field: string, roleArn: string | undefined, isRoleArn: boolean): Finding[] {
  if (roleArn !== undefined && isRoleArn) return [];
  const f = error('k8s-verify-role-arn', field, roleArn,
    'needs the literal ARN of the role the pods assume, to compare with what sts get-caller-identity returns',
    'give the cluster a literal account and region (and the role a literal name), or drop verify');
  return [roleArn === undefined ? { ...f, value: '(unresolved token)' } : f];
}
