import * as fs from 'fs';
import * as path from 'path';
import { parseJson, readK8sObjects, readTemplates, readText } from './doctor-inputs';
import { hasUnresolved, resolve, ResolveContext, Template } from './template-resolver';
import { InputError, UsageError } from './usage';
import { ROLE_ARN_ANNOTATION } from '../rules/annotations';
import { partitionForRegion } from '../rules/arns';
import { AssemblyContents, DiffResource, DiffServiceAccount } from '../rules/assembly-diff';
import { CREATE_ONLY_FACTS } from '../rules/create-only';

/**
 * What `diff` reads of a cloud assembly: every stack of `manifest.json` (and of the nested
 * assemblies of Stages, `assembly-*`), the nested stacks each template refers to
 * (`AWS::CloudFormation::Stack`, by the asset path of its metadata or the asset hash of its
 * TemplateURL), their resources, and the ServiceAccounts of `*.k8s.yaml` and of in-stack manifests.
 */

/** What was read, and how much. */
export interface ReadAssembly extends AssemblyContents {
  readonly stacks: number;
}

interface StackInfo {
  readonly label: string;
  readonly artifactId?: string;
  readonly templateFile: string;
  readonly ctx: ResolveContext;
}

/** `aws://111122223333/us-west-2` -> account and region; `unknown-account` and the like stay unknown. */
function environmentOf(env: unknown): ResolveContext {
  const m = /^aws:\/\/([^/]*)\/(.*)$/.exec(typeof env === 'string' ? env : '');
  const account = m && /^\d{12}$/.test(m[1]) ? m[1] : undefined;
  const region = m && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(m[2]) ? m[2] : undefined;
  return { account, region, partition: region ? partitionForRegion(region) : undefined };
}

/** A file asset of an assembly: its file and the name CDK shows for it (`Namespace-shop Nested Stack Template`). */
interface FileAsset { readonly file: string; readonly displayName?: string }

/** The nested template a `AWS::CloudFormation::Stack` resource deploys, when it is in the assembly. */
function nestedTemplateOf(res: any, assets: Map<string, FileAsset>): FileAsset | undefined {
  const byMetadata = res?.Metadata?.['aws:asset:path'];
  if (typeof byMetadata === 'string') return [...assets.values()].find(a => a.file === byMetadata) ?? { file: byMetadata };
  const hash = /([0-9a-f]{64})\.json/.exec(JSON.stringify(res?.Properties?.TemplateURL ?? ''));
  return hash ? assets.get(hash[1]) : undefined;
}

/** Asset hash -> file asset, from the `*.assets.json` of a directory. */
function assetFiles(dir: string): Map<string, FileAsset> {
  const out = new Map<string, FileAsset>();
  for (const f of fs.readdirSync(dir).filter(x => x.endsWith('.assets.json')).sort()) {
    const full = path.join(dir, f);
    const j = parseJson(full, readText(full), 'a CDK asset manifest (run cdk synth again)');
    for (const [hash, a] of Object.entries<any>(j?.files ?? {})) {
      if (typeof a?.source?.path === 'string') out.set(hash, { file: a.source.path, displayName: typeof a.displayName === 'string' ? a.displayName : undefined });
    }
  }
  return out;
}

/** The stacks of one assembly directory: from manifest.json, or every top-level template when there is none. */
function stacksOf(dir: string, templates: Template[]): { stacks: StackInfo[]; stages: string[] } {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    const stacks = templates.filter(t => !t.file.endsWith('.nested.template.json'))
      .map(t => ({ label: t.file.replace(/\.template\.json$/, ''), templateFile: t.file, ctx: {} }));
    return { stacks, stages: [] };
  }
  const manifest = parseJson(manifestFile, readText(manifestFile), 'a cloud assembly manifest (run cdk synth again)');
  const artifacts = manifest?.artifacts;
  if (!manifest || typeof manifest !== 'object' || (artifacts !== undefined && (typeof artifacts !== 'object' || Array.isArray(artifacts)))) {
    throw new InputError(`${manifestFile}: not a cloud assembly manifest (artifacts is not an object); run cdk synth again`);
  }
  const stacks: StackInfo[] = [];
  const stages: string[] = [];
  for (const [id, a] of Object.entries<any>(artifacts ?? {})) {
    if (a?.type === 'aws:cloudformation:stack') {
      const templateFile = a.properties?.templateFile;
      if (typeof templateFile !== 'string') throw new InputError(`${manifestFile}: artifacts.${id}.properties.templateFile is not a file name; run cdk synth again`);
      const label = typeof a.properties?.stackName === 'string' ? a.properties.stackName : id;
      stacks.push({ label, artifactId: id, templateFile, ctx: environmentOf(a.environment) });
    } else if (a?.type === 'cdk:cloud-assembly' && typeof a.properties?.directoryName === 'string') {
      stages.push(a.properties.directoryName);
    }
  }
  return { stacks, stages };
}

/** Reads a cloud assembly directory (and its stages' nested assemblies). */
export function readAssembly(dir: string): ReadAssembly {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError(`${dir}: no such directory (pass two cloud assembly directories: the cdk.out of the deployed commit and of the new synth)`);
  }
  const out = { resources: [] as DiffResource[], serviceAccounts: [] as DiffServiceAccount[], stacks: 0 };
  readInto(dir, dir, out);
  if (out.stacks === 0) throw new UsageError(`${dir}: no stack template (is this a cloud assembly? run cdk synth)`);
  return out;
}

function readInto(dir: string, shown: string, out: { resources: DiffResource[]; serviceAccounts: DiffServiceAccount[]; stacks: number }): void {
  const templates = readTemplates(dir);
  const byFile = new Map(templates.map(t => [t.file, t]));
  const { stacks, stages } = stacksOf(dir, templates);
  const assets = assetFiles(dir);
  const visit = (s: StackInfo, key: string) => {
    const t = byFile.get(s.templateFile);
    if (!t) throw new InputError(`${path.join(shown, s.templateFile)}: the template of stack ${s.label} is missing from the assembly; run cdk synth again`);
    out.stacks++;
    visited.add(s.templateFile);
    const scope = `${s.ctx.account ?? '*'}/${s.ctx.region ?? '*'}`;
    const file = path.join(shown, t.file);
    for (const [logicalId, res] of Object.entries<any>(t.resources)) {
      if (!res || typeof res !== 'object' || typeof res.Type !== 'string') {
        throw new InputError(`${file}: Resources.${logicalId} has no Type; run cdk synth again`);
      }
      if (res.Type === 'AWS::CloudFormation::Stack') {
        const nested = nestedTemplateOf(res, assets);
        if (nested !== undefined && byFile.has(nested.file)) {
          // shown by its construct id when CDK names it (`Id/Namespace-shop`); CloudFormation knows it by its logical id
          const name = /^(.+) Nested Stack Template$/.exec(nested.displayName ?? '')?.[1] ?? logicalId;
          visit({ label: `${s.label}/${name}`, templateFile: nested.file, ctx: s.ctx }, `${key}/${logicalId}`);
          continue;
        }
      }
      if (res.Type === 'AWS::CDK::Metadata') continue;
      const properties = res.Properties && typeof res.Properties === 'object' ? res.Properties : {};
      out.resources.push({
        stack: s.label,
        stackKey: key,
        file,
        logicalId,
        type: res.Type,
        properties,
        identity: identityOf(res.Type, properties, t, s.ctx, scope),
        retained: res.DeletionPolicy === 'Retain' || res.DeletionPolicy === 'RetainExceptOnCreate',
        role: res.Type === 'AWS::IAM::Role' && typeof properties.RoleName === 'string'
          ? { account: s.ctx.account, path: typeof properties.Path === 'string' ? properties.Path : '/', name: properties.RoleName } : undefined,
        scope,
      });
      if (res.Type === 'Custom::AWSCDK-EKS-KubernetesResource' && typeof properties.Manifest === 'string') {
        let objects: any;
        try {
          objects = JSON.parse(properties.Manifest);
        } catch {
          objects = [];
        }
        for (const obj of [objects].flat()) pushServiceAccount(out.serviceAccounts, obj, scope, `${file} (Resources.${logicalId})`);
      }
    }
  };
  const visited = new Set<string>();
  for (const s of stacks) {
    visited.add(s.templateFile);
    visit(s, `${s.ctx.account ?? '*'}/${s.ctx.region ?? '*'}/${s.label}`);
    const k8s = path.join(dir, `${s.artifactId ?? s.label}.k8s.yaml`);
    if (fs.existsSync(k8s)) {
      const scope = `${s.ctx.account ?? '*'}/${s.ctx.region ?? '*'}`;
      const objects = readK8sObjects(path.join(shown, path.basename(k8s)), readText(k8s));
      for (const o of objects) pushServiceAccount(out.serviceAccounts, o.obj, scope, o.file);
    }
  }
  // a nested template no parent was found to deploy (no asset metadata): compared as a stack of its own, by its file
  for (const t of templates.filter(x => !visited.has(x.file) && x.file.endsWith('.nested.template.json'))) {
    visit({ label: t.file.replace(/\.nested\.template\.json$/, ''), templateFile: t.file, ctx: {} }, `*/*/${t.file}`);
  }
  const stageDirs = new Set([...stages, ...fs.readdirSync(dir).filter(f => f.startsWith('assembly-') && fs.statSync(path.join(dir, f)).isDirectory())]);
  for (const st of [...stageDirs].sort()) {
    if (fs.existsSync(path.join(dir, st))) readInto(path.join(dir, st), path.join(shown, st), out);
  }
}

function pushServiceAccount(list: DiffServiceAccount[], obj: any, scope: string, file: string): void {
  if (obj?.kind !== 'ServiceAccount' || typeof obj.metadata?.name !== 'string') return;
  const roleArn = obj.metadata.annotations?.[ROLE_ARN_ANNOTATION];
  list.push({ scope, namespace: typeof obj.metadata.namespace === 'string' ? obj.metadata.namespace : 'default', name: obj.metadata.name, roleArn: typeof roleArn === 'string' ? roleArn : undefined, file });
}

/** Type, account (and region, but for IAM) and the literal values of the identity properties; undefined when one is not literal. */
function identityOf(type: string, props: Record<string, unknown>, t: Template, ctx: ResolveContext, scope: string): string | undefined {
  const facts = CREATE_ONLY_FACTS[type];
  if (!facts) return undefined;
  const values = facts.identity.map(p => (props[p] === undefined ? undefined : resolve(props[p], t, ctx)));
  if (values.some(v => v === undefined || v === null || hasUnresolved(v))) return undefined;
  const where = type.startsWith('AWS::IAM::') ? scope.split('/')[0] : scope;
  return JSON.stringify([type, where, ...values]);
}
