import { checkManagedPolicyArn, checkManagedPolicyReference, checkRoleArn } from '../rules/arns';
import { specStatements, StatementOut, WELL_KNOWN_POLICIES } from '../rules/eksctl';
import { describe, Finding } from '../rules/finding';
import { checkRoleName } from '../rules/iam-role';
import { checkNamespaceName, checkServiceAccountName } from '../rules/k8s-names';

/** One service account of the spec, as `migrate eksctl` prints it. */
export interface ServiceAccountOut {
  name: string;
  namespace: string;
  mechanism?: string;
  existingRoleArn?: string;
  role?: { name?: string; managedPolicies?: string[]; statements?: StatementOut[]; permissionsBoundary?: string };
  podIdentity?: { targetRoleArn?: string; disableSessionTags?: boolean };
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  automountServiceAccountToken?: boolean;
}

/** The eksctl field names of one kind of item: iam.serviceAccounts or iam.podIdentityAssociations. */
interface Fields {
  readonly roleArn: string;
  readonly policyArns: string;
  readonly policy: string;
  readonly boundary: string;
}

const IRSA: Fields = { roleArn: 'attachRoleARN', policyArns: 'attachPolicyARNs', policy: 'attachPolicy', boundary: 'permissionsBoundary' };
const POD_IDENTITY: Fields = { roleArn: 'roleARN', policyArns: 'permissionPolicyARNs', policy: 'permissionPolicy', boundary: 'permissionsBoundaryARN' };

const firstError = (findings: Finding[]) => findings.find(f => f.severity === 'error');

/** Converts eksctl's iam.serviceAccounts and iam.podIdentityAssociations; everything not copied goes to `report`. */
export class WorkloadConverter {
  public readonly serviceAccounts: ServiceAccountOut[] = [];
  private readonly seen = new Map<string, string>();

  constructor(private readonly report: string[]) {}

  /** One item of iam.serviceAccounts (IRSA). */
  public irsa(item: any, at: string): void {
    const meta = item?.metadata ?? {};
    const sa = this.start(meta.name, meta.namespace, at, 'metadata.name', 'metadata.namespace');
    if (!sa) return;
    if (!this.identity(sa, item, at, IRSA)) return;
    const labels = stringMap(meta.labels);
    if (labels) sa.labels = labels;
    const annotations = stringMap(meta.annotations);
    if (annotations) {
      const own = Object.keys(annotations).filter(k => k.startsWith('eks.amazonaws.com/'));
      own.forEach(k => delete annotations[k]);
      if (own.length > 0) this.report.push(`not copied from ${at}: annotations ${own.join(', ')} (the spec writes the eks.amazonaws.com/ annotations itself)`);
      if (Object.keys(annotations).length > 0) sa.annotations = annotations;
    }
    if (item.roleOnly === true) {
      this.report.push(`note ${at}: roleOnly: eksctl created the role only and left the ServiceAccount to you; the spec also writes the ServiceAccount to <artifactId>.k8s.yaml: apply it or keep yours (its role-arn annotation must name the new role)`);
    }
    this.finish(sa, item, at);
  }

  /** One item of iam.podIdentityAssociations. */
  public podIdentity(item: any, at: string): void {
    const sa = this.start(item?.serviceAccountName, item?.namespace, at, 'serviceAccountName', 'namespace');
    if (!sa) return;
    sa.mechanism = 'podIdentity';
    if (!this.identity(sa, item, at, POD_IDENTITY)) return;
    const podIdentity: ServiceAccountOut['podIdentity'] = {};
    if (item.targetRoleARN !== undefined) {
      const f = firstError(checkRoleArn(`${at}.targetRoleARN`, String(item.targetRoleARN)));
      if (f) {
        this.report.push(`skipped ${at}: ${describe(f)}`);
        return;
      }
      podIdentity.targetRoleArn = String(item.targetRoleARN);
    }
    if (typeof item.disableSessionTags === 'boolean') podIdentity.disableSessionTags = item.disableSessionTags;
    if (Object.keys(podIdentity).length > 0) sa.podIdentity = podIdentity;
    if (item.createServiceAccount !== true) {
      this.report.push(`note ${at}: eksctl creates no ServiceAccount without createServiceAccount: true; the spec writes ${sa.namespace}/${sa.name} to <artifactId>.k8s.yaml: skip applying it if the ServiceAccount exists`);
    }
    this.finish(sa, item, at);
  }

  private start(name: unknown, namespace: unknown, at: string, nameField: string, nsField: string): ServiceAccountOut | undefined {
    if (typeof name !== 'string' || name === '') {
      this.report.push(`skipped ${at}: no ${nameField}`);
      return undefined;
    }
    const ns = namespace === undefined || namespace === null ? 'default' : String(namespace);
    const f = firstError([...checkServiceAccountName(`${at}.${nameField}`, name), ...checkNamespaceName(`${at}.${nsField}`, ns)]);
    if (f) {
      this.report.push(`skipped ${at}: ${describe(f)}`);
      return undefined;
    }
    const key = `${ns}/${name}`;
    const first = this.seen.get(key);
    if (first) {
      this.report.push(`skipped ${at}: ${key} is already given by ${first}; a service account has one identity`);
      return undefined;
    }
    this.seen.set(key, at);
    return { name, namespace: ns };
  }

  /** The existing role, or the role to create; false when the item is skipped. */
  private identity(sa: ServiceAccountOut, item: any, at: string, fields: Fields): boolean {
    const existing = item[fields.roleArn];
    if (existing !== undefined) {
      const f = firstError(checkRoleArn(`${at}.${fields.roleArn}`, String(existing)));
      if (f) {
        this.report.push(`skipped ${at}: ${describe(f)}`);
        return false;
      }
      sa.existingRoleArn = String(existing);
      const ignored = [fields.policyArns, fields.policy, 'wellKnownPolicies', fields.boundary, 'roleName'].filter(k => item[k] !== undefined);
      if (ignored.length > 0) this.report.push(`not copied from ${at}: ${ignored.join(', ')} (the role exists: ${fields.roleArn} names it)`);
      return true;
    }
    const role: NonNullable<ServiceAccountOut['role']> = {};
    if (item.roleName !== undefined) {
      const f = firstError(checkRoleName(`${at}.roleName`, String(item.roleName)));
      if (f) {
        this.report.push(`skipped ${at}: ${describe(f)}`);
        return false;
      }
      role.name = String(item.roleName);
    }
    const managed: string[] = [];
    for (const [i, arn] of [item[fields.policyArns] ?? []].flat().entries()) {
      const f = firstError(checkManagedPolicyReference(`${at}.${fields.policyArns}[${i}]`, String(arn)));
      if (f) this.report.push(`not copied from ${at}: ${describe(f)}`);
      else managed.push(String(arn));
    }
    const wk = item.wellKnownPolicies;
    if (wk !== undefined && wk !== null && typeof wk === 'object') {
      for (const [k, on] of Object.entries(wk)) {
        if (on !== true) continue;
        const p = WELL_KNOWN_POLICIES[k];
        if (p?.managedPolicy) {
          managed.push(p.managedPolicy);
          this.report.push(`mapped ${at}: wellKnownPolicies.${k} -> ${p.managedPolicy}: ${p.note}`);
        } else {
          this.report.push(`not copied from ${at}: wellKnownPolicies.${k}: ${p?.note ?? 'not a well-known policy eksctl documents'}; copy the statements into role.statements (aws iam get-role-policy on the role eksctl created)`);
        }
      }
    }
    if (managed.length > 0) role.managedPolicies = [...new Set(managed)];
    if (item[fields.policy] !== undefined) {
      const { statements, problems } = specStatements(item[fields.policy]);
      problems.forEach(p => this.report.push(`not copied from ${at}.${fields.policy}: ${p}`));
      if (statements.length > 0) role.statements = statements;
    }
    if (item[fields.boundary] !== undefined) {
      const f = firstError(checkManagedPolicyArn(`${at}.${fields.boundary}`, String(item[fields.boundary])));
      if (f) {
        this.report.push(`skipped ${at}: ${describe(f)}`);
        return false;
      }
      role.permissionsBoundary = String(item[fields.boundary]);
    }
    if (!role.managedPolicies && !role.statements) {
      this.report.push(`check ${at}: the role gets no permissions here; add role.managedPolicies or role.statements before you deploy`);
    }
    sa.role = role;
    return true;
  }

  private finish(sa: ServiceAccountOut, item: any, at: string): void {
    if (item.tags !== undefined) this.report.push(`not copied from ${at}: tags (defaults.tags tags every resource of the stack)`);
    // the ServiceAccounts eksctl writes leave automounting at the Kubernetes default (true); controllers
    // that call the Kubernetes API need it, so the migrated ones keep it (the spec's default is false)
    sa.automountServiceAccountToken = true;
    this.serviceAccounts.push(sa);
  }
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return Object.keys(out).length > 0 ? out : undefined;
}
