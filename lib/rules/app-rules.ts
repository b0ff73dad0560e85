import { checkAccessEntries } from './app-access';
import { checkPodIdentityAgentPresent } from './app-agent';
import { AppFinding, AppModelData } from './app-model';
import { checkServiceAccountsAcrossStacks, checkStackNames } from './app-objects';
import { checkAddonsUnique, checkAssociations, checkFargateProfiles, checkPodIdentityFargate } from './app-pod-identity';
import { checkProviderAccounts, checkProvidersUnique } from './app-providers';
import { checkExistingRoleTrust, checkRoleNamesImported, checkRoleNamesUnique } from './app-roles';

/** Every app-wide rule: pure functions over the finished model, run once per synthesis. */
export const APP_RULES: ReadonlyArray<(m: AppModelData) => AppFinding[]> = [
  checkProvidersUnique,
  checkProviderAccounts,
  checkRoleNamesUnique,
  checkRoleNamesImported,
  checkExistingRoleTrust,
  checkAssociations,
  checkPodIdentityFargate,
  checkFargateProfiles,
  checkAddonsUnique,
  checkAccessEntries,
  checkServiceAccountsAcrossStacks,
  checkStackNames,
  checkPodIdentityAgentPresent,
];

export function runAppRules(m: AppModelData): AppFinding[] {
  return APP_RULES.flatMap(rule => rule(m));
}
