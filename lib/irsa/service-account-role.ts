import { Stack, Tags, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IIdentityCluster } from '../cluster';
import { issuerTrust, useJsonStringTrust } from './trust';
import { enforce, onLiteral } from '../private/enforce';
import { claimRoleName, generateDefaultRoleName } from '../private/generated-names';
import { checkRolePolicyArns } from '../private/role-arns';
import { resolveQuotas } from '../quotas';
import { WorkloadRoleOptions } from '../role-options';
import { checkAudience } from '../rules/annotations';
import { TrustRecord } from '../rules/app-model';
import { formatRoleArn, partitionForRegion } from '../rules/arns';
import { Finding } from '../rules/finding';
import { checkManagedPolicyCount, checkMaxSessionDuration, checkRoleName, checkRolePath } from '../rules/iam-role';
import { DEFAULT_AUDIENCE } from '../rules/issuer';
import { checkNamespaceName, checkServiceAccountName } from '../rules/k8s-names';
import { checkPolicyDocumentJson } from '../rules/policy-statements';
import { checkSubject, checkTrustPolicyLength, irsaTrustPolicy, WEB_IDENTITY_ACTION, WILDCARD_OPT_IN_TAG } from '../rules/trust-policy';
import { checkRoleArnPartKnown, checkSubjectCount } from '../rules/workload';
import { registerWorkloadRole } from '../workload-role';

/**
 * A Kubernetes service account allowed to assume a role.
 */
export interface ServiceAccountSubject {
  /** The namespace (a literal DNS-1123 label; never a wildcard). */
  readonly namespace: string;

  /** The service account name. `*`/`?` only with `allowWildcards`. */
  readonly serviceAccountName: string;

  /**
   * The cluster whose issuer signs this service account's tokens.
   *
   * @default - the role's `cluster`
   */
  readonly cluster?: IIdentityCluster;
}

/**
 * Options of an IRSA role that do not depend on its subjects.
 */
export interface IrsaRoleOptions extends WorkloadRoleOptions {
  /**
   * Role name.
   *
   * @default - `<roleNamePrefix><cluster>-<namespace>-<serviceaccount>` of the first subject,
   * cut to 64 characters with an 8-character hash suffix when longer (or when another role of the
   * account already has that name)
   */
  readonly roleName?: string;

  /**
   * Prefix of the default role name.
   *
   * @default ''
   */
  readonly roleNamePrefix?: string;

  /**
   * Role description.
   *
   * @default - names the service accounts
   */
  readonly description?: string;
}

/**
 * Properties of a `ServiceAccountRole`.
 */
export interface ServiceAccountRoleProps extends IrsaRoleOptions {
  /** The cluster of the subjects that name no cluster of their own. */
  readonly cluster: IIdentityCluster;

  /** The service accounts allowed to assume the role (at least one). */
  readonly subjects: ServiceAccountSubject[];

  /**
   * The audience of the projected token (`aud`), and the provider client id.
   *
   * @default 'sts.amazonaws.com'
   */
  readonly audience?: string;

  /**
   * Allow `*` and `?` in service account names: the subjects are then matched with `StringLike`
   * (the audience stays under `StringEquals`) and the role is tagged
   * `cdk-eks-identity:wildcard-subjects=true`. Namespace wildcards are never allowed.
   *
   * @default false
   */
  readonly allowWildcards?: boolean;
}

/**
 * An IAM role for service accounts (IRSA): trusted through the cluster's OIDC provider by exactly
 * the listed `system:serviceaccount:<namespace>:<name>` subjects and audience, one statement per
 * cluster issuer.
 */
export class ServiceAccountRole extends Construct implements iam.IGrantable {
  /** The role. */
  public readonly role: iam.Role;
  /** The role ARN (a token). */
  public readonly roleArn: string;
  /** The role name, as given or defaulted (a literal unless the cluster name is a token and no name was given). */
  public readonly roleName: string;
  /** The audience trusted. */
  public readonly audience: string;
  public readonly grantPrincipal: iam.IPrincipal;

  private readonly cluster: IIdentityCluster;
  private readonly path: string;
  /** the literal ARN the model records (the same string `literalRoleArn` returns) */
  private readonly recordedArn?: string;

  constructor(scope: Construct, id: string, props: ServiceAccountRoleProps) {
    super(scope, id);
    this.cluster = props.cluster;
    this.audience = props.audience ?? DEFAULT_AUDIENCE;
    this.path = props.path ?? '/';
    const quotas = resolveQuotas(this, props.quotas);
    const allowWildcards = props.allowWildcards ?? false;

    enforce(this, checkSubjectCount('subjects', props.subjects.length));
    const findings: Finding[] = [
      ...onLiteral(this.audience, a => checkAudience('audience', a)),
      ...onLiteral(props.path, p => checkRolePath('path', p)),
      ...onLiteral(props.maxSessionDuration?.toSeconds({ integral: false }), s => checkMaxSessionDuration('maxSessionDuration', s)),
      ...Object.entries(props.inlinePolicies ?? {}).flatMap(([n, d]) => onLiteral(d.toJSON(), j => checkPolicyDocumentJson(`inlinePolicies.${n}`, j))),
      ...checkManagedPolicyCount('managedPolicies', props.managedPolicies?.length ?? 0, quotas.managedPoliciesPerRole),
      ...checkRolePolicyArns(this, props, props.cluster.region),
    ];
    props.subjects.forEach((s, i) => {
      const field = `subjects[${i}]`;
      findings.push(...onLiteral({ namespace: s.namespace, serviceAccountName: s.serviceAccountName }, x => checkSubject(field, x, allowWildcards)));
      findings.push(...onLiteral(s.namespace, ns => checkNamespaceName(`${field}.namespace`, ns)));
      findings.push(...onLiteral(s.serviceAccountName, n => checkServiceAccountName(`${field}.serviceAccountName`, allowWildcards ? n.replace(/[*?]/g, 'x') : n)));
    });
    enforce(this, findings);

    const first = props.subjects[0];
    const clusterName = (first.cluster ?? props.cluster).clusterName;
    const nameKnown = !Token.isUnresolved(clusterName) && !Token.isUnresolved(first.namespace) && !Token.isUnresolved(first.serviceAccountName);
    const roleName = props.roleName ?? (nameKnown
      ? generateDefaultRoleName(this, props.roleNamePrefix ?? '', (first.cluster ?? props.cluster).region, clusterName, first.namespace, first.serviceAccountName,
        props.subjects.slice(1).map(s => [(s.cluster ?? props.cluster).clusterName, s.namespace, s.serviceAccountName]))
      : undefined);
    enforce(this, onLiteral(roleName, n => checkRoleName(props.roleName !== undefined ? 'roleName' : 'roleNamePrefix', n)));
    claimRoleName(this, props.roleName);

    // One statement per cluster issuer, in order of first appearance.
    const byCluster = new Map<IIdentityCluster, ServiceAccountSubject[]>();
    for (const s of props.subjects) {
      const c = s.cluster ?? props.cluster;
      byCluster.set(c, [...(byCluster.get(c) ?? []), s]);
    }
    const trusts = [...byCluster.entries()].map(([c, subjects]) => {
      c.addAudience(this.audience);
      return issuerTrust(this, c, subjects, this.audience);
    });

    this.role = new iam.Role(this, 'Resource', {
      roleName,
      path: props.path,
      assumedBy: trusts[0].principal,
      permissionsBoundary: props.permissionsBoundary,
      maxSessionDuration: props.maxSessionDuration,
      managedPolicies: props.managedPolicies,
      inlinePolicies: props.inlinePolicies,
      description: props.description ?? describeSubjects(props.subjects),
    });
    for (const t of trusts.slice(1)) {
      // the principal's conditions come with it
      this.role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({ principals: [t.principal], actions: [WEB_IDENTITY_ACTION] }));
    }
    if (trusts.some(t => t.tokenKeys)) useJsonStringTrust(this.role);
    this.roleName = roleName ?? this.role.roleName;
    if (allowWildcards && props.subjects.some(s => /[*?]/.test(s.serviceAccountName))) {
      Tags.of(this.role).add(WILDCARD_OPT_IN_TAG, 'true');
    }
    this.roleArn = this.role.roleArn;
    this.grantPrincipal = this.role.grantPrincipal;

    if (trusts.every(t => t.literal)) {
      enforce(this, checkTrustPolicyLength('trustPolicy', irsaTrustPolicy(trusts.map(t => t.literal!)), quotas.trustPolicyLength));
    }
    this.recordedArn = registerWorkloadRole(this, this.role, {
      roleName: this.roleName,
      path: this.path,
      fallbackAccount: this.cluster.account,
      fallbackRegion: this.cluster.region,
      fallbackPartition: this.cluster.partition,
      trust: irsaTrustRecord(props, trusts.map(t => t.literal?.providerArn).filter((a): a is string => a !== undefined)),
      inlinePolicies: props.inlinePolicies,
      checkInlinePolicySize: true,
    });
  }

  /**
   * The role ARN as a literal string, as a ServiceAccount annotation needs it. Throws when the
   * account or role name is not known at synth.
   */
  public get literalRoleArn(): string {
    const stack = Stack.of(this);
    const account = !Token.isUnresolved(stack.account) ? stack.account : this.cluster.account;
    const region = !Token.isUnresolved(stack.region) ? stack.region : this.cluster.region;
    enforce(this, [
      ...checkRoleArnPartKnown('account', !Token.isUnresolved(account)),
      ...checkRoleArnPartKnown('roleName', !Token.isUnresolved(this.roleName) && !Token.isUnresolved(this.path)),
    ]);
    const partition = Token.isUnresolved(region) ? this.cluster.partition : partitionForRegion(region);
    enforce(this, checkRoleArnPartKnown('region', !Token.isUnresolved(partition)));
    return this.recordedArn ?? formatRoleArn(partition, account, this.path, this.roleName);
  }
}

/** Who an IRSA role admits, for the app-wide checks: its (issuer, namespace, service account) subjects. */
function irsaTrustRecord(props: ServiceAccountRoleProps, providerArns: string[]): TrustRecord {
  return {
    mechanism: 'irsa',
    subjects: props.subjects.filter(s => !Token.isUnresolved(s.namespace) && !Token.isUnresolved(s.serviceAccountName)).map(s => {
      const issuer = (s.cluster ?? props.cluster).oidcIssuerUrl;
      return {
        issuer: issuer !== undefined && !Token.isUnresolved(issuer) ? issuer.replace(/^https:\/\//, '') : undefined,
        namespace: s.namespace,
        serviceAccount: s.serviceAccountName,
      };
    }),
    providerArns,
  };
}

function describeSubjects(subjects: ServiceAccountSubject[]): string {
  const names = subjects.map(s => `${s.namespace}/${s.serviceAccountName}`);
  const text = `IRSA role for ${names.join(', ')}`;
  return Token.isUnresolved(text) || text.length <= 1000 ? text : `${text.slice(0, 996)}...`;
}
