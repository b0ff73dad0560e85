import * as fs from 'fs';
import * as path from 'path';
import { at, DoctorFinding, note } from './doctor-report';
import { hasUnresolved, resolve, Template } from './template-resolver';
import { parseRoleArn, partitionForRegion } from '../rules/arns';
import { checkAssociationRoleAccount, checkTargetRole } from '../rules/pod-identity';
import { checkPodIdentityTrust, unknownPodIdentityKeys } from '../rules/pod-identity-trust';

/**
 * The Pod Identity associations `doctor` reads (from templates or from
 * `aws eks describe-pod-identity-association`), each judged against its role's trust policy with
 * `lib/rules/pod-identity-trust.ts`.
 */

/** A role's trust policy as doctor found it. */
export interface TrustSource { readonly file: string; readonly where: string; readonly document: unknown }

export interface AssociationInput {
  readonly file: string;
  readonly where: string;
  readonly clusterName: string;
  readonly clusterArn?: string;
  readonly account?: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleArn?: string;
  readonly targetRoleArn?: string;
  readonly disableSessionTags?: boolean;
  /** the role's trust: found, resolved only at deploy, or not among the inputs */
  readonly role: TrustSource | { readonly unresolved: string } | undefined;
  /** how to get the role's trust when it is not among the inputs */
  readonly exportHint: string;
}

/** Condition keys a document reads (lower case). */
function keysRead(document: unknown): Set<string> {
  const out = new Set<string>();
  for (const s of [(document as any)?.Statement].flat()) {
    const c = s?.Condition;
    if (!c || typeof c !== 'object') continue;
    for (const b of Object.values<any>(c)) if (b && typeof b === 'object') Object.keys(b).forEach(k => out.add(k.toLowerCase()));
  }
  return out;
}

/** The findings of one association: its role's account, its target role, and its role's trust for its subject. */
export function checkAssociation(a: AssociationInput): DoctorFinding[] {
  const subject = `${a.clusterName}/${a.namespace}/${a.serviceAccount}`;
  const out: DoctorFinding[] = [];
  if (a.roleArn !== undefined && a.account !== undefined) out.push(...at(a.file, a.where, checkAssociationRoleAccount('roleArn', a.roleArn, a.account)));
  if (a.targetRoleArn !== undefined) out.push(...at(a.file, a.where, checkTargetRole('targetRoleArn', a.targetRoleArn, a.roleArn)));
  if (a.role === undefined) {
    out.push(note('doctor-pod-identity-role-external', a.file, a.where, 'roleArn', a.roleArn ? `'${a.roleArn}'` : '(unset)',
      'names a role that is not among the inputs, so its trust policy could not be checked for this association', a.exportHint));
    return out;
  }
  if ('unresolved' in a.role) {
    out.push(note('doctor-trust-unresolved', a.file, a.where, 'RoleArn', a.role.unresolved,
      'is resolved only at deploy time, so the role\'s trust could not be checked for this association',
      'check the deployed state with doctor --live (see docs/doctor.md for the export commands)'));
    return out;
  }
  const subj = {
    clusterName: a.clusterName, clusterArn: a.clusterArn, account: a.account, namespace: a.namespace, serviceAccountName: a.serviceAccount,
  };
  const where = `${a.role.where} for PodIdentityAssociation ${subject} (${a.file})`;
  out.push(...at(a.role.file, where, checkPodIdentityTrust('AssumeRolePolicyDocument', { document: a.role.document, subject: subj, disableSessionTags: a.disableSessionTags })));
  const read = keysRead(a.role.document);
  const assumed = unknownPodIdentityKeys(subj, a.disableSessionTags).filter(k => read.has(k.toLowerCase()));
  if (assumed.length > 0) {
    out.push(note('doctor-pod-identity-unchecked', a.role.file, where, 'AssumeRolePolicyDocument.Condition', assumed.join(', '),
      'is read by the trust but not known here (the pod\'s own tags, or the cluster\'s ARN and account), so those conditions were taken as holding',
      'give the cluster\'s account and region (a stack env; aws eks describe-cluster output with --live) to check aws:SourceArn and aws:SourceAccount'));
  }
  return out;
}

/** The account and region of each template of a cloud assembly, from its manifest.json (a stack's env). */
export function templateEnvironments(dir: string): Map<string, { account?: string; region?: string }> {
  const out = new Map<string, { account?: string; region?: string }>();
  let manifest: any;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return out;
  }
  for (const a of Object.values<any>(manifest?.artifacts ?? {})) {
    const m = /^aws:\/\/([^/]*)\/(.*)$/.exec(String(a?.environment ?? ''));
    const file = a?.properties?.templateFile;
    if (!m || typeof file !== 'string') continue;
    out.set(file, { account: /^\d{12}$/.test(m[1]) ? m[1] : undefined, region: /^[a-z]{2}(-[a-z]+)+-\d$/.test(m[2]) ? m[2] : undefined });
  }
  return out;
}

const partitionOf = (region?: string) => (region ? partitionForRegion(region) : 'aws');

/** The `AWS::EKS::PodIdentityAssociation` resources of the templates, with the role each names (by GetAtt, or by a literal ARN). */
export function templateAssociations(dir: string, templates: Template[]): AssociationInput[] {
  const envs = templateEnvironments(dir);
  const out: AssociationInput[] = [];
  const named = templates.flatMap(t => Object.entries<any>(t.resources)
    .filter(([, r]) => r?.Type === 'AWS::IAM::Role' && typeof r.Properties?.RoleName === 'string')
    .map(([id, r]) => ({ t, id, r })));
  for (const t of templates) {
    const env = envs.get(t.file) ?? {};
    const ctx = { partition: partitionOf(env.region), account: env.account, region: env.region };
    for (const [id, r] of Object.entries<any>(t.resources)) {
      if (r?.Type !== 'AWS::EKS::PodIdentityAssociation') continue;
      const p = r.Properties ?? {};
      const lit = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
      const getAtt = p.RoleArn?.['Fn::GetAtt'];
      const roleId = Array.isArray(getAtt) && getAtt[1] === 'Arn' ? getAtt[0] : undefined;
      const arn = resolve(p.RoleArn, t, ctx);
      const literalArn = typeof arn === 'string' && !hasUnresolved(arn) ? arn : undefined;
      const parsed = literalArn ? parseRoleArn(literalArn) : undefined;
      const found = roleId !== undefined && t.resources[roleId]?.Type === 'AWS::IAM::Role' ? { t, id: roleId, r: t.resources[roleId] }
        : parsed ? named.find(n => n.r.Properties.RoleName === parsed.roleName && (n.r.Properties.Path ?? '/') === parsed.path) : undefined;
      let role: AssociationInput['role'];
      if (found) {
        const doc = resolve(found.r.Properties?.AssumeRolePolicyDocument, found.t, ctx);
        role = hasUnresolved(doc) ? { unresolved: 'an intrinsic function in the trust policy' }
          : { file: found.t.file, where: `Resources.${found.id} (AWS::IAM::Role)`, document: doc };
      } else if (!literalArn) {
        role = { unresolved: JSON.stringify(p.RoleArn) };
      }
      const clusterName = lit(p.ClusterName);
      out.push({
        file: t.file,
        where: `Resources.${id} (AWS::EKS::PodIdentityAssociation)`,
        clusterName,
        clusterArn: env.account && env.region && typeof p.ClusterName === 'string' ? `arn:${ctx.partition}:eks:${env.region}:${env.account}:cluster/${clusterName}` : undefined,
        account: env.account,
        namespace: lit(p.Namespace),
        serviceAccount: lit(p.ServiceAccount),
        roleArn: literalArn,
        targetRoleArn: typeof p.TargetRoleArn === 'string' ? p.TargetRoleArn : undefined,
        disableSessionTags: p.DisableSessionTags === true,
        role,
        exportHint: `check the deployed role: aws iam get-role --role-name ${parsed?.roleName ?? '<name>'} > live/role.json, then cdk-eks-identity doctor --live live`,
      });
    }
  }
  return out;
}
