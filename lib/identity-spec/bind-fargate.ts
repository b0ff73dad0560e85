import { Token } from 'aws-cdk-lib';
import { checkBoundary } from './bind-policy';
import { FargateProfileSpec, IdentitySpec } from './types';
import { onLiteral } from '../private/enforce';
import { checkFargateSelectors, checkProfileName, checkProfileNameUnique, checkSubnetIds } from '../rules/fargate';
import { errorsOf, Finding } from '../rules/finding';
import { checkRoleName, checkRolePath } from '../rules/iam-role';
import { checkPodIdentityOnFargate, FargateSelectorRef } from '../rules/pod-identity';
import { IdentityMechanism } from '../workload-identity';

/** The fargate section, bound: the pod execution role and the profiles, in spec order. */
export interface BoundFargate {
  readonly roleName?: string;
  readonly path?: string;
  readonly permissionsBoundaryArn?: string;
  readonly profiles: BoundFargateProfile[];
}

export interface BoundFargateProfile {
  readonly spec: FargateProfileSpec;
  /** `FargateProfile:<name>`: a valid profile name holds no '/' (checked first), so ids are distinct */
  readonly id: string;
}

export interface FargateQuotas {
  readonly selectorsPerFargateProfile: number;
  readonly labelsPerFargateSelector: number;
}

/** The rules of PodExecutionRole and FargateProfile, with spec paths. */
export function bindFargate(spec: IdentitySpec, quotas: FargateQuotas): { bound?: BoundFargate; findings: Finding[] } {
  const fargate = spec.fargate;
  if (!fargate) return { findings: [] };
  const boundary = spec.defaults?.permissionsBoundary;
  const path = spec.defaults?.rolePath;
  const findings: Finding[] = [
    ...checkBoundary('defaults.permissionsBoundary', boundary, spec.cluster.region),
    ...onLiteral(fargate.podExecutionRole?.name, n => checkRoleName('fargate.podExecutionRole.name', n)),
    ...onLiteral(path, p => checkRolePath('defaults.rolePath', p)),
  ];
  const names = new Map<string, string>();
  const profiles = (fargate.profiles ?? []).map((p, k) => {
    const field = `fargate.profiles[${k}]`;
    findings.push(...onLiteral(p.name, n => [...checkProfileName(`${field}.name`, n), ...checkProfileNameUnique(`${field}.name`, n, names.get(n))]));
    if (!names.has(p.name)) names.set(p.name, field);
    findings.push(
      ...onLiteral(p.selectors ?? [], s => checkFargateSelectors(`${field}.selectors`, s, quotas.selectorsPerFargateProfile, quotas.labelsPerFargateSelector)),
      ...onLiteral(p.subnetIds, s => checkSubnetIds(`${field}.subnetIds`, s)),
    );
    return { spec: p, id: `FargateProfile:${p.name}` };
  });
  return {
    bound: {
      roleName: fargate.podExecutionRole?.name,
      path,
      permissionsBoundaryArn: boundary !== undefined && !Token.isUnresolved(boundary) ? boundary : undefined,
      profiles,
    },
    findings: [...findings, ...podIdentityOnFargate(spec)],
  };
}

/**
 * Pod Identity service accounts of the spec in a namespace a label-less selector takes: the
 * service account is at fault (`serviceAccounts[1].namespace`). Only the errors: the warnings
 * (selectors with labels) are raised once by the association, which sees every profile.
 */
function podIdentityOnFargate(spec: IdentitySpec): Finding[] {
  const selectors: FargateSelectorRef[] = (spec.fargate?.profiles ?? []).flatMap(p => (p.selectors ?? [])
    .map((s, j) => ({ namespace: s.namespace, labels: s.labels, where: `Fargate profile '${p.name}' selector ${j}` }))
    .filter(s => typeof s.namespace === 'string'));
  if (selectors.length === 0) return [];
  return errorsOf((spec.serviceAccounts ?? []).flatMap((sa, i) => sa.mechanism === IdentityMechanism.POD_IDENTITY
    ? onLiteral(sa.namespace, ns => checkPodIdentityOnFargate(`serviceAccounts[${i}].namespace`, ns, selectors)) : []));
}
