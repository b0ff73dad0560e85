import { IConstruct } from 'constructs';

/** App-wide bookkeeping for checks that span constructs (one map per construct tree root). */
const REGISTRIES = new WeakMap<IConstruct, Map<string, Map<string, unknown>>>();

export function appRegistry<T>(scope: IConstruct, name: string): Map<string, T> {
  const root = scope.node.root;
  let byName = REGISTRIES.get(root);
  if (!byName) {
    byName = new Map();
    REGISTRIES.set(root, byName);
  }
  let reg = byName.get(name);
  if (!reg) {
    reg = new Map();
    byName.set(name, reg);
  }
  return reg as Map<string, T>;
}
