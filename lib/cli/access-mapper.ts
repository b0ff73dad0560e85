import { stringify } from 'yaml';
import { accessPolicyArn } from '../rules/access-policy';
import { awsAuthNodeType, FARGATE_GROUP, NODE_GROUPS, placeholderIn, runTogetherGroup, WINDOWS_GROUP } from '../rules/aws-auth';
import { describe } from '../rules/finding';
import { checkPrincipalArn, parsePrincipalArn, ParsedPrincipalArn } from '../rules/principal';
import { checkUsername } from '../rules/username';

/** One access entry of the spec, as `migrate` prints it. */
export interface EntryOut {
  principalArn: string;
  type?: string;
  username?: string;
  kubernetesGroups?: string[];
  accessPolicies?: Array<{ policy: string; namespaces?: string[] }>;
  tags?: Record<string, string>;
}

/** An aws-auth style mapping (aws-auth mapRoles/mapUsers, eksctl iamIdentityMappings). */
export interface IdentityMapping {
  readonly arn: string;
  readonly arnField: string;
  readonly username?: string;
  readonly groups: string[];
}

const MASTERS = 'system:masters';

/**
 * Collects access entries from aws-auth style mappings and from access entries written by hand
 * (eksctl accessConfig): one entry per principal, and a report line for everything not copied.
 */
export class AccessEntryCollector {
  public readonly entries: EntryOut[] = [];
  public readonly report: string[] = [];
  public readonly rbacGroups = new Set<string>();
  private readonly seen = new Map<string, string>();

  /** A mapping of aws-auth (or eksctl iamIdentityMappings): its node type, groups, username, system:masters. */
  public mapIdentity(m: IdentityMapping, at: string): void {
    const arn0 = m.arn.trim();
    const placeholders = [placeholderIn(arn0, true), placeholderIn(m.username ?? ''), ...m.groups.map(g => placeholderIn(g))]
      .filter((p): p is string => p !== undefined);
    if (/^arn:[^:]+:eks:[^:]*:[^:]*:fargateprofile\//.test(arn0)) {
      report(this, `skipped ${at}: ${arn0} is a Fargate profile ARN, not an IAM role; aws-auth (and an access entry) names the profile's pod execution role: take podExecutionRoleArn from aws eks describe-fargate-profile and migrate again`);
      return;
    }
    if (placeholders.length > 0) {
      const many = placeholders.length > 1;
      report(this, `skipped ${at}: ${[...new Set(placeholders)].map(p => `'${p}'`).join(', ')} ${many ? 'are placeholders, not real values' : 'is a placeholder, not a real value'}; aws-iam-authenticator uses ${many ? 'them' : 'it'} as written, so this mapping grants nothing it seems to; fill in the real ${many ? 'values' : 'value'} and migrate again`);
      return;
    }
    if (arn0.includes('*')) {
      report(this, `skipped ${at}: ${arn0} has a wildcard; aws-auth and access entries match one IAM ARN exactly (this mapping matches no principal today): add one entry per role`);
      return;
    }
    const together = runTogetherGroup(m.groups);
    if (together !== undefined) {
      report(this, `skipped ${at}: the group '${together}' is two list items run together (the second '-' is indented one space deeper, so YAML reads one string); aws-iam-authenticator grants that single group, so this role is not in ${together.split(/\s+-\s+/).join(' or ')} today; fix the indentation and migrate again`);
      return;
    }
    let arn = arn0;
    const type = awsAuthNodeType(m.groups, m.username) ?? 'STANDARD';
    const p = parsePrincipalArn(arn);
    // aws-auth ARNs carry no role path; IAM Identity Center roles always have one
    if (p && p.kind === 'role' && p.path === '/' && p.name.startsWith('AWSReservedSSO_')) {
      arn = `arn:${p.partition}:iam::${p.account}:role/aws-reserved/sso.amazonaws.com/${p.name}`;
      report(this, `check ${at}: ${arn0} is an IAM Identity Center role; aws-auth drops role paths, an access entry needs the real ARN: written as ${arn} (if the role lives in a region-specific path, copy its Arn from aws iam get-role --role-name ${p.name})`);
    } else if (p && p.kind === 'role' && p.path !== '/' && !p.path.startsWith('/aws-service-role/')) {
      report(this, `check ${at}: ${arn0} has a path, which aws-auth does not match (it compares ARNs without paths); the access entry keeps the path`);
    }
    if (!this.principalOk(`${at}.${m.arnField}`, arn, type, at)) return;
    const entry: EntryOut = { principalArn: arn };
    if (type !== 'STANDARD') {
      entry.type = type;
      const other = m.groups.filter(g => !NODE_GROUPS.includes(g) && g !== FARGATE_GROUP && g !== WINDOWS_GROUP);
      if (other.length > 0) report(this, `check ${at}: ${type} entries take no groups; not copied: ${other.join(', ')}`);
      report(this, type === 'FARGATE_LINUX'
        ? `note ${at}: ${arn} looks like a Fargate pod execution role; EKS creates the access entry of a Fargate profile's role itself: drop this entry if the role belongs to a Fargate profile`
        : type === 'HYBRID_LINUX'
          ? `note ${at}: ${arn} is a hybrid nodes role (username system:node:{{SessionName}}, no system:node-proxier group): HYBRID_LINUX; the type of an access entry cannot be changed once created`
          : `note ${at}: ${arn} is a node role (${type}); EKS creates the access entry of a managed node group's role itself: keep this entry only for self-managed nodes (Karpenter, self-managed groups)`);
      this.entries.push(entry);
      return;
    }
    this.setUsername(entry, m.username, at, p);
    const copied: string[] = [];
    for (const g of m.groups) {
      if (g === MASTERS) {
        entry.accessPolicies = [{ policy: accessPolicyArn(p?.partition ?? 'aws', 'AmazonEKSClusterAdminPolicy') }];
        report(this, `mapped ${at}: system:masters -> AmazonEKSClusterAdminPolicy (cluster scope)`);
      } else if (!this.reservedGroup(g, at) && !copied.includes(g)) {
        copied.push(g);
      }
    }
    this.finish(entry, copied, at);
  }

  /** An access entry written as one (eksctl accessConfig.accessEntries): checked, groups filtered. */
  public addEntry(entry: EntryOut, at: string, arnField: string): boolean {
    if (!this.principalOk(`${at}.${arnField}`, entry.principalArn, entry.type ?? 'STANDARD', at)) return false;
    const p = parsePrincipalArn(entry.principalArn);
    const username = entry.username;
    const groups = entry.kubernetesGroups ?? [];
    delete entry.username;
    delete entry.kubernetesGroups;
    if ((entry.type ?? 'STANDARD') !== 'STANDARD') {
      const dropped = [username === undefined ? '' : `username ${username}`, groups.length > 0 ? `groups ${groups.join(', ')}` : ''].filter(x => x);
      if (dropped.length > 0) report(this, `check ${at}: ${entry.type} entries take no username and no groups (EKS sets them); not copied: ${dropped.join('; ')}`);
      this.entries.push(entry);
      return true;
    }
    this.setUsername(entry, username, at, p);
    this.finish(entry, groups.filter(g => !this.reservedGroup(g, at)), at);
    return true;
  }

  /** The `accessEntries` section, with the rbac hints as comments. */
  public yaml(): string {
    let yaml = this.entries.length > 0 ? stringify({ accessEntries: this.entries }, { lineWidth: 0 }) : 'accessEntries: []\n';
    if (this.rbacGroups.size > 0) {
      yaml += '# rbac: aws-auth used these groups, so their RoleBindings/ClusterRoleBindings exist in the cluster already\n'
        + '# (kubectl get clusterrolebindings,rolebindings -A -o wide | grep GROUP). To manage them here instead,\n'
        + '# uncomment and set each ClusterRole (and namespaces for RoleBindings):\n'
        + stringify({ rbac: [...this.rbacGroups].map(group => ({ group, clusterRole: 'view' })) }).split('\n').filter(l => l).map(l => `# ${l}`).join('\n') + '\n';
    }
    return yaml;
  }

  private principalOk(field: string, arn: string, type: string, at: string): boolean {
    const principalErrors = checkPrincipalArn(field, arn, type).filter(f => f.severity === 'error');
    if (principalErrors.length > 0) {
      report(this, `skipped ${at}: ${describe(principalErrors[0])}`);
      return false;
    }
    const first = this.seen.get(arn);
    if (first) {
      report(this, `skipped ${at}: ${arn} is already mapped by ${first}; EKS allows one access entry per principal (merge the groups by hand if they differ)`);
      return false;
    }
    this.seen.set(arn, at);
    return true;
  }

  private setUsername(entry: EntryOut, username: string | undefined, at: string, p: ParsedPrincipalArn | undefined): void {
    if (username === undefined || username.trim() === '') return;
    const uf = checkUsername(`${at}.username`, username, { type: entry.type ?? 'STANDARD', principalKind: p?.kind });
    const templ = /\{\{(?!SessionName(Raw)?\}\})[^}]*\}\}/.exec(username);
    if (uf.some(f => f.severity === 'error')) {
      report(this, `dropped username of ${at}: ${describe(uf.find(f => f.severity === 'error')!)}; EKS generates one`);
    } else if (templ) {
      report(this, `dropped username of ${at}: '${username}' uses ${templ[0]}, an aws-auth placeholder access entries do not document (only {{SessionName}} and {{SessionNameRaw}}); EKS generates one`);
    } else {
      entry.username = username;
    }
  }

  private reservedGroup(g: string, at: string): boolean {
    if (!g.startsWith('system:') && !g.startsWith('eks:')) return false;
    report(this, `not copied from ${at}: group ${g} (a reserved group access entries refuse; grant it through an access policy or a group of your own bound by RBAC)`);
    return true;
  }

  private finish(entry: EntryOut, groups: string[], at: string): void {
    if (groups.length > 0) {
      entry.kubernetesGroups = groups;
      groups.forEach(g => this.rbacGroups.add(g));
    }
    if (!entry.accessPolicies?.length && groups.length === 0 && (entry.type ?? 'STANDARD') === 'STANDARD') {
      report(this, `check ${at}: ${entry.principalArn} keeps no group and no access policy; it authenticates but is granted nothing unless RBAC names its username`);
    }
    this.entries.push(entry);
  }
}

function report(c: AccessEntryCollector, line: string) {
  c.report.push(line);
}
