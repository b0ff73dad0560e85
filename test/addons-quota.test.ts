/**
 * Add-on roles count: the stack's roles-per-account check adds one role per add-on (karpenter:
 * the controller and the node role), and the template limits count the add-ons' resources.
 */
import { App } from 'aws-cdk-lib';
import { AddonSpec, IdentityMechanism, StackLayout, WorkloadIdentityStack } from '../lib';
import { expectIdentityError } from './util/expect-error';
import { generateSpec } from './util/generate-spec';

const ADDONS: AddonSpec[] = [
  { name: 'aws-load-balancer-controller', mechanism: IdentityMechanism.POD_IDENTITY }, // 1 role
  { name: 'ebs-csi-driver', managed: {} }, // 1 role, inside AWS::EKS::Addon
  { name: 'external-dns', scope: { hostedZoneArns: ['arn:aws:route53:::hostedzone/Z1'] } }, // 1 role
  { name: 'karpenter' }, // controller + node role
];
const ADDON_ROLES = 5;

const warningsOf = (stack: WorkloadIdentityStack) => stack.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data));

describe('roles per account', () => {
  const build = (serviceAccounts: number) => new WorkloadIdentityStack(new App(), 'Big', {
    spec: generateSpec({ serviceAccounts, namespaces: 4, layout: StackLayout.NESTED, extra: { addons: ADDONS, podIdentityAgent: {} } }),
  });

  test('failing: service account roles and add-on roles together exceed the quota, counted exactly', () => {
    const stack = build(1000 - ADDON_ROLES + 1);
    expect(warningsOf(stack).join('\n')).toMatch(/1001 roles.*exceeds the roles per account quota of 1000.*\[iam-roles-per-account\]/);
  });

  test('passing: exactly at the quota', () => {
    const stack = build(1000 - ADDON_ROLES);
    expect(warningsOf(stack).join('\n')).not.toMatch(/iam-roles-per-account/);
    // the roles the check counted are the roles in the templates
    const roles = stack.node.findAll() // nested stacks are children of the stack
      .filter(c => (c as any).cfnResourceType === 'AWS::IAM::Role');
    expect(roles).toHaveLength(1000);
  });
});

describe('template limits with add-ons', () => {
  // the parent template holds the provider and every add-on's resources besides the service accounts' roles
  const single = (serviceAccounts: number, addons: AddonSpec[]) => () => new WorkloadIdentityStack(new App(), 'One', {
    spec: generateSpec({ serviceAccounts, namespaces: 2, extra: { addons, podIdentityAgent: {} } }),
  });

  test('failing: service accounts that fit one template alone do not fit with the add-ons', () => {
    // 495 roles, the provider and the agent: 497 resources; the four add-ons bring 12 more
    expect(single(495, [])).not.toThrow();
    expectIdentityError(single(495, ADDONS), 'layout', /509 resources, more than the 500 CloudFormation allows/);
  });
});
