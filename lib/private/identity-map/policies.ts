import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { cfnText } from './readable';
import { partitionForRegion } from '../../rules/arns';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const NONE: string[] = [];

interface TemplateIndex {
  readonly resources: Record<string, any>;
  /** logical id of every AWS::IAM::Role with a literal RoleName, by that name */
  readonly roleByName: Map<string, string>;
  /** the AWS::IAM::Policy resources by the role (logical id) they attach to */
  readonly attachedTo: Map<string, Array<[string, any]>>;
  readonly partition: string;
}

/**
 * What the map reads from the synthesized templates: the policies of roles (so grants added after
 * the role, `bucket.grantRead(workload)`, show too), and the literal names and ARNs of roles that
 * tokens reference. Each template is read and indexed once; a role is found by its literal name
 * (no token resolution), by its logical id otherwise.
 */
export class Templates {
  private readonly templates = new Map<Stack, TemplateIndex>();
  private readonly policies = new Map<CfnResource, string[]>();

  constructor(private readonly outdir: string) {}

  /** `ManagedPolicyName`, `inline <name>: <actions>`, `policy <name>: <actions>` of the role. */
  public of(role: CfnResource, literalName?: string): string[] {
    let p = this.policies.get(role);
    if (!p) this.policies.set(role, p = this.read(role, literalName));
    return p;
  }

  private read(role: CfnResource, literalName?: string): string[] {
    const stack = role.stack;
    const t = this.index(stack);
    const id = (literalName !== undefined ? t.roleByName.get(literalName) : undefined) ?? logicalIdOf(stack, role);
    const props = (id !== undefined ? t.resources[id]?.Properties : undefined) ?? {};
    const attachedTo = id !== undefined ? t.attachedTo.get(id) : undefined;
    if (props.ManagedPolicyArns === undefined && props.Policies === undefined && attachedTo === undefined) return NONE;
    const managed = [props.ManagedPolicyArns ?? []].flat().map((a: unknown) => policyLabel(cfnText(a, t.partition))).sort(cmp);
    const inline = [props.Policies ?? []].flat().map((p: any) => `inline ${p.PolicyName}: ${actionsOf(p.PolicyDocument).join(', ')}`);
    const attached = [...(attachedTo ?? [])]
      .sort(([a], [b]) => cmp(a, b))
      .map(([, r]) => `policy ${r.Properties.PolicyName}: ${actionsOf(r.Properties.PolicyDocument).join(', ')}`);
    return [...managed, ...inline, ...attached];
  }

  /** A role's literal name (`Ref`) or ARN (`Fn::GetAtt Arn`), when the template names it. */
  public refText(stack: Stack, logicalId: string, attr?: string): string | undefined {
    const t = this.index(stack);
    const r = t.resources[logicalId];
    if (r?.Type !== 'AWS::IAM::Role' || typeof r.Properties?.RoleName !== 'string') return undefined;
    const name: string = r.Properties.RoleName;
    if (attr === undefined) return name;
    if (attr !== 'Arn') return undefined;
    const rolePath = typeof r.Properties.Path === 'string' ? r.Properties.Path : '/';
    const account = Token.isUnresolved(stack.account) ? '${AWS::AccountId}' : stack.account;
    return `arn:${t.partition}:iam::${account}:role${rolePath}${name}`;
  }

  private index(stack: Stack): TemplateIndex {
    let t = this.templates.get(stack);
    if (t) return t;
    const file = path.join(this.outdir, stack.templateFile);
    const template = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    const resources: Record<string, any> = template?.Resources ?? {};
    const roleByName = new Map<string, string>();
    const attachedTo = new Map<string, Array<[string, any]>>();
    for (const [id, r] of Object.entries(resources)) {
      if (r?.Type === 'AWS::IAM::Role') {
        const name = r.Properties?.RoleName;
        if (typeof name === 'string') roleByName.set(name, id);
      } else if (r?.Type === 'AWS::IAM::Policy') {
        for (const x of new Set([r.Properties?.Roles ?? []].flat().map((y: any) => y?.Ref).filter((y: unknown) => typeof y === 'string'))) {
          const list = attachedTo.get(x as string);
          if (list) list.push([id, r]);
          else attachedTo.set(x as string, [[id, r]]);
        }
      }
    }
    const region = stack.region;
    t = { resources, roleByName, attachedTo, partition: Token.isUnresolved(region) ? '${AWS::Partition}' : partitionForRegion(region) };
    this.templates.set(stack, t);
    return t;
  }
}

function logicalIdOf(stack: Stack, role: CfnResource): string | undefined {
  try {
    const id = stack.resolve(role.logicalId);
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** `AmazonS3ReadOnlyAccess` of `arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess` (the path kept: `service-role/...`). */
export function policyLabel(arn: string): string {
  const i = arn.indexOf(':policy/');
  return i >= 0 ? arn.slice(i + ':policy/'.length) : arn;
}

function actionsOf(doc: any): string[] {
  const st = [doc?.Statement ?? []].flat();
  return [...new Set(st.flatMap((s: any) => [s?.Action ?? []].flat().map(String)))].sort(cmp);
}
