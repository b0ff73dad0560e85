import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { UsageError } from './usage';
import { checkDuplicatePrincipal } from '../rules/access-entry';
import { checkAccessEntryType } from '../rules/access-entry-type';
import { AccessPolicyInput, checkAccessPolicies, parseAccessPolicyArn } from '../rules/access-policy';
import {
  AUDIENCE_ANNOTATION, checkAudience, checkStsRegionalEndpoints, checkTokenExpiration, ROLE_ARN_ANNOTATION,
  STS_REGIONAL_ANNOTATION, TOKEN_EXPIRATION_ANNOTATION,
} from '../rules/annotations';
import { checkRoleArn, parseRoleArn } from '../rules/arns';
import { Finding } from '../rules/finding';
import { checkGroupsBound, checkKubernetesGroups } from '../rules/groups';
import { checkIssuerUrl, checkProviderArn, DEFAULT_AUDIENCE, issuerHostPath } from '../rules/issuer';
import { checkPrincipalArn, parsePrincipalArn } from '../rules/principal';
import { checkTrustAdmits, providerIssuerHostPath } from '../rules/trust-analysis';
import { checkTrustPolicyLength, DEFAULT_TRUST_POLICY_LENGTH, WILDCARD_OPT_IN_TAG } from '../rules/trust-policy';
import { checkUsername } from '../rules/username';

/** A finding of `doctor`: a rule finding plus where it was found. `note`: could not be checked. */
export interface DoctorFinding {
  readonly severity: 'error' | 'warning' | 'note';
  readonly code: string;
  /** the file the finding is about */
  readonly file: string;
  /** the resource or object in that file, e.g. `Resources.ReaderRole (AWS::IAM::Role)` */
  readonly where: string;
  readonly field: string;
  readonly value: string;
  readonly rule: string;
  readonly fix: string;
}

export interface DoctorReport {
  readonly findings: DoctorFinding[];
  /** what was looked at, for the summary line */
  readonly checked: { serviceAccounts: number; roles: number; accessEntries: number; files: number };
}

export interface DoctorOptions {
  /** Trust policy length quota of the account (default 2048). */
  readonly trustPolicyLength?: number;
}

const at = (file: string, where: string, fs_: Finding[], prefix = ''): DoctorFinding[] =>
  fs_.map(f => ({ ...f, file, where, field: prefix && f.field ? `${prefix}.${f.field}` : prefix || f.field }));

function note(code: string, file: string, where: string, field: string, value: string, rule: string, fix: string): DoctorFinding {
  return { severity: 'note', code, file, where, field, value, rule, fix };
}

// ---------------------------------------------------------------- inputs

interface Template { file: string; resources: Record<string, any> }
interface K8sObject { file: string; obj: any }

interface RoleInfo {
  file: string;
  logicalId: string;
  template: Template;
  name: string;
  path: string;
  props: any;
}

const UNRESOLVED = '\u0000unresolved';

/** Resolves the intrinsics our templates use around literal values; anything else becomes UNRESOLVED. */
function resolve(v: any, t: Template, ctx: { partition?: string; account?: string; region?: string }): any {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
  if (Array.isArray(v)) return v.map(x => resolve(x, t, ctx));
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0] === 'Ref') {
    const r = v.Ref;
    if (r === 'AWS::Partition') return ctx.partition ?? UNRESOLVED;
    if (r === 'AWS::AccountId') return ctx.account ?? UNRESOLVED;
    if (r === 'AWS::Region') return ctx.region ?? UNRESOLVED;
    const res = t.resources[r];
    if (res?.Type === 'AWS::IAM::OIDCProvider') return providerArnOf(res, ctx);
    if (res?.Type === 'AWS::IAM::Role' && typeof res.Properties?.RoleName === 'string') return res.Properties.RoleName;
    return UNRESOLVED;
  }
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
    const [id, attr] = Array.isArray(v['Fn::GetAtt']) ? v['Fn::GetAtt'] : String(v['Fn::GetAtt']).split('.');
    const res = t.resources[id];
    if (res?.Type === 'AWS::IAM::OIDCProvider' && attr === 'Arn') return providerArnOf(res, ctx);
    if (res?.Type === 'AWS::IAM::Role' && attr === 'Arn' && typeof res.Properties?.RoleName === 'string' && ctx.partition && ctx.account) {
      return `arn:${ctx.partition}:iam::${ctx.account}:role${res.Properties.Path ?? '/'}${res.Properties.RoleName}`;
    }
    return UNRESOLVED;
  }
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const [sep, parts] = v['Fn::Join'];
    const rs = (parts as any[]).map(p => resolve(p, t, ctx));
    return rs.every(p => typeof p === 'string' && !p.includes(UNRESOLVED)) ? rs.join(sep) : UNRESOLVED;
  }
  if (keys.some(k => k.startsWith('Fn::'))) return UNRESOLVED;
  return Object.fromEntries(keys.map(k => [k, resolve(v[k], t, ctx)]));
}

function providerArnOf(res: any, ctx: { partition?: string; account?: string }): string {
  const url = res.Properties?.Url;
  if (typeof url !== 'string' || !ctx.account) return UNRESOLVED;
  return `arn:${ctx.partition ?? 'aws'}:iam::${ctx.account}:oidc-provider/${issuerHostPath(url)}`;
}

const hasUnresolved = (v: unknown) => JSON.stringify(v).includes(UNRESOLVED.replace('\u0000', '\\u0000'));

function readTemplates(dir: string): Template[] {
  return fs.readdirSync(dir).filter(f => f.endsWith('.template.json')).sort().map(f => {
    const j = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    return { file: f, resources: j.Resources ?? {} };
  });
}

/** Kubernetes objects of a YAML file (multi-document, `kind: List` items flattened). */
export function readK8sObjects(file: string, text: string): K8sObject[] {
  const out: K8sObject[] = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length > 0) throw new UsageError(`${file}: not valid YAML (${d.errors[0].message.split('\n')[0]})`);
    const obj = d.toJSON();
    if (!obj || typeof obj !== 'object') continue;
    if (obj.kind === 'List' || (obj.kind?.endsWith('List') && Array.isArray(obj.items))) obj.items.forEach((i: any) => out.push({ file, obj: i }));
    else out.push({ file, obj });
  }
  return out;
}

// ---------------------------------------------------------------- service accounts

/** A role the checks can read: its trust policy and what is known of its cluster. */
export interface FoundRole {
  readonly file: string;
  readonly where: string;
  readonly document: unknown;
  readonly wildcardOptIn: boolean;
  readonly issuerUrl?: string;
  readonly clientIds?: string[];
}

export interface ServiceAccountCheck {
  readonly saFile: string;
  readonly sa: any;
  /** Finds the role an ARN names; undefined = external. */
  readonly findRole: (arn: string) => FoundRole | { unresolved: string; file: string; where: string } | undefined;
  /** Role names of the assembly, for "did you mean". */
  readonly knownRoleArns: string[];
  readonly trustPolicyLength: number;
}

/** The checks of seed 001 for one ServiceAccount object and the role its annotation names. */
export function checkServiceAccount(c: ServiceAccountCheck): DoctorFinding[] {
  const ns = c.sa.metadata?.namespace ?? 'default';
  const name = c.sa.metadata?.name ?? '';
  const where = `ServiceAccount ${ns}/${name}`;
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

function nearest(arn: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    if (k === arn) return undefined;
    const d = k.toLowerCase() === arn.toLowerCase() ? 0 : levenshtein(k, arn);
    if (d < bestD) { bestD = d; best = k; }
  }
  return bestD <= 3 ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const d: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

// ---------------------------------------------------------------- assembly

/** `doctor [ASSEMBLY_DIR]`: every template (nested too) and every `*.k8s.yaml` of a cloud assembly. */
export function doctorAssembly(dir: string, options: DoctorOptions = {}): DoctorReport {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError(`${dir}: no such directory (run cdk synth first, or pass the cloud assembly directory)`);
  }
  const templates = readTemplates(dir);
  const k8sFiles = fs.readdirSync(dir).filter(f => f.endsWith('.k8s.yaml')).sort();
  if (templates.length === 0 && k8sFiles.length === 0) {
    throw new UsageError(`${dir}: no *.template.json and no *.k8s.yaml (is this a cloud assembly? run cdk synth)`);
  }
  const objects = k8sFiles.flatMap(f => readK8sObjects(f, fs.readFileSync(path.join(dir, f), 'utf8')));
  const findings: DoctorFinding[] = [];
  const trustPolicyLength = options.trustPolicyLength ?? DEFAULT_TRUST_POLICY_LENGTH;

  // roles with a literal name, by path + name
  const roles: RoleInfo[] = [];
  const providers: Array<{ url: string; clientIds?: string[] }> = [];
  for (const t of templates) {
    for (const [id, r] of Object.entries<any>(t.resources)) {
      if (r.Type === 'AWS::IAM::Role' && typeof r.Properties?.RoleName === 'string') {
        roles.push({ file: t.file, logicalId: id, template: t, name: r.Properties.RoleName, path: typeof r.Properties.Path === 'string' ? r.Properties.Path : '/', props: r.Properties });
      }
      if (r.Type === 'AWS::IAM::OIDCProvider' && typeof r.Properties?.Url === 'string') {
        const ids = r.Properties.ClientIdList;
        providers.push({ url: r.Properties.Url, clientIds: Array.isArray(ids) && ids.every((x: any) => typeof x === 'string') ? ids : undefined });
      }
    }
  }

  const serviceAccounts = objects.filter(o => o.obj.kind === 'ServiceAccount');
  const anyArn = serviceAccounts.map(o => parseRoleArn(o.obj.metadata?.annotations?.[ROLE_ARN_ANNOTATION] ?? '')).find(x => x);
  const knownRoleArns = roles.map(r => `arn:${anyArn?.partition ?? 'aws'}:iam::${anyArn?.account ?? '111122223333'}:role${r.path}${r.name}`);

  for (const o of serviceAccounts) {
    findings.push(...checkServiceAccount({
      saFile: o.file,
      sa: o.obj,
      trustPolicyLength,
      knownRoleArns: anyArn ? knownRoleArns : [],
      findRole: (arn: string) => {
        const p = parseRoleArn(arn)!;
        const role = roles.find(r => r.name === p.roleName && r.path === p.path);
        if (!role) return undefined;
        const where = `Resources.${role.logicalId} (AWS::IAM::Role)`;
        const ctx = { partition: p.partition, account: p.account };
        const doc = resolve(role.props.AssumeRolePolicyDocument, role.template, ctx);
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
      },
    }));
  }

  // access entries, across entries and against the RBAC bindings of the manifests
  const bound = new Set<string>();
  for (const o of objects) {
    if (o.obj.kind !== 'RoleBinding' && o.obj.kind !== 'ClusterRoleBinding') continue;
    for (const s of o.obj.subjects ?? []) if (s?.kind === 'Group' && typeof s.name === 'string') bound.add(s.name);
  }
  const seen = new Map<string, string>();
  let accessEntries = 0;
  for (const t of templates) {
    for (const [id, r] of Object.entries<any>(t.resources)) {
      if (r.Type !== 'AWS::EKS::AccessEntry') continue;
      accessEntries++;
      const where = `Resources.${id} (AWS::EKS::AccessEntry)`;
      const p = r.Properties ?? {};
      const principal = typeof p.PrincipalArn === 'string' ? p.PrincipalArn : undefined;
      const type = typeof p.Type === 'string' ? p.Type : 'STANDARD';
      const fs_: Finding[] = [...checkAccessEntryType('Type', type)];
      const parsed = principal ? parsePrincipalArn(principal) : undefined;
      if (principal) fs_.push(...checkPrincipalArn('PrincipalArn', principal, type));
      if (typeof p.Username === 'string') fs_.push(...checkUsername('Username', p.Username, { type, principalKind: parsed?.kind }));
      const groups: string[] = Array.isArray(p.KubernetesGroups) ? p.KubernetesGroups.filter((g: any) => typeof g === 'string') : [];
      fs_.push(...checkKubernetesGroups('KubernetesGroups', groups, type));
      const policies: AccessPolicyInput[] = (Array.isArray(p.AccessPolicies) ? p.AccessPolicies : []).map((ap: any) => {
        const arn = typeof ap.PolicyArn === 'string' ? ap.PolicyArn : undefined;
        const scopeType = String(ap.AccessScope?.Type ?? 'cluster').toLowerCase() === 'namespace' ? 'namespace' as const : 'cluster' as const;
        const namespaces = Array.isArray(ap.AccessScope?.Namespaces) && ap.AccessScope.Namespaces.every((n: any) => typeof n === 'string') ? ap.AccessScope.Namespaces : (ap.AccessScope?.Namespaces === undefined ? [] : undefined);
        return { arn, name: arn ? parseAccessPolicyArn(arn)?.name : undefined, scopeType, namespaces };
      });
      fs_.push(...checkAccessPolicies('AccessPolicies', policies, type, parsed?.partition));
      if (type === 'STANDARD') fs_.push(...checkGroupsBound('KubernetesGroups', groups, bound));
      const cluster = typeof p.ClusterName === 'string' ? p.ClusterName : JSON.stringify(p.ClusterName);
      if (principal) {
        const key = `${cluster}\u0000${principal}`;
        const first = seen.get(key);
        if (first) fs_.push(...checkDuplicatePrincipal('PrincipalArn', principal, cluster, first));
        else seen.set(key, `${t.file} ${where}`);
      }
      findings.push(...at(t.file, where, fs_));
    }
  }
  const files = templates.length + k8sFiles.length;
  return { findings, checked: { serviceAccounts: serviceAccounts.length, roles: roles.length, accessEntries, files } };
}

// ---------------------------------------------------------------- files from a cluster

export interface DoctorFilesOptions extends DoctorOptions {
  readonly trustPolicyFile: string;
  readonly serviceAccountFile: string;
  readonly issuerUrl?: string;
  readonly providerArn?: string;
}

export interface ParsedTrustInput {
  readonly document: unknown;
  readonly roleArn?: string;
  readonly wildcardOptIn: boolean;
}

/**
 * A trust policy as users have it: the raw JSON document, the URL-encoded form IAM returns
 * (`%7B%22Version%22...`), or whole `aws iam get-role` output (`{"Role": {...}}`).
 */
export function parseTrustInput(file: string, text: string): ParsedTrustInput {
  const parseJson = (s: string): any => {
    try {
      return JSON.parse(s);
    } catch {
      throw new UsageError(`${file}: not a trust policy (expected JSON, URL-encoded JSON or aws iam get-role output)`);
    }
  };
  const decode = (v: any): any => {
    if (typeof v !== 'string') return v;
    const s = v.trim();
    return parseJson(s.startsWith('%') || /%7B/i.test(s.slice(0, 6)) ? decodeURIComponent(s) : s);
  };
  let j = decode(text.trim());
  j = decode(j); // a JSON string holding the encoded document
  if (j && typeof j === 'object' && j.Role && typeof j.Role === 'object') {
    const tags: any[] = Array.isArray(j.Role.Tags) ? j.Role.Tags : [];
    return { document: decode(j.Role.AssumeRolePolicyDocument), roleArn: j.Role.Arn, wildcardOptIn: tags.some(t => t?.Key === WILDCARD_OPT_IN_TAG) };
  }
  if (j && typeof j === 'object' && j.AssumeRolePolicyDocument !== undefined) {
    return { document: decode(j.AssumeRolePolicyDocument), roleArn: j.Arn, wildcardOptIn: false };
  }
  if (!j || typeof j !== 'object' || j.Statement === undefined) {
    throw new UsageError(`${file}: no Statement found (expected a trust policy, URL-encoded or not, or aws iam get-role output)`);
  }
  return { document: j, wildcardOptIn: false };
}

/** `doctor --trust-policy FILE --service-account FILE`: the same checks on files from a cluster. */
export function doctorFiles(o: DoctorFilesOptions): DoctorReport {
  const read = (f: string) => {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch (e: any) {
      throw new UsageError(`${f}: cannot be read (${e.code ?? e.message})`);
    }
  };
  const trustFile = path.basename(o.trustPolicyFile);
  const saFile = path.basename(o.serviceAccountFile);
  const trust = parseTrustInput(trustFile, read(o.trustPolicyFile));
  const sas = readK8sObjects(saFile, read(o.serviceAccountFile)).filter(x => x.obj.kind === 'ServiceAccount');
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
  for (const s of sas) {
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
      const i = findings.findIndex(f => f.code === 'doctor-role-external');
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
    if (annotated === undefined) {
      findings.push({
        severity: 'error',
        code: 'irsa-no-role-arn',
        file: s.file,
        where: `ServiceAccount ${s.obj.metadata?.namespace ?? 'default'}/${s.obj.metadata?.name}`,
        field: `metadata.annotations.${ROLE_ARN_ANNOTATION}`,
        value: '(unset)',
        rule: 'is missing: the pod identity webhook injects no AWS credentials for this service account',
        fix: `kubectl annotate serviceaccount ${s.obj.metadata?.name} -n ${s.obj.metadata?.namespace ?? 'default'} ${ROLE_ARN_ANNOTATION}=<role ARN>, then restart the pods`,
      });
    }
  }
  return { findings, checked: { serviceAccounts: sas.length, roles: 1, accessEntries: 0, files: 2 } };
}
