/**
 * Where an access policy applies.
 */
export enum AccessScopeType {
  /** Every namespace and the cluster-scoped resources. */
  CLUSTER = 'cluster',
  /** The listed namespaces only. */
  NAMESPACE = 'namespace',
}

/**
 * The scope of an access policy association: the whole cluster, or some namespaces (a trailing
 * `*` matches a prefix: `dev-*`).
 */
export class AccessScope {
  /**
   * The whole cluster.
   */
  public static cluster(): AccessScope {
    return new AccessScope(AccessScopeType.CLUSTER, []);
  }

  /**
   * These namespaces (at least one; `dev-*` matches every namespace starting with `dev-`).
   */
  public static namespaces(...namespaces: string[]): AccessScope {
    return new AccessScope(AccessScopeType.NAMESPACE, namespaces);
  }

  /** Cluster or namespace. */
  public readonly type: AccessScopeType;

  /** The namespaces of a namespace scope (empty for cluster scope). */
  public readonly namespaceNames: string[];

  private constructor(type: AccessScopeType, namespaces: string[]) {
    this.type = type;
    this.namespaceNames = [...namespaces];
  }
}
