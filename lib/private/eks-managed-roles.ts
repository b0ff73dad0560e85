import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { appRegistry } from './registry';
import { EksManagedRoleKind } from '../rules/access-entry';
import { partitionForRegion } from '../rules/arns';

export type { EksManagedRoleKind };

/** A role EKS makes an access entry for by itself. */
export interface EksManagedRole {
  /** The role ARN (literal or token). */
  readonly roleArn: string;
  readonly kind: EksManagedRoleKind;
  /** The cluster it is used on, when known (literal or token). */
  readonly clusterName?: string;
  /** Construct path of the user of the role, for messages. */
  readonly usedBy: string;
  /** The construct the ARN is resolved against. */
  readonly scope: IConstruct;
}

/**
 * Records that `roleArn` is a Fargate pod execution role or a managed node group role of this app,
 * so an explicit access entry for it fails synth (EKS creates that entry itself). Constructs that
 * create such roles without an `AWS::EKS::FargateProfile`/`AWS::EKS::Nodegroup` resource in this app
 * (e.g. `PodExecutionRole`) call this; those resources are found by themselves.
 */
export function registerEksManagedRole(scope: IConstruct, roleArn: string, kind: EksManagedRoleKind, clusterName?: string): void {
  const reg = appRegistry<EksManagedRole>(scope, 'eks-managed-roles');
  reg.set(`${scope.node.path}|${reg.size}`, { roleArn, kind, clusterName, usedBy: scope.node.path, scope });
}

/**
 * Every role of the app EKS makes access entries for: the registered ones, plus the node roles of
 * `AWS::EKS::Nodegroup` and the pod execution roles of `AWS::EKS::FargateProfile` resources
 * (aws-eks, aws-eks-v2 or any other construct library).
 */
export function eksManagedRoles(scope: IConstruct, all: IConstruct[] = scope.node.root.node.findAll()): EksManagedRole[] {
  const roles = [...appRegistry<EksManagedRole>(scope, 'eks-managed-roles').values()];
  for (const c of all) {
    if (!CfnResource.isCfnResource(c)) continue;
    if (c.cfnResourceType === 'AWS::EKS::Nodegroup') {
      const arn = cfnProp(c, 'nodeRole', 'NodeRole');
      if (typeof arn === 'string') roles.push({ roleArn: arn, kind: 'managed-node-group-role', clusterName: strProp(c, 'clusterName', 'ClusterName'), usedBy: c.node.path, scope: c });
    } else if (c.cfnResourceType === 'AWS::EKS::FargateProfile') {
      const arn = cfnProp(c, 'podExecutionRoleArn', 'PodExecutionRoleArn');
      if (typeof arn === 'string') roles.push({ roleArn: arn, kind: 'fargate-pod-execution-role', clusterName: strProp(c, 'clusterName', 'ClusterName'), usedBy: c.node.path, scope: c });
    }
  }
  return roles;
}

/** A property of an L1 resource, from its typed attribute or its raw properties. */
export function cfnProp(c: CfnResource, attr: string, key: string): unknown {
  const v = (c as any)[attr];
  return v !== undefined ? v : (c as any)._cfnProperties?.[key];
}

function strProp(c: CfnResource, attr: string, key: string): string | undefined {
  const v = cfnProp(c, attr, key);
  return typeof v === 'string' ? v : undefined;
}

/**
 * Comparable keys of an IAM principal ARN as `scope` sees it: the raw string (tokens of one object
 * are one string), and the literal ARN when it is one or can be derived (a role of the same stack
 * with a literal name, in a stack with a literal account and region).
 */
export function principalKeys(scope: IConstruct, arn: string): string[] {
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
    const literal = literalRoleArn(stack, getAtt[0]);
    if (literal) keys.push(`arn:${literal}`);
  }
  return keys;
}

function literalRoleArn(stack: Stack, logicalId: string): string | undefined {
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) return undefined;
  const role = stack.node.findAll().find(c => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::IAM::Role'
    && Stack.of(c) === stack && stack.resolve((c as CfnResource).logicalId) === logicalId) as CfnResource | undefined;
  if (!role) return undefined;
  const name = cfnProp(role, 'roleName', 'RoleName');
  const path = cfnProp(role, 'path', 'Path') ?? '/';
  if (typeof name !== 'string' || typeof path !== 'string' || Token.isUnresolved(name) || Token.isUnresolved(path)) return undefined;
  return `arn:${partitionForRegion(stack.region)}:iam::${stack.account}:role${path}${name}`;
}
