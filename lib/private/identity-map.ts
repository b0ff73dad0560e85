import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { attachSynthOutput } from './synth-hook';

/**
 * The identity map of a stack: `<artifactId>.identity.md` (Mermaid diagram and tables) and
 * `<artifactId>.identity.json` (for other tools: a template holds at most 200 outputs), written
 * beside the template at synth. Constructs record what they build; the policies are read from the
 * synthesized template, so grants added later show too.
 */

/** @internal */
export interface WorkloadRecord {
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly mechanism: string;
  readonly roleArn: string;
  /** the role's CloudFormation resource, when the role is created in this stack */
  readonly roleResource?: CfnResource;
  /** Pod Identity role chaining: the role the pods end up with */
  readonly targetRoleArn?: string;
  readonly verify: boolean;
}

/** @internal */
export interface AccessEntryRecord {
  readonly clusterName: string;
  readonly resource: CfnResource;
  readonly effectiveUsername?: string;
}

interface MapData { workloads: WorkloadRecord[]; entries: AccessEntryRecord[] }
const MAPS = new WeakMap<Stack, MapData>();

function dataOf(scope: IConstruct): MapData {
  const stack = Stack.of(scope);
  let d = MAPS.get(stack);
  if (!d) {
    d = { workloads: [], entries: [] };
    MAPS.set(stack, d);
    const data = d;
    attachSynthOutput(stack, 'identity-map', outdir => writeIdentityMap(stack, data, outdir));
  }
  return d;
}

/** @internal */
export function recordWorkload(scope: IConstruct, r: WorkloadRecord): void {
  dataOf(scope).workloads.push(r);
}

/** @internal */
export function recordAccessEntry(scope: IConstruct, r: AccessEntryRecord): void {
  dataOf(scope).entries.push(r);
}

export interface IdentityMapJson {
  readonly stack: string;
  readonly serviceAccounts: Array<{
    cluster: string;
    namespace: string;
    serviceAccount: string;
    mechanism: string;
    roleArn: string;
    targetRoleArn?: string;
    policies: string[];
    verify: boolean;
  }>;
  readonly accessEntries: Array<{
    cluster: string;
    principalArn: string;
    type: string;
    username?: string;
    kubernetesGroups: string[];
    accessPolicies: Array<{ policy: string; scope: string; namespaces?: string[] }>;
  }>;
}

const show = (v: unknown): string => (typeof v === 'string' && !Token.isUnresolved(v) ? v : '(resolved at deploy)');
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A template value as text: literals, `Ref AWS::Partition` as the partition, other intrinsics as `${...}`. */
function text(v: any, partition: string): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    if (v.Ref === 'AWS::Partition') return partition;
    if (v.Ref) return `\${${v.Ref}}`;
    if (v['Fn::Join']) return (v['Fn::Join'][1] as any[]).map(x => text(x, partition)).join(v['Fn::Join'][0]);
    if (v['Fn::GetAtt']) return `\${${[v['Fn::GetAtt']].flat().join('.')}}`;
  }
  return JSON.stringify(v);
}

function policyLabel(arn: string): string {
  const i = arn.indexOf(':policy/');
  return i >= 0 ? arn.slice(i + ':policy/'.length) : arn;
}

function actionsOf(doc: any): string[] {
  const st = [doc?.Statement ?? []].flat();
  return [...new Set(st.flatMap((s: any) => [s?.Action ?? []].flat().map(String)))].sort(cmp);
}

/** @internal */
export function buildIdentityMap(stack: Stack, data: MapData, template: any): IdentityMapJson {
  const resources: Record<string, any> = template?.Resources ?? {};
  const partition = stack.resolve(stack.partition);
  const partitionText = typeof partition === 'string' ? partition : 'aws';
  // the AWS::IAM::Policy resources of the template by the roles they attach to (one pass, not one per role)
  const attachedTo = new Map<string, Array<[string, any]>>();
  for (const [pid, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::IAM::Policy') continue;
    for (const x of [r.Properties?.Roles ?? []].flat()) {
      if (typeof x?.Ref !== 'string') continue;
      const list = attachedTo.get(x.Ref) ?? [];
      if (!list.some(([id]) => id === pid)) list.push([pid, r]);
      attachedTo.set(x.Ref, list);
    }
  }
  const policiesOf = (res?: CfnResource): string[] => {
    if (!res) return [];
    const id = stack.resolve(res.logicalId);
    const props = resources[id]?.Properties ?? {};
    const managed = [props.ManagedPolicyArns ?? []].flat().map((a: any) => policyLabel(text(a, partitionText)));
    const inline = [props.Policies ?? []].flat().map((p: any) => `inline ${p.PolicyName}: ${actionsOf(p.PolicyDocument).join(', ')}`);
    const attached = [...(attachedTo.get(id) ?? [])]
      .sort(([a], [b]) => cmp(a, b))
      .map(([, r]) => `policy ${r.Properties.PolicyName}: ${actionsOf(r.Properties.PolicyDocument).join(', ')}`);
    return [...managed.sort(cmp), ...inline, ...attached];
  };
  const serviceAccounts = data.workloads.map(w => ({
    cluster: show(w.clusterName),
    namespace: w.namespace,
    serviceAccount: w.serviceAccount,
    mechanism: w.mechanism,
    roleArn: show(w.roleArn),
    ...(w.targetRoleArn !== undefined ? { targetRoleArn: show(w.targetRoleArn) } : {}),
    policies: policiesOf(w.roleResource),
    verify: w.verify,
  })).sort((a, b) => cmp(`${a.cluster}/${a.namespace}/${a.serviceAccount}`, `${b.cluster}/${b.namespace}/${b.serviceAccount}`));
  const accessEntries = data.entries.map(e => {
    const props = resources[stack.resolve(e.resource.logicalId)]?.Properties ?? {};
    return {
      cluster: show(e.clusterName),
      principalArn: text(props.PrincipalArn, partitionText),
      type: props.Type ?? 'STANDARD',
      ...(e.effectiveUsername !== undefined ? { username: show(e.effectiveUsername) } : {}),
      kubernetesGroups: [props.KubernetesGroups ?? []].flat().map(String),
      accessPolicies: [props.AccessPolicies ?? []].flat().map((p: any) => ({
        policy: policyLabel(text(p.PolicyArn, partitionText)).replace(/^.*cluster-access-policy\//, ''),
        scope: String(p.AccessScope?.Type ?? 'cluster'),
        ...(p.AccessScope?.Namespaces ? { namespaces: [p.AccessScope.Namespaces].flat().map(String) } : {}),
      })),
    };
  }).sort((a, b) => cmp(`${a.cluster}/${a.principalArn}`, `${b.cluster}/${b.principalArn}`));
  return { stack: stack.stackName, serviceAccounts, accessEntries };
}

const q = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown with a Mermaid diagram and one table per section. @internal */
export function renderIdentityMarkdown(m: IdentityMapJson): string {
  const lines: string[] = [`# Identity map: ${m.stack}`, '', 'Generated by cdk-eks-identity at synth. Do not edit.', ''];
  lines.push('```mermaid', 'flowchart LR');
  const ids = new Map<string, string>();
  const node = (key: string, label: string, prefix: string) => {
    let id = ids.get(key);
    if (!id) {
      id = `${prefix}${ids.size}`;
      ids.set(key, id);
      lines.push(`  ${id}[${q(label)}]`);
    }
    return id;
  };
  const edges: string[] = [];
  for (const s of m.serviceAccounts) {
    const c = node(`cluster:${s.cluster}`, `cluster ${s.cluster}`, 'c');
    const ns = node(`ns:${s.cluster}/${s.namespace}`, `namespace ${s.namespace}`, 'n');
    const sa = node(`sa:${s.cluster}/${s.namespace}/${s.serviceAccount}`, `service account ${s.serviceAccount}`, 's');
    const role = node(`role:${s.roleArn}`, `role ${s.roleArn.replace(/^arn:[^:]+:iam::\d+:role/, '')}`, 'r');
    edges.push(`  ${c} --> ${ns}`, `  ${ns} --> ${sa}`, `  ${sa} -- ${s.mechanism} --> ${role}`);
    if (s.targetRoleArn) edges.push(`  ${role} -- assumes --> ${node(`role:${s.targetRoleArn}`, `role ${s.targetRoleArn}`, 'r')}`);
    for (const p of s.policies) edges.push(`  ${role} --> ${node(`policy:${p}`, p.length > 80 ? `${p.slice(0, 77)}...` : p, 'p')}`);
  }
  for (const e of m.accessEntries) {
    const c = node(`cluster:${e.cluster}`, `cluster ${e.cluster}`, 'c');
    const pr = node(`principal:${e.principalArn}`, e.principalArn, 'u');
    const ae = node(`entry:${e.cluster}/${e.principalArn}`, `access entry ${e.type}`, 'a');
    edges.push(`  ${pr} --> ${ae}`, `  ${ae} --> ${c}`);
    for (const g of e.kubernetesGroups) edges.push(`  ${ae} --> ${node(`group:${e.cluster}/${g}`, `group ${g}`, 'g')}`);
    for (const p of e.accessPolicies) {
      edges.push(`  ${ae} --> ${node(`ap:${p.policy}:${p.scope}:${(p.namespaces ?? []).join(',')}`, `${p.policy} (${p.scope}${p.namespaces ? `: ${p.namespaces.join(', ')}` : ''})`, 'ap')}`);
    }
  }
  lines.push(...[...new Set(edges)], '```', '');
  lines.push('## Service accounts', '');
  if (m.serviceAccounts.length === 0) {lines.push('None.', '');} else {
    lines.push('| Cluster | Namespace | Service account | Mechanism | Role | Policies | Verify Job |', '|---|---|---|---|---|---|---|');
    for (const s of m.serviceAccounts) {
      lines.push(`| ${cell(s.cluster)} | ${cell(s.namespace)} | ${cell(s.serviceAccount)} | ${s.mechanism} | ${cell(s.roleArn)}${s.targetRoleArn ? ` (then ${cell(s.targetRoleArn)})` : ''} | ${cell(s.policies.join('; ') || '(none)')} | ${s.verify ? 'yes' : 'no'} |`);
    }
    lines.push('');
  }
  lines.push('## Access entries', '');
  if (m.accessEntries.length === 0) {lines.push('None.', '');} else {
    lines.push('| Cluster | Principal | Type | Username | Groups | Access policies |', '|---|---|---|---|---|---|');
    for (const e of m.accessEntries) {
      const aps = e.accessPolicies.map(p => `${p.policy} (${p.scope}${p.namespaces ? `: ${p.namespaces.join(', ')}` : ''})`).join('; ');
      lines.push(`| ${cell(e.cluster)} | ${cell(e.principalArn)} | ${e.type} | ${cell(e.username ?? '')} | ${cell(e.kubernetesGroups.join(', '))} | ${cell(aps)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function writeIdentityMap(stack: Stack, data: MapData, outdir: string): void {
  const templateFile = path.join(outdir, stack.templateFile);
  const template = fs.existsSync(templateFile) ? JSON.parse(fs.readFileSync(templateFile, 'utf8')) : {};
  const m = buildIdentityMap(stack, data, template);
  fs.writeFileSync(path.join(outdir, `${stack.artifactId}.identity.json`), `${JSON.stringify(m, undefined, 2)}\n`);
  fs.writeFileSync(path.join(outdir, `${stack.artifactId}.identity.md`), renderIdentityMarkdown(m));
  if (process.env.CDK_OUTDIR) {
    const rel = path.relative(process.cwd(), path.join(outdir, `${stack.artifactId}.identity.md`));
    process.stderr.write(`cdk-eks-identity: ${stack.stackName}: identity map ${rel} (+ .identity.json)\n`);
  }
}
