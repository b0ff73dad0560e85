import { IConstruct } from 'constructs';

const PATHS = new WeakMap<IConstruct, string>();

/**
 * `c.node.path`, computed once per construct (a construct never moves in the tree): the records
 * of the identity model and of the identity map share one string per construct instead of holding
 * a copy each (`node.path` builds a new string on every call).
 */
export function pathOf(c: IConstruct): string {
  let p = PATHS.get(c);
  if (p === undefined) PATHS.set(c, p = c.node.path);
  return p;
}
