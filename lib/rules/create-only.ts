/**
 * Create-only properties of the CloudFormation resources the library emits, as the CloudFormation
 * resource schemas list them (`createOnlyProperties`), and the properties that make a resource's
 * identity in its service (two live resources can never share them).
 *
 * A change of a create-only property makes CloudFormation replace the resource: it creates the new
 * one first and deletes the old one after. When the identity properties stay the same (a kept
 * custom name, the same principal of an access entry), the create fails, because the old resource
 * still holds the identity: such an update cannot be carried out.
 */
export interface CreateOnlyFacts {
  /** Properties whose change replaces the resource. */
  readonly createOnly: readonly string[];
  /**
   * Properties that identify the live resource in its service; equal values on the old and the
   * new resource make a replacement impossible.
   */
  readonly identity: readonly string[];
}

/** Per CloudFormation resource type. */
export const CREATE_ONLY_FACTS: Readonly<Record<string, CreateOnlyFacts>> = {
  'AWS::IAM::Role': { createOnly: ['Path', 'RoleName'], identity: ['RoleName'] },
  'AWS::IAM::OIDCProvider': { createOnly: ['Url'], identity: ['Url'] },
  'AWS::IAM::ManagedPolicy': { createOnly: ['ManagedPolicyName', 'Description', 'Path'], identity: ['ManagedPolicyName'] },
  'AWS::IAM::InstanceProfile': { createOnly: ['InstanceProfileName', 'Path'], identity: ['InstanceProfileName'] },
  'AWS::EKS::FargateProfile': {
    createOnly: ['ClusterName', 'FargateProfileName', 'PodExecutionRoleArn', 'Subnets', 'Selectors'],
    identity: ['ClusterName', 'FargateProfileName'],
  },
  'AWS::EKS::AccessEntry': { createOnly: ['PrincipalArn', 'ClusterName', 'Type'], identity: ['PrincipalArn', 'ClusterName'] },
  'AWS::EKS::PodIdentityAssociation': {
    createOnly: ['ClusterName', 'Namespace', 'ServiceAccount'],
    identity: ['ClusterName', 'Namespace', 'ServiceAccount'],
  },
  'AWS::EKS::Addon': { createOnly: ['ClusterName', 'AddonName', 'NamespaceConfig'], identity: ['ClusterName', 'AddonName'] },
  'AWS::SQS::Queue': { createOnly: ['FifoQueue', 'QueueName'], identity: ['QueueName'] },
  'AWS::Events::Rule': { createOnly: ['Name'], identity: ['Name'] },
};

/** The create-only properties whose values differ between two property maps of one type. */
export function changedCreateOnly(type: string, before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const facts = CREATE_ONLY_FACTS[type];
  if (!facts) return [];
  return facts.createOnly.filter((p) => JSON.stringify(before[p] ?? null) !== JSON.stringify(after[p] ?? null));
}

/**
 * True when a replacement from `before` to `after` cannot be carried out: every identity property
 * is set on both and equal (a kept custom name, the same principal).
 */
export function replacementKeepsIdentity(type: string, before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  const facts = CREATE_ONLY_FACTS[type];
  if (!facts) return false;
  return facts.identity.every((p) => before[p] !== undefined && JSON.stringify(before[p]) === JSON.stringify(after[p]));
}
