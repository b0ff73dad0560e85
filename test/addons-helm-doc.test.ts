/**
 * docs/addons.md shows, for every add-on with a Helm chart, the values that make the chart use the
 * stack's ServiceAccount: `create: false` and the catalogue's name under the chart's own key.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ADDONS } from '../lib/addons/registry';

const DOC = fs.readFileSync(path.join(__dirname, '..', 'docs', 'addons.md'), 'utf8');

/** The YAML blocks of an add-on's section. */
function blocks(id: string): any[] {
  const section = DOC.split(/^## /m).find(s => s.startsWith(`${id}\n`)) ?? '';
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => YAML.parse(m[1]));
}

const withChart = ADDONS.filter(a => a.helm !== undefined);

test('the self-managed add-ons of the issue have a chart', () => {
  expect(withChart.map(a => a.id)).toEqual(expect.arrayContaining([
    'aws-load-balancer-controller', 'external-dns', 'cert-manager', 'external-secrets', 'karpenter', 'cluster-autoscaler', 'velero',
    'ebs-csi-driver', 'efs-csi-driver',
  ]));
});

describe.each(withChart.map(a => [a.id, a]))('%s', (id, a) => {
  test('its section holds the service account values under the chart\'s key', () => {
    const values = blocks(id as string);
    expect(values).toHaveLength(1);
    const sa = a.helm!.serviceAccountKey.split('.').reduce((o: any, k) => o?.[k], values[0]);
    expect(sa).toEqual({ create: false, name: a.defaultServiceAccount });
  });
});
