import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { bindManagedPolicy, bindPolicyDocument, checkBoundary, ManagedPolicyRef } from './bind-policy';
import { IdentitySpec, ServiceAccountSpec } from './types';
import { onLiteral } from '../private/enforce';
import { checkAudience, checkReservedAnnotations, checkStsRegionalEndpoints, checkStsRegionalSupport, checkTokenExpiration } from '../rules/annotations';
import { checkArnPartition, checkRoleArn } from '../rules/arns';
import { Finding } from '../rules/finding';
import { checkManagedPolicyCount, checkMaxSessionDuration, checkRoleName, checkRoleNamesUnique, checkRolePath, defaultRoleName } from '../rules/iam-role';
import { checkAnnotations, checkLabels, checkNamespaceName, checkServiceAccountName } from '../rules/k8s-names';
import { checkManagedPoliciesUnique } from '../rules/managed-policies';
import {
  checkAssociationRoleAccount, checkIrsaOnlyOptions, checkPodIdentityOptionsOnIrsa, checkSessionPolicyLength, checkSessionPolicyTags, checkTargetRole,
} from '../rules/pod-identity';
import { checkIdentityMechanism, checkServiceAccountUnique } from '../rules/spec-sections';
import { IdentityMechanism, WorkloadIdentityProps } from '../workload-identity';

/** The props of one `WorkloadIdentity` of the spec, without what needs a scope. */
export type WorkloadBinding = Omit<WorkloadIdentityProps, 'cluster' | 'managedPolicies' | 'permissionsBoundary'>;

/** One service account of the spec, bound. */
export interface BoundServiceAccount {
  readonly spec: ServiceAccountSpec;
  /** `serviceAccounts[2]` (also the prefix of the ids of its imported policies) */
  readonly field: string;
  /** The construct id of its `WorkloadIdentity`: `<namespace>:<name>` */
  readonly id: string;
  readonly props: WorkloadBinding;
  /** Managed policies of a created role, in spec order. */
  readonly managedPolicies?: ManagedPolicyRef[];
  /** Permissions boundary of a created role. */
  readonly permissionsBoundaryArn?: string;
}

const MECHANISMS = Object.values(IdentityMechanism) as string[];

/** The serviceAccounts section: every rule of `WorkloadIdentity` and of the roles it creates, with spec paths. */
export function bindServiceAccounts(spec: IdentitySpec, managedPoliciesPerRole: number): { bound: BoundServiceAccount[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const seen = new Map<string, string>();
  const roleNames: Array<{ name: string; where: string }> = [];
  if (spec.fargate?.podExecutionRole?.name !== undefined) {
    roleNames.push({ name: spec.fargate.podExecutionRole.name, where: 'fargate.podExecutionRole.name' });
  }
  const bound = (spec.serviceAccounts ?? []).map((sa, i) => {
    const field = `serviceAccounts[${i}]`;
    const key = `${sa.namespace}/${sa.name}`;
    findings.push(...checkServiceAccountUnique(`${field}.name`, key, seen.get(key)));
    if (!seen.has(key)) seen.set(key, field);
    const b = bindServiceAccount(spec, sa, field, managedPoliciesPerRole);
    findings.push(...b.findings);
    const name = sa.existingRoleArn === undefined ? sa.role?.name : undefined;
    if (name !== undefined && !Token.isUnresolved(name)) {
      // role names are unique per account, ignoring case: the first of the spec with this name, then this one
      const first = roleNames.find(r => r.name.toLowerCase() === name.toLowerCase());
      findings.push(...checkRoleNamesUnique(`${field}.role.name`, [...(first ? [first] : []), { name, where: `${field}.role.name` }]));
      roleNames.push({ name, where: `${field}.role.name` });
    }
    return b.bound;
  });
  return { bound, findings };
}

interface Bound<T> {
  readonly bound: T;
  readonly findings: Finding[];
}

function bindServiceAccount(spec: IdentitySpec, sa: ServiceAccountSpec, field: string, managedPoliciesPerRole: number): Bound<BoundServiceAccount> {
  const f = (key: string) => `${field}.${key}`;
  const { region, account } = spec.cluster;
  const mechanism = sa.mechanism ?? IdentityMechanism.IRSA;
  const podIdentity = mechanism === IdentityMechanism.POD_IDENTITY;
  const findings: Finding[] = [
    ...onLiteral(mechanism as string, m => checkIdentityMechanism(f('mechanism'), m, MECHANISMS)),
    ...onLiteral(sa.namespace, ns => checkNamespaceName(f('namespace'), ns)),
    ...onLiteral(sa.name, n => checkServiceAccountName(f('name'), n)),
  ];

  let sessionPolicy: iam.PolicyDocument | undefined;
  if (podIdentity) {
    findings.push(...checkIrsaOnlyOptions(
      { audience: sa.audience, tokenExpiration: sa.tokenExpirationSeconds, stsRegionalEndpoints: sa.stsRegionalEndpoints },
      { audience: f('audience'), tokenExpiration: f('tokenExpirationSeconds'), stsRegionalEndpoints: f('stsRegionalEndpoints') }));
    const pi = sa.podIdentity;
    findings.push(...checkSessionPolicyTags(f('podIdentity.disableSessionTags'), pi?.sessionPolicy !== undefined, pi?.disableSessionTags));
    findings.push(...onLiteral(sa.existingRoleArn, r => onLiteral(account, a => checkAssociationRoleAccount(f('existingRoleArn'), r, a))));
    findings.push(...onLiteral(pi?.targetRoleArn, t => [
      ...checkRoleArn(f('podIdentity.targetRoleArn'), t),
      ...checkArnPartition(f('podIdentity.targetRoleArn'), t, region),
      ...onLiteral(sa.existingRoleArn, r => checkTargetRole(f('podIdentity.targetRoleArn'), t, r)),
    ]));
    if (pi?.sessionPolicy) {
      const p = bindPolicyDocument(pi.sessionPolicy.statements, f('podIdentity.sessionPolicy.statements'), 'session policy');
      sessionPolicy = p.doc;
      findings.push(...p.findings, ...onLiteral(p.doc.toJSON(), d => checkSessionPolicyLength(f('podIdentity.sessionPolicy'), d)));
    }
  } else {
    findings.push(...checkPodIdentityOptionsOnIrsa(f('podIdentity'), sa.podIdentity !== undefined));
  }
  findings.push(
    ...onLiteral(sa.audience, a => checkAudience(f('audience'), a)),
    ...onLiteral(sa.tokenExpirationSeconds, s => checkTokenExpiration(f('tokenExpirationSeconds'), s)),
    ...onLiteral(sa.existingRoleArn, a => [...checkRoleArn(f('existingRoleArn'), a), ...checkArnPartition(f('existingRoleArn'), a, region)]),
    ...onLiteral(sa.labels, l => checkLabels(f('labels'), l)),
    ...onLiteral(sa.annotations, a => [...checkReservedAnnotations(f('annotations'), a), ...checkAnnotations(f('annotations'), a)]),
  );
  if (sa.stsRegionalEndpoints !== undefined) {
    findings.push(...checkStsRegionalEndpoints(f('stsRegionalEndpoints'), sa.stsRegionalEndpoints));
    const { kubernetesVersion, platformVersion } = spec.cluster;
    if (sa.stsRegionalEndpoints && kubernetesVersion !== undefined) {
      findings.push(...onLiteral(kubernetesVersion, v => checkStsRegionalSupport('cluster.kubernetesVersion', v, platformVersion)));
    }
  }

  const props: WorkloadBinding = {
    namespace: sa.namespace,
    serviceAccountName: sa.name,
    mechanism: sa.mechanism,
    existingRoleArn: sa.existingRoleArn,
    podIdentity: sa.podIdentity && {
      targetRoleArn: sa.podIdentity.targetRoleArn,
      disableSessionTags: sa.podIdentity.disableSessionTags,
      sessionPolicy,
    },
    audience: sa.audience,
    stsRegionalEndpoints: sa.stsRegionalEndpoints,
    tokenExpiration: seconds(sa.tokenExpirationSeconds),
    automountServiceAccountToken: sa.automountServiceAccountToken,
    verify: sa.verify,
    labels: sa.labels,
    annotations: sa.annotations,
    quotas: spec.quotas,
  };
  if (sa.existingRoleArn !== undefined) return { bound: { spec: sa, field, id: idOf(sa), props }, findings };

  const role = bindRole(spec, sa, field, managedPoliciesPerRole);
  return {
    bound: {
      spec: sa,
      field,
      id: idOf(sa),
      props: { ...props, ...role.props },
      managedPolicies: role.managedPolicies,
      permissionsBoundaryArn: role.boundary,
    },
    findings: [...findings, ...role.findings],
  };
}

/** `<namespace>:<name>`: namespaces hold no ':' (DNS-1123 labels, checked first), so ids are distinct. */
const idOf = (sa: ServiceAccountSpec) => `${sa.namespace}/${sa.name}`.replace(/\//g, ':');

/** The role a service account without existingRoleArn gets: the rules of ServiceAccountRole and PodIdentityRole. */
function bindRole(spec: IdentitySpec, sa: ServiceAccountSpec, field: string, managedPoliciesPerRole: number) {
  const role = sa.role ?? {};
  const defaults = spec.defaults ?? {};
  const region = spec.cluster.region;
  const f = (key: string) => `${field}.role.${key}`;
  const prefix = role.name === undefined ? defaults.roleNamePrefix : undefined;
  const path = role.path ?? defaults.rolePath;
  const boundary = role.permissionsBoundary ?? defaults.permissionsBoundary;
  const findings: Finding[] = [
    ...onLiteral(role.name, n => checkRoleName(f('name'), n)),
    // the default name (prefix, cluster, namespace, service account) cut to 64 characters
    ...(role.name === undefined ? onLiteral([prefix ?? '', spec.cluster.name, sa.namespace, sa.name], ([p, c, ns, n]) =>
      checkRoleName(prefix ? 'defaults.roleNamePrefix' : f('name'), defaultRoleName(p, c, ns, n))) : []),
    ...onLiteral(path, p => checkRolePath(role.path !== undefined ? f('path') : 'defaults.rolePath', p)),
    ...onLiteral(role.maxSessionDuration, s => checkMaxSessionDuration(f('maxSessionDuration'), s)),
    ...checkManagedPolicyCount(f('managedPolicies'), role.managedPolicies?.length ?? 0, managedPoliciesPerRole),
    ...checkBoundary(role.permissionsBoundary !== undefined ? f('permissionsBoundary') : 'defaults.permissionsBoundary', boundary, region),
    ...onLiteral(role.managedPolicies, m => checkManagedPoliciesUnique(f('managedPolicies'), m, region)),
  ];
  const managedPolicies = (role.managedPolicies ?? []).map((p, j) => {
    const m = bindManagedPolicy(f(`managedPolicies[${j}]`), p, region);
    findings.push(...m.findings);
    return m.ref;
  });
  let inlinePolicies: { [name: string]: iam.PolicyDocument } | undefined;
  if (role.statements && role.statements.length > 0) {
    const p = bindPolicyDocument(role.statements, f('statements'), 'identity policy');
    findings.push(...p.findings);
    inlinePolicies = { Inline: p.doc };
  }
  return {
    findings,
    managedPolicies,
    boundary: boundary !== undefined && !Token.isUnresolved(boundary) ? boundary : undefined,
    props: {
      roleName: role.name,
      roleNamePrefix: prefix,
      path,
      maxSessionDuration: seconds(role.maxSessionDuration),
      inlinePolicies,
    },
  };
}

/**
 * A spec's seconds as a Duration; none for a value `Duration` refuses (negative, not finite): its
 * rule (checkTokenExpiration, checkMaxSessionDuration) reports that value with its spec path, so
 * aws-cdk-lib's own message never reaches the user.
 */
function seconds(value: number | undefined): Duration | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Duration.seconds(value) : undefined;
}
