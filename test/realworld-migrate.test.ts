import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { WorkloadIdentityStack } from '../lib';
import { synthMigrated } from './util/migrated';
import { resourcesOfType, synth } from './util/synth';
import { run } from '../lib/cli/main';
import { IdentitySpecFile } from '../lib/identity-spec/loader';

/**
 * aws-auth ConfigMaps and eksctl ClusterConfigs written by other people (the EKS User Guide,
 * aws-iam-authenticator's own test fixtures, issues, repositories, eksctl's examples, Karpenter's
 * getting started), each run through `migrate` as a user would. The corpus lives beside the project
 * (../shared/realworld); the package does not need it. Every verdict keeps its reason.
 */
const ROOT = path.join(__dirname, '..', '..', 'shared', 'realworld');

interface Verdict {
  readonly file: string;
  readonly exit: number;
  /** aws-auth: `principalArn TYPE`; eksctl: `sa namespace/name mechanism` and `entry principalArn TYPE` */
  readonly migrated: string[];
  /** what stderr must say */
  readonly says: string[];
  readonly reason: string;
}

const AWS_AUTH: Verdict[] = [
  {
    file: 'asf-opensarlab-2space.yaml',
    exit: 2,
    migrated: [],
    says: ['asf-opensarlab-2space.yaml: line 9: not valid YAML'],
    reason: 'the list sits at the indent of the mapRoles key: the block scalar is empty and the list is a YAML error, so kubectl refuses the file (and INSTANCE_ROLE_ARN is a placeholder their pipeline replaces)',
  },
  {
    file: 'aws-cdk-7981-fargate.yaml',
    exit: 0,
    migrated: ['arn:aws:iam::123456789012:role/MyFargatePodExecutionRole FARGATE_LINUX'],
    says: ['looks like a Fargate pod execution role'],
    reason: 'system:node-proxier with system:node:{{SessionName}} is the Fargate pod execution role signature',
  },
  {
    file: 'containers-roadmap-474-wildcard.yaml',
    exit: 1,
    migrated: [],
    says: ['has a wildcard', 'nothing migrated: 1 mapping'],
    reason: 'aws-iam-authenticator compares ARNs exactly: role/teams/* matches no principal (the author lost access), and an access entry takes one ARN',
  },
  {
    file: 'derived-eks-docs-hybrid-nodes-reindented.yaml',
    exit: 0,
    migrated: ['arn:aws:iam::111122223333:role/AmazonEKSHybridNodesRole HYBRID_LINUX'],
    says: ['is a hybrid nodes role'],
    reason: 'the node groups with system:node:{{SessionName}} and no system:node-proxier: EKS documents HYBRID_LINUX, a type that cannot be changed afterwards',
  },
  {
    file: 'derived-eks-docs-windows-support-no-ellipsis.yaml',
    exit: 0,
    migrated: ['arn:aws:iam::111122223333:role/eksNodeRole EC2_WINDOWS'],
    says: ['is a node role (EC2_WINDOWS)'],
    reason: 'eks:kube-proxy-windows marks Windows nodes',
  },
  {
    file: 'derived-iam-authenticator-333-sso-fixed.yaml',
    exit: 0,
    migrated: ['arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_SomeRole_e11aa594f712e1dc STANDARD'],
    says: ['is an IAM Identity Center role', 'system:masters -> AmazonEKSClusterAdminPolicy'],
    reason: 'aws-auth names the SSO role without its path; the access entry needs the aws-reserved path; system:masters becomes the cluster admin access policy (a ConfigMap excerpt without metadata is read)',
  },
  {
    file: 'devopsinuse-root-user.yaml',
    exit: 2,
    migrated: [],
    says: ['data.mapRoles: line 9: not valid YAML', 'aws-iam-authenticator skips every mapping of data.mapRoles'],
    reason: "'username: system:node:' ends in a colon, which YAML reads as a nested mapping: the authenticator cannot parse mapRoles (the nodes cannot join); fix it before migrating",
  },
  {
    file: 'eks-docs-auth-configmap.yaml',
    exit: 0,
    migrated: [
      'arn:aws:iam::111122223333:role/my-role EC2_LINUX',
      'arn:aws:iam::111122223333:role/my-console-viewer-role STANDARD',
      'arn:aws:iam::111122223333:user/admin STANDARD',
      'arn:aws:iam::444455556666:user/my-user STANDARD',
    ],
    says: ['mapped mapUsers[0]: system:masters -> AmazonEKSClusterAdminPolicy'],
    reason: 'the documented edit buffer: a node role, two RBAC groups (one in another account) and a system:masters user',
  },
  {
    file: 'eks-docs-aws-auth-hybrid.yaml',
    exit: 2,
    migrated: [],
    says: ['data.mapRoles: line 12: not valid YAML'],
    reason: 'as published the groups list is not indented under groups: the mapRoles value is not YAML, so the authenticator maps none of it; the reindented copy migrates',
  },
  {
    file: 'eks-docs-hybrid-nodes.yaml',
    exit: 2,
    migrated: [],
    says: ['eks-docs-hybrid-nodes.yaml: line 9: not valid YAML'],
    reason: 'the heredoc indents the list no deeper than mapRoles: the file is not YAML, kubectl apply refuses it',
  },
  {
    file: 'eks-docs-view-resources.yaml',
    exit: 2,
    migrated: [],
    says: ['mapRoles, mapUsers sit at the top level, not under data'],
    reason: 'data is empty and the mappings are top-level keys: the ConfigMap maps nobody; the fix is the indentation',
  },
  {
    file: 'eks-docs-windows-support.yaml',
    exit: 2,
    migrated: [],
    says: ['eks-docs-windows-support.yaml: line 15: not valid YAML'],
    reason: "the editorial '[...]' line is not YAML; the copy without it migrates",
  },
  {
    file: 'eksctl-5928-mapaccounts-object.yaml',
    exit: 1,
    migrated: [],
    says: ['skipped mapAccounts[0] ({"default":123456789123}): not an account id', 'nothing migrated'],
    reason: 'an object where an account id belongs: the authenticator cannot decode mapAccounts, and access entries never name accounts',
  },
  {
    file: 'enaccess-micropowermanager.yaml',
    exit: 0,
    migrated: [
      'arn:aws:iam::111122223333:role/eksctl-mpm-nodegroup-standard-work-NodeInstanceRole-u9O9QvFivBjm EC2_LINUX',
      'arn:aws:iam::111122223333:user/daniel STANDARD',
      'arn:aws:iam::111122223333:user/yannick STANDARD',
    ],
    says: ["EKS creates the access entry of a managed node group's role itself"],
    reason: 'a kubectl get -o yaml export (metadata after data, last-applied annotation): a node role and two admins',
  },
  {
    file: 'iam-authenticator-333-sso.yaml',
    exit: 2,
    migrated: [],
    says: ['data.mapRoles: line 6: not valid YAML'],
    reason: 'as posted, rolearn is indented under the groups list: not YAML, the authenticator maps nothing; the fixed copy migrates',
  },
  {
    file: 'iam-authenticator-98-role-path.yaml',
    exit: 0,
    migrated: ['arn:aws:iam::000000000000:role/worker-node EC2_LINUX', 'arn:aws:iam::000000000000:role/roles/SomeRole STANDARD'],
    says: ['has a path, which aws-auth does not match'],
    reason: 'aws-auth never matched the role with a path (the issue); the access entry takes the path, so the role gets the access it was meant to',
  },
  {
    file: 'iam-authenticator-crazy-case-keys.yaml',
    exit: 0,
    migrated: ['arn:aws:iam::555555555555:role/devel-worker-nodes-NodeInstanceRole-74RF4UBDUKL6 EC2_LINUX', 'arn:aws:iam::555555555555:user/admin STANDARD'],
    says: ['read rOlEaRn as rolearn', 'read uSeRaRn as userarn', 'skipped mapAccounts[0] (555555555555)'],
    reason: 'the authenticator decodes keys case-insensitively (its own test expects success): these mappings are live and must not be lost',
  },
  {
    file: 'iam-authenticator-missing-bar.yaml',
    exit: 2,
    migrated: [],
    says: ['data.mapRoles is a YAML list, not a string'],
    reason: 'ConfigMap data values are strings: the API server refuses this ConfigMap (the authenticator test expects creation to fail), so it is not what any cluster runs',
  },
  {
    file: 'iam-authenticator-open-source-case-keys.yaml',
    exit: 0,
    migrated: ['arn:aws:iam::555555555555:role/devel-worker-nodes-NodeInstanceRole-74RF4UBDUKL6 EC2_LINUX', 'arn:aws:iam::555555555555:user/admin STANDARD'],
    says: ['read roleARN as rolearn', 'read userARN as userarn'],
    reason: 'roleARN/userARN, the spelling of the authenticator README, decode like rolearn/userarn',
  },
  {
    file: 'iam-authenticator-space-out-of-place.yaml',
    exit: 0,
    migrated: ['arn:aws:iam::555555555555:user/admin STANDARD'],
    says: ["the group 'system:bootstrappers - system:nodes' is two list items run together"],
    reason: 'YAML reads the two groups as one string (the authenticator test confirms): the node role is in neither node group today, so it is reported, not migrated as a bare role; the admin user migrates',
  },
  {
    file: 'opstrace-pr112-bad.yaml',
    exit: 1,
    migrated: [],
    says: ["'<system:bootstrappers>', '<system:nodes>' are placeholders", 'nothing migrated'],
    reason: 'literal <...> values: the authenticator grants groups named <system:nodes>; they are never copied into groups nor suggested for a binding',
  },
  {
    file: 'tf-eks-1819-fargate-profile-arn.yaml',
    exit: 1,
    migrated: [],
    says: ['is a Fargate profile ARN, not an IAM role', 'nothing migrated'],
    reason: 'the Fargate profile ARN (with <...> placeholders) where the pod execution role belongs: no principal',
  },
  {
    file: 'tf-eks-305-quoted-string.yaml',
    exit: 1,
    migrated: [],
    says: ["'arn:aws:iam::1234567890:role/admin' is not an IAM role or user ARN", 'nothing migrated: 4 mappings'],
    reason: 'the double-quoted mapRoles string parses (empty usernames are fine), but the author redacted the account to 10 digits: no ARN is valid',
  },
];

const EKSCTL: Verdict[] = [
  {
    file: 'eksctl-13-iamserviceaccounts.yaml',
    exit: 0,
    migrated: [
      'sa backend-apps/s3-reader irsa', 'sa kube-system/aws-load-balancer-controller irsa', 'sa kube-system/ebs-csi-controller-sa irsa',
      'sa kube-system/efs-csi-controller-sa irsa', 'sa kube-system/external-dns irsa', 'sa cert-manager/cert-manager irsa',
      'sa kube-system/cluster-autoscaler irsa', 'sa ci-cd/build-service irsa', 'sa backend-apps/cache-access irsa', 'sa kube-system/autoscaler-service irsa',
    ],
    says: [
      'wellKnownPolicies.ebsCSIController -> service-role/AmazonEBSCSIDriverPolicy',
      'wellKnownPolicies.imageBuilder -> AmazonEC2ContainerRegistryPowerUser',
      'not copied from iam.serviceAccounts[1]: wellKnownPolicies.awsLoadBalancerController',
      "skipped iam.serviceAccounts[10]: iam.serviceAccounts[10].attachRoleARN: 'arn:aws:iam::123:role/already-created-role-for-app' is not an IAM role ARN",
      'add cluster.account', 'add cluster.oidcIssuerUrl',
    ],
    reason: "eksctl's own example: managed and well-known policies (EBS/EFS CSI and image builder have AWS-managed policies; the others are eksctl inline policies, reported), attachPolicy statements; attachRoleARN names account 123, which IAM refuses",
  },
  {
    file: 'eksctl-35-iamidentitymappings.yaml',
    exit: 0,
    migrated: ['entry arn:aws:iam::000000000000:role/myAdminRole STANDARD', 'entry arn:aws:iam::000000000000:user/myUser STANDARD'],
    says: ['skipped iamIdentityMappings[2]: serviceName emr-containers', 'skipped iamIdentityMappings[3] (account 000000000000)'],
    reason: "eksctl's own example: the role and user mappings are aws-auth mappings; a service mapping and an account have no access entry",
  },
  {
    file: 'eksctl-39-pod-identity-association.yaml',
    exit: 0,
    migrated: [
      'sa default/s3-reader podIdentity', 'sa dev/app-cache-access podIdentity', 'sa dev/nginx podIdentity',
      'sa default/cross-account-s3-reader podIdentity', 'sa default/cross-account-s3-reader-b podIdentity',
    ],
    says: ['wellKnownPolicies.autoScaler: no AWS-managed policy', 'eksctl creates no ServiceAccount without createServiceAccount: true'],
    reason: "eksctl's own example: existing roles, created roles (name, policy ARNs, boundary, inline policy), role chaining with targetRoleARN and disableSessionTags",
  },
  {
    file: 'eksctl-40-access-entries.yaml',
    exit: 0,
    migrated: [
      'entry arn:aws:iam::111122223333:user/my-user-name STANDARD', 'entry arn:aws:iam::111122223333:role/role-name-1 STANDARD',
      'entry arn:aws:iam::111122223333:role/admin-role STANDARD', 'entry arn:aws:iam::111122223333:role/role-name-2 EC2_LINUX',
    ],
    says: ['bootstrapClusterCreatorAdminPermissions: set when the cluster is created'],
    reason: "eksctl's own example: groups, namespace- and cluster-scoped access policies, an EC2_LINUX entry, authenticationMode API",
  },
  {
    file: 'eksctl-7446-broken-access-entries.yaml',
    exit: 1,
    migrated: [],
    says: ['has no policyARN (eksctl refuses the config', "accessScope.type 'EC2_LINUX' is not cluster or namespace", 'nothing migrated: 2 identities'],
    reason: 'eksctl rejects these entries (no policyARN; EC2_LINUX is an entry type, not a scope): reported with the fix, nothing migrated',
  },
  {
    file: 'karpenter-getting-started.yaml',
    exit: 2,
    migrated: [],
    says: ['unexpanded shell variables ${CLUSTER_NAME}, ${AWS_DEFAULT_REGION}'],
    reason: 'the body of a shell heredoc: the shell expands ${...} before eksctl reads it; migrate the expanded file (tested below)',
  },
];

function runMigrate(kind: string, file: string) {
  let out = '';
  let err = '';
  const code = run(['migrate', kind, file], { out: s => { out += s; }, err: s => { err += s; } });
  return { code, out, err };
}

const suite = fs.existsSync(ROOT) ? describe : describe.skip;

suite('the realworld aws-auth and eksctl corpus through migrate', () => {
  test('every artifact has a verdict', () => {
    for (const [dir, verdicts] of [['aws-auth', AWS_AUTH], ['eksctl', EKSCTL]] as const) {
      const files = fs.readdirSync(path.join(ROOT, dir)).filter(f => !f.endsWith('.source.txt')).sort();
      expect(files).toEqual(verdicts.map(v => v.file).sort());
    }
  });

  test.each(AWS_AUTH.map(v => [v.file, v] as const))('aws-auth %s', (_f, v) => {
    const r = runMigrate('aws-auth', path.join(ROOT, 'aws-auth', v.file));
    const entries: any[] = r.code === 2 ? [] : parse(r.out).accessEntries;
    expect({ reason: v.reason, exit: r.code, migrated: entries.map(e => `${e.principalArn} ${e.type ?? 'STANDARD'}`) })
      .toEqual({ reason: v.reason, exit: v.exit, migrated: v.migrated });
    for (const s of v.says) expect(r.err).toContain(s);
    expect(r.err).not.toMatch(/\n\s+at |internal error/);
    if (entries.length > 0) {
      // what is migrated synthesizes, in the account of its principals
      const account = /iam::(\d{12}):/.exec(entries[0].principalArn)![1];
      const app = new App();
      new WorkloadIdentityStack(app, 'Migrated', { spec: IdentitySpecFile.parse(`cluster:\n  name: c\n  account: "${account}"\n  region: us-west-2\n  authenticationMode: API_AND_CONFIG_MAP\n${r.out}`) });
      expect(resourcesOfType(synth(app).templates.Migrated, 'AWS::EKS::AccessEntry').length).toBe(entries.length);
    }
  });

  test.each(EKSCTL.map(v => [v.file, v] as const))('eksctl %s', (_f, v) => {
    const r = runMigrate('eksctl', path.join(ROOT, 'eksctl', v.file));
    const spec = r.code === 2 ? {} : parse(r.out);
    const migrated = [
      ...(spec.serviceAccounts ?? []).map((s: any) => `sa ${s.namespace}/${s.name} ${s.mechanism ?? 'irsa'}`),
      ...(spec.accessEntries ?? []).map((e: any) => `entry ${e.principalArn} ${e.type ?? 'STANDARD'}`),
    ];
    expect({ reason: v.reason, exit: r.code, migrated }).toEqual({ reason: v.reason, exit: v.exit, migrated: v.migrated });
    for (const s of v.says) expect(r.err).toContain(s);
    expect(r.err).not.toMatch(/\n\s+at |internal error/);
    // eksctl's documented examples come out as specs that synthesize (with what the report says to add)
    if (migrated.length > 0) synthMigrated(r.out, r.err.split('\n'));
  });

  test('the Karpenter getting-started config, expanded as its script does, migrates and synthesizes', () => {
    const vars: Record<string, string> = {
      CLUSTER_NAME: 'karpenter-demo',
      AWS_DEFAULT_REGION: 'us-west-2',
      K8S_VERSION: '1.31',
      KARPENTER_NAMESPACE: 'kube-system',
      AWS_PARTITION: 'aws',
      AWS_ACCOUNT_ID: '111122223333',
    };
    const text = fs.readFileSync(path.join(ROOT, 'eksctl', 'karpenter-getting-started.yaml'), 'utf8').replace(/\$\{(\w+)\}/g, (_m, k) => vars[k]);
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'karpenter-')), 'cluster.yaml');
    fs.writeFileSync(f, text);
    const r = runMigrate('eksctl', f);
    expect(r.code).toBe(0);
    const spec = parse(r.out);
    expect(spec.serviceAccounts).toEqual([{
      name: 'karpenter',
      namespace: 'kube-system',
      mechanism: 'podIdentity',
      role: { name: 'karpenter-demo-karpenter', managedPolicies: ['arn:aws:iam::111122223333:policy/KarpenterControllerPolicy-karpenter-demo'] },
      automountServiceAccountToken: true,
    }]);
    expect(spec.accessEntries).toEqual([{ principalArn: 'arn:aws:iam::111122223333:role/KarpenterNodeRole-karpenter-demo', type: 'EC2_LINUX' }]);
    synthMigrated(r.out, r.err.split('\n'));
  });
});
