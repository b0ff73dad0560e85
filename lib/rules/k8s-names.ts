import { error, Finding, warning } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'k8s-service-account-name',
    severity: 'error',
    checks: 'a service account name is a DNS-1123 subdomain (at most 253 characters)',
    why: 'Kubernetes refuses other ServiceAccount names',
    source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names',
  },
  {
    code: 'k8s-namespace',
    severity: 'error',
    checks: 'a namespace is a DNS-1123 label (at most 63 characters)',
    why: 'Kubernetes refuses other namespace names',
    source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-label-names',
  },
  {
    code: 'k8s-object-name',
    severity: 'error',
    checks: 'a Kubernetes object name is a DNS-1123 subdomain (at most 253 characters)',
    why: 'Kubernetes refuses other object names',
    source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#dns-subdomain-names',
  },
  {
    code: 'k8s-reserved-namespace',
    severity: 'warning',
    checks: 'a namespace to create does not start with kube-',
    why: 'the kube- prefix is reserved for Kubernetes system namespaces',
    source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/',
  },
  {
    code: 'k8s-label-value',
    severity: 'error',
    checks: 'label keys are qualified names and values at most 63 characters of letters, digits, -, _ and .',
    why: 'Kubernetes refuses other labels',
    source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set',
  },
  {
    code: 'k8s-annotation-value',
    severity: 'error',
    checks: 'annotation keys are qualified names and values are strings',
    why: 'Kubernetes refuses other annotations',
    source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set',
  },
  {
    code: 'k8s-annotations-size',
    severity: 'error',
    checks: 'all annotation keys and values of one object total at most 256 KiB',
    why: 'Kubernetes refuses larger annotations',
    source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set',
  },
];

// Kubernetes apimachinery validation (k8s.io/apimachinery/pkg/util/validation).
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${LABEL}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** DNS-1123 subdomain: the rule for ServiceAccount (and most object) names. */
export function checkServiceAccountName(field: string, name: string): Finding[] {
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [error('k8s-service-account-name', field, name,
      'is not a valid service account name: it must be a DNS-1123 subdomain (lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit, at most 253 characters)',
      `use a name like '${suggestName(name, 253)}'`)];
  }
  return [];
}

/** DNS-1123 label: the rule for namespace names. */
export function checkNamespaceName(field: string, namespace: string): Finding[] {
  if (namespace.length > 63 || !DNS1123_LABEL.test(namespace)) {
    return [error('k8s-namespace', field, namespace,
      'is not a valid namespace: it must be a DNS-1123 label (lower-case letters, digits and \'-\', starting and ending with a letter or digit, at most 63 characters)',
      `use a namespace like '${suggestName(namespace, 63, false)}'`)];
  }
  return [];
}

/** A DNS-1123 label used as an object name (RBAC bindings, jobs...). */
export function checkObjectName(field: string, name: string): Finding[] {
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [error('k8s-object-name', field, name,
      'is not a valid kubernetes object name: it must be a DNS-1123 subdomain of at most 253 characters',
      `use a name like '${suggestName(name, 253)}'`)];
  }
  return [];
}

/** Namespaces we create ourselves must not take the reserved `kube-` prefix. */
export function checkCreatedNamespace(field: string, namespace: string): Finding[] {
  if (namespace.startsWith('kube-')) {
    return [warning('k8s-reserved-namespace', field, namespace,
      'starts with \'kube-\', a prefix reserved for the kubernetes system',
      'choose a namespace outside \'kube-*\', or set createNamespaces: false if it already exists')];
  }
  return [];
}

/** Label and annotation keys: an optional DNS-1123 subdomain prefix, '/', and a name of at most 63. */
export function checkQualifiedName(field: string, key: string, what: 'label' | 'annotation'): Finding[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const bad = (rule: string) => [error(`k8s-${what}-key`, field, key, rule,
    `use a key like 'example.com/${suggestName(name || 'key', 63)}' (prefix: a DNS subdomain, name: letters, digits, '-', '_', '.')`)];
  // apimachinery checks annotation keys lower-cased (ValidateAnnotations), label keys as written.
  const checkedPrefix = what === 'annotation' ? prefix?.toLowerCase() : prefix;
  if (checkedPrefix !== undefined && (checkedPrefix.length === 0 || checkedPrefix.length > 253 || !DNS1123_SUBDOMAIN.test(checkedPrefix))) {
    return bad(`is not a valid ${what} key: its prefix must be a DNS-1123 subdomain of at most 253 characters`);
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME_PART.test(name)) {
    return bad(`is not a valid ${what} key: the name part must be 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`);
  }
  return [];
}

/** Label values: empty, or up to 63 letters, digits, '-', '_', '.', alphanumeric at both ends. */
export function checkLabelValue(field: string, value: string): Finding[] {
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    return [error('k8s-label-value', field, value,
      'is not a valid label value: at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit (or empty)',
      'shorten the value or move it to an annotation')];
  }
  return [];
}

export function checkLabels(field: string, labels: Record<string, string>): Finding[] {
  return Object.entries(labels).flatMap(([k, v]) => [
    ...checkQualifiedName(`${field}.${k}`, k, 'label'),
    ...(typeof v === 'string' ? checkLabelValue(`${field}.${k}`, v)
      : [error('k8s-label-value', `${field}.${k}`, v, 'is not a string', 'quote the value')]),
  ]);
}

/** Annotation keys are qualified names; keys + values of one object are at most 256 KiB. */
export function checkAnnotations(field: string, annotations: Record<string, string>): Finding[] {
  const findings = Object.entries(annotations).flatMap(([k, v]) => [
    ...checkQualifiedName(`${field}.${k}`, k, 'annotation'),
    ...(typeof v === 'string' ? [] : [error('k8s-annotation-value', `${field}.${k}`, v, 'is not a string', 'quote the value')]),
  ]);
  const size = Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
  if (size > MAX_ANNOTATIONS_BYTES) {
    findings.push(error('k8s-annotations-size', field, `${size} bytes`,
      `exceeds the kubernetes limit of ${MAX_ANNOTATIONS_BYTES} bytes (256 KiB) for all annotation keys and values of one object`,
      'move large data out of annotations (into a ConfigMap, for instance)'));
  }
  return findings;
}

/** `system:serviceaccount:<namespace>:<name>`: the subject of a service account token. */
export function serviceAccountSubject(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

function suggestName(v: string, max: number, dots = true): string {
  let s = v.toLowerCase().replace(dots ? /[^a-z0-9.-]+/g : /[^a-z0-9-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  s = s.slice(0, max).replace(/[^a-z0-9]+$/, '');
  return s || 'my-name';
}
