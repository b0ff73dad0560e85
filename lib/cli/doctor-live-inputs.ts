import * as fs from 'fs';
import * as path from 'path';
import { K8sObject, parseJson, readK8sObjects, readText } from './doctor-inputs';
import { UsageError } from './usage';

/**
 * The files a platform team exports from a running cluster (`aws iam ...`, `aws eks ...`,
 * `kubectl get ... -o yaml`), read from one directory without network. Each file's kind is told by
 * its top-level keys, never by its name; files of no known kind are listed and skipped.
 */

/** What an exported file holds, by the command that printed it. */
export type LiveKind =
  | 'iam get-role'
  | 'iam list-open-id-connect-providers'
  | 'iam get-open-id-connect-provider'
  | 'eks describe-cluster'
  | 'eks list-access-entries'
  | 'eks describe-access-entry'
  | 'eks list-associated-access-policies'
  | 'eks list-pod-identity-associations'
  | 'eks describe-pod-identity-association'
  | 'kubectl get -o yaml';

const isObject = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The command a JSON document is the output of, told by its top-level keys. */
export function liveKind(j: unknown): LiveKind | undefined {
  if (!isObject(j)) return undefined;
  if (isObject(j.Role)) return 'iam get-role';
  if (Array.isArray(j.OpenIDConnectProviderList)) return 'iam list-open-id-connect-providers';
  if (typeof j.Url === 'string' && (Array.isArray(j.ClientIDList) || Array.isArray(j.ThumbprintList))) return 'iam get-open-id-connect-provider';
  if (isObject(j.cluster)) return 'eks describe-cluster';
  if (Array.isArray(j.accessEntries)) return 'eks list-access-entries';
  if (isObject(j.accessEntry)) return 'eks describe-access-entry';
  if (Array.isArray(j.associatedAccessPolicies)) return 'eks list-associated-access-policies';
  if (Array.isArray(j.associations)) return 'eks list-pod-identity-associations';
  if (isObject(j.association)) return 'eks describe-pod-identity-association';
  if (typeof j.kind === 'string' && typeof j.apiVersion === 'string') return 'kubectl get -o yaml';
  return undefined;
}

/** One exported file: its path relative to the directory, its kind and its parsed content. */
export interface LiveFile { readonly file: string; readonly kind: LiveKind; readonly json: any }

/** What was read from a directory of exports. */
export interface LiveState {
  readonly files: LiveFile[];
  /** Kubernetes objects of the kubectl exports (`kind: List` flattened) */
  readonly objects: K8sObject[];
  /** files of no known kind, relative paths */
  readonly unknown: string[];
}

/** Every regular file under `dir` (subdirectories too, dot-files left out), relative, sorted. */
function walk(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true })
    .filter(e => !e.name.startsWith('.'))
    .flatMap(e => (e.isDirectory() ? walk(dir, path.join(rel, e.name)) : e.isFile() ? [path.join(rel, e.name)] : []))
    .sort();
}

/** Reads a directory of exports; unreadable files are a UsageError naming the file (and line). */
export function readLiveState(dir: string): LiveState {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError(`${dir}: no such directory (pass the directory the export commands wrote, see docs/doctor.md)`);
  }
  const files: LiveFile[] = [];
  const objects: K8sObject[] = [];
  const unknown: string[] = [];
  for (const rel of walk(dir)) {
    const full = path.join(dir, rel);
    const text = readText(full);
    if (/^\s*[{[]/.test(text)) {
      const j = parseJson(full, text, 'the JSON output of an aws iam / aws eks command, or kubectl -o json');
      const kind = liveKind(j);
      if (kind === 'kubectl get -o yaml') objects.push(...readK8sObjects(rel, text, full));
      if (kind) files.push({ file: rel, kind, json: j });
      else unknown.push(rel);
      continue;
    }
    // YAML is told by its content too; only a file named .yaml/.yml that does not parse is an error (a README is not)
    let objs: K8sObject[];
    try {
      objs = readK8sObjects(rel, text, full).filter(o => typeof o.obj.kind === 'string');
    } catch (e) {
      if (/\.ya?ml$/i.test(rel)) throw e;
      objs = [];
    }
    if (objs.length === 0) { unknown.push(rel); continue; }
    objects.push(...objs);
    files.push({ file: rel, kind: 'kubectl get -o yaml', json: undefined });
  }
  if (files.length === 0) {
    throw new UsageError(`${dir}: no exported file of a known kind (aws iam get-role, aws eks describe-cluster, kubectl get sa -A -o yaml...; see docs/doctor.md)`);
  }
  return { files, objects, unknown };
}
