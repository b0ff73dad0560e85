import { parseAllDocuments, stringify } from 'yaml';
import { AccessEntryCollector, EntryOut } from './access-mapper';
import { ServiceAccountOut, WorkloadConverter } from './eksctl-workloads';
import { InputError } from './usage';
import { isAccessEntryType, takesAccessPolicies } from '../rules/access-entry-type';
import { checkAccessPolicyArn } from '../rules/access-policy';
import { iamArnAccount, shellVariables } from '../rules/eksctl';
import { describe } from '../rules/finding';

export interface EksctlMigrateResult {
  /** The spec: a cluster section and the serviceAccounts and accessEntries sections (rbac hints as comments). */
  readonly yaml: string;
  /** What was not copied, or needs a look, one line each (stderr). */
  readonly report: string[];
  readonly serviceAccounts: ServiceAccountOut[];
  readonly entries: EntryOut[];
  /** 0, or 1 when the config held identities and none of them could be migrated. */
  readonly exitCode: number;
}

const MODES = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];

/**
 * `migrate eksctl FILE`: the spec of an eksctl ClusterConfig's identities: iam.serviceAccounts (IRSA),
 * iam.podIdentityAssociations (Pod Identity), accessConfig (authenticationMode, accessEntries) and
 * iamIdentityMappings (aws-auth mappings, read as `migrate aws-auth` reads them).
 */
export function migrateEksctl(text: string, file: string): EksctlMigrateResult {
  const docs = parseAllDocuments(text);
  for (const d of docs) {
    const e = d.errors[0];
    if (e) throw new InputError(`${file}: ${e.linePos ? `line ${e.linePos[0].line}: ` : ''}not valid YAML (${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')})`);
  }
  const cfg = docs.map(d => d.toJSON()).find(v => v?.kind === 'ClusterConfig');
  if (!cfg || typeof cfg !== 'object') {
    throw new InputError(`${file}: not an eksctl ClusterConfig (apiVersion: eksctl.io/v1alpha5, kind: ClusterConfig)`);
  }
  const vars = shellVariables(JSON.stringify(cfg));
  if (vars.length > 0) {
    throw new InputError(`${file}: unexpanded shell variables ${vars.join(', ')}: the file is the body of a shell heredoc, which the shell expands before eksctl reads it; expand it first (export the variables, then envsubst < ${file} > cluster.yaml) and migrate the result`);
  }
  const report: string[] = [];
  const name = cfg.metadata?.name;
  const region = cfg.metadata?.region;
  if (typeof name !== 'string' || typeof region !== 'string') throw new InputError(`${file}: metadata.name and metadata.region are required (eksctl names the cluster by them)`);

  const workloads = new WorkloadConverter(report);
  const sas: unknown[] = list(cfg.iam?.serviceAccounts);
  const pias: unknown[] = list(cfg.iam?.podIdentityAssociations);
  sas.forEach((sa, i) => workloads.irsa(sa, `iam.serviceAccounts[${i}]`));
  pias.forEach((p, i) => workloads.podIdentity(p, `iam.podIdentityAssociations[${i}]`));

  const access = new AccessEntryCollector();
  const access0 = cfg.accessConfig ?? {};
  const mode = access0.authenticationMode;
  if (mode !== undefined && !MODES.includes(mode)) report.push(`not copied: accessConfig.authenticationMode '${mode}' (one of ${MODES.join(', ')})`);
  if (access0.bootstrapClusterCreatorAdminPermissions !== undefined) {
    report.push('note accessConfig.bootstrapClusterCreatorAdminPermissions: set when the cluster is created, not by an access entry of this spec');
  }
  const entries: unknown[] = list(access0.accessEntries);
  if (entries.length > 0 && mode === 'CONFIG_MAP') report.push('check accessConfig: authenticationMode CONFIG_MAP refuses access entries; switch to API_AND_CONFIG_MAP first');
  entries.forEach((e, i) => accessEntry(e, `accessConfig.accessEntries[${i}]`, access, report));
  const mappings: unknown[] = list(cfg.iamIdentityMappings);
  mappings.forEach((m, i) => identityMapping(m, `iamIdentityMappings[${i}]`, access, report));
  report.push(...access.report);

  const cluster: Record<string, string> = { name, region };
  const accounts = new Set<string>([
    ...pias.map((p: any) => iamArnAccount(p?.roleARN)),
    ...sas.map((s: any) => iamArnAccount(s?.attachRoleARN)),
    ...access.entries.map(e => iamArnAccount(e.principalArn)),
  ].filter((a): a is string => a !== undefined));
  if (accounts.size === 1) {
    cluster.account = [...accounts][0];
    report.push(`check cluster.account: ${cluster.account} is taken from the ARNs of the config (eksctl uses the account of its credentials)`);
  } else {
    report.push(`add cluster.account: the ClusterConfig does not name it (eksctl uses the account of its credentials${accounts.size > 1 ? `; its ARNs name ${[...accounts].join(', ')}` : ''})`);
  }
  if (typeof cfg.metadata?.version === 'string' || typeof cfg.metadata?.version === 'number') cluster.kubernetesVersion = String(cfg.metadata.version);
  if (mode !== undefined && MODES.includes(mode)) cluster.authenticationMode = mode;
  if (workloads.serviceAccounts.some(sa => sa.mechanism === undefined && sa.existingRoleArn === undefined)) {
    report.push(`add cluster.oidcIssuerUrl (aws eks describe-cluster --name ${name} --query cluster.identity.oidc.issuer --output text) and, when eksctl created the IAM OIDC provider (iam.withOIDC), oidcProvider.arn (aws iam list-open-id-connect-providers): IAM allows one provider per issuer`);
  }

  if (workloads.serviceAccounts.length > 0) {
    report.push('note serviceAccounts: automountServiceAccountToken: true on each, as on the ServiceAccounts eksctl writes (the Kubernetes default; controllers that call the Kubernetes API need the token); set false where a workload does not');
  }
  const spec: Record<string, unknown> = { cluster };
  if (workloads.serviceAccounts.length > 0) spec.serviceAccounts = workloads.serviceAccounts;
  let yaml = stringify(spec, { lineWidth: 0 });
  if (access.entries.length > 0) yaml += access.yaml();
  const existed = sas.length + pias.length + entries.length + mappings.length;
  const migrated = workloads.serviceAccounts.length + access.entries.length;
  let exitCode = 0;
  if (existed > 0 && migrated === 0) {
    exitCode = 1;
    report.push(`nothing migrated: ${existed} identit${existed > 1 ? 'ies' : 'y'} in the config, none could be migrated (exit 1)`);
  } else if (existed === 0) {
    report.push('note: the config has no iam.serviceAccounts, iam.podIdentityAssociations, accessConfig.accessEntries or iamIdentityMappings');
  }
  return { yaml, report, serviceAccounts: workloads.serviceAccounts, entries: access.entries, exitCode };
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** One item of accessConfig.accessEntries. */
function accessEntry(item: any, at: string, access: AccessEntryCollector, report: string[]): void {
  if (typeof item?.principalARN !== 'string') {
    report.push(`skipped ${at}: no principalARN`);
    return;
  }
  const problems: string[] = [];
  const entry: EntryOut = { principalArn: item.principalARN.trim() };
  if (item.type !== undefined) {
    if (!isAccessEntryType(String(item.type))) problems.push(`type '${item.type}' is not an access entry type`);
    else if (item.type !== 'STANDARD') entry.type = item.type;
  }
  if (typeof item.kubernetesUsername === 'string') entry.username = item.kubernetesUsername;
  if (Array.isArray(item.kubernetesGroups)) entry.kubernetesGroups = item.kubernetesGroups.map(String);
  const policies: NonNullable<EntryOut['accessPolicies']> = [];
  list(item.accessPolicies).forEach((p: any, j) => {
    const pat = `accessPolicies[${j}]`;
    const before = problems.length;
    if (typeof p?.policyARN !== 'string') {
      problems.push(`${pat} has no policyARN (eksctl refuses the config: "policyARN must be set to a valid AWS ARN")`);
    } else {
      const f = checkAccessPolicyArn(`${at}.${pat}.policyARN`, p.policyARN).find(x => x.severity === 'error');
      if (f) problems.push(describe(f));
    }
    const scope = p?.accessScope?.type ?? 'cluster';
    const namespaces = list(p?.accessScope?.namespaces).map(String);
    if (scope === 'namespace' && namespaces.length === 0) {
      problems.push(`${pat}.accessScope: type namespace needs namespaces`);
    } else if (scope !== 'namespace' && scope !== 'cluster') {
      problems.push(`${pat}.accessScope.type '${scope}' is not cluster or namespace${isAccessEntryType(String(scope)) ? ` (${scope} is an access entry type: write type: ${scope} on the entry, which then takes no access policy)` : ''}`);
    }
    if (problems.length === before) policies.push(scope === 'namespace' ? { policy: p.policyARN, namespaces } : { policy: p.policyARN });
  });
  if (policies.length > 0 && !takesAccessPolicies(entry.type ?? 'STANDARD')) problems.push(`type ${entry.type} takes no access policies (EKS grants node permissions itself)`);
  if (problems.length > 0) {
    report.push(`skipped ${at} (${entry.principalArn}): ${problems.join('; ')}`);
    return;
  }
  if (policies.length > 0) entry.accessPolicies = policies;
  if (item.tags && typeof item.tags === 'object') entry.tags = Object.fromEntries(Object.entries(item.tags).map(([k, v]) => [k, String(v)]));
  access.addEntry(entry, at, 'principalARN');
}

/** One item of iamIdentityMappings: an aws-auth mapping (arn), an EMR service mapping, or an account. */
function identityMapping(item: any, at: string, access: AccessEntryCollector, report: string[]): void {
  if (item?.account !== undefined) {
    report.push(`skipped ${at} (account ${item.account}): access entries name IAM principals, not whole accounts; create one entry per role or user`);
  } else if (item?.serviceName !== undefined) {
    report.push(`skipped ${at}: serviceName ${item.serviceName} maps an AWS service's service-linked role, which access entries do not accept; with access entries the service (EMR on EKS) sets up its own access`);
  } else if (typeof item?.arn === 'string') {
    const groups = Array.isArray(item.groups) ? item.groups.map(String) : [];
    access.mapIdentity({ arn: item.arn, arnField: 'arn', username: typeof item.username === 'string' ? item.username : undefined, groups }, at);
  } else {
    report.push(`skipped ${at}: no arn, serviceName or account`);
  }
}
