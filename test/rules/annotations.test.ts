import {
  ANNOTATION_PREFIX, AUDIENCE_ANNOTATION, checkAudience, checkKubernetesVersion, checkPlatformVersion, checkReservedAnnotations,
  checkStsRegionalEndpoints, checkStsRegionalSupport, checkTokenExpiration, MAX_TOKEN_EXPIRATION, MIN_TOKEN_EXPIRATION,
  parseKubernetesVersion, ROLE_ARN_ANNOTATION, STS_REGIONAL_ANNOTATION, STS_REGIONAL_TABLE, TOKEN_EXPIRATION_ANNOTATION,
} from '../../lib/rules/annotations';

describe('annotation names', () => {
  test('are the ones the pod identity webhook reads', () => {
    expect(ANNOTATION_PREFIX).toBe('eks.amazonaws.com/');
    expect(ROLE_ARN_ANNOTATION).toBe('eks.amazonaws.com/role-arn');
    expect(AUDIENCE_ANNOTATION).toBe('eks.amazonaws.com/audience');
    expect(STS_REGIONAL_ANNOTATION).toBe('eks.amazonaws.com/sts-regional-endpoints');
    expect(TOKEN_EXPIRATION_ANNOTATION).toBe('eks.amazonaws.com/token-expiration');
  });
});

describe('checkTokenExpiration (600..86400)', () => {
  test.each([600, 3600, 86400])('%d is valid', s => {
    expect(checkTokenExpiration('serviceAccounts[0].tokenExpirationSeconds', s)).toEqual([]);
  });

  test.each([599, 60, 86401, 0, 1200.5, NaN])('%d is an error', s => {
    const fs = checkTokenExpiration('serviceAccounts[0].tokenExpirationSeconds', s);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'irsa-token-expiration', severity: 'error', field: 'serviceAccounts[0].tokenExpirationSeconds' });
    expect(fs[0].rule).toContain(`${MIN_TOKEN_EXPIRATION}..${MAX_TOKEN_EXPIRATION}`);
    expect(fs[0].fix).toContain('600');
    expect(fs[0].fix).toContain('86400');
  });

  test('the value is shown', () => {
    expect(checkTokenExpiration('t', 599)[0].value).toBe('599');
  });
});

describe('checkStsRegionalEndpoints (true/false only)', () => {
  test.each([true, false, 'true', 'false'])('%j is valid', v => {
    expect(checkStsRegionalEndpoints('serviceAccounts[0].stsRegionalEndpoints', v)).toEqual([]);
  });

  test.each(['yes', 'True', 'regional', '', 1, null])('%j is an error', v => {
    const fs = checkStsRegionalEndpoints('serviceAccounts[0].stsRegionalEndpoints', v);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'irsa-sts-regional-endpoints', severity: 'error', field: 'serviceAccounts[0].stsRegionalEndpoints' });
    expect(fs[0].rule).toContain('true or false');
    expect(fs[0].fix).toContain('true');
  });

  test('"yes" is shown as given', () => {
    expect(checkStsRegionalEndpoints('f', 'yes')[0].value).toBe("'yes'");
  });
});

describe('checkAudience', () => {
  test.each(['sts.amazonaws.com', 'my-audience'])('%s is valid', a => {
    expect(checkAudience('serviceAccounts[0].audience', a)).toEqual([]);
  });

  test.each(['', 'sts amazonaws', ' sts.amazonaws.com'])('%j is an error', a => {
    const fs = checkAudience('serviceAccounts[0].audience', a);
    expect(fs).toMatchObject([{ code: 'irsa-audience', severity: 'error', field: 'serviceAccounts[0].audience' }]);
    expect(fs[0].fix).toContain('sts.amazonaws.com');
  });
});

describe('checkReservedAnnotations (no eks.amazonaws.com/* in free-form annotations)', () => {
  test('other annotations are fine', () => {
    expect(checkReservedAnnotations('serviceAccounts[0].annotations', { 'example.com/owner': 'team-a', 'eks.amazonaws.com.example/x': 'y' })).toEqual([]);
    expect(checkReservedAnnotations('serviceAccounts[0].annotations', {})).toEqual([]);
  });

  test('eks.amazonaws.com/role-arn is an error pointing at the typed field', () => {
    const fs = checkReservedAnnotations('serviceAccounts[0].annotations', {
      'example.com/owner': 'team-a',
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/app',
    });
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({
      code: 'irsa-reserved-annotation',
      severity: 'error',
      field: 'serviceAccounts[0].annotations.eks.amazonaws.com/role-arn',
      value: "'eks.amazonaws.com/role-arn'",
    });
    expect(fs[0].rule).toContain('webhook');
    expect(fs[0].fix).toContain('role (or existingRoleArn)');
  });

  test.each([
    [AUDIENCE_ANNOTATION, 'audience'],
    [STS_REGIONAL_ANNOTATION, 'stsRegionalEndpoints'],
    [TOKEN_EXPIRATION_ANNOTATION, 'tokenExpirationSeconds'],
  ])('%s points at %s', (key, typed) => {
    const fs = checkReservedAnnotations('a', { [key]: 'x' });
    expect(fs).toMatchObject([{ code: 'irsa-reserved-annotation', severity: 'error', field: `a.${key}` }]);
    expect(fs[0].fix).toContain(`set ${typed} instead`);
  });

  test('an unknown eks.amazonaws.com/ key is an error too', () => {
    const fs = checkReservedAnnotations('a', { 'eks.amazonaws.com/compute-type': 'fargate' });
    expect(fs).toMatchObject([{ code: 'irsa-reserved-annotation', severity: 'error' }]);
    expect(fs[0].fix).toContain('not an annotation cdk-eks-identity supports');
  });
});

describe('parseKubernetesVersion / checkKubernetesVersion / checkPlatformVersion', () => {
  test('parses a minor version', () => {
    expect(parseKubernetesVersion('1.31')).toEqual([1, 31]);
    expect(parseKubernetesVersion('1.31.2')).toBeUndefined();
    expect(parseKubernetesVersion('v1.31')).toBeUndefined();
    expect(parseKubernetesVersion('1.3e1')).toBeUndefined();
  });

  test('kubernetes versions', () => {
    expect(checkKubernetesVersion('cluster.kubernetesVersion', '1.31')).toEqual([]);
    const fs = checkKubernetesVersion('cluster.kubernetesVersion', '1.31.2');
    expect(fs).toMatchObject([{ code: 'eks-kubernetes-version', severity: 'error', field: 'cluster.kubernetesVersion' }]);
    expect(fs[0].fix).toContain('"1.31"');
  });

  test('platform versions', () => {
    expect(checkPlatformVersion('cluster.platformVersion', 'eks.4')).toEqual([]);
    expect(checkPlatformVersion('cluster.platformVersion', 'eks.12')).toEqual([]);
    for (const bad of ['4', 'eks4', 'EKS.4', 'eks.']) {
      expect(checkPlatformVersion('cluster.platformVersion', bad)).toMatchObject([{ code: 'eks-platform-version', severity: 'error', field: 'cluster.platformVersion' }]);
    }
  });
});

describe('checkStsRegionalSupport (seed 000 version table)', () => {
  test('the table', () => {
    expect(STS_REGIONAL_TABLE).toEqual({ '1.25': 1, '1.26': 1, '1.27': 1, '1.28': 1, '1.29': 1, '1.30': 2, '1.31': 4 });
  });

  test('1.24 warns', () => {
    const fs = checkStsRegionalSupport('cluster.kubernetesVersion', '1.24');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'irsa-sts-regional-version', severity: 'warning', field: 'cluster.kubernetesVersion', value: "'1.24'" });
    expect(fs[0].rule).toContain('1.25');
  });

  test('1.24 warns whatever the platform version', () => {
    expect(checkStsRegionalSupport('v', '1.24', 'eks.99')).toMatchObject([{ severity: 'warning' }]);
  });

  test('1.30 eks.1 warns', () => {
    const fs = checkStsRegionalSupport('cluster', '1.30', 'eks.1');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'irsa-sts-regional-version', severity: 'warning', field: 'cluster', value: "'1.30 eks.1'" });
    expect(fs[0].rule).toContain('eks.2');
    expect(fs[0].fix).toContain('stsRegionalEndpoints');
  });

  test('1.30 eks.2 is fine', () => {
    expect(checkStsRegionalSupport('cluster', '1.30', 'eks.2')).toEqual([]);
  });

  test('1.31 eks.3 warns', () => {
    const fs = checkStsRegionalSupport('cluster', '1.31', 'eks.3');
    expect(fs).toMatchObject([{ code: 'irsa-sts-regional-version', severity: 'warning', value: "'1.31 eks.3'" }]);
    expect(fs[0].rule).toContain('eks.4');
  });

  test.each([
    ['1.31', 'eks.4'],
    ['1.31', 'eks.10'],
    ['1.25', 'eks.1'],
    ['1.29', 'eks.1'],
    ['1.32', 'eks.1'],
    ['1.33', undefined],
    ['1.31', undefined], // platform version unknown: no claim
  ])('%s %s is fine', (k, p) => {
    expect(checkStsRegionalSupport('cluster', k, p)).toEqual([]);
  });

  test('an unparsable version gives no warning (checkKubernetesVersion reports it)', () => {
    expect(checkStsRegionalSupport('cluster', 'latest')).toEqual([]);
  });
});
