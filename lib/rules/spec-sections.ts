import { error, Finding } from './finding';
import { RuleMeta } from './rule-meta';

/** One entry per namespace and service account in a spec. */
export function checkServiceAccountUnique(field: string, key: string, firstAt?: string): Finding[] {
  if (firstAt === undefined) return [];
  return [error('spec-service-account-duplicate', field, key,
    `is already declared as ${firstAt}: one entry per namespace and service account`,
    'merge the two entries')];
}

/** A group bound twice to one ClusterRole, where both items make the same object. */
export function checkRbacItemUnique(field: string, item: { group: string; clusterRole: string }, firstAt: string | undefined,
  object: string): Finding[] {
  if (firstAt === undefined) return [];
  return [error('k8s-rbac-binding-duplicate', field, `${item.group} -> ${item.clusterRole}`,
    `is already bound by ${firstAt}: both items make the same ${object}, one object per namespace and name`,
    'merge the rbac items that bind this group to this ClusterRole into one (list all their namespaces there)')];
}

/** The layouts a `WorkloadIdentityStack` knows. */
export function checkLayout(field: string, layout: string, layouts: readonly string[]): Finding[] {
  return layouts.includes(layout) ? [] : [error('spec-layout', field, layout, 'is not a layout',
    'use single (one template) or nested (one nested stack per namespace)')];
}

/** The identity mechanisms of a service account. */
export function checkIdentityMechanism(field: string, mechanism: string, mechanisms: readonly string[]): Finding[] {
  return mechanisms.includes(mechanism) ? [] : [error('identity-mechanism', field, mechanism, 'is not an identity mechanism',
    `use one of ${mechanisms.join(', ')}`)];
}

/** IRSA trust policies are keyed on the issuer: a spec with an IRSA role to create needs it. */
export function checkIssuerForIrsa(field: string, needed: boolean, known: boolean): Finding[] {
  return needed && !known ? [error('irsa-issuer-required', field, undefined,
    'is required once any service account uses irsa: trust policies are keyed on the issuer',
    'add it from: aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer --output text')] : [];
}

/** A spec file that cannot be read. */
export function specUnreadable(field: string, file: string, reason: string): Finding[] {
  return [error('spec-file', field, file, `cannot be read (${reason})`,
    'pass the path of an identity.yaml, e.g. cdk synth -c spec=examples/quickstart/identity.yaml')];
}

/** Spec text that is not YAML (or JSON). */
export function specNotYaml(field: string, message: string): Finding[] {
  return [{
    code: 'spec-yaml',
    severity: 'error',
    field,
    value: '',
    rule: `is not valid YAML: ${message}`,
    fix: 'fix the YAML syntax at that line (indentation, a missing colon, a duplicated key)',
  }];
}

/** A spec whose shape the JSON Schema refuses (an unknown key, a wrong type, a missing key). */
export function specShape(field: string, value: string, rule: string, fix: string): Finding[] {
  return [{ code: 'spec-schema', severity: 'error', field, value, rule, fix }];
}

/** A spec document that is not a mapping of sections. */
export function specNotAMapping(field: string): Finding[] {
  return [{ code: 'spec-mapping', severity: 'error', field, value: '', rule: 'is not a mapping: a spec is a mapping of sections (cluster:, serviceAccounts:...), not a list or a single value', fix: 'write the sections as keys at the top of the file; start from examples/quickstart/identity.yaml' }];
}

/** What the rules of this file check (docs/rules.md is generated from these records). */
export const RULES: RuleMeta[] = [
  {
    code: 'spec-service-account-duplicate',
    severity: 'error',
    checks: 'a spec declares each namespace and service account once',
    why: 'two entries would write two ServiceAccount objects of one name: the last kubectl apply silently wins',
    source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/',
  },
  {
    code: 'spec-file',
    severity: 'error',
    checks: 'the spec file can be read',
    why: 'nothing can be checked or built without the spec',
    source: 'https://nodejs.org/api/fs.html#fsreadfilesyncpath-options',
  },
  {
    code: 'spec-yaml',
    severity: 'error',
    checks: 'the spec is valid YAML (or JSON), without duplicated keys',
    why: 'a YAML error or a duplicated key would silently drop or change part of the spec',
    source: 'https://yaml.org/spec/1.2.2/',
  },
  {
    code: 'spec-schema',
    severity: 'error',
    checks: 'the spec has the shape of schema/identity-spec.schema.json: known keys, types, required keys',
    why: 'an unknown key (a typo) would be ignored, a wrong type misread',
    source: 'https://json-schema.org/draft-07/schema',
  },
  {
    code: 'spec-mapping',
    severity: 'error',
    checks: 'the spec document is a mapping of sections',
    why: 'a spec is cluster, serviceAccounts, accessEntries... keyed by name',
    source: 'https://yaml.org/spec/1.2.2/',
  },
  {
    code: 'spec-layout',
    severity: 'error',
    checks: 'layout is single or nested',
    why: 'the layout decides which template each resource lives in; it is never guessed',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-nested-stacks.html',
  },
];
