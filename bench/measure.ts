/* eslint-disable @typescript-eslint/no-require-imports -- each variant loads only its own modules, so no variant is charged for another's load time */
/**
 * One benchmark measurement, run by bench/run.ts in a child process of its own (its own wall time
 * and peak RSS): `node -r ts-node/register/transpile-only bench/measure.ts <variant> <N> <outdir>`.
 * Prints one JSON line on stdout.
 *
 *   a  WorkloadIdentityStack from a generated identity.yaml
 *   b  raw aws-cdk-lib: N bare iam.Role with the same web-identity trust, 100 per stack
 *   c  aws-eks-v2 ServiceAccount on an imported cluster (with a kubectl provider), 100 per stack
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { stringify } from 'yaml';
import { generateSpec, GENERATED_CLUSTER, generatedServiceAccount } from '../test/util/generate-spec';

const started = process.hrtime.bigint();
const [variant, nText, outdir] = process.argv.slice(2);
const N = Number(nText);
const PER_STACK = 100;
const ENV = { account: GENERATED_CLUSTER.account, region: GENERATED_CLUSTER.region };
const ISSUER = GENERATED_CLUSTER.oidcIssuerUrl.replace(/^https:\/\//, '');
const PROVIDER_ARN = `arn:aws:iam::${GENERATED_CLUSTER.account}:oidc-provider/${ISSUER}`;

/** the layout (a) uses: single while one template holds it, else nested, never implicit */
export function layoutFor(n: number): 'single' | 'nested' {
  return n + 1 <= 400 ? 'single' : 'nested';
}
const namespacesFor = (n: number) => Math.max(1, Math.ceil(n / PER_STACK));

/** the spec file (a) reads, written by bench/run.ts before the measurement: a user has it already */
export function writeSpecFile(file: string, n: number): void {
  fs.writeFileSync(file, stringify(generateSpec({ serviceAccounts: n, namespaces: namespacesFor(n), layout: layoutFor(n) as any })));
}

function variantA(app: App): void {
  const { WorkloadIdentityStack } = require('../lib');
  WorkloadIdentityStack.fromSpecFile(app, 'Identity', path.join(outdir, 'identity.yaml'));
}

function variantB(app: App): void {
  const iam = require('aws-cdk-lib/aws-iam');
  let stack: Stack | undefined;
  for (let i = 0; i < N; i++) {
    if (i % PER_STACK === 0) stack = new Stack(app, `Raw${i / PER_STACK}`, { env: ENV });
    const sa = generatedServiceAccount(i, namespacesFor(N));
    new iam.Role(stack!, `${sa.namespace}:${sa.name}`, {
      roleName: `${GENERATED_CLUSTER.name}-${sa.namespace}-${sa.name}`,
      description: `IRSA role for ${sa.namespace}/${sa.name}`,
      assumedBy: new iam.FederatedPrincipal(PROVIDER_ARN, {
        StringEquals: {
          [`${ISSUER}:aud`]: 'sts.amazonaws.com',
          [`${ISSUER}:sub`]: `system:serviceaccount:${sa.namespace}:${sa.name}`,
        },
      }, 'sts:AssumeRoleWithWebIdentity'),
      managedPolicies: sa.role?.managedPolicies?.map(p => iam.ManagedPolicy.fromAwsManagedPolicyName(p)),
    });
  }
}

function variantC(app: App): void {
  const eks = require('aws-cdk-lib/aws-eks-v2');
  const iam = require('aws-cdk-lib/aws-iam');
  const { KubectlV31Layer } = require('@aws-cdk/lambda-layer-kubectl-v31');
  // DESIGN.md section 7: import bare, create the provider, import again with it
  const home = new Stack(app, 'EksV2Kubectl', { env: ENV });
  const bare = eks.Cluster.fromClusterAttributes(home, 'Bare', { clusterName: GENERATED_CLUSTER.name });
  const provider = new eks.KubectlProvider(home, 'Provider', {
    cluster: bare,
    kubectlLayer: new KubectlV31Layer(home, 'Layer'),
    role: iam.Role.fromRoleArn(home, 'KubectlRole', `arn:aws:iam::${GENERATED_CLUSTER.account}:role/kubectl`),
  });
  let stack: Stack | undefined;
  let cluster: any;
  for (let i = 0; i < N; i++) {
    if (i % PER_STACK === 0) {
      stack = new Stack(app, `EksV2${i / PER_STACK}`, { env: ENV });
      cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', {
        clusterName: GENERATED_CLUSTER.name,
        kubectlProvider: eks.KubectlProvider.fromKubectlProviderAttributes(stack, 'Kubectl', { serviceToken: provider.serviceToken }),
        openIdConnectProvider: iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Oidc', PROVIDER_ARN),
      });
    }
    const sa = generatedServiceAccount(i, namespacesFor(N));
    const account = new eks.ServiceAccount(stack!, `${sa.namespace}:${sa.name}`, { cluster, name: sa.name, namespace: sa.namespace });
    for (const p of sa.role?.managedPolicies ?? []) account.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(p));
  }
}

if (require.main === module) main();

function main(): void {
  const app = new App({ outdir });
  ({ a: variantA, b: variantB, c: variantC } as Record<string, (app: App) => void>)[variant](app);
  const constructed = process.hrtime.bigint();
  const assembly = app.synth();
  const synthesized = process.hrtime.bigint();

  // count what CloudFormation would create, nested templates included
  let resources = 0;
  let customResources = 0;
  let templates = 0;
  let maxTemplateResources = 0;
  let maxTemplateBytes = 0;
  const count = (template: any, bytes: number) => {
    const rs = Object.values(template.Resources ?? {}) as any[];
    templates++;
    resources += rs.length;
    customResources += rs.filter(r => r.Type.startsWith('Custom::') || r.Type === 'AWS::CloudFormation::CustomResource').length;
    maxTemplateResources = Math.max(maxTemplateResources, rs.length);
    maxTemplateBytes = Math.max(maxTemplateBytes, bytes);
  };
  for (const a of assembly.artifacts) {
    if (a instanceof CloudFormationStackArtifact) count(a.template, fs.statSync(path.join(assembly.directory, a.templateFile)).size);
  }
  for (const f of fs.readdirSync(assembly.directory).filter(x => x.endsWith('.nested.template.json'))) {
    const p = path.join(assembly.directory, f);
    count(JSON.parse(fs.readFileSync(p, 'utf8')), fs.statSync(p).size);
  }

  const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
  process.stdout.write(JSON.stringify({
    variant,
    n: N,
    layout: variant === 'a' ? layoutFor(N) : undefined,
    constructMs: ms(started, constructed),
    synthMs: ms(constructed, synthesized),
    inProcessMs: ms(started, synthesized),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
    templates,
    resources,
    customResources,
    maxTemplateResources,
    maxTemplateBytes,
  }) + '\n');
}
