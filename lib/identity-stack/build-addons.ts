import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AddonIdentity, addonManagedPolicies, recordPodIdentityAddon } from '../addons/addon-identity';
import { IIdentityCluster } from '../cluster';
import { buildKarpenter } from './build-karpenter';
import { BoundAddon, BoundPodIdentityAgent } from '../identity-spec/bind-addons';
import { ServiceAccountRole } from '../irsa/service-account-role';
import { IdentityModel } from '../model/identity-model';
import { PodIdentityAgentAddon } from '../pod-identity/agent-addon';
import { PodIdentityRole } from '../pod-identity/pod-identity-role';
import { clusterKey, clusterLabel } from '../private/cluster-key';

import { IdentityMechanism } from '../workload-identity';
import { BuiltAddon } from './built-addon';

/** The role options of `role:` (ids `addons[i]-Managed<j>`, `-Boundary`). */
function roleOptions(scope: Construct, a: BoundAddon, boundary = true) {
  const r = a.spec.role ?? {};
  return {
    roleName: r.name,
    path: r.path,
    permissionsBoundary: boundary && r.permissionsBoundary !== undefined
      ? iam.ManagedPolicy.fromManagedPolicyArn(scope, `${a.field}-Boundary`, r.permissionsBoundary) : undefined,
    extraManaged: a.managedPolicies.map((p, j) => p.arn !== undefined
      ? iam.ManagedPolicy.fromManagedPolicyArn(scope, `${a.field}-Managed${j}`, p.arn)
      : iam.ManagedPolicy.fromAwsManagedPolicyName(p.awsManagedName!)),
    inlinePolicies: a.inlinePolicy ? { Statements: a.inlinePolicy } : undefined,
  };
}

/** One add-on: self-managed as an AddonIdentity; managed as a role and an `AWS::EKS::Addon` holding the identity. */
export function buildAddon(scope: Construct, cluster: IIdentityCluster, a: BoundAddon): BuiltAddon {
  if (a.karpenter) {
    // the bundle: controller identity, node role, access entry, instance profile, queue (ids under `Addon:karpenter`)
    const o = roleOptions(scope, a, false);
    const karpenter = buildKarpenter(scope, cluster, a.karpenter, a.spec.role?.permissionsBoundary, a.id, {
      controllerManagedPolicies: o.extraManaged.length > 0 ? o.extraManaged : undefined,
      controllerInlinePolicies: o.inlinePolicies,
    });
    return { identity: karpenter.controller, karpenter, roleArn: karpenter.controller?.roleArn ?? karpenter.nodeRole.roleArn };
  }
  const o = roleOptions(scope, a);
  const policyProps = { addon: a.name, version: a.version, policyScope: a.policyScope };
  if (a.managedAddonName === undefined) {
    const identity = new AddonIdentity(scope, a.id, {
      cluster,
      ...policyProps,
      mechanism: a.mechanism,
      namespace: a.namespace,
      serviceAccountName: a.serviceAccountName,
      roleName: o.roleName,
      path: o.path,
      permissionsBoundary: o.permissionsBoundary,
      managedPolicies: o.extraManaged.length > 0 ? o.extraManaged : undefined,
      inlinePolicies: o.inlinePolicies,
    });
    return { identity, roleArn: identity.roleArn };
  }
  const holder = new Construct(scope, `ManagedAddon:${a.managedAddonName}`);
  const { policies, managed } = addonManagedPolicies(holder, cluster, policyProps);
  const roleProps = {
    roleName: o.roleName,
    path: o.path,
    permissionsBoundary: o.permissionsBoundary,
    managedPolicies: [...o.extraManaged, ...policies, ...managed],
    inlinePolicies: o.inlinePolicies,
  };
  const podIdentity = a.mechanism === IdentityMechanism.POD_IDENTITY;
  const roleArn = podIdentity
    ? new PodIdentityRole(holder, 'Role', roleProps).roleArn
    : new ServiceAccountRole(holder, 'Role', {
      cluster, subjects: [{ namespace: a.namespace, serviceAccountName: a.serviceAccountName }], ...roleProps,
    }).roleArn;
  const m = a.spec.managed!;
  if (podIdentity) recordPodIdentityAddon(holder, cluster, a.name);
  IdentityModel.of(holder).addAddon({
    path: holder.node.path, cluster: clusterKey(cluster), clusterLabel: clusterLabel(cluster), name: a.managedAddonName,
  });
  const addon = new eks.CfnAddon(holder, 'Resource', {
    clusterName: cluster.clusterNameRef ?? cluster.clusterName,
    addonName: a.managedAddonName,
    addonVersion: m.addonVersion,
    configurationValues: a.configurationValues,
    resolveConflicts: m.resolveConflicts,
    ...(podIdentity
      ? { podIdentityAssociations: [{ serviceAccount: a.serviceAccountName, roleArn }] }
      : { serviceAccountRoleArn: roleArn }),
  });
  return { addon, roleArn };
}

/** podIdentityAgent: the agent add-on, unless declared external. */
export function buildPodIdentityAgent(scope: Construct, cluster: IIdentityCluster, agent?: BoundPodIdentityAgent): PodIdentityAgentAddon | undefined {
  if (!agent) return undefined;
  if (agent.external) {
    PodIdentityAgentAddon.declareExternal(scope, cluster);
    return undefined;
  }
  return new PodIdentityAgentAddon(scope, 'SpecPodIdentityAgent', { cluster, addonVersion: agent.addonVersion });
}
