import {
  assignShards, checkNamespaceSplit, checkNestedLayout, checkSingleLayout, MAX_RESOURCES_PER_TEMPLATE, MAX_TEMPLATE_BYTES, planShards,
  SHARD_BUDGET, shardOf, stableHash,
} from '../../lib/rules/layout';

describe('checkSingleLayout', () => {
  test('a template within 500 resources and 1 MB passes', () => {
    expect(checkSingleLayout('layout', 'Stack', { resources: MAX_RESOURCES_PER_TEMPLATE, bytes: MAX_TEMPLATE_BYTES })).toEqual([]);
  });

  test('more than 500 resources fails, naming layout and the nested layout as the fix', () => {
    const [f, ...rest] = checkSingleLayout('layout', 'Stack', { resources: 501, bytes: 10 });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ code: 'layout-single-limit', severity: 'error', field: 'layout', value: '\'single\'' });
    expect(f.rule).toContain('501 resources');
    expect(f.fix).toContain('layout: nested');
  });

  test('more than 1 MB fails', () => {
    const [f] = checkSingleLayout('layout', 'Stack', { resources: 10, bytes: MAX_TEMPLATE_BYTES + 1 });
    expect(f.rule).toContain(`${MAX_TEMPLATE_BYTES + 1} bytes`);
  });
});

describe('checkNestedLayout', () => {
  test('passes within the limits, fails above them', () => {
    expect(checkNestedLayout('layout', 'Parent', { resources: 450, bytes: 100 })).toEqual([]);
    const [f] = checkNestedLayout('layout', 'Parent', { resources: 600, bytes: 100 });
    expect(f).toMatchObject({ code: 'layout-nested-limit', severity: 'error', field: 'layout' });
  });
});

describe('stable hashing', () => {
  test('the hash of a name never changes (public behaviour: it decides the nested stack)', () => {
    // the first 32 bits of SHA-256: the same on every machine and release
    expect(stableHash('app-00000')).toBe(781913079);
    expect(shardOf('anything', 1)).toBe(0);
  });

  test('doubling the shards keeps a name in its shard or moves it to shard + old count', () => {
    for (let i = 0; i < 200; i++) {
      const name = `sa-${i}`;
      const s4 = shardOf(name, 4);
      expect([s4, s4 + 4]).toContain(shardOf(name, 8));
    }
  });
});

describe('planShards', () => {
  const items = (n: number, resources = 1) => Array.from({ length: n }, (_, i) => ({ name: `app-${i}`, weight: { resources, bytes: 1000 } }));

  test('a namespace that fits one template keeps one shard', () => {
    expect(planShards(items(SHARD_BUDGET.resources))).toBe(1);
    expect(planShards([])).toBe(1);
  });

  test('a namespace that outgrows one template is split into the fewest power-of-two shards that fit', () => {
    const n = planShards(items(1000));
    expect(n).toBeGreaterThanOrEqual(4);
    expect(Math.log2(n) % 1).toBe(0);
    const counts = new Array(n).fill(0);
    items(1000).forEach(i => counts[shardOf(i.name, n)]++);
    expect(Math.max(...counts)).toBeLessThanOrEqual(SHARD_BUDGET.resources);
  });

  test('assignShards hashes once and gives every item its shard', () => {
    const list = items(1000);
    const { shards, shardOfItem } = assignShards(list);
    expect(shards).toBe(planShards(list));
    expect(shardOfItem).toEqual(list.map(i => shardOf(i.name, shards)));
    expect(assignShards(items(3)).shardOfItem).toEqual([0, 0, 0]);
  });

  test('bytes count too', () => {
    expect(planShards(items(10).map(i => ({ ...i, weight: { resources: 1, bytes: 100_000 } })))).toBeGreaterThan(1);
  });

  test('items without resources never split', () => {
    expect(planShards(items(5000, 0).map(i => ({ ...i, weight: { resources: 0, bytes: 0 } })))).toBe(1);
  });
});

describe('checkNamespaceSplit', () => {
  test('one shard: nothing to say', () => {
    expect(checkNamespaceSplit('layout', 'team-a', 1, { resources: 10, bytes: 1 })).toEqual([]);
  });

  test('several shards: a warning that names the namespace and what moves when it doubles', () => {
    const [f] = checkNamespaceSplit('layout', 'team-a', 4, { resources: 1500, bytes: 1 });
    expect(f).toMatchObject({ code: 'layout-namespace-split', severity: 'warning', field: 'layout', value: '\'team-a\'' });
    expect(f.rule).toContain('4 nested stacks');
    expect(f.fix).toContain('named roles');
  });
});
