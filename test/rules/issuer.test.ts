import {
  checkClientIds, checkIssuerUrl, checkProviderArn, checkThumbprints, DEFAULT_AUDIENCE, issuerHostPath, oidcProviderArn,
} from '../../lib/rules/issuer';

const ISSUER = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const HOST_PATH = 'oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

describe('checkIssuerUrl', () => {
  test.each([
    ISSUER,
    'https://oidc.eks.cn-north-1.amazonaws.com.cn/id/EXAMPLED539D4633E53DE1B71EXAMPLE', // China
    'https://oidc-eks.us-west-2.api.aws/id/EXAMPLED539D4633E53DE1B71EXAMPLE', // dual-stack
    'https://oidc.eks.us-gov-west-1.amazonaws.com/id/EXAMPLE',
    'https://issuer.example.com',
  ])('%s is valid', url => {
    expect(checkIssuerUrl('cluster.issuerUrl', url)).toEqual([]);
  });

  const expectIssuerError = (url: string, ruleText: string) => {
    const fs = checkIssuerUrl('cluster.issuerUrl', url);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'oidc-issuer-url', severity: 'error', field: 'cluster.issuerUrl' });
    expect(fs[0].rule).toContain(ruleText);
    return fs[0];
  };

  test('an issuer without https:// is an error', () => {
    const f = expectIssuerError('oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE', 'https://');
    expect(f.fix).toContain('describe-cluster');
    expectIssuerError('http://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE', 'https://');
  });

  test.each([
    'https://oidc.eks.us-west-2.amazonaws.com:8443/id/EXAMPLE',
    'https://oidc.eks.us-west-2.amazonaws.com:443/id/EXAMPLE', // the default port, which URL() drops
    'https://oidc.eks.us-west-2.amazonaws.com:/id/EXAMPLE', // an empty port
    'https://oidc.eks.us-west-2.amazonaws.com:443',
  ])('an issuer with a port is an error: %s', url => {
    expectIssuerError(url, 'port');
  });

  test.each([
    'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE?x=1',
    'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE?',
  ])('an issuer with a query is an error: %s', url => {
    expectIssuerError(url, 'query');
  });

  test('an issuer with a fragment is an error', () => {
    expectIssuerError('https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE#x', 'fragment');
  });

  test('an issuer with credentials is an error', () => {
    expectIssuerError('https://user:pass@oidc.eks.us-west-2.amazonaws.com/id/EXAMPLE', 'credentials');
  });

  test('a trailing slash is an error, and the fix gives the URL without it', () => {
    const f = expectIssuerError(`${ISSUER}/`, "'/'");
    expect(f.fix).toContain(ISSUER);
    expect(f.fix).not.toContain(`${ISSUER}/`);
  });

  test('255 characters are fine, 256 are an error', () => {
    const base = 'https://oidc.eks.us-west-2.amazonaws.com/id/';
    const at255 = base + 'A'.repeat(255 - base.length);
    expect(at255).toHaveLength(255);
    expect(checkIssuerUrl('issuer', at255)).toEqual([]);
    const f = expectIssuerError(`${at255}B`, '255');
    expect(f.value).toContain('256 characters');
  });

  test('something that is not a URL is an error', () => {
    expectIssuerError('https://', 'not a valid URL');
  });
});

describe('issuerHostPath / oidcProviderArn', () => {
  test('drops https://', () => {
    expect(issuerHostPath(ISSUER)).toBe(HOST_PATH);
  });

  test('the provider ARN ends with the issuer without https://', () => {
    expect(oidcProviderArn('aws', '111122223333', ISSUER)).toBe(`arn:aws:iam::111122223333:oidc-provider/${HOST_PATH}`);
    expect(oidcProviderArn('aws-cn', '111122223333', 'https://oidc.eks.cn-north-1.amazonaws.com.cn/id/X'))
      .toBe('arn:aws-cn:iam::111122223333:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/X');
  });
});

describe('checkProviderArn', () => {
  const ARN = `arn:aws:iam::111122223333:oidc-provider/${HOST_PATH}`;

  test('a provider ARN that matches the issuer is fine', () => {
    expect(checkProviderArn('cluster.oidcProviderArn', ARN, ISSUER)).toEqual([]);
    expect(checkProviderArn('cluster.oidcProviderArn', ARN)).toEqual([]);
    expect(checkProviderArn('cluster.oidcProviderArn', oidcProviderArn('aws-us-gov', '111122223333', ISSUER), ISSUER)).toEqual([]);
  });

  test('a provider ARN of another issuer is an error naming both issuers', () => {
    const other = 'https://oidc.eks.us-west-2.amazonaws.com/id/OTHERCLUSTER';
    const fs = checkProviderArn('cluster.oidcProviderArn', ARN, other);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'oidc-provider-issuer-mismatch', severity: 'error', field: 'cluster.oidcProviderArn', value: `'${ARN}'` });
    expect(fs[0].rule).toContain(HOST_PATH);
    expect(fs[0].rule).toContain('oidc.eks.us-west-2.amazonaws.com/id/OTHERCLUSTER');
    expect(fs[0].fix).toContain('arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/OTHERCLUSTER');
  });

  test('a different region of the same id is a mismatch too', () => {
    expect(checkProviderArn('arn', ARN, 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE'))
      .toMatchObject([{ code: 'oidc-provider-issuer-mismatch', severity: 'error' }]);
  });

  test.each([
    `arn:aws:iam::111122223333:role/${HOST_PATH}`,
    `arn:aws:iam::1111:oidc-provider/${HOST_PATH}`,
    'arn:aws:iam::111122223333:oidc-provider/',
    HOST_PATH,
  ])('%s is not a provider ARN', arn => {
    const fs = checkProviderArn('cluster.oidcProviderArn', arn, ISSUER);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'oidc-provider-arn', severity: 'error', field: 'cluster.oidcProviderArn' });
    expect(fs[0].fix).toContain(':oidc-provider/');
  });
});

describe('checkThumbprints (optional; <= 5 of 40 hex characters)', () => {
  const tp = '9e99a48a9960b14926bb7f3b02e22da2b0ab7280';

  test('no thumbprints, or up to 5 valid ones, are fine', () => {
    expect(checkThumbprints('provider.thumbprints', [])).toEqual([]);
    expect(checkThumbprints('provider.thumbprints', [tp, tp.toUpperCase(), tp, tp, tp])).toEqual([]);
  });

  test('6 thumbprints are an error', () => {
    const fs = checkThumbprints('provider.thumbprints', [tp, tp, tp, tp, tp, tp]);
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'oidc-thumbprints', severity: 'error', field: 'provider.thumbprints' });
    expect(fs[0].rule).toContain('5');
  });

  test('a thumbprint that is not 40 hex characters is an error at its index', () => {
    const fs = checkThumbprints('provider.thumbprints', [tp, tp.slice(1), `${tp.slice(1)}g`]);
    expect(fs).toEqual([
      expect.objectContaining({ code: 'oidc-thumbprints', severity: 'error', field: 'provider.thumbprints[1]' }),
      expect.objectContaining({ code: 'oidc-thumbprints', severity: 'error', field: 'provider.thumbprints[2]' }),
    ]);
    expect(fs[0].rule).toContain('40 hex');
  });
});

describe('checkClientIds (must contain every audience used)', () => {
  test('the default audience in the default client ids is fine', () => {
    expect(DEFAULT_AUDIENCE).toBe('sts.amazonaws.com');
    expect(checkClientIds('provider.clientIds', [DEFAULT_AUDIENCE], [DEFAULT_AUDIENCE])).toEqual([]);
    expect(checkClientIds('provider.clientIds', [DEFAULT_AUDIENCE, 'custom'], ['custom', DEFAULT_AUDIENCE])).toEqual([]);
    expect(checkClientIds('provider.clientIds', [DEFAULT_AUDIENCE], [])).toEqual([]);
  });

  test('each missing audience is an error naming it', () => {
    const fs = checkClientIds('provider.clientIds', [DEFAULT_AUDIENCE], ['custom-aud', 'other']);
    expect(fs).toHaveLength(2);
    expect(fs[0]).toMatchObject({ code: 'oidc-client-id', severity: 'error', field: 'provider.clientIds', value: '["sts.amazonaws.com"]' });
    expect(fs[0].rule).toContain("'custom-aud'");
    expect(fs[0].fix).toContain("'custom-aud'");
    expect(fs[1].rule).toContain("'other'");
  });
});
