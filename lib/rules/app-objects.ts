import { AppFinding, AppModelData, at, groupBy } from './app-model';
import { error } from './finding';
import { RuleMeta } from './rule-meta';

export const RULES: RuleMeta[] = [
  {
    code: 'k8s-service-account-role-conflict',
    severity: 'error',
    checks: 'one service account (cluster, namespace, name) is not declared by two stacks with different role ARNs',
    why: 'both manifests are applied to the same object: the last kubectl apply silently wins and the other stack\'s pods get the wrong role',
    source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/',
  },
  {
    code: 'k8s-object-duplicate',
    severity: 'error',
    checks: 'one Kubernetes object (cluster, kind, namespace, name) is declared in one place of the app',
    why: 'two manifests for one object overwrite each other, and deleting either stack deletes the object the other one needs',
    source: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/',
  },
  {
    code: 'cfn-stack-name-duplicate',
    severity: 'error',
    checks: 'the stacks of the app have distinct CloudFormation stack names per account and region',
    why: 'a stack name is unique per account and region: deploying the second stack updates (and replaces the resources of) the first',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-using-console-create-stack-parameters.html',
  },
];

/**
 * The same service account declared by two stacks: with different role ARNs a conflict of
 * identities, else a duplicate object. Other Kubernetes objects (but Namespaces, which several
 * stacks may share) are declared in one place.
 */
export function checkServiceAccountsAcrossStacks(m: AppModelData): AppFinding[] {
  const out: AppFinding[] = [];
  for (const list of groupBy(m.serviceAccounts, s => `${s.cluster}|${s.namespace}/${s.name}`).values()) {
    const first = list[0];
    for (const sa of list.slice(1)) {
      if (sa.stack === first.stack) continue;
      const id = `${sa.namespace}/${sa.name}`;
      out.push(...at(sa.path, sa.roleArn !== undefined && first.roleArn !== undefined && sa.roleArn !== first.roleArn
        ? [error('k8s-service-account-role-conflict', 'serviceAccountName', id,
          `is also declared by ${first.path} on cluster ${sa.clusterLabel} with role ${first.roleArn}, here with ${sa.roleArn}: both manifests write the same ServiceAccount and the last kubectl apply wins`,
          'declare the service account in one stack only; give a role several subjects (ServiceAccountRole) if workloads share it')]
        : [error('k8s-object-duplicate', 'serviceAccountName', id,
          `is a ServiceAccount also declared by ${first.path} on cluster ${sa.clusterLabel}: one object would be written by two manifests (${first.stack} and ${sa.stack})`,
          'declare the service account in one stack only')]));
    }
  }
  for (const list of groupBy(m.k8sObjects, o => (o.cluster === undefined || o.kind === 'Namespace' || o.kind === 'ServiceAccount'
    ? undefined : `${o.cluster}|${o.kind}|${o.namespace}/${o.name}`)).values()) {
    const first = list[0];
    for (const o of list.slice(1)) {
      if (o.place === first.place) continue;
      const id = o.namespace ? `${o.namespace}/${o.name}` : o.name;
      out.push(...at(o.path, [error('k8s-object-duplicate', 'name', id,
        `is a ${o.kind} also declared by ${first.path} for the same cluster: one object would be written by two manifests (${first.place} and ${o.place})`,
        `declare the ${o.kind} in one stack only`)]));
    }
  }
  return out;
}

/** Stack names unique per account and region (environment-agnostic stacks compare with each other). */
export function checkStackNames(m: AppModelData): AppFinding[] {
  const out: AppFinding[] = [];
  for (const list of groupBy(m.stacks, s => `${s.account ?? '(unresolved)'}|${s.region ?? '(unresolved)'}|${s.stackName}`).values()) {
    for (const s of list.slice(1)) {
      const env = s.account !== undefined && s.region !== undefined ? `account ${s.account} and region ${s.region}` : 'the same environment';
      out.push(...at(s.path, [error('cfn-stack-name-duplicate', 'stackName', s.stackName,
        `is also the stack name of ${list[0].path} in ${env}: CloudFormation stack names are unique per account and region, so one stack would update the other`,
        'give one of the stacks another stackName (or another id)')]));
    }
  }
  return out;
}
