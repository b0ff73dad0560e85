import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { IdentityModel } from './identity-model';
import { AccessEntryRecord, EksManagedRoleRecord, StackRecord } from '../rules/app-model';
import { partitionForRegion } from '../rules/arns';

/** An access entry of ours, as `AccessEntry` records it; its keys are computed from the finished tree. */
export interface OurAccessEntry {
  readonly path: string;
  readonly resourcePath: string;
  readonly field: string;
  readonly display: string;
  readonly clusterLabel: string;
  /** literal groups */
  readonly groups?: string[];
  /** other names of its cluster (the aws-eks-v2 cluster's own name token) */
  readonly otherClusterNames: string[];
}

export interface TreeFacts {
  readonly stacks: StackRecord[];
  readonly accessEntries: AccessEntryRecord[];
  readonly eksManagedRoles: EksManagedRoleRecord[];
  readonly boundGroups: ReadonlySet<string>;
}

const literal = (s: string) => (Token.isUnresolved(s) ? undefined : s);

/**
 * What only the finished tree tells: the stacks (their names and environments), and, when the app
 * has access entries of ours, every `AWS::EKS::AccessEntry`, `AWS::EKS::Nodegroup` and
 * `AWS::EKS::FargateProfile` of any construct library, in one walk of the tree.
 */
export function collectFromTree(model: IdentityModel): TreeFacts {
  const stacks: StackRecord[] = [];
  const visitStacks = (c: IConstruct) => {
    for (const child of c.node.children) {
      if (Stack.isStack(child)) {
        if (!child.nestedStackParent) {
          stacks.push({ path: child.node.path, account: literal(child.account), region: literal(child.region), stackName: child.stackName });
        }
      } else {
        visitStacks(child);
      }
    }
  };
  visitStacks(model.root);
  if (model.accessEntries.length === 0) return { stacks, accessEntries: [], eksManagedRoles: [], boundGroups: new Set() };

  const all = model.root.node.findAll();
  const roles = new Map<string, CfnResource>();
  const cfn: CfnResource[] = [];
  for (const c of all) {
    if (!CfnResource.isCfnResource(c)) continue;
    if (c.cfnResourceType === 'AWS::IAM::Role') roles.set(`${Stack.of(c).node.path}|${Stack.of(c).resolve(c.logicalId)}`, c);
    else if (['AWS::EKS::AccessEntry', 'AWS::EKS::Nodegroup', 'AWS::EKS::FargateProfile'].includes(c.cfnResourceType)) cfn.push(c);
  }
  const keysOf = (scope: IConstruct, arn: string) => principalKeys(scope, arn, roles);
  const ours = new Map(model.accessEntries.map(e => [e.resourcePath, e]));
  const accessEntries: AccessEntryRecord[] = [];
  const eksManagedRoles: EksManagedRoleRecord[] = model.eksManagedRoles.map(r => {
    const scope = findByPath(model.root, r.scopePath) ?? model.root;
    return {
      kind: r.kind,
      usedBy: r.usedBy,
      principalKeys: keysOf(scope, r.roleArn),
      clusterKeys: r.clusterName === undefined ? [] : clusterKeys(scope, r.clusterName),
    };
  });
  for (const c of cfn) {
    if (c.cfnResourceType === 'AWS::EKS::AccessEntry') {
      const principal = cfnProp(c, 'principalArn', 'PrincipalArn');
      const clusterName = cfnProp(c, 'clusterName', 'ClusterName');
      if (typeof principal !== 'string' || typeof clusterName !== 'string') continue;
      const mine = ours.get(c.node.path);
      const names = [clusterName, ...(mine?.otherClusterNames ?? [])];
      accessEntries.push({
        path: mine?.path ?? c.node.path,
        resourcePath: c.node.path,
        principalKeys: keysOf(c, principal),
        clusterKeys: names.flatMap(n => clusterKeys(c, n)),
        ours: mine && { field: mine.field, display: mine.display, clusterLabel: mine.clusterLabel, groups: mine.groups },
      });
      continue;
    }
    const nodegroup = c.cfnResourceType === 'AWS::EKS::Nodegroup';
    const arn = nodegroup ? cfnProp(c, 'nodeRole', 'NodeRole') : cfnProp(c, 'podExecutionRoleArn', 'PodExecutionRoleArn');
    if (typeof arn !== 'string') continue;
    const clusterName = cfnProp(c, 'clusterName', 'ClusterName');
    eksManagedRoles.push({
      kind: nodegroup ? 'managed-node-group-role' : 'fargate-pod-execution-role',
      usedBy: c.node.path,
      principalKeys: keysOf(c, arn),
      clusterKeys: typeof clusterName === 'string' ? clusterKeys(c, clusterName) : [],
    });
  }
  const boundGroups = new Set<string>();
  for (const source of model.groupSources) for (const g of source()) boundGroups.add(g);
  return { stacks, accessEntries, eksManagedRoles, boundGroups };
}

/** The construct at `path` under `root` (ids hold no '/'). */
export function findByPath(root: IConstruct, path: string): IConstruct | undefined {
  let c: IConstruct | undefined = root;
  for (const id of path === '' ? [] : path.split('/')) {
    c = c.node.tryFindChild(id);
    if (!c) return undefined;
  }
  return c;
}

/** A property of an L1 resource, from its typed attribute or its raw properties. */
export function cfnProp(c: CfnResource, attr: string, key: string): unknown {
  const v = (c as any)[attr];
  return v !== undefined ? v : (c as any)._cfnProperties?.[key];
}

/**
 * Comparable keys of an IAM principal ARN as `scope` sees it: the raw string (tokens of one object
 * are one string), and the literal ARN when it is one or can be derived (a role of the same stack
 * with a literal name, in a stack with a literal account and region).
 */
function principalKeys(scope: IConstruct, arn: string, roles: Map<string, CfnResource>): string[] {
  const keys = [`raw:${arn}`];
  if (!Token.isUnresolved(arn)) {
    keys.push(`arn:${arn}`);
    return keys;
  }
  const stack = Stack.of(scope);
  let resolved: unknown;
  try {
    resolved = stack.resolve(arn);
  } catch {
    return keys;
  }
  if (typeof resolved === 'string') {
    keys.push(`arn:${resolved}`);
    return keys;
  }
  const getAtt = (resolved as any)?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt[1] === 'Arn' && typeof getAtt[0] === 'string') {
    const role = roles.get(`${stack.node.path}|${getAtt[0]}`);
    const lit = role && literalRoleArn(stack, role);
    if (lit) keys.push(`arn:${lit}`);
  }
  return keys;
}

function literalRoleArn(stack: Stack, role: CfnResource): string | undefined {
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) return undefined;
  const name = cfnProp(role, 'roleName', 'RoleName');
  const path = cfnProp(role, 'path', 'Path') ?? '/';
  if (typeof name !== 'string' || typeof path !== 'string' || Token.isUnresolved(name) || Token.isUnresolved(path)) return undefined;
  return `arn:${partitionForRegion(stack.region)}:iam::${stack.account}:role${path}${name}`;
}

/**
 * Comparable keys of the cluster an EKS resource names: a cluster name is unique per account and
 * region only (the resource is created in its stack's environment), so a literal name is keyed by
 * the stack's literal environment too; in an environment-agnostic stack, by the name alone.
 */
function clusterKeys(scope: IConstruct, name: string): string[] {
  if (!Token.isUnresolved(name)) {
    const stack = Stack.of(scope);
    const env = literal(stack.account) !== undefined && literal(stack.region) !== undefined ? `${stack.account}/${stack.region}/` : '';
    return [`name:${env}${name}`];
  }
  const keys = [`raw:${name}`];
  try {
    keys.push(`resolved:${Stack.of(scope).node.path}:${JSON.stringify(Stack.of(scope).resolve(name))}`);
  } catch {
    // keep the raw key only
  }
  return keys;
}
