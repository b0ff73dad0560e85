/**
 * cdk-nag's AwsSolutions pack (what security reviews run on CDK apps) over every example: nothing
 * the library adds by itself is flagged. Where AWS requires a managed policy (the Fargate pod
 * execution role) or the resource is aws-eks-v2's own (the kubectl provider of in-stack apply), the
 * library records an acknowledgement with the reason. Findings on what the user asked for (the
 * managed policies a spec names) stay the user's, and are the only ones left.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as YAML from 'yaml';
import { WorkloadIdentityStack } from '../lib';

const EXAMPLES = path.join(__dirname, '..', 'examples');
const examples = fs.readdirSync(EXAMPLES, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name).sort();

/** `AwsSolutions-IAM4[Policy::...]` of every AWS managed policy the spec itself names. */
function askedFor(spec: any): string[] {
  const names = (spec.serviceAccounts ?? []).flatMap((sa: any) => sa.role?.managedPolicies ?? []) as string[];
  return [...new Set(names.filter(n => !n.startsWith('arn:')))]
    .map(n => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${n}]`).sort();
}

function nag(app: App) {
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations;
}

describe.each(examples)('example %s under cdk-nag AwsSolutions', ex => {
  const file = path.join(EXAMPLES, ex, 'identity.yaml');
  const spec = YAML.parse(fs.readFileSync(file, 'utf8'));

  test('the only findings are on the managed policies the spec asks for', () => {
    const app = new App();
    WorkloadIdentityStack.fromSpecFile(app, 'Example', file);
    const violations = nag(app);
    expect(violations.map(v => v.ruleName).sort()).toEqual(askedFor(spec));
  });

  test('as a Validations plugin, synth passes once the user acknowledges what they asked for', () => {
    const app = new App();
    const stack = WorkloadIdentityStack.fromSpecFile(app, 'Example', file);
    for (const rule of askedFor(spec)) Validations.of(stack).acknowledge({ id: `AwsSolutions::${rule}`, reason: 'the spec asks for it' });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});

test('the acknowledgements carry their reason and name the rule exactly (no blanket suppression)', () => {
  const app = new App();
  const stack = WorkloadIdentityStack.fromSpecFile(app, 'Example', path.join(EXAMPLES, 'fargate-pod-identity', 'identity.yaml'));
  const role = stack.podExecutionRole!.role;
  const acks = role.node.metadata.filter(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map(m => m.data);
  expect(acks).toEqual([{
    'Annotation::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy]':
      expect.stringMatching(/^cdk-eks-identity: EKS requires this AWS managed policy/),
  }]);
});

test('a managed policy the user adds to the pod execution role is still flagged', () => {
  const app = new App();
  const stack = WorkloadIdentityStack.fromSpecFile(app, 'Example', path.join(EXAMPLES, 'fargate-pod-identity', 'identity.yaml'));
  stack.podExecutionRole!.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
  const rules = nag(app).map(v => v.ruleName);
  expect(rules).toContain('AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AdministratorAccess]');
  expect(rules).not.toContain('AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy]');
});
