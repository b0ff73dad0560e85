/**
 * The policy factory: (add-on, version, partition, scope) to plain IAM statements. Pure (no CDK):
 * constructs turn the result into `iam.PolicyDocument`s.
 */
import { IdentityValidationError } from '../errors';
import { ADDONS, addonIds } from './registry';
import { AddonDefinition, AddonPolicyContext, AddonScope, PolicyStatementJson, ResolvedContext, since } from './types';
import {
  checkAddonDocument, checkAddonName, checkAddonPartition, checkAddonVersion, contextMissing, partitionUnpublished, scopeOpen,
} from '../rules/addons';
import { Finding } from '../rules/finding';

/** Options of `addonPolicy` besides the scope. */
export interface AddonPolicyOptions extends Omit<AddonPolicyContext, 'partition' | 'scope'> {
  /** The documents to include (default: the add-on's `defaultDocuments`). */
  readonly documents?: string[];
}

/** One generated document. */
export interface GeneratedDocument {
  readonly name: string;
  /** The upstream file it corresponds to. */
  readonly upstreamFile: string;
  readonly statements: PolicyStatementJson[];
}

/** What `addonPolicy` returns. */
export interface AddonPolicy {
  readonly addon: string;
  readonly version: string;
  readonly partition: string;
  readonly documents: GeneratedDocument[];
  /** Every statement of every document. */
  readonly statements: PolicyStatementJson[];
  /** ARNs of the AWS managed policies the add-on needs. */
  readonly managedPolicyArns: string[];
  /** Warnings (errors are thrown by `addonPolicy`; `planAddonPolicy` returns them). */
  readonly findings: Finding[];
}

/** The catalogue entry, or undefined. */
export function findAddon(id: string): AddonDefinition | undefined {
  return ADDONS.find(a => a.id === id);
}

/** The newest known version of an add-on. */
export function latestVersion(addon: AddonDefinition): string {
  return addon.versions[addon.versions.length - 1];
}

/** The documents an add-on publishes at a version. */
export function documentsAt(addon: AddonDefinition, version: string) {
  return addon.documents.filter(d => (!d.since || since(version, d.since)) && (!d.until || !since(version, d.until)));
}

/** Like `addonPolicy`, but returns the errors among the findings instead of throwing. */
export function planAddonPolicy(addonId: string, version: string | undefined, partition: string,
  scope: AddonScope = {}, options: AddonPolicyOptions = {}): AddonPolicy {
  const v = version ?? '';
  const empty = (findings: Finding[]): AddonPolicy =>
    ({ addon: addonId, version: v, partition, documents: [], statements: [], managedPolicyArns: [], findings });
  const addon = findAddon(addonId);
  if (!addon) return empty(checkAddonName('addon', addonId, addonIds()));
  const ver = version ?? latestVersion(addon);
  const badVersion = checkAddonVersion('version', addon.id, ver, addon.versions);
  const badPartition = checkAddonPartition('partition', partition);
  if (badVersion.length + badPartition.length > 0) return empty([...badVersion, ...badPartition]);

  const available = documentsAt(addon, ver);
  const names = options.documents ?? addon.defaultDocuments.filter(n => available.some(d => d.name === n
    && !(d.defaultOnlyWith && options[d.defaultOnlyWith] === undefined)));
  const findings: Finding[] = [];
  const ctx: ResolvedContext = {
    partition,
    version: ver,
    scope,
    region: options.region ?? '*',
    account: options.account ?? '*',
    clusterName: options.clusterName,
    nodeRoleArn: options.nodeRoleArn,
    interruptionQueueArn: options.interruptionQueueArn,
  };
  const documents: GeneratedDocument[] = [];
  names.forEach((name, i) => {
    const field = options.documents ? `documents[${i}]` : 'documents';
    const doc = available.find(d => d.name === name);
    if (!doc) {
      findings.push(...checkAddonDocument(field, addon.id, ver, name, available.map(d => d.name)));
      return;
    }
    const missing = (doc.requires ?? []).filter(k => (options as any)[k] === undefined);
    findings.push(...contextMissing(field, addon.id, name, missing));
    if (missing.length > 0) return;
    if (doc.partitions) findings.push(...partitionUnpublished('partition', addon.id, ver, name, partition, doc.partitions(ver)));
    documents.push({ name, upstreamFile: doc.upstreamFile(partition), statements: doc.statements(ctx) });
  });
  findings.push(...openScopes(addon, documents.map(d => d.name), scope));
  return {
    addon: addon.id,
    version: ver,
    partition,
    documents,
    statements: documents.flatMap(d => d.statements),
    managedPolicyArns: (addon.managedPolicies ?? []).map(n => managedPolicyArn(partition, n)),
    findings,
  };
}

/**
 * The IAM statements of an add-on at a version, for a partition, narrowed by a scope.
 * Throws an IdentityValidationError for an unknown add-on, version, document or partition, or
 * missing context; scopes left open are reported as warnings in `findings`.
 */
export function addonPolicy(addonId: string, version: string | undefined, partition: string,
  scope: AddonScope = {}, options: AddonPolicyOptions = {}): AddonPolicy {
  const plan = planAddonPolicy(addonId, version, partition, scope, options);
  const err = plan.findings.find(f => f.severity === 'error');
  if (err) throw new IdentityValidationError(err);
  return plan;
}

/** `arn:<partition>:iam::aws:policy/<path><name>` of an AWS managed policy. */
export function managedPolicyArn(partition: string, name: string): string {
  const path = SERVICE_ROLE_POLICIES.includes(name) ? 'service-role/' : '';
  return `arn:${partition}:iam::aws:policy/${path}${name}`;
}

const SERVICE_ROLE_POLICIES = ['AmazonEBSCSIDriverPolicy', 'AmazonEBSCSIDriverPolicyV2', 'AmazonEFSCSIDriverPolicy', 'AmazonS3FilesCSIDriverPolicy'];

/** Which scope fields narrow which documents, and what they stand for. */
const SCOPES: Array<{ addons: string[]; documents?: string[]; key: keyof AddonScope; what: string; open: string }> = [
  { addons: ['external-dns', 'cert-manager'], key: 'hostedZoneArns', what: 'hosted zone', open: 'arn:*:route53:::hostedzone/*' },
  {
    addons: ['external-secrets'],
    documents: ['secrets-manager', 'secrets-manager-push', 'secrets-manager-push-restrictive', 'pod-identity-secrets-manager'],
    key: 'secretArns',
    what: 'secret',
    open: 'arn:*:secretsmanager:*:*:secret:*',
  },
  { addons: ['external-secrets'], documents: ['parameter-store', 'parameter-store-push'], key: 'parameterArns', what: 'parameter', open: 'arn:*:ssm:*:*:parameter/*' },
  { addons: ['secrets-store-csi-provider-aws'], key: 'secretArns', what: 'secret', open: 'arn:*:secretsmanager:*:*:secret:*' },
  { addons: ['mountpoint-s3-csi-driver', 'velero'], key: 'bucketArns', what: 'bucket', open: 'arn:*:s3:::*' },
  { addons: ['aws-privateca-issuer'], key: 'certificateAuthorityArns', what: 'certificate authority', open: 'arn:*:acm-pca:*:*:certificate-authority/*' },
  { addons: ['cluster-autoscaler'], documents: ['minimal'], key: 'autoScalingGroupNames', what: 'auto scaling group', open: '*' },
];

function openScopes(addon: AddonDefinition, docs: string[], scope: AddonScope): Finding[] {
  return SCOPES
    .filter(s => s.addons.includes(addon.id) && (!s.documents || s.documents.some(d => docs.includes(d))))
    .filter(s => !(scope[s.key] && scope[s.key]!.length > 0))
    .map(s => scopeOpen(`scope.${s.key}`, addon.id, s.what, s.open));
}
