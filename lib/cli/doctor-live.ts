import { AccessEntryInput, accessPolicyInput, boundGroups, checkAccessEntryList } from './doctor-access-entries';
import { parseTrustInput } from './doctor-inputs';
import { LiveFile, readLiveState } from './doctor-live-inputs';
import { checkAssociation } from './doctor-pod-identity';
import { DoctorFinding, DoctorOptions, DoctorReport, note } from './doctor-report';
import { checkServiceAccount, FoundRole } from './doctor-service-accounts';
import { ROLE_ARN_ANNOTATION } from '../rules/annotations';
import { parseRoleArn } from '../rules/arns';
import { issuerHostPath } from '../rules/issuer';
import { providerIssuerHostPath } from '../rules/trust-analysis';
import { DEFAULT_TRUST_POLICY_LENGTH } from '../rules/trust-policy';

/**
 * `doctor --live DIR`: the same checks as on a cloud assembly, over the state of a running cluster
 * exported to files (see docs/doctor.md for the commands): IRSA service accounts against their
 * roles' trust and the cluster's OIDC provider, Pod Identity associations against their roles'
 * trust, and the access entries with their access policies.
 */

interface LiveRole extends FoundRole { readonly arn: string }
interface LiveCluster { readonly file: string; readonly name: string; readonly arn?: string; readonly account?: string; readonly issuer?: string }

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const missing = (file: string, where: string, field: string, value: string, what: string, fix: string) =>
  note('doctor-live-missing-export', file, where, field, value, `is listed, but ${what} was not exported, so it was not checked`, fix);

export function doctorLive(dir: string, options: DoctorOptions = {}): DoctorReport {
  const state = readLiveState(dir);
  const of = (kind: LiveFile['kind']) => state.files.filter(f => f.kind === kind);
  const findings: DoctorFinding[] = state.unknown.map(f => note('doctor-live-unknown-file', f, 'file', 'top-level keys', '(none known)',
    'is not the output of an export command doctor reads (aws iam get-role, aws eks describe-*, kubectl get -o yaml...), so it was skipped',
    'remove it from the directory, or export it with the commands of docs/doctor.md (JSON output, the default)'));

  const clusters: LiveCluster[] = of('eks describe-cluster').map(f => {
    const c = f.json.cluster;
    const arn = str(c.arn);
    return { file: f.file, name: String(c.name), arn, account: arn?.split(':')[4], issuer: str(c.identity?.oidc?.issuer) };
  });
  const clusterNamed = (name: string) => clusters.find(c => c.name === name);
  const single = clusters.length === 1 ? clusters[0] : undefined;
  const providers = of('iam get-open-id-connect-provider').map(f => ({ file: f.file, url: String(f.json.Url), clientIds: strs(f.json.ClientIDList) }));
  const listedProviders = of('iam list-open-id-connect-providers').flatMap(f => (f.json.OpenIDConnectProviderList as any[]).map(p => str(p?.Arn)).filter((a): a is string => !!a));
  const provider = single?.issuer ? providers.find(p => issuerHostPath(p.url) === issuerHostPath(single.issuer!)) : undefined;

  const roles: LiveRole[] = of('iam get-role').map(f => {
    const t = parseTrustInput(f.file, JSON.stringify(f.json));
    return { file: f.file, where: `role ${t.roleArn}`, arn: t.roleArn ?? '', document: t.document, wildcardOptIn: t.wildcardOptIn, issuerUrl: single?.issuer, clientIds: provider?.clientIds };
  });
  const exportRole = (arn: string | undefined) => `export it: aws iam get-role --role-name ${arn ? parseRoleArn(arn)?.roleName ?? '<name>' : '<name>'} > ${dir}/role-${arn ? parseRoleArn(arn)?.roleName ?? 'name' : 'name'}.json`;

  // IRSA: every ServiceAccount, its role's trust, the cluster's OIDC provider
  const serviceAccounts = state.objects.filter(o => o.obj.kind === 'ServiceAccount');
  for (const o of serviceAccounts) {
    findings.push(...checkServiceAccount({
      saFile: o.file,
      sa: o.obj,
      trustPolicyLength: options.trustPolicyLength ?? DEFAULT_TRUST_POLICY_LENGTH,
      knownRoleArns: roles.map(r => r.arn),
      findRole: arn => roles.find(r => r.arn === arn),
    }).map(f => (f.code === 'doctor-role-external' ? { ...f, rule: 'names a role that was not exported, so its trust policy could not be checked', fix: exportRole(f.value.replace(/^'|'$/g, '')) }
      : f.code === 'doctor-role-not-found' ? { ...f, rule: 'names no exported role, but one with a nearly identical ARN was exported: the pods would assume a role that does not exist', fix: f.fix.replace(/ correct the annotation .*$/, ' correct the annotation (kubectl annotate serviceaccount --overwrite ...), then restart the pods') }
        : f)));
  }
  const irsa = serviceAccounts.filter(o => typeof o.obj.metadata?.annotations?.[ROLE_ARN_ANNOTATION] === 'string');
  if (irsa.length > 0 && single?.issuer) {
    const hp = issuerHostPath(single.issuer);
    const listed = listedProviders.some(a => providerIssuerHostPath(a) === hp);
    if (!provider && (providers.length > 0 || listedProviders.length > 0) && !listed) {
      findings.push({
        severity: 'error',
        code: 'doctor-live-no-provider',
        file: single.file,
        where: `cluster ${single.name}`,
        field: 'cluster.identity.oidc.issuer',
        value: `'${single.issuer}'`,
        rule: `has no IAM OIDC provider in the exported list, but ${irsa.length} service account(s) use IRSA: STS refuses every web identity token of this issuer (InvalidIdentityToken)`,
        fix: `create it: eksctl utils associate-iam-oidc-provider --cluster ${single.name} --approve (or aws iam create-open-id-connect-provider --url ${single.issuer} --client-id-list sts.amazonaws.com)`,
      });
    } else if (!provider) {
      findings.push(missing(single.file, `cluster ${single.name}`, 'cluster.identity.oidc.issuer', `'${single.issuer}'`, 'its IAM OIDC provider (aws iam get-open-id-connect-provider)',
        `export it: aws iam get-open-id-connect-provider --open-id-connect-provider-arn arn:aws:iam::${single.account ?? '<account>'}:oidc-provider/${hp} > ${dir}/oidc-provider.json`));
    }
  }

  // Pod Identity: every association described, its role's trust for its subject
  const described = of('eks describe-pod-identity-association').map(f => ({ file: f.file, a: f.json.association }));
  const key = (c: unknown, ns: unknown, sa: unknown) => `${c}/${ns}/${sa}`;
  const describedKeys = new Set(described.map(d => key(d.a.clusterName, d.a.namespace, d.a.serviceAccount)));
  for (const f of of('eks list-pod-identity-associations')) {
    (f.json.associations as any[]).filter(a => !describedKeys.has(key(a?.clusterName, a?.namespace, a?.serviceAccount))).forEach(a => {
      findings.push(missing(f.file, `PodIdentityAssociation ${key(a?.clusterName, a?.namespace, a?.serviceAccount)}`, 'associationId', `'${a?.associationId}'`, 'its describe-pod-identity-association output',
        `export it: aws eks describe-pod-identity-association --cluster-name ${a?.clusterName} --association-id ${a?.associationId} > ${dir}/pod-identity-association-${a?.serviceAccount}.json`));
    });
  }
  for (const { file, a } of described) {
    const cluster = clusterNamed(String(a.clusterName));
    const roleArn = str(a.roleArn);
    const role = roles.find(r => r.arn === roleArn);
    findings.push(...checkAssociation({
      file,
      where: `PodIdentityAssociation ${key(a.clusterName, a.namespace, a.serviceAccount)} (${a.associationId})`,
      clusterName: String(a.clusterName),
      clusterArn: cluster?.arn,
      account: cluster?.account ?? str(a.associationArn)?.split(':')[4],
      namespace: String(a.namespace),
      serviceAccount: String(a.serviceAccount),
      roleArn,
      targetRoleArn: str(a.targetRoleArn),
      disableSessionTags: a.disableSessionTags === true,
      role: role ? { file: role.file, where: role.where, document: role.document } : undefined,
      exportHint: exportRole(roleArn),
    }));
  }

  // access entries: each described entry with its access policies
  const policyFiles = of('eks list-associated-access-policies');
  const entries: AccessEntryInput[] = [];
  for (const f of of('eks describe-access-entry')) {
    const e = f.json.accessEntry;
    const type = str(e.type) ?? 'STANDARD';
    const principal = str(e.principalArn);
    const pf = policyFiles.find(p => p.json.principalArn === principal && p.json.clusterName === e.clusterName);
    const where = `access entry ${principal} on ${e.clusterName}`;
    if (!pf && type === 'STANDARD') {
      findings.push(missing(f.file, where, 'principalArn', `'${principal}'`, 'its access policies (list-associated-access-policies)',
        `export them: aws eks list-associated-access-policies --cluster-name ${e.clusterName} --principal-arn ${principal} > ${dir}/access-policies-${principal?.split('/').pop()}.json`));
    }
    entries.push({
      file: f.file,
      where,
      cluster: String(e.clusterName),
      principal,
      type,
      // EKS fills in the username and groups of node and Fargate entries itself
      username: type === 'STANDARD' ? str(e.username) : undefined,
      groups: type === 'STANDARD' ? strs(e.kubernetesGroups) : [],
      policies: (pf ? (pf.json.associatedAccessPolicies as any[]) : []).map(p => accessPolicyInput(p?.policyArn, p?.accessScope)),
    });
  }
  const describedEntries = new Set(entries.map(e => e.principal));
  for (const f of of('eks list-access-entries')) {
    strs(f.json.accessEntries).filter(p => !describedEntries.has(p)).forEach(p => {
      findings.push(missing(f.file, `access entry ${p}`, 'accessEntries', `'${p}'`, 'its describe-access-entry output',
        `export it: aws eks describe-access-entry --cluster-name ${single?.name ?? '<cluster>'} --principal-arn ${p} > ${dir}/access-entry-${p.split('/').pop()}.json`));
    });
  }
  const bindings = state.objects.some(o => o.obj.kind === 'RoleBinding' || o.obj.kind === 'ClusterRoleBinding');
  findings.push(...checkAccessEntryList(entries, bindings ? boundGroups(state.objects) : undefined).map(f => (f.code !== 'access-entry-group-unbound' ? f : {
    ...f,
    rule: 'is bound by no RoleBinding or ClusterRoleBinding of the exported bindings: the access entry grants nothing through it',
    fix: `bind it (kubectl create rolebinding ... --group ${f.value.replace(/^'|'$/g, '')}), or export every binding: kubectl get rolebindings,clusterrolebindings -A -o yaml`,
  })));

  return {
    findings,
    checked: {
      serviceAccounts: serviceAccounts.length,
      roles: roles.length,
      accessEntries: entries.length,
      files: state.files.length + state.unknown.length,
      ...(described.length > 0 ? { podIdentityAssociations: described.length } : {}),
    },
  };
}
