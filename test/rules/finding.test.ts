import { describe as describeFinding, error, errorsOf, Finding, show, warning, warningsOf } from '../../lib/rules/finding';

describe('error / warning', () => {
  test('error() builds an error finding with the value shown as text', () => {
    expect(error('some-code', 'spec.field', 'bad', 'is bad', 'make it good')).toEqual({
      code: 'some-code', severity: 'error', field: 'spec.field', value: "'bad'", rule: 'is bad', fix: 'make it good',
    });
  });

  test('warning() builds a warning finding', () => {
    expect(warning('w-code', 'f', 42, 'is odd', 'check it')).toEqual({
      code: 'w-code', severity: 'warning', field: 'f', value: '42', rule: 'is odd', fix: 'check it',
    });
  });
});

describe('show', () => {
  test('quotes short strings', () => {
    expect(show('team-a')).toBe("'team-a'");
    expect(show('')).toBe("''");
  });

  test('cuts strings longer than 120 characters and gives their length', () => {
    const long = 'x'.repeat(300);
    const s = show(long);
    expect(s).toBe(`'${'x'.repeat(117)}...' (300 characters)`);
  });

  test('keeps a string of exactly 120 characters whole', () => {
    expect(show('y'.repeat(120))).toBe(`'${'y'.repeat(120)}'`);
  });

  test('renders undefined, numbers, booleans, arrays and objects', () => {
    expect(show(undefined)).toBe('(unset)');
    expect(show(600)).toBe('600');
    expect(show(true)).toBe('true');
    expect(show(['a', 'b'])).toBe('["a","b"]');
    expect(show({ a: 1 })).toBe('{"a":1}');
  });

  test('falls back to String() when JSON cannot render the value', () => {
    expect(show(() => 1)).toContain('=>');
    expect(show(Symbol('s'))).toBe('Symbol(s)');
  });
});

describe('describe (one line per finding)', () => {
  test('names field, value, rule, fix and code', () => {
    const f = error('k8s-namespace', 'serviceAccounts[0].namespace', 'team.a', 'is not a valid namespace', 'use team-a');
    expect(describeFinding(f)).toBe("serviceAccounts[0].namespace: 'team.a' is not a valid namespace; fix: use team-a [k8s-namespace]");
  });

  test('writes (empty) for an empty value text', () => {
    const f: Finding = { code: 'c', severity: 'error', field: 'f', value: '', rule: 'is empty', fix: 'fill it' };
    expect(describeFinding(f)).toBe('f: (empty) is empty; fix: fill it [c]');
  });
});

describe('errorsOf / warningsOf', () => {
  const e = error('e', 'f', 1, 'r', 'x');
  const w = warning('w', 'f', 1, 'r', 'x');

  test('split findings by severity', () => {
    expect(errorsOf([e, w, e])).toEqual([e, e]);
    expect(warningsOf([e, w, e])).toEqual([w]);
  });

  test('return [] when nothing matches', () => {
    expect(errorsOf([w])).toEqual([]);
    expect(warningsOf([e])).toEqual([]);
    expect(errorsOf([])).toEqual([]);
  });
});
