import { TemplateWeight } from '../rules/layout';

/**
 * Shards of one namespace's service accounts with a lock: a deployed one (`locked[i]` set) stays
 * where it was; a new one goes to its planned (hash) shard when that shard has room within
 * `budget`, else to the first shard that has, a new shard after the last when none has. With no
 * deployed service account the plan is returned as it is.
 */
export function placeWithLock(weights: TemplateWeight[], locked: Array<number | undefined>, planned: number[], budget: TemplateWeight): number[] {
  if (locked.every(l => l === undefined)) return planned;
  const load = new Map<number, { resources: number; bytes: number }>();
  const add = (shard: number, w: TemplateWeight) => {
    const l = load.get(shard) ?? { resources: 0, bytes: 0 };
    load.set(shard, { resources: l.resources + w.resources, bytes: l.bytes + w.bytes });
  };
  const fits = (shard: number, w: TemplateWeight) => {
    const l = load.get(shard);
    // an empty shard takes anything: one service account heavier than the budget is reported by the template limits
    return l === undefined || (l.resources + w.resources <= budget.resources && l.bytes + w.bytes <= budget.bytes);
  };
  const out: number[] = new Array(weights.length);
  weights.forEach((w, i) => {
    if (locked[i] === undefined) return;
    out[i] = locked[i]!;
    add(out[i], w);
  });
  weights.forEach((w, i) => {
    if (locked[i] !== undefined) return;
    let shard = planned[i];
    if (!fits(shard, w)) {
      shard = 0;
      while (!fits(shard, w)) shard++;
    }
    out[i] = shard;
    add(shard, w);
  });
  return out;
}
