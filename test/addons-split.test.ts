import { addonPolicy } from '../lib/addons/policy';
import { fitsInline, MANAGED_POLICY_LIMIT, packDocuments, policySize, splitPolicy } from '../lib/addons/split';
import { allow, PolicyStatementJson } from '../lib/addons/types';

/** Every (action, resource, condition) the statements admit, as text. */
function grants(statements: PolicyStatementJson[]): string[] {
  return statements.flatMap(s => s.Action.flatMap(a => s.Resource.map(r => `${a} ${r} ${JSON.stringify(s.Condition ?? {})}`))).sort();
}

const LBC_ALL = addonPolicy('aws-load-balancer-controller', 'v3.5.0', 'aws', {}, { documents: ['controller', 'aga', 'acm-certs', 'v1-migration'] });

describe('policy size', () => {
  test('whitespace is not counted', () => {
    const s = [allow(['s3:GetObject'], 'arn:aws:s3:::b/*')];
    expect(policySize(s)).toBe(JSON.stringify({ Version: '2012-10-17', Statement: s }).length);
  });

  test('the load balancer controller with every option does not fit one managed policy and is packed into two', () => {
    expect(policySize(LBC_ALL.statements)).toBeGreaterThan(MANAGED_POLICY_LIMIT);
    const packed = packDocuments(LBC_ALL.documents);
    expect(packed.length).toBe(2);
    expect(packed[0].documents).toEqual(['controller', 'acm-certs']);
    for (const p of packed) expect(policySize(p.statements)).toBeLessThanOrEqual(MANAGED_POLICY_LIMIT);
    expect(grants(packed.flatMap(p => p.statements))).toEqual(grants(LBC_ALL.statements));
  });

  test('the default controller policy fits one managed policy and stays whole', () => {
    const lbc = addonPolicy('aws-load-balancer-controller', undefined, 'aws');
    expect(packDocuments(lbc.documents)).toEqual([{ documents: ['controller'], statements: lbc.statements }]);
  });

  test('a policy larger than the limit splits into documents that each fit and together grant the same', () => {
    const docs = splitPolicy(LBC_ALL.statements, 2000);
    expect(docs.length).toBeGreaterThan(3);
    for (const d of docs) expect(policySize(d)).toBeLessThanOrEqual(2000);
    expect(grants(docs.flat())).toEqual(grants(LBC_ALL.statements));
  });

  test('a statement too large alone is cut by actions, keeping resources and conditions', () => {
    const big = allow(Array.from({ length: 400 }, (_, i) => `ec2:Describe${i}`), '*', { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } });
    const docs = splitPolicy([big], 1000);
    expect(docs.length).toBeGreaterThan(1);
    for (const d of docs) {
      expect(policySize(d)).toBeLessThanOrEqual(1000);
      for (const s of d) expect(s.Condition).toEqual(big.Condition);
    }
    expect(grants(docs.flat())).toEqual(grants([big]));
  });

  test('a statement of one action and many resources is cut by resources', () => {
    const big = allow(['s3:GetObject'], Array.from({ length: 50 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`));
    const docs = splitPolicy([big], 300);
    for (const d of docs) expect(policySize(d)).toBeLessThanOrEqual(300);
    expect(grants(docs.flat())).toEqual(grants([big]));
  });

  test('a statement of one action and one resource that cannot fit is refused', () => {
    expect(() => splitPolicy([allow(['s3:GetObject'], `arn:aws:s3:::${'b'.repeat(300)}/*`)], 300)).toThrow(/alone exceeds 300/);
  });

  test('inline limit per role', () => {
    expect(fitsInline(LBC_ALL.statements)).toBe(true);
    expect(fitsInline(LBC_ALL.statements, 5000)).toBe(false);
  });
});
