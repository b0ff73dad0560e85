import { Document } from 'yaml';

/**
 * A ServiceAccount object exactly as `IdentityChart.addServiceAccount` builds it with cdk8s-plus
 * (`kplus.ServiceAccount` with these metadata and `automountToken`), in plain data.
 */
export interface ServiceAccountData {
  readonly name: string;
  readonly namespace: string;
  /** undefined when there are none */
  readonly annotations?: { [key: string]: string };
  /** undefined when there are none */
  readonly labels?: { [key: string]: string };
  readonly automountToken: boolean;
}

/**
 * The tag tests by which `yaml`'s plain-scalar writer decides that a string would read back as
 * another type (YAML 1.1, the schema cdk8s writes with: `yes`, `null`, `0x1F`, `1:20`,
 * `2001-12-14`, ...) and so must be quoted. The same test `yaml` runs (`plainString`).
 */
const OTHER_TYPES: RegExp[] = (() => {
  const schema = new Document(null, { version: '1.1' }).schema as any;
  const tags: any[] = [...schema.tags, ...(schema.compat ?? [])];
  return tags.filter(t => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test instanceof RegExp).map(t => t.test as RegExp);
})();

/**
 * Characters of a scalar that `yaml` writes as it is in a block mapping: no white space, no
 * indicator, quote, comment, flow or escape character, no control character; starting with a
 * letter or digit, not ending with ':'. Anything else is left to `yaml` itself.
 */
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9._/:@=+-]*$/;

/** True when `yaml` (`lineWidth: 0`, YAML 1.1, as cdk8s writes) writes `s` unquoted, as it is. */
export function isPlainScalar(s: string, key: boolean): boolean {
  if (typeof s !== 'string' || !PLAIN.test(s) || s.endsWith(':')) return false;
  // a key over 1024 characters becomes an explicit key (`? key`)
  if (key && s.length > 1024) return false;
  return !OTHER_TYPES.some(re => re.test(s));
}

function plainMap(m: { [key: string]: string } | undefined): boolean {
  if (m === undefined) return true;
  for (const k of Object.keys(m)) if (!isPlainScalar(k, true) || !isPlainScalar(m[k], false)) return false;
  return true;
}

/**
 * True when every key and value of the object is a plain scalar, so that
 * `serviceAccountYaml` writes what `cdk8s.Yaml.stringify` would.
 */
export function isPlainServiceAccount(sa: ServiceAccountData): boolean {
  return isPlainScalar(sa.name, false) && isPlainScalar(sa.namespace, false) && plainMap(sa.annotations) && plainMap(sa.labels)
    && typeof sa.automountToken === 'boolean';
}

/** The object as cdk8s renders it (`ApiObject.toJson()`: apiVersion, kind, metadata, then the other keys sorted). */
export function serviceAccountJson(sa: ServiceAccountData): any {
  const metadata: any = {};
  if (sa.annotations !== undefined) metadata.annotations = sortedCopy(sa.annotations);
  if (sa.labels !== undefined) metadata.labels = sortedCopy(sa.labels);
  metadata.name = sa.name;
  metadata.namespace = sa.namespace;
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: sa.automountToken };
}

/**
 * The YAML document `cdk8s.Yaml.stringify` writes for the object, for an object whose scalars are
 * all plain (`isPlainServiceAccount`): block mappings, two-space indent, keys sorted.
 */
export function serviceAccountYaml(sa: ServiceAccountData): string {
  let s = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n';
  if (sa.annotations !== undefined) s += '  annotations:\n' + entries(sa.annotations);
  if (sa.labels !== undefined) s += '  labels:\n' + entries(sa.labels);
  return s + `  name: ${sa.name}\n  namespace: ${sa.namespace}\nautomountServiceAccountToken: ${sa.automountToken}\n`;
}

function entries(m: { [key: string]: string }): string {
  let s = '';
  for (const k of Object.keys(m).sort()) s += `    ${k}: ${m[k]}\n`;
  return s;
}

function sortedCopy(m: { [key: string]: string }): { [key: string]: string } {
  const out: { [key: string]: string } = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k];
  return out;
}
