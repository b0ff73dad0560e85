import { CfnResource } from 'aws-cdk-lib';
import { clusterText } from './readable';
import { MapSection, sortBy } from './section';
import type { PodIdentityAssociationRow } from './types';
import { cfnProp } from '../../model/collect';

/** The Pod Identity associations: which service account gets which role (and the role it chains to). */
export const POD_IDENTITY_ASSOCIATIONS: MapSection<PodIdentityAssociationRow> = {
  key: 'podIdentityAssociations',
  title: 'Pod Identity associations',
  build: ctx => sortBy(ctx.slice.associations.map(a => {
    const resource = () => ctx.find(a.path)?.node.tryFindChild('Resource') as CfnResource | undefined;
    const scope = () => resource() ?? ctx.stack;
    const prop = (attr: string, key: string) => {
      const r = resource();
      return r ? cfnProp(r, attr, key) : undefined;
    };
    const target = a.targetRoleArn ?? prop('targetRoleArn', 'TargetRoleArn');
    return {
      cluster: clusterText(a.clusterLabel),
      namespace: a.namespace,
      serviceAccount: a.serviceAccount,
      roleArn: a.roleArn ?? ctx.roleArnText(a.rolePath, scope(), prop('roleArn', 'RoleArn')),
      ...(target !== undefined ? { targetRoleArn: a.targetRoleArn ?? ctx.text(scope(), target) } : {}),
      path: a.path,
    };
  }), a => `${a.cluster}/${a.namespace}/${a.serviceAccount}|${a.path}`),
  columns: [
    ['Cluster', a => a.cluster],
    ['Namespace', a => a.namespace],
    ['Service account', a => a.serviceAccount],
    ['Role', a => a.roleArn],
    ['Target role', a => a.targetRoleArn ?? ''],
  ],
};
