/**
 * Every rule the library can report, gathered from the `RULES` of each rule file: `docs/rules.md`
 * is generated from this list (`npx projen docs:rules`). A rule file with codes adds one import
 * and one spread here.
 */
import { RULES as accessEntry } from './access-entry';
import { RULES as accessEntryType } from './access-entry-type';
import { RULES as accessPolicy } from './access-policy';
import { RULES as addonSpec } from './addon-spec';
import { RULES as addons } from './addons';
import { RULES as annotations } from './annotations';
import { RULES as appAccess } from './app-access';
import { RULES as appAgent } from './app-agent';
import { RULES as appFleet } from './app-fleet';
import { RULES as appObjects } from './app-objects';
import { RULES as appPodIdentity } from './app-pod-identity';
import { RULES as appProviders } from './app-providers';
import { RULES as appRoles } from './app-roles';
import { RULES as arns } from './arns';
import { RULES as assemblyDiff } from './assembly-diff';
import { RULES as clusterProvider } from './cluster-provider';
import { RULES as doctor } from './doctor';
import { RULES as doctorLive } from './doctor-live';
import { RULES as eks } from './eks';
import { RULES as fargate } from './fargate';
import { RULES as fleetProviders } from './fleet-providers';
import { RULES as groups } from './groups';
import { RULES as iamConditions } from './iam-conditions';
import { RULES as iamRole } from './iam-role';
import { RULES as issuer } from './issuer';
import { RULES as issuerRegion } from './issuer-region';
import { RULES as k8sNames } from './k8s-names';
import { RULES as k8sObjects } from './k8s-objects';
import { RULES as karpenter } from './karpenter';
import { RULES as kubectl } from './kubectl';
import { RULES as layout } from './layout';
import { RULES as lock } from './lock';
import { RULES as managedPolicies } from './managed-policies';
import { RULES as manifests } from './manifests';
import { RULES as nameOrder } from './name-order';
import { RULES as podIdentity } from './pod-identity';
import { RULES as podIdentityTrust } from './pod-identity-trust';
import { RULES as policyDocument } from './policy-document';
import { RULES as policyStatements } from './policy-statements';
import { RULES as principal } from './principal';
import { RULES as quotas } from './quotas';
import { RULES as rbac } from './rbac';
import { RuleMeta } from './rule-meta';
import { RULES as specSections } from './spec-sections';
import { RULES as specYaml } from './spec-yaml';
import { RULES as trustAnalysis } from './trust-analysis';
import { RULES as trustPolicy } from './trust-policy';
import { RULES as username } from './username';
import { RULES as workload } from './workload';

export const RULE_CATALOG: readonly RuleMeta[] = [
  ...accessEntry,
  ...accessEntryType,
  ...accessPolicy,
  ...addons,
  ...annotations,
  ...appAccess,
  ...appObjects,
  ...appPodIdentity,
  ...appProviders,
  ...appRoles,
  ...arns,
  ...clusterProvider,
  ...doctor,
  ...eks,
  ...fargate,
  ...groups,
  ...iamConditions,
  ...iamRole,
  ...issuer,
  ...k8sNames,
  ...k8sObjects,
  ...kubectl,
  ...layout,
  ...manifests,
  ...podIdentity,
  ...policyDocument,
  ...policyStatements,
  ...principal,
  ...quotas,
  ...rbac,
  ...specSections,
  ...specYaml,
  ...trustAnalysis,
  ...trustPolicy,
  ...username,
  ...workload,
  ...lock,
  ...karpenter,
  ...addonSpec,
  ...appFleet,
  ...fleetProviders,
  ...podIdentityTrust,
  ...doctorLive,
  ...appAgent,
  ...issuerRegion,
  ...managedPolicies,
  ...nameOrder,
  ...assemblyDiff,
];
