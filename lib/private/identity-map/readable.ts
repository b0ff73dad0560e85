import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { partitionForRegion } from '../../rules/arns';

/** What a value only known at deploy is shown as when nothing better can be said. */
export const AT_DEPLOY = '<known at deploy>';

/**
 * A value as text a person can read: a literal as it is; a token as the CloudFormation
 * expression it stands for (`${Role1ABCD.Arn}`, `${AWS::AccountId}`), the partition as the one
 * the stack's region implies. Never a CDK token (`${Token[...]}`). Resolves only what is a token.
 */
export function readable(scope: IConstruct, value: unknown): string {
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
  const text = cfnText(resolved, Token.isUnresolved(region) ? undefined : partitionForRegion(region));
  return Token.isUnresolved(text) ? AT_DEPLOY : text;
}

/** A resolved CloudFormation value as text: `Ref`s and `Fn::GetAtt`s as `${...}`, joins joined, other intrinsics by name. */
export function cfnText(v: unknown, partition?: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(x => cfnText(x, partition)).join(', ');
  if (!v || typeof v !== 'object') return AT_DEPLOY;
  const o = v as Record<string, any>;
  const keys = Object.keys(o);
  if (keys.length !== 1) return AT_DEPLOY;
  const [fn] = keys;
  const arg = o[fn];
  switch (fn) {
    case 'Ref':
      return arg === 'AWS::Partition' && partition !== undefined ? partition : `\${${String(arg)}}`;
    case 'Fn::GetAtt':
      return `\${${[arg].flat().map(String).join('.')}}`;
    case 'Fn::Join':
      return Array.isArray(arg) && Array.isArray(arg[1]) ? arg[1].map((x: unknown) => cfnText(x, partition)).join(String(arg[0])) : AT_DEPLOY;
    case 'Fn::Sub': {
      const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
      return String(text).replace(/\$\{([^!}][^}]*)\}/g, (m, name: string) => (vars && name in vars ? cfnText(vars[name], partition) : m));
    }
    case 'Fn::Select':
      return Array.isArray(arg) ? `\${Fn::Select(${String(arg[0])}, ${cfnText(arg[1], partition)})}` : AT_DEPLOY;
    case 'Fn::Split':
      return Array.isArray(arg) ? `Fn::Split('${String(arg[0])}', ${cfnText(arg[1], partition)})` : AT_DEPLOY;
    case 'Fn::ImportValue':
      return `\${ImportValue ${cfnText(arg, partition)}}`;
    default:
      return `\${${fn}(...)}`;
  }
}

/** A cluster as the app-wide model labels it: the literal name, else a placeholder naming the cluster reference. */
export function clusterText(clusterLabel: string): string {
  return /^'.*'$/.test(clusterLabel) ? clusterLabel.slice(1, -1) : `<cluster name of ${clusterLabel}>`;
}
