import { AppModelData, RoleRecord } from '../lib/rules/app-model';
import { checkServiceAccountsAcrossStacks, checkStackNames } from '../lib/rules/app-objects';
import { checkFargateProfiles, checkPodIdentityFargate } from '../lib/rules/app-pod-identity';
import { checkProviderAccounts, checkProvidersUnique } from '../lib/rules/app-providers';
import { checkExistingRoleTrust, checkRoleNamesImported, checkRoleNamesUnique } from '../lib/rules/app-roles';
import { runAppRules } from '../lib/rules/app-rules';

/** The app-wide rules are pure functions over plain records: tested here without CDK. */
const empty: AppModelData = {
  providers: [],
  roles: [],
  importedRoles: [],
  serviceAccounts: [],
  associations: [],
  fargateProfiles: [],
  eksManagedRoles: [],
  accessEntries: [],
  boundGroups: new Set(),
  addons: [],
  k8sObjects: [],
  stacks: [],
};
const model = (m: Partial<AppModelData>): AppModelData => ({ ...empty, ...m });

const role = (path: string, name: string, extra: Partial<RoleRecord> = {}): RoleRecord => ({
  path,
  accountKey: '111122223333',
  account: '111122223333',
  partition: 'aws',
  name,
  iamPath: '/',
  arn: `arn:aws:iam::111122223333:role/${name}`,
  trust: { mechanism: 'irsa', subjects: [{ namespace: 'a', serviceAccount: 'x' }] },
  nameField: 'roleName',
  ...extra,
});

const codes = (fs: Array<{ path: string; finding: { code: string } }>) => fs.map(f => `${f.path} ${f.finding.code}`);

test('an empty model has no findings', () => {
  expect(runAppRules(empty)).toEqual([]);
});

test('role names: the second of one name (ignoring case) per account, not another account', () => {
  expect(codes(checkRoleNamesUnique(model({ roles: [role('S/A', 'App'), role('S/B', 'app'), role('T/C', 'app', { accountKey: '444455556666' })] }))))
    .toEqual(['S/B iam-role-name-unique']);
});

test('imported role names: another ARN of the same name is an error, the exact ARN is a reference', () => {
  const roles = [role('S/A', 'shared')];
  expect(codes(checkRoleNamesImported(model({ roles, importedRoles: [{ path: 'S/U', arn: 'arn:aws:iam::111122223333:role/x/Shared', field: 'existingRoleArn' }] }))))
    .toEqual(['S/A iam-role-name-imported']);
  expect(checkRoleNamesImported(model({ roles, importedRoles: [{ path: 'S/U', arn: 'arn:aws:iam::111122223333:role/shared', field: 'existingRoleArn' }] }))).toEqual([]);
});

test('existingRoleArn trust: subjects with wildcards, the issuer, the mechanism', () => {
  const r = role('S/R', 'r', { trust: { mechanism: 'irsa', subjects: [{ issuer: 'i', namespace: 'a', serviceAccount: 'run-*' }] } });
  const sa = { path: 'S/W', cluster: 'c', clusterLabel: 'c', issuer: 'i', namespace: 'a', name: 'run-1', mechanism: 'irsa' as const, roleArn: r.arn, existingRole: true, stack: 'S' };
  expect(checkExistingRoleTrust(model({ roles: [r], serviceAccounts: [sa] }))).toEqual([]);
  expect(codes(checkExistingRoleTrust(model({ roles: [r], serviceAccounts: [{ ...sa, issuer: 'other' }] })))).toEqual(['S/W existing-role-trust']);
  expect(codes(checkExistingRoleTrust(model({ roles: [r], serviceAccounts: [{ ...sa, mechanism: 'podIdentity' }] })))).toEqual(['S/W existing-role-trust']);
  expect(checkExistingRoleTrust(model({ roles: [{ ...r, trust: { mechanism: 'other' } }], serviceAccounts: [{ ...sa, name: 'x' }] }))).toEqual([]);
});

test('providers: one created per account and issuer; a trusted provider in the role\'s account', () => {
  const p = { path: 'S/P', account: '111122223333', issuerUrl: 'https://i', created: true };
  expect(codes(checkProvidersUnique(model({ providers: [p, { ...p, path: 'T/P' }, { ...p, path: 'U/P', account: '444455556666' }] })))).toEqual(['T/P oidc-provider-duplicate']);
  const trusting = (arn: string) => role('S/R', 'r', { trust: { mechanism: 'irsa', providerArns: [arn] } });
  expect(checkProviderAccounts(model({ roles: [trusting('arn:aws:iam::111122223333:oidc-provider/i')] }))).toEqual([]);
  expect(codes(checkProviderAccounts(model({ roles: [trusting('arn:aws:iam::444455556666:oidc-provider/i')] })))).toEqual(['S/R irsa-provider-account']);
});

test('Fargate and Pod Identity: one rule, on the association, whatever the order of the records', () => {
  const profile = { path: 'S/F', cluster: 'c', clusterLabel: 'c', name: 'fp', selectors: [{ namespace: 'pay*' }], where: 'Fargate profile \'fp\'' };
  const association = { path: 'S/A', cluster: 'c', clusterLabel: 'c', namespace: 'payments', serviceAccount: 'ledger' };
  expect(codes(checkPodIdentityFargate(model({ fargateProfiles: [profile], associations: [association] })))).toEqual(['S/A pod-identity-on-fargate']);
  expect(checkPodIdentityFargate(model({ fargateProfiles: [{ ...profile, cluster: 'other' }], associations: [association] }))).toEqual([]);
  const many = Array.from({ length: 11 }, (_, i) => ({ ...profile, path: `S/F${i}`, name: `p${i}` }));
  expect(codes(checkFargateProfiles(model({ fargateProfiles: many })))).toEqual(['S/F10 fargate-profiles-per-cluster']);
});

test('service accounts and stacks across the app', () => {
  const sa = { path: 'A/W', cluster: 'c', clusterLabel: 'c', namespace: 'a', name: 'x', mechanism: 'irsa' as const, roleArn: 'arn:aws:iam::1:role/a', existingRole: false, stack: 'A' };
  expect(codes(checkServiceAccountsAcrossStacks(model({ serviceAccounts: [sa, { ...sa, path: 'B/W', stack: 'B', roleArn: 'arn:aws:iam::1:role/b' }] }))))
    .toEqual(['B/W k8s-service-account-role-conflict']);
  const stack = { path: 'A', account: '1', region: 'r', stackName: 'n' };
  expect(codes(checkStackNames(model({ stacks: [stack, { ...stack, path: 'B' }, { ...stack, path: 'C', region: 'q' }] })))).toEqual(['B cfn-stack-name-duplicate']);
});

test('20,000 roles and service accounts: the rules stay linear', () => {
  const roles = Array.from({ length: 20000 }, (_, i) => role(`S/R${i}`, `r${i}`));
  const serviceAccounts = roles.map((r, i) => ({ path: `S/W${i}`, cluster: 'c', clusterLabel: 'c', namespace: 'a', name: `x${i}`, mechanism: 'irsa' as const, roleArn: r.arn, existingRole: false, stack: 'S' }));
  const start = Date.now();
  expect(runAppRules(model({ roles, serviceAccounts }))).toEqual([]);
  expect(Date.now() - start).toBeLessThan(5000);
});
