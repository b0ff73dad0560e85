import { checkManifests, kubectlLayerPackage } from '../../lib/rules/manifests';

const CLUSTER = { account: '111122223333', kubernetesVersion: '1.31' };
const ROLE = 'arn:aws:iam::111122223333:role/kubectl';

describe('checkManifests', () => {
  test('no manifests section, or apply false alone: fine', () => {
    expect(checkManifests({}, CLUSTER)).toEqual([]);
    expect(checkManifests({ apply: false, createNamespaces: true }, CLUSTER)).toEqual([]);
  });

  test('apply with a kubectl role and a version: fine', () => {
    expect(checkManifests({ apply: true, kubectlRoleArn: ROLE, overwrite: true }, CLUSTER)).toEqual([]);
    expect(checkManifests({
      apply: true, kubectlRoleArn: ROLE, subnetIds: ['subnet-0123456789abcdef0', 'subnet-01234567'], securityGroupIds: ['sg-0123456789abcdef0'],
    }, CLUSTER)).toEqual([]);
  });

  test.each([
    ['kubectlRoleArn', { kubectlRoleArn: ROLE }],
    ['overwrite', { overwrite: true }],
    ['subnetIds', { subnetIds: ['subnet-0123456789abcdef0'] }],
    ['securityGroupIds', { securityGroupIds: ['sg-0123456789abcdef0'] }],
  ])('%s without apply: true is an error (a key that does not apply)', (key, m) => {
    const [f] = checkManifests(m, CLUSTER);
    expect(f).toMatchObject({ code: 'manifests-apply-only', severity: 'error', field: `manifests.${key}` });
    expect(f.fix).toContain('manifests.apply: true');
  });

  test('apply without kubectlRoleArn names it and says the role needs cluster-admin access', () => {
    const [f] = checkManifests({ apply: true }, CLUSTER);
    expect(f).toMatchObject({ code: 'manifests-kubectl-role', field: 'manifests.kubectlRoleArn', value: '(unset)' });
    expect(f.fix).toContain('cluster-admin');
  });

  test('apply without a Kubernetes version names cluster.kubernetesVersion', () => {
    const fs = checkManifests({ apply: true, kubectlRoleArn: ROLE }, { account: CLUSTER.account });
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ code: 'manifests-kubernetes-version', field: 'cluster.kubernetesVersion' });
    expect(fs[0].rule).toContain('@aws-cdk/lambda-layer-kubectl-v');
  });

  test('a kubectl role that is not a role ARN, or of another account', () => {
    expect(checkManifests({ apply: true, kubectlRoleArn: 'arn:aws:sts::111122223333:assumed-role/x/y' }, CLUSTER)[0])
      .toMatchObject({ code: 'iam-role-arn', field: 'manifests.kubectlRoleArn' });
    expect(checkManifests({ apply: true, kubectlRoleArn: 'arn:aws:iam::444455556666:role/kubectl' }, CLUSTER)[0])
      .toMatchObject({ code: 'manifests-kubectl-role-account', field: 'manifests.kubectlRoleArn' });
  });

  test('subnet and security group ids: format, and one never without the other', () => {
    expect(checkManifests({ apply: true, kubectlRoleArn: ROLE, subnetIds: ['subnet-xyz'], securityGroupIds: ['sg-0123456789abcdef0'] }, CLUSTER)[0])
      .toMatchObject({ code: 'ec2-subnet-id', field: 'manifests.subnetIds[0]', value: '\'subnet-xyz\'' });
    expect(checkManifests({ apply: true, kubectlRoleArn: ROLE, subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-1'] }, CLUSTER)[0])
      .toMatchObject({ code: 'ec2-security-group-id', field: 'manifests.securityGroupIds[0]' });
    expect(checkManifests({ apply: true, kubectlRoleArn: ROLE, subnetIds: ['subnet-0123456789abcdef0'] }, CLUSTER)[0])
      .toMatchObject({ code: 'manifests-security-groups', field: 'manifests.securityGroupIds' });
    expect(checkManifests({ apply: true, kubectlRoleArn: ROLE, securityGroupIds: ['sg-0123456789abcdef0'] }, CLUSTER)[0])
      .toMatchObject({ code: 'manifests-subnets', field: 'manifests.subnetIds' });
  });
});

describe('kubectlLayerPackage', () => {
  test('the package and class of a minor version', () => {
    expect(kubectlLayerPackage('1.31')).toEqual({ packageName: '@aws-cdk/lambda-layer-kubectl-v31', className: 'KubectlV31Layer' });
    expect(kubectlLayerPackage('1.35')?.packageName).toBe('@aws-cdk/lambda-layer-kubectl-v35');
  });

  test('no package for something that is not a 1.x version', () => {
    expect(kubectlLayerPackage('2.0')).toBeUndefined();
    expect(kubectlLayerPackage('1.31.2')).toBeUndefined();
  });
});
