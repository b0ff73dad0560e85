import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { partitionForRegion } from '../../rules/arns';

/** What a value only known at deploy is shown as when nothing better can be said. */
export const AT_DEPLOY = '<known at deploy>';

/** What a `Ref` (no `attr`) or `Fn::GetAtt` of a resource of `stack` is known to be, if it is. */
export type RefText = (stack: Stack, logicalId: string, attr?: string) => string | undefined;

/**
 * A value as text a person can read: a literal as it is; a token as what `refs` knows of the
 * resources it references (a role's literal name and ARN), else the CloudFormation expression it
 * stands for (`${Role1ABCD.Arn}`, `${AWS::AccountId}`), the partition as the one the stack's
 * region implies. Never a CDK token (`${Token[...]}`). Resolves only what is a token.
 */
export function readable(scope: IConstruct, value: unknown, refs?: RefText): string {
  if (typeof value === 'string' && !Token.isUnresolved(value)) return value;
  if (value === undefined || value === null) return AT_DEPLOY;
  if (typeof value !== 'string' && typeof value !== 'object') return String(value);
  let stack: Stack;
  let resolved: unknown;
  try {
    stack = Stack.of(scope);
    resolved = stack.resolve(value);
  } catch {
    return AT_DEPLOY;
  }
  const region = stack.region;
  const text = cfnText(resolved, Token.isUnresolved(region) ? undefined : partitionForRegion(region), refs && ((id, attr) => refs(stack, id, attr)));
  return Token.isUnresolved(text) ? AT_DEPLOY : text;
}

/** A resolved CloudFormation value as text: `Ref`s and `Fn::GetAtt`s as `${...}`, joins joined, other intrinsics by name. */
export function cfnText(v: unknown, partition?: string, refs?: (logicalId: string, attr?: string) => string | undefined): string {
  const text = (x: unknown) => cfnText(x, partition, refs);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(text).join(', ');
  if (!v || typeof v !== 'object') return AT_DEPLOY;
  const o = v as Record<string, any>;
  const keys = Object.keys(o);
  if (keys.length !== 1) return AT_DEPLOY;
  const [fn] = keys;
  const arg = o[fn];
  switch (fn) {
    case 'Ref':
      if (arg === 'AWS::Partition' && partition !== undefined) return partition;
      return refs?.(String(arg)) ?? `\${${String(arg)}}`;
    case 'Fn::GetAtt': {
      const [id, ...attr] = [arg].flat().map(String).join('.').split('.');
      return refs?.(id, attr.join('.')) ?? `\${${[id, ...attr].join('.')}}`;
    }
    case 'Fn::Join':
      return Array.isArray(arg) && Array.isArray(arg[1]) ? arg[1].map(text).join(String(arg[0])) : AT_DEPLOY;
    case 'Fn::Sub': {
      const [body, vars] = Array.isArray(arg) ? arg : [arg, {}];
      return String(body).replace(/\$\{([^!}][^}]*)\}/g, (m, name: string) => (vars && name in vars ? text(vars[name]) : m));
    }
    case 'Fn::Select':
      return Array.isArray(arg) ? `\${Fn::Select(${String(arg[0])}, ${text(arg[1])})}` : AT_DEPLOY;
    case 'Fn::Split':
      return Array.isArray(arg) ? `Fn::Split('${String(arg[0])}', ${text(arg[1])})` : AT_DEPLOY;
    case 'Fn::ImportValue':
      return `\${ImportValue ${text(arg)}}`;
    default:
      return `\${${fn}(...)}`;
  }
}

/** A cluster as the app-wide model labels it: the literal name, else a placeholder naming the cluster reference. */
export function clusterText(clusterLabel: string): string {
  return /^'.*'$/.test(clusterLabel) ? clusterLabel.slice(1, -1) : `<cluster name of ${clusterLabel}>`;
}
