import { isScalar, parseAllDocuments, parseDocument, Scalar } from 'yaml';
import { AccessEntryCollector, EntryOut } from './access-mapper';
import { InputError } from './usage';
import { readAwsAuthItem } from '../rules/aws-auth';

export interface MigrateResult {
  /** The `accessEntries` spec section (and the rbac hints as comments): a valid YAML fragment. */
  readonly yaml: string;
  /** What was not copied, or needs a look, one line each (stderr). */
  readonly report: string[];
  /** The entries, for tests. */
  readonly entries: EntryOut[];
  /** 0, or 1 when the ConfigMap held mappings and none of them could be migrated. */
  readonly exitCode: number;
}

/**
 * `migrate aws-auth FILE`: the accessEntries of an aws-auth ConfigMap, read as aws-iam-authenticator
 * reads it (keys case-insensitive). Node roles become EC2_LINUX (EC2_WINDOWS with
 * eks:kube-proxy-windows, HYBRID_LINUX with system:node:{{SessionName}}), Fargate pod execution
 * roles FARGATE_LINUX, system:masters AmazonEKSClusterAdminPolicy at cluster scope, other groups
 * STANDARD with those groups. `system:*` groups, placeholders, service-linked roles and anything
 * unmappable are reported, not copied. Unreadable input throws an `InputError` (exit 2).
 */
export function migrateAwsAuth(text: string, file: string): MigrateResult {
  const docs = parseAllDocuments(text);
  if (docs.length === 0) throw new InputError(`${file}: empty (get it with kubectl get configmap aws-auth -n kube-system -o yaml)`);
  for (const d of docs) {
    const e = d.errors[0];
    if (e) throw new InputError(`${file}: ${e.linePos ? `line ${e.linePos[0].line}: ` : ''}not valid YAML (${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')})`);
  }
  const values = docs.map(d => d.toJSON());
  // the aws-auth ConfigMap of a multi-document file, else its first ConfigMap, else its first document
  let index = values.findIndex(v => v?.kind === 'ConfigMap' && v?.metadata?.name === 'aws-auth');
  if (index < 0) index = Math.max(0, values.findIndex(v => v?.kind === 'ConfigMap'));
  const cmDoc = docs[index];
  const cm = values[index];
  const get = 'get it with kubectl get configmap aws-auth -n kube-system -o yaml';
  if (!cm || typeof cm !== 'object' || Array.isArray(cm)) throw new InputError(`${file}: not an aws-auth ConfigMap (${get})`);
  if (cm.kind !== undefined && cm.kind !== 'ConfigMap') throw new InputError(`${file}: a ${String(cm.kind)}, not an aws-auth ConfigMap (${get})`);
  const name = cm.metadata?.name;
  const namespace = cm.metadata?.namespace;
  if ((name !== undefined && name !== 'aws-auth') || (namespace !== undefined && String(namespace).trim() !== 'kube-system')) {
    throw new InputError(`${file}: the ConfigMap ${namespace ?? 'default'}/${name ?? '(no name)'}, not kube-system/aws-auth: aws-iam-authenticator reads only kube-system/aws-auth (${get})`);
  }
  if (!cm.data || typeof cm.data !== 'object' || Array.isArray(cm.data)) {
    const top = ['mapRoles', 'mapUsers', 'mapAccounts'].filter(k => cm[k] !== undefined);
    throw new InputError(top.length > 0
      ? `${file}: ${top.join(', ')} ${top.length > 1 ? 'sit' : 'sits'} at the top level, not under data (data is ${cm.data === null || cm.data === undefined ? 'empty' : 'not a mapping'}): indent ${top.length > 1 ? 'them' : 'it'} under data: and migrate again`
      : `${file}: not an aws-auth ConfigMap (no data; ${get})`);
  }
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  const list = (key: string): unknown[] => {
    const raw = cm.data[key];
    if (raw === undefined || raw === null) return [];
    if (typeof raw !== 'string') {
      throw new InputError(`${file}: data.${key} is a YAML ${Array.isArray(raw) ? 'list' : typeof raw}, not a string: ConfigMap data values are strings, so the API server refuses this ConfigMap; write '${key}: |' and indent the list under it`);
    }
    const inner = parseDocument(raw);
    const e = inner.errors[0];
    if (e) {
      // a block scalar (`mapRoles: |`) starts on the line after its key: map the line back to the file
      const node = cmDoc.getIn(['data', key], true);
      const block = isScalar(node) && (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED);
      const innerLine = e.linePos?.[0].line;
      const where = innerLine === undefined ? '' : block && node.range ? `line ${lineOf(node.range[0]) + innerLine}: ` : `line ${innerLine} of its value: `;
      throw new InputError(`${file}: data.${key}: ${where}not valid YAML (${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}); aws-iam-authenticator skips every mapping of data.${key} meanwhile; fix the value (kubectl edit configmap aws-auth -n kube-system) and run migrate again`);
    }
    const v = inner.toJSON();
    if (v === null || v === undefined) return [];
    if (!Array.isArray(v)) throw new InputError(`${file}: data.${key} is not a list (aws-auth lists one mapping per item: - ${key === 'mapUsers' ? 'userarn' : key === 'mapRoles' ? 'rolearn' : '"111122223333"'}: ...); aws-iam-authenticator skips it`);
    return v;
  };

  const c = new AccessEntryCollector();
  const map = (item: unknown, at: string, kind: 'role' | 'user') => {
    const arnKey = kind === 'role' ? 'rolearn' : 'userarn';
    const read = readAwsAuthItem(item, kind);
    if (read === undefined) {
      c.report.push(`skipped ${at}: not a mapping (${JSON.stringify(item)}); each item is ${arnKey}, username, groups`);
      return;
    }
    if (kind === 'role' && read.sso !== undefined && read.arn !== undefined) {
      c.report.push(`skipped ${at}: both ${read.arnKey} and sso: aws-iam-authenticator refuses a mapping with both (only one of rolearn or sso)`);
      return;
    }
    if (kind === 'role' && read.sso !== undefined) {
      c.report.push(`skipped ${at}: an sso mapping (${JSON.stringify(read.sso)}) matches every role of an IAM Identity Center permission set; an access entry names one role: add it by its ARN (aws iam list-roles --path-prefix /aws-reserved/sso.amazonaws.com/)`);
      return;
    }
    if (typeof read.arn !== 'string' || read.arn.trim() === '') {
      const keys = Object.keys(item as object);
      c.report.push(`skipped ${at}: no ${arnKey}${keys.length > 0 ? ` (keys: ${keys.join(', ')})` : ''}`);
      return;
    }
    if (read.arnKey !== arnKey) c.report.push(`note ${at}: read ${read.arnKey} as ${arnKey} (aws-iam-authenticator matches keys case-insensitively)`);
    const groups = read.groups === undefined || read.groups === null ? [] : Array.isArray(read.groups) ? read.groups.map(String) : undefined;
    if (groups === undefined) {
      c.report.push(`skipped ${at}: groups is ${JSON.stringify(read.groups)}, not a list; aws-iam-authenticator cannot decode it`);
      return;
    }
    c.mapIdentity({ arn: read.arn, arnField: arnKey, username: typeof read.username === 'string' ? read.username : undefined, groups }, at);
  };

  const roles = list('mapRoles');
  const users = list('mapUsers');
  const accounts = list('mapAccounts');
  roles.forEach((r, i) => map(r, `mapRoles[${i}]`, 'role'));
  users.forEach((u, i) => map(u, `mapUsers[${i}]`, 'user'));
  accounts.forEach((a, i) => c.report.push(typeof a === 'object' && a !== null
    ? `skipped mapAccounts[${i}] (${JSON.stringify(a)}): not an account id (aws-iam-authenticator cannot decode mapAccounts then, and maps no account); access entries name IAM principals, not whole accounts`
    : `skipped mapAccounts[${i}] (${String(a)}): access entries name IAM principals, not whole accounts; create one entry per role or user`));
  const existed = roles.length + users.length + accounts.length;
  let exitCode = 0;
  if (existed > 0 && c.entries.length === 0) {
    exitCode = 1;
    c.report.push(`nothing migrated: ${existed} mapping${existed > 1 ? 's' : ''}, none could become an access entry (exit 1)`);
  }
  return { yaml: c.yaml(), report: c.report, entries: c.entries, exitCode };
}
