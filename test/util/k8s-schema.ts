import { parseAllDocuments } from 'yaml';

/**
 * Validates Kubernetes objects with the kubernetes-models schemas (an independent check).
 * An object whose kind has no model fails: nothing is skipped.
 */
export function validateK8sObject(obj: any): void {
  if (!obj || typeof obj !== 'object') throw new Error(`not a Kubernetes object: ${JSON.stringify(obj)}`);
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') throw new Error(`object without apiVersion/kind: ${JSON.stringify(obj)}`);
  const modulePath = `kubernetes-models/${apiVersion}/${kind}`;
  let Model: any;
  try {
    // the model module is chosen by apiVersion/kind at run time
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Model = require(modulePath)[kind];
  } catch (e: any) {
    throw new Error(`no Kubernetes schema for ${apiVersion} ${kind} (${modulePath}): ${e.message}`);
  }
  if (typeof Model !== 'function') throw new Error(`no Kubernetes model class ${kind} in ${modulePath}`);
  new Model(obj).validate();
}

export function parseManifests(yaml: string): any[] {
  return parseAllDocuments(yaml).map(d => {
    if (d.errors.length) throw new Error(`invalid YAML: ${d.errors.map(e => e.message).join('; ')}`);
    return d.toJS();
  }).filter(o => o !== null);
}

export function validateManifests(yaml: string): any[] {
  const objs = parseManifests(yaml);
  objs.forEach(validateK8sObject);
  return objs;
}
