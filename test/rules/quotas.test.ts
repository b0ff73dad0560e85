import { checkQuota, checkRoleCount, QUOTA_RANGES, QuotaName } from '../../lib/rules/quotas';

describe('QUOTA_RANGES', () => {
  test('AWS defaults and maxima', () => {
    expect(QUOTA_RANGES.trustPolicyLength).toMatchObject({ default: 2048, max: 4096 });
    expect(QUOTA_RANGES.managedPoliciesPerRole).toMatchObject({ default: 10, max: 20 });
    expect(QUOTA_RANGES.rolesPerAccount).toMatchObject({ default: 1000, max: 5000 });
    expect(QUOTA_RANGES.selectorsPerFargateProfile.default).toBe(5);
    expect(QUOTA_RANGES.labelsPerFargateSelector.default).toBe(5);
  });
});

describe('checkQuota', () => {
  const names = Object.keys(QUOTA_RANGES) as QuotaName[];

  test.each(names)('%s: the default, the maximum and a value between are fine', name => {
    const r = QUOTA_RANGES[name];
    expect(checkQuota('quotas', name, r.default)).toEqual([]);
    expect(checkQuota('quotas', name, r.max)).toEqual([]);
    expect(checkQuota('quotas', name, Math.floor((r.default + r.max) / 2))).toEqual([]);
  });

  test.each(names)('%s: below the default, above the maximum and fractions are errors', name => {
    const r = QUOTA_RANGES[name];
    for (const v of [r.default - 1, r.max + 1, r.default + 0.5]) {
      const fs = checkQuota('spec.quotas', name, v);
      expect(fs).toHaveLength(1);
      expect(fs[0]).toMatchObject({ code: 'quota-range', severity: 'error', field: `spec.quotas.${name}`, value: String(v) });
      expect(fs[0].rule).toContain(`${r.default}..${r.max}`);
      expect(fs[0].fix).toContain(String(r.max));
    }
  });

  test('trustPolicyLength 4096 is fine, 4097 is not', () => {
    expect(checkQuota('quotas', 'trustPolicyLength', 4096)).toEqual([]);
    const fs = checkQuota('quotas', 'trustPolicyLength', 4097);
    expect(fs).toMatchObject([{ code: 'quota-range', severity: 'error', field: 'quotas.trustPolicyLength', value: '4097' }]);
    expect(fs[0].rule).toContain('2048..4096');
  });

  test('managedPoliciesPerRole 25 (IAM max) is above what CloudFormation accepts', () => {
    const fs = checkQuota('quotas', 'managedPoliciesPerRole', 25);
    expect(fs).toMatchObject([{ code: 'quota-range', severity: 'error' }]);
    expect(fs[0].rule).toContain('CloudFormation');
  });
});

describe('checkRoleCount', () => {
  test('up to the limit is fine', () => {
    expect(checkRoleCount('serviceAccounts', 1000, 1000)).toEqual([]);
    expect(checkRoleCount('serviceAccounts', 3, 1000)).toEqual([]);
  });

  test('more roles than the quota is a warning, not an error', () => {
    const fs = checkRoleCount('serviceAccounts', 1001, 1000);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'iam-roles-per-account', severity: 'warning', field: 'serviceAccounts', value: "'1001 roles'" });
    expect(fs[0].rule).toContain('1000');
    expect(fs[0].fix).toContain('quotas.rolesPerAccount');
  });
});
