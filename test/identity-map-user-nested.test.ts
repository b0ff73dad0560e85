/**
 * A nested stack of the user's inside a namespace stack of `layout: nested` (with a workload, a
 * role with a grant on a bucket of the parent stack, a ServiceAccountRole): the one identity map of
 * the deployable stack lists what it holds, with readable values and no CDK token, and no map is
 * written for a nested stack (an earlier version wrote one per nested template, holding
 * `${Token[...]}` for the user's nested stack).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ServiceAccountRole, StackLayout, WorkloadIdentity, WorkloadIdentityStack } from '../lib';
import { generateSpec } from './util/generate-spec';
import { checkIdentityMaps } from './util/identity-maps';

function build(): { dir: string; maps: Record<string, any> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idmap-user-nested-'));
  const app = new App({ outdir: dir });
  const stack = new WorkloadIdentityStack(app, 'Big', { spec: generateSpec({ serviceAccounts: 240, namespaces: 4, layout: StackLayout.NESTED }) });
  const bucket = new s3.Bucket(stack, 'Data');
  const inner = new NestedStack(stack.namespaceStacks[1], 'Inner');
  const innerRole = new iam.Role(inner, 'InnerRole', { roleName: 'inner-role', assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
  bucket.grantRead(innerRole);
  const workload = new WorkloadIdentity(inner, 'InnerWorkload', { cluster: stack.cluster, namespace: 'inner', serviceAccountName: 'inner-sa' });
  bucket.grantRead(workload);
  new ServiceAccountRole(inner, 'InnerSar', { cluster: stack.cluster, roleName: 'inner-sar', subjects: [{ namespace: 'inner', serviceAccountName: 'other-sa' }] });
  stack.workloads[0].role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [bucket.bucketArn] }));
  app.synth();
  return { dir, maps: checkIdentityMaps(dir) };
}

describe('a nested stack of the user\'s inside a namespace stack', () => {
  const { dir, maps } = build();

  test('one identity map, of the deployable stack, none for a nested template', () => {
    expect(Object.keys(maps)).toEqual(['Big']);
    expect(fs.readdirSync(dir).filter(f => /\.identity\.(md|json)$/.test(f)).sort()).toEqual(['Big.identity.json', 'Big.identity.md']);
  });

  test('the inner workload and role are in the map with literal ARNs and readable policies, no token in either file', () => {
    const map = maps.Big;
    const sa = map.serviceAccounts.find((s: any) => s.serviceAccount === 'inner-sa');
    expect(sa).toMatchObject({ namespace: 'inner', mechanism: 'irsa' });
    expect(sa.roleArn).toMatch(/^arn:aws:iam::111122223333:role\//);
    expect(sa.policies.join(' ')).toContain('s3:GetObject*');
    expect(map.roles.map((r: any) => r.name)).toEqual(expect.arrayContaining(['inner-sar']));
    const first = map.serviceAccounts.find((s: any) => s.serviceAccount === 'app-00000');
    expect(first.policies.join(' ')).toContain('sqs:SendMessage');
    for (const f of ['Big.identity.json', 'Big.identity.md']) expect(fs.readFileSync(path.join(dir, f), 'utf8')).not.toMatch(/Token\[/);
  });
});
