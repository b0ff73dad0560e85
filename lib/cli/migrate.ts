import { isScalar, parseAllDocuments, parseDocument, Scalar, stringify } from 'yaml';
import { InputError, UsageError } from './usage';
import { accessPolicyArn } from '../rules/access-policy';
import { describe } from '../rules/finding';
import { checkPrincipalArn, parsePrincipalArn } from '../rules/principal';
import { checkUsername } from '../rules/username';

/** One access entry of the spec, as `migrate aws-auth` prints it. */
interface EntryOut {
  principalArn: string;
  type?: string;
  username?: string;
  kubernetesGroups?: string[];
  accessPolicies?: Array<{ policy: string }>;
}

export interface MigrateResult {
  /** The `accessEntries` spec section (and the rbac hints as comments): a valid YAML fragment. */
  readonly yaml: string;
  /** What was not copied, or needs a look, one line each (stderr). */
  readonly report: string[];
  /** The entries, for tests. */
  readonly entries: EntryOut[];
}

const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];
const WINDOWS_GROUP = 'eks:kube-proxy-windows';
const FARGATE_GROUP = 'system:node-proxier';
const MASTERS = 'system:masters';

/**
 * `migrate aws-auth FILE`: the accessEntries of an aws-auth ConfigMap. Node roles become EC2_LINUX
 * (EC2_WINDOWS with eks:kube-proxy-windows), Fargate pod execution roles FARGATE_LINUX,
 * system:masters AmazonEKSClusterAdminPolicy at cluster scope, other groups STANDARD with those
 * groups. `system:*` groups, service-linked roles and anything unmappable are reported, not copied.
 */
export function migrateAwsAuth(text: string, file: string): MigrateResult {
  const docs = parseAllDocuments(text);
  if (docs.length === 0) throw new InputError(`${file}: empty (get it with kubectl get configmap aws-auth -n kube-system -o yaml)`);
  for (const d of docs) {
    const e = d.errors[0];
    if (e) throw new InputError(`${file}: ${e.linePos ? `line ${e.linePos[0].line}: ` : ''}not valid YAML (${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')})`);
  }
  const cmDoc = docs.find(d => d.toJSON()?.kind === 'ConfigMap') ?? docs[0];
  const cm = cmDoc.toJSON();
  if (!cm || typeof cm !== 'object' || !cm.data || typeof cm.data !== 'object') {
    throw new UsageError(`${file}: not an aws-auth ConfigMap (no data; get it with kubectl get configmap aws-auth -n kube-system -o yaml)`);
  }
  const report: string[] = [];
  const entries: EntryOut[] = [];
  const rbacGroups = new Set<string>();
  const seen = new Map<string, string>();
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const list = (key: string): any[] => {
    const raw = cm.data[key];
    if (raw === undefined) return [];
    let v = raw;
    if (typeof raw === 'string') {
      const inner = parseDocument(raw);
      const e = inner.errors[0];
      if (e) {
        // a block scalar (`mapRoles: |`) starts on the line after its key: map the line back to the file
        const node = cmDoc.getIn(['data', key], true);
        const block = isScalar(node) && (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED);
        const innerLine = e.linePos?.[0].line;
        const where = innerLine === undefined ? '' : block && node.range ? `line ${lineOf(node.range[0]) + innerLine}: ` : `line ${innerLine} of its value: `;
        throw new InputError(`${file}: data.${key}: ${where}not valid YAML (${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}); fix the value (kubectl edit configmap aws-auth -n kube-system) and run migrate again`);
      }
      v = inner.toJSON();
    }
    if (v === null || v === undefined) return [];
    if (!Array.isArray(v)) throw new InputError(`${file}: data.${key} is not a list (aws-auth lists one mapping per item: - rolearn: ...)`);
    return v;
  };

  const map = (item: any, at: string, kind: 'role' | 'user') => {
    const arnKey = kind === 'role' ? 'rolearn' : 'userarn';
    const arn0 = item?.[arnKey];
    if (typeof arn0 !== 'string') {
      report.push(`skipped ${at}: no ${arnKey}`);
      return;
    }
    let arn = arn0.trim();
    const groups: string[] = Array.isArray(item.groups) ? item.groups.map(String) : [];
    const username: string | undefined = typeof item.username === 'string' ? item.username : undefined;
    const fargate = groups.includes(FARGATE_GROUP);
    const windows = groups.includes(WINDOWS_GROUP);
    const node = NODE_GROUPS.every(g => groups.includes(g));
    const type = fargate ? 'FARGATE_LINUX' : windows ? 'EC2_WINDOWS' : node ? 'EC2_LINUX' : 'STANDARD';
    const p = parsePrincipalArn(arn);
    // aws-auth ARNs carry no role path; IAM Identity Center roles always have one
    if (p && p.kind === 'role' && p.path === '/' && p.name.startsWith('AWSReservedSSO_')) {
      arn = `arn:${p.partition}:iam::${p.account}:role/aws-reserved/sso.amazonaws.com/${p.name}`;
      report.push(`check ${at}: ${arn0} is an IAM Identity Center role; aws-auth drops role paths, an access entry needs the real ARN: written as ${arn} (if the role lives in a region-specific path, copy its Arn from aws iam get-role --role-name ${p.name})`);
    } else if (p && p.kind === 'role' && p.path !== '/' && !p.path.startsWith('/aws-service-role/')) {
      report.push(`check ${at}: ${arn0} has a path, which aws-auth does not match (it compares ARNs without paths); the access entry keeps the path`);
    }
    const principalErrors = checkPrincipalArn(`${at}.${arnKey}`, arn, type).filter(f => f.severity === 'error');
    if (principalErrors.length > 0) {
      report.push(`skipped ${at}: ${describe(principalErrors[0])}`);
      return;
    }
    const first = seen.get(arn);
    if (first) {
      report.push(`skipped ${at}: ${arn} is already mapped by ${first}; EKS allows one access entry per principal (merge the groups by hand if they differ)`);
      return;
    }
    seen.set(arn, at);
    const entry: EntryOut = { principalArn: arn };
    if (type !== 'STANDARD') {
      entry.type = type;
      const other = groups.filter(g => !NODE_GROUPS.includes(g) && g !== FARGATE_GROUP && g !== WINDOWS_GROUP);
      if (other.length > 0) report.push(`check ${at}: ${type} entries take no groups; not copied: ${other.join(', ')}`);
      report.push(type === 'FARGATE_LINUX'
        ? `note ${at}: ${arn} looks like a Fargate pod execution role; EKS creates the access entry of a Fargate profile's role itself: drop this entry if the role belongs to a Fargate profile`
        : `note ${at}: ${arn} is a node role (${type}); EKS creates the access entry of a managed node group's role itself: keep this entry only for self-managed nodes (Karpenter, self-managed groups)`);
      entries.push(entry);
      return;
    }
    if (username !== undefined) {
      const uf = checkUsername(`${at}.username`, username, { type, principalKind: p?.kind });
      const templ = /\{\{(?!SessionName(Raw)?\}\})[^}]*\}\}/.exec(username);
      if (uf.some(f => f.severity === 'error')) {
        report.push(`dropped username of ${at}: ${describe(uf.find(f => f.severity === 'error')!)}; EKS generates one`);
      } else if (templ) {
        report.push(`dropped username of ${at}: '${username}' uses ${templ[0]}, an aws-auth placeholder access entries do not document (only {{SessionName}} and {{SessionNameRaw}}); EKS generates one`);
      } else {
        entry.username = username;
      }
    }
    const copied: string[] = [];
    for (const g of groups) {
      if (g === MASTERS) {
        entry.accessPolicies = [{ policy: accessPolicyArn(p?.partition ?? 'aws', 'AmazonEKSClusterAdminPolicy') }];
        report.push(`mapped ${at}: system:masters -> AmazonEKSClusterAdminPolicy (cluster scope)`);
      } else if (g.startsWith('system:') || g.startsWith('eks:')) {
        report.push(`not copied from ${at}: group ${g} (a reserved group access entries refuse; grant it through an access policy or a group of your own bound by RBAC)`);
      } else if (!copied.includes(g)) {
        copied.push(g);
        rbacGroups.add(g);
      }
    }
    if (copied.length > 0) entry.kubernetesGroups = copied;
    if (!entry.accessPolicies && copied.length === 0) {
      report.push(`check ${at}: ${arn} keeps no group and no access policy; it authenticates but is granted nothing unless RBAC names its username`);
    }
    entries.push(entry);
  };

  list('mapRoles').forEach((r, i) => map(r, `mapRoles[${i}]`, 'role'));
  list('mapUsers').forEach((u, i) => map(u, `mapUsers[${i}]`, 'user'));
  list('mapAccounts').forEach((a, i) => report.push(`skipped mapAccounts[${i}] (${typeof a === 'object' ? JSON.stringify(a) : a}): access entries name IAM principals, not whole accounts; create one entry per role or user`));

  let yaml = entries.length > 0 ? stringify({ accessEntries: entries }, { lineWidth: 0 }) : 'accessEntries: []\n';
  if (rbacGroups.size > 0) {
    yaml += '# rbac: aws-auth used these groups, so their RoleBindings/ClusterRoleBindings exist in the cluster already\n'
      + '# (kubectl get clusterrolebindings,rolebindings -A -o wide | grep GROUP). To manage them here instead,\n'
      + '# uncomment and set each ClusterRole (and namespaces for RoleBindings):\n'
      + stringify({ rbac: [...rbacGroups].map(group => ({ group, clusterRole: 'view' })) }).split('\n').filter(l => l).map(l => `# ${l}`).join('\n') + '\n';
  }
  return { yaml, report, entries };
}
