import * as fs from 'fs';
import * as path from 'path';
import { checkAccessEntries } from './doctor-access-entries';
import { parseTrustInput, readK8sObjects, readTemplates, readText } from './doctor-inputs';
import { checkAssociation, templateAssociations } from './doctor-pod-identity';
import { at, DoctorFinding, DoctorOptions, DoctorReport, note } from './doctor-report';
import { checkServiceAccount, FoundRole, serviceAccountWhere, UnresolvedRole } from './doctor-service-accounts';
import { hasUnresolved, resolve, Template } from './template-resolver';
import { UsageError } from './usage';
import { ROLE_ARN_ANNOTATION } from '../rules/annotations';
import { parseRoleArn } from '../rules/arns';
import { checkIssuerUrl, checkProviderArn, issuerHostPath } from '../rules/issuer';
import { providerIssuerHostPath } from '../rules/trust-analysis';
import { DEFAULT_TRUST_POLICY_LENGTH, WILDCARD_OPT_IN_TAG } from '../rules/trust-policy';

/** A role of the templates with a literal name. */
interface RoleInfo {
  readonly file: string;
  readonly logicalId: string;
  readonly template: Template;
  readonly name: string;
  readonly path: string;
  readonly props: any;
}

interface ProviderInfo { readonly url: string; readonly clientIds?: string[] }

function rolesAndProviders(templates: Template[]): { roles: RoleInfo[]; providers: ProviderInfo[] } {
  const roles: RoleInfo[] = [];
  const providers: ProviderInfo[] = [];
  for (const t of templates) {
    for (const [id, r] of Object.entries<any>(t.resources)) {
      if (r?.Type === 'AWS::IAM::Role' && typeof r.Properties?.RoleName === 'string') {
        roles.push({ file: t.file, logicalId: id, template: t, name: r.Properties.RoleName, path: typeof r.Properties.Path === 'string' ? r.Properties.Path : '/', props: r.Properties });
      }
      if (r?.Type === 'AWS::IAM::OIDCProvider' && typeof r.Properties?.Url === 'string') {
        const ids = r.Properties.ClientIdList;
        providers.push({ url: r.Properties.Url, clientIds: Array.isArray(ids) && ids.every((x: any) => typeof x === 'string') ? ids : undefined });
      }
    }
  }
  return { roles, providers };
}

/** The role of the templates an ARN names, its trust policy resolved for the ARN's partition and account. */
function findRoleIn(roles: RoleInfo[], providers: ProviderInfo[], arn: string): FoundRole | UnresolvedRole | undefined {
  const p = parseRoleArn(arn)!;
  const role = roles.find(r => r.name === p.roleName && r.path === p.path);
  if (!role) return undefined;
  const where = `Resources.${role.logicalId} (AWS::IAM::Role)`;
  const doc = resolve(role.props.AssumeRolePolicyDocument, role.template, { partition: p.partition, account: p.account });
  if (hasUnresolved(doc)) return { unresolved: 'an intrinsic function', file: role.file, where };
  const federated = (Array.isArray(doc?.Statement) ? doc.Statement : [doc?.Statement])
    .flatMap((s: any) => [s?.Principal?.Federated ?? []].flat()).find((x: any) => typeof x === 'string');
  const suffix = federated ? providerIssuerHostPath(federated) : undefined;
  const provider = providers.find(pr => issuerHostPath(pr.url) === suffix);
  const tags: any[] = Array.isArray(role.props.Tags) ? role.props.Tags : [];
  return {
    file: role.file,
    where,
    document: doc,
    wildcardOptIn: tags.some(t => t?.Key === WILDCARD_OPT_IN_TAG),
    issuerUrl: provider?.url,
    clientIds: provider?.clientIds,
  };
}

/** `doctor [ASSEMBLY_DIR]`: every template (nested too) and every `*.k8s.yaml` of a cloud assembly. */
export function doctorAssembly(dir: string, options: DoctorOptions = {}): DoctorReport {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError(`${dir}: no such directory (run cdk synth first, or pass the cloud assembly directory)`);
  }
  // a fleet (or any app with Stages): every stage's nested assembly, checked as its own assembly
  const stages = fs.readdirSync(dir).filter(f => f.startsWith('assembly-') && fs.statSync(path.join(dir, f)).isDirectory()).sort()
    .map(f => doctorAssembly(path.join(dir, f), options));
  const templates = readTemplates(dir);
  const k8sFiles = fs.readdirSync(dir).filter(f => f.endsWith('.k8s.yaml')).sort();
  if (stages.length > 0 && templates.length === 0 && k8sFiles.length === 0) return mergeReports(stages);
  if (templates.length === 0 && k8sFiles.length === 0) {
    throw new UsageError(`${dir}: no *.template.json and no *.k8s.yaml (is this a cloud assembly? run cdk synth)`);
  }
  const objects = k8sFiles.flatMap(f => readK8sObjects(f, readText(path.join(dir, f)), path.join(dir, f)));
  const findings: DoctorFinding[] = [];
  const trustPolicyLength = options.trustPolicyLength ?? DEFAULT_TRUST_POLICY_LENGTH;
  const { roles, providers } = rolesAndProviders(templates);

  const serviceAccounts = objects.filter(o => o.obj.kind === 'ServiceAccount');
  const anyArn = serviceAccounts.map(o => parseRoleArn(String(o.obj.metadata?.annotations?.[ROLE_ARN_ANNOTATION] ?? ''))).find(x => x);
  const knownRoleArns = roles.map(r => `arn:${anyArn?.partition ?? 'aws'}:iam::${anyArn?.account ?? '111122223333'}:role${r.path}${r.name}`);
  for (const o of serviceAccounts) {
    findings.push(...checkServiceAccount({
      saFile: o.file,
      sa: o.obj,
      trustPolicyLength,
      knownRoleArns: anyArn ? knownRoleArns : [],
      findRole: arn => findRoleIn(roles, providers, arn),
    }));
  }
  const entries = checkAccessEntries(templates, objects);
  findings.push(...entries.findings);
  const associations = templateAssociations(dir, templates);
  for (const a of associations) findings.push(...checkAssociation(a));
  const files = templates.length + k8sFiles.length;
  const checked = {
    serviceAccounts: serviceAccounts.length,
    roles: roles.length,
    accessEntries: entries.count,
    files,
    ...(associations.length > 0 ? { podIdentityAssociations: associations.length } : {}),
  };
  return mergeReports([{ findings, checked }, ...stages]);
}

/** The reports of an assembly and its stages' nested assemblies, as one. */
function mergeReports(reports: DoctorReport[]): DoctorReport {
  const sum = (k: keyof DoctorReport['checked']) => reports.reduce((n, r) => n + (r.checked[k] ?? 0), 0);
  return {
    findings: reports.flatMap(r => r.findings),
    checked: {
      serviceAccounts: sum('serviceAccounts'),
      roles: sum('roles'),
      accessEntries: sum('accessEntries'),
      files: sum('files'),
      ...(sum('podIdentityAssociations') > 0 ? { podIdentityAssociations: sum('podIdentityAssociations') } : {}),
    },
  };
}

export interface DoctorFilesOptions extends DoctorOptions {
  readonly trustPolicyFile: string;
  readonly serviceAccountFile: string;
  readonly issuerUrl?: string;
  readonly providerArn?: string;
}

/** `doctor --trust-policy FILE --service-account FILE`: the same checks on files from a cluster. */
export function doctorFiles(o: DoctorFilesOptions): DoctorReport {
  const trustFile = path.basename(o.trustPolicyFile);
  const saFile = path.basename(o.serviceAccountFile);
  const trust = parseTrustInput(o.trustPolicyFile, readText(o.trustPolicyFile));
  const sas = readK8sObjects(saFile, readText(o.serviceAccountFile), o.serviceAccountFile).filter(x => x.obj.kind === 'ServiceAccount');
  if (sas.length === 0) throw new UsageError(`${saFile}: no ServiceAccount object (use kubectl get sa NAME -n NAMESPACE -o yaml)`);
  const findings: DoctorFinding[] = [];
  let issuerUrl = o.issuerUrl;
  if (issuerUrl !== undefined) findings.push(...at('--issuer', 'command line', checkIssuerUrl('issuer', issuerUrl)));
  if (o.providerArn !== undefined) {
    const pf = checkProviderArn('provider-arn', o.providerArn, issuerUrl);
    findings.push(...at('--provider-arn', 'command line', pf));
    const suffix = providerIssuerHostPath(o.providerArn);
    if (issuerUrl === undefined && suffix) issuerUrl = `https://${suffix}`;
    const federated = [(trust.document as any)?.Statement].flat().flatMap((s: any) => [s?.Principal?.Federated ?? []].flat());
    if (pf.length === 0 && federated.length > 0 && !federated.includes(o.providerArn)) {
      findings.push({
        severity: 'error',
        code: 'irsa-trust-provider',
        file: trustFile,
        where: trust.roleArn ? `role ${trust.roleArn}` : 'trust policy',
        field: 'Statement.Principal.Federated',
        value: JSON.stringify(federated),
        rule: `does not name the cluster's OIDC provider ${o.providerArn}: the role trusts another provider (another account or cluster)`,
        fix: `set Principal.Federated to ${o.providerArn}`,
      });
    }
  }
  const where = trust.roleArn ? `role ${trust.roleArn}` : 'trust policy';
  const annotatedArn = (sa: any): string | undefined => sa.metadata?.annotations?.[ROLE_ARN_ANNOTATION];
  // several service accounts: check those that name the role of the trust file, and say so of the others
  const naming = trust.roleArn === undefined ? [] : sas.filter(s => annotatedArn(s.obj) === trust.roleArn);
  const distinct = new Set(sas.map(s => annotatedArn(s.obj)).filter(a => a !== undefined));
  if (trust.roleArn === undefined && distinct.size > 1) {
    findings.push(note('doctor-role-assumed', trustFile, where, 'Role.Arn', '(unset)',
      `names no role (a bare trust policy), and ${saFile} annotates ${distinct.size} different roles: every ServiceAccount was checked against this one trust policy`,
      'pass aws iam get-role --role-name NAME output instead, so that only the service accounts naming that role are checked against it'));
  }
  for (const s of sas) {
    if (sas.length > 1 && naming.length > 0 && annotatedArn(s.obj) !== undefined && annotatedArn(s.obj) !== trust.roleArn) {
      findings.push(note('doctor-role-other', s.file, serviceAccountWhere(s.obj), `metadata.annotations.${ROLE_ARN_ANNOTATION}`, `'${annotatedArn(s.obj)}'`,
        `names another role than ${trustFile} (${trust.roleArn}), so it was not checked against that trust policy`,
        `check it with that role's own aws iam get-role output (aws iam get-role --role-name ${parseRoleArn(String(annotatedArn(s.obj)))?.roleName ?? '<name>'})`));
      continue;
    }
    const first = findings.length;
    findings.push(...checkServiceAccount({
      saFile: s.file,
      sa: s.obj,
      trustPolicyLength: o.trustPolicyLength ?? DEFAULT_TRUST_POLICY_LENGTH,
      knownRoleArns: trust.roleArn ? [trust.roleArn] : [],
      findRole: (arn: string) => {
        if (trust.roleArn !== undefined && trust.roleArn !== arn) return undefined;
        return { file: trustFile, where, document: trust.document, wildcardOptIn: trust.wildcardOptIn, issuerUrl };
      },
    }));
    const annotated = s.obj.metadata?.annotations?.[ROLE_ARN_ANNOTATION];
    if (trust.roleArn !== undefined && annotated !== undefined) {
      // file mode: the role given is the one to compare with, not an external one
      const i = findings.findIndex((f, n) => n >= first && f.code === 'doctor-role-external');
      if (i >= 0) {
        findings[i] = {
          ...findings[i],
          severity: 'error',
          code: 'doctor-role-mismatch',
          rule: `names another role than the one in ${trustFile} (${trust.roleArn}): the pods assume that other role`,
          fix: `fix the annotation to ${trust.roleArn}, or check the role it names (aws iam get-role --role-name ${parseRoleArn(annotated)?.roleName ?? '<name>'})`,
        };
      }
    }
    if (annotated === undefined && typeof s.obj.metadata?.name === 'string' && s.obj.metadata.name !== '') {
      findings.push({
        severity: 'error',
        code: 'irsa-no-role-arn',
        file: s.file,
        where: serviceAccountWhere(s.obj),
        field: `metadata.annotations.${ROLE_ARN_ANNOTATION}`,
        value: '(unset)',
        rule: 'is missing: the pod identity webhook injects no AWS credentials for this service account',
        fix: `kubectl annotate serviceaccount ${s.obj.metadata?.name} -n ${s.obj.metadata?.namespace ?? 'default'} ${ROLE_ARN_ANNOTATION}=<role ARN>, then restart the pods`,
      });
    }
  }
  return { findings, checked: { serviceAccounts: sas.length, roles: 1, accessEntries: 0, files: 2 } };
}
