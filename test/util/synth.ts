import * as fs from 'fs';
import * as path from 'path';
import { App, Stage } from 'aws-cdk-lib';
import { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { cfnLintProblems } from './cfn-lint';
import { checkIdentityMaps } from './identity-maps';
import { validateManifests } from './k8s-schema';

export interface Synthesized {
  readonly assembly: CloudAssembly;
  /** artifact id -> template (nested stack templates too, keyed by file name) */
  readonly templates: Record<string, any>;
  /** artifact id -> raw `<artifactId>.k8s.yaml` */
  readonly yaml: Record<string, string>;
  /** artifact id -> parsed Kubernetes objects */
  readonly manifests: Record<string, any[]>;
  /** warnings and errors attached to constructs */
  readonly annotations: Array<{ level: string; path: string; message: string }>;
  /** artifact id -> `<artifactId>.identity.json` (checked: the schema, no CDK token) */
  readonly identityMaps: Record<string, any>;
}

/**
 * Synthesizes the app and checks every output with tools nobody here wrote: cfn-lint over every
 * template (nested ones included) and the Kubernetes schemas over every manifest.
 */
export interface SynthOptions {
  /**
   * cfn-lint warning ids to tolerate, for templates that hold resources we do not write
   * (an aws-eks-v2 Cluster's VPC, say). Errors are never tolerated.
   */
  readonly tolerateWarnings?: string[];
}

export function synth(app: App | Stage, options: SynthOptions = {}): Synthesized {
  const assembly = app.synth();
  const templates: Record<string, any> = {};
  const yaml: Record<string, string> = {};
  const manifests: Record<string, any[]> = {};
  const annotations: Synthesized['annotations'] = [];
  for (const artifact of assembly.artifacts) {
    if (!(artifact instanceof CloudFormationStackArtifact)) continue;
    templates[artifact.id] = artifact.template;
    const k8s = path.join(assembly.directory, `${artifact.id}.k8s.yaml`);
    if (fs.existsSync(k8s)) {
      yaml[artifact.id] = fs.readFileSync(k8s, 'utf8');
      manifests[artifact.id] = validateManifests(yaml[artifact.id]);
    }
    for (const level of ['warning', 'error', 'info']) {
      for (const m of artifact.findMetadataByType(`aws:cdk:${level}`)) annotations.push({ level, path: m.path, message: String(m.data) });
    }
  }
  for (const f of fs.readdirSync(assembly.directory)) {
    if (f.endsWith('.nested.template.json')) templates[f] = JSON.parse(fs.readFileSync(path.join(assembly.directory, f), 'utf8'));
  }
  const problems = cfnLintProblems(templates)
    .filter(p => !(options.tolerateWarnings ?? []).some(id => p.includes(` ${id} Warning:`)));
  if (problems.length > 0) throw new Error(`cfn-lint found problems:\n${problems.join('\n')}`);
  const identityMaps = checkIdentityMaps(assembly.directory);
  return { assembly, templates, yaml, manifests, annotations, identityMaps };
}

export function resourcesOfType(template: any, type: string): Array<[string, any]> {
  return Object.entries(template.Resources ?? {}).filter(([, r]: [string, any]) => r.Type === type) as Array<[string, any]>;
}
