import { checkKubectlCluster, checkKubectlLayerPackage, checkKubectlLayerSource, checkKubectlLayerVersion } from '../../lib/rules/kubectl';

describe('kubectl layer', () => {
  test('a version or an explicit layer picks the layer', () => {
    expect(checkKubectlLayerSource('kubernetesVersion', '1.31', false)).toEqual([]);
    expect(checkKubectlLayerSource('kubernetesVersion', undefined, true)).toEqual([]);
  });

  test('neither version nor layer is an error', () => {
    expect(checkKubectlLayerSource('kubernetesVersion', undefined, false)[0]).toMatchObject({ code: 'kubectl-layer', field: 'kubernetesVersion', value: '(unset)' });
  });

  test.each(['1.31', '1.29'])('%s has a layer package', v => {
    expect(checkKubectlLayerVersion('cluster.kubernetesVersion', v)).toEqual([]);
  });

  test.each(['2.1', 'latest', '1.3.0.1'])('%s has no layer package', v => {
    const [f] = checkKubectlLayerVersion('cluster.kubernetesVersion', v);
    expect(f).toMatchObject({ code: 'kubectl-layer', field: 'cluster.kubernetesVersion' });
    expect(f.rule).toContain('no kubectl layer');
  });

  test('a missing package names the package to install', () => {
    expect(checkKubectlLayerPackage('f', '1.30', 'ok')).toEqual([]);
    const [missing] = checkKubectlLayerPackage('f', '1.30', 'missing');
    expect(missing.code).toBe('kubectl-layer');
    expect(missing.fix).toContain('npm install --save-dev @aws-cdk/lambda-layer-kubectl-v30');
    expect(checkKubectlLayerPackage('f', '1.30', 'no-class')[0].rule).toContain('exports no KubectlV30Layer');
  });
});

describe('checkKubectlCluster', () => {
  test('a cluster with a kubectl provider passes', () => {
    expect(checkKubectlCluster('kubectlCluster', 'Test/Bare', true)).toEqual([]);
  });

  test('a cluster without one is an error naming its path', () => {
    expect(checkKubectlCluster('kubectlCluster', 'Test/Bare', false)[0]).toMatchObject({ code: 'kubectl-provider', value: 'Test/Bare' });
  });
});
