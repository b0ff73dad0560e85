import {
  ACCESS_ENTRY_TYPES, checkAccessEntryType, isNodeType, takesAccessPolicies, takesUsernameAndGroups,
} from '../../lib/rules/access-entry-type';

describe('checkAccessEntryType (exact API spelling)', () => {
  test('all seven API values are valid', () => {
    expect([...ACCESS_ENTRY_TYPES].sort()).toEqual(['EC2', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX', 'HYPERPOD_LINUX', 'STANDARD']);
    for (const t of ACCESS_ENTRY_TYPES) expect(checkAccessEntryType('type', t)).toEqual([]);
  });

  test.each([
    ['EC2_Linux', 'EC2_LINUX'], // the user guide's spelling
    ['EC2_Windows', 'EC2_WINDOWS'],
    ['standard', 'STANDARD'],
    ['fargate-linux', 'FARGATE_LINUX'],
  ])('%s is an error that suggests %s', (bad, good) => {
    const fs = checkAccessEntryType('accessEntries[0].type', bad);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'access-entry-type', severity: 'error', field: 'accessEntries[0].type', value: `'${bad}'` });
    expect(fs[0].rule).toContain('STANDARD, EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX, EC2, HYBRID_LINUX, HYPERPOD_LINUX');
    expect(fs[0].fix).toContain(`'${good}'`);
  });

  test.each(['EC2_LINUXX', '', 'NODE'])('%s is an error listing the types', bad => {
    const fs = checkAccessEntryType('type', bad);
    expect(fs).toHaveLength(1);
    expect(fs[0].fix).toContain('use one of STANDARD');
  });
});

describe('what each type takes', () => {
  test('only STANDARD takes a username and groups; STANDARD and EC2 take policies; all else are node types', () => {
    expect(ACCESS_ENTRY_TYPES.filter(takesUsernameAndGroups)).toEqual(['STANDARD']);
    expect(ACCESS_ENTRY_TYPES.filter(takesAccessPolicies)).toEqual(['STANDARD', 'EC2']);
    expect(ACCESS_ENTRY_TYPES.filter(t => !isNodeType(t))).toEqual(['STANDARD']);
  });
});
