import { at, DoctorFinding, note } from './doctor-report';
import {
  AUDIENCE_ANNOTATION, checkAudience, checkStsRegionalEndpoints, checkTokenExpiration, ROLE_ARN_ANNOTATION,
  STS_REGIONAL_ANNOTATION, TOKEN_EXPIRATION_ANNOTATION,
} from '../rules/annotations';
import { checkRoleArn, parseRoleArn } from '../rules/arns';
import { editDistance } from '../rules/edit-distance';
import { DEFAULT_AUDIENCE } from '../rules/issuer';
import { checkTrustAdmits } from '../rules/trust-analysis';
import { checkTrustPolicyLength } from '../rules/trust-policy';

/** A role the checks can read: its trust policy and what is known of its cluster. */
export interface FoundRole {
  readonly file: string;
  readonly where: string;
  readonly document: unknown;
  readonly wildcardOptIn: boolean;
  readonly issuerUrl?: string;
  readonly clientIds?: string[];
}

/** A role whose trust policy is resolved only at deploy time. */
export interface UnresolvedRole { readonly unresolved: string; readonly file: string; readonly where: string }

export interface ServiceAccountCheck {
  readonly saFile: string;
  readonly sa: any;
  /** Finds the role an ARN names; undefined = external. */
  readonly findRole: (arn: string) => FoundRole | UnresolvedRole | undefined;
  /** Role ARNs of the assembly, for "did you mean". */
  readonly knownRoleArns: string[];
  readonly trustPolicyLength: number;
}

/** `ServiceAccount <namespace>/<name>`, as findings name it. */
export const serviceAccountWhere = (sa: any) => {
  const name = sa?.metadata?.name;
  return `ServiceAccount ${sa?.metadata?.namespace ?? 'default'}/${typeof name === 'string' && name !== '' ? name : '(no name)'}`;
};

/**
 * The IRSA checks of one ServiceAccount object: its typed annotations, the role its role-arn
 * annotation names (a role ARN, a role that exists), and that role's trust admitting it.
 */
export function checkServiceAccount(c: ServiceAccountCheck): DoctorFinding[] {
  const ns = c.sa.metadata?.namespace ?? 'default';
  const name = c.sa.metadata?.name ?? '';
  const where = serviceAccountWhere(c.sa);
  const ann: Record<string, string> = c.sa.metadata?.annotations ?? {};
  const out: DoctorFinding[] = [];
  const annField = (k: string) => `metadata.annotations.${k}`;
  const audience = ann[AUDIENCE_ANNOTATION] ?? DEFAULT_AUDIENCE;
  if (ann[AUDIENCE_ANNOTATION] !== undefined) out.push(...at(c.saFile, where, checkAudience(annField(AUDIENCE_ANNOTATION), audience)));
  if (ann[STS_REGIONAL_ANNOTATION] !== undefined) {
    out.push(...at(c.saFile, where, checkStsRegionalEndpoints(annField(STS_REGIONAL_ANNOTATION), ann[STS_REGIONAL_ANNOTATION])));
  }
  if (ann[TOKEN_EXPIRATION_ANNOTATION] !== undefined) {
    const n = Number(ann[TOKEN_EXPIRATION_ANNOTATION]);
    out.push(...at(c.saFile, where, checkTokenExpiration(annField(TOKEN_EXPIRATION_ANNOTATION), n)));
  }
  const roleArn = ann[ROLE_ARN_ANNOTATION];
  if (typeof c.sa.metadata?.name !== 'string' || c.sa.metadata.name === '') {
    return [...out, {
      severity: 'error',
      code: 'k8s-service-account-name',
      file: c.saFile,
      where,
      field: 'metadata.name',
      value: '(unset)',
      rule: 'is missing: the API server refuses a ServiceAccount without a name, and its IRSA subject (system:serviceaccount:<namespace>:<name>) cannot be checked',
      fix: 'set metadata.name, and metadata.namespace (kubectl apply otherwise uses the namespace of the current context)',
    }];
  }
  if (roleArn === undefined) return out;
  const arnFindings = checkRoleArn(annField(ROLE_ARN_ANNOTATION), roleArn);
  if (arnFindings.length > 0) {
    const near = nearest(roleArn, c.knownRoleArns);
    return [...out, ...at(c.saFile, where, arnFindings.map(f => (near ? { ...f, fix: `did you mean '${near}'? ${f.fix}` } : f)))];
  }
  const role = c.findRole(roleArn);
  if (role === undefined) {
    const near = nearest(roleArn, c.knownRoleArns);
    if (near) {
      out.push({
        severity: 'error',
        code: 'doctor-role-not-found',
        file: c.saFile,
        where,
        field: annField(ROLE_ARN_ANNOTATION),
        value: `'${roleArn}'`,
        rule: 'names no role of these templates, but one with a nearly identical ARN exists: the pods would assume a role that does not exist',
        fix: `did you mean '${near}'? correct the annotation (role or existingRoleArn in the spec)`,
      });
    } else {
      out.push(note('doctor-role-external', c.saFile, where, annField(ROLE_ARN_ANNOTATION), `'${roleArn}'`,
        'names a role these templates do not create, so its trust policy could not be checked',
        `check it with: aws iam get-role --role-name ${parseRoleArn(roleArn)!.roleName} > role.json; cdk-eks-identity doctor --trust-policy role.json --service-account sa.yaml`));
    }
    return out;
  }
  if ('unresolved' in role) {
    out.push(note('doctor-trust-unresolved', role.file, role.where, 'AssumeRolePolicyDocument', role.unresolved,
      'is resolved only at deploy time (an intrinsic function or custom resource), so the trust could not be checked here',
      'check the deployed role with doctor --trust-policy (aws iam get-role output) and --service-account'));
    return out;
  }
  out.push(...at(role.file, `${role.where} for ${where} (${c.saFile})`, checkTrustAdmits('AssumeRolePolicyDocument', {
    document: role.document,
    namespace: ns,
    serviceAccountName: name,
    audience,
    issuerUrl: role.issuerUrl,
    clientIds: role.clientIds,
    wildcardOptIn: role.wildcardOptIn,
  })));
  out.push(...at(role.file, role.where, checkTrustPolicyLength('AssumeRolePolicyDocument', role.document, c.trustPolicyLength)));
  return out;
}

/** The known ARN at most 3 edits (or only case) away from `arn`; undefined when `arn` itself is known. */
export function nearest(arn: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    if (k === arn) return undefined;
    const d = k.toLowerCase() === arn.toLowerCase() ? 0 : editDistance(k, arn);
    if (d < bestD) { bestD = d; best = k; }
  }
  return bestD <= 3 ? best : undefined;
}

