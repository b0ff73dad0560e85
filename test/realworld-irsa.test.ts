import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { run } from '../lib/cli/main';
import { subjectsAdmitted } from '../lib/rules/iam-conditions';
import { checkPodIdentityTrust } from '../lib/rules/pod-identity-trust';

/**
 * Trust policies and ServiceAccounts written by other people (AWS docs, eksctl, Karpenter,
 * external-secrets, crossplane, the pod identity webhook, a Terraform module), each run through
 * `doctor --trust-policy --service-account` as a user would. The corpus lives beside the project
 * (../shared/realworld/irsa); the package does not need it. Every verdict keeps its reason.
 */
const CORPUS = path.join(__dirname, '..', '..', 'shared', 'realworld', 'irsa');

interface Verdict {
  readonly trust: string;
  readonly sa: string;
  readonly exit: number;
  /** `severity:code` of every finding, in order */
  readonly findings: string[];
  readonly reason: string;
}

const VERDICTS: Verdict[] = [
  {
    trust: 'cloudposse-foranyvalue-rendered.json',
    sa: 'cloudposse-app-a.sa.yaml',
    exit: 0,
    findings: ['warning:irsa-trust-no-aud'],
    reason: 'ForAnyValue:StringLike on the single-valued sub admits exactly backend/app-a and backend/app-b; STS checks the audience against the provider, so the missing aud is hardening advice',
  },
  {
    trust: 'crossplane-provider-aws-stringlike.json',
    sa: 'crossplane-provider-aws.sa.yaml',
    exit: 0,
    findings: ['warning:irsa-trust-no-aud', 'warning:irsa-trust-name-wildcard'],
    reason: 'the revision-named provider-aws-<hash> service account matches provider-aws-* inside one namespace: admitted; the name wildcard and the missing aud are warnings',
  },
  {
    trust: 'eks-docs-cross-account-no-condition.json',
    sa: 'eks-docs-cross-account.sa.yaml',
    exit: 1,
    findings: ['error:irsa-trust-no-sub', 'warning:irsa-trust-no-aud'],
    reason: 'no Condition at all: IAM admits every service account of the cluster, in any namespace',
  },
  {
    trust: 'eks-docs-cross-account-no-condition.json',
    sa: 'eks-docs-cross-account-doc-sa.yaml',
    exit: 1,
    findings: ['error:k8s-service-account-name'],
    reason: 'the documented snippet has no metadata.name: the API server refuses it and there is no subject to check',
  },
  {
    trust: 'eks-docs-efs-csi.json',
    sa: 'efs-csi-controller-sa.sa.yaml',
    exit: 0,
    findings: ['warning:irsa-trust-name-wildcard'],
    reason: 'StringLike efs-csi-* in kube-system admits efs-csi-controller-sa (aud under StringLike matches exactly too); the name wildcard is a warning',
  },
  {
    trust: 'eks-docs-efs-csi.json',
    sa: 'efs-csi-chart-controller-serviceaccount.yaml',
    exit: 1,
    findings: ['error:irsa-no-role-arn'],
    reason: 'the chart\'s base ServiceAccount carries no role-arn annotation (the docs add it later): the webhook injects no credentials; the ClusterRole and binding of the file are not ServiceAccounts',
  },
  {
    trust: 'eks-docs-get-role.json',
    sa: 'eks-docs-get-role.sa.yaml',
    exit: 0,
    findings: [],
    reason: 'the baseline documented trust: StringEquals sub and aud for default/my-service-account',
  },
  {
    trust: 'eks-docs-pod-identity-trust.json',
    sa: 'eks-docs-pod-identity.sa.yaml',
    exit: 1,
    findings: ['error:irsa-trust-no-web-identity'],
    reason: 'a Pod Identity trust (pods.eks.amazonaws.com, sts:AssumeRole) named by an IRSA annotation: STS refuses AssumeRoleWithWebIdentity',
  },
  {
    trust: 'eks-docs-vpc-cni.json',
    sa: 'eks-docs-vpc-cni.sa.yaml',
    exit: 0,
    findings: [],
    reason: 'kube-system/aws-node under StringEquals sub and aud',
  },
  {
    trust: 'eksctl-generated-role.json',
    sa: 'eksctl-generated-role.sa.yaml',
    exit: 0,
    findings: [],
    reason: 'eksctl\'s own trust (Action as a list, StringEquals sub and aud) for backend-apps/s3-reader',
  },
  {
    trust: 'eksctl-test-region-mismatch.json',
    sa: 'eksctl-test-region-mismatch.sa.yaml',
    exit: 1,
    findings: ['error:irsa-trust-condition-issuer', 'error:irsa-trust-condition-issuer'],
    reason: 'the condition keys name eu-north-1 while the provider is us-west-2: IAM fills only the provider issuer\'s keys, so the conditions are on absent keys and nobody is admitted',
  },
  {
    trust: 'gha-318-forallvalues.json',
    sa: 'gha-318.sa.yaml',
    exit: 1,
    findings: ['error:oidc-provider-arn'],
    reason: 'the author redacted the account to xxxxxx: not a provider ARN IAM accepts',
  },
  {
    trust: 'gha-318-forallvalues-12digit.json',
    sa: 'gha-318.sa.yaml',
    exit: 1,
    findings: ['error:irsa-trust-subject'],
    reason: 'a GitHub Actions trust: repo:My-ORG/* never matches a service account subject, so IRSA is refused',
  },
  {
    trust: 'karpenter-1313-two-clusters.json',
    sa: 'karpenter-1313.sa.yaml',
    exit: 1,
    findings: ['error:iam-role-arn'],
    reason: 'the author redacted the account to 9 digits: the annotation is not a role ARN, so the trust is not looked at',
  },
  {
    trust: 'karpenter-1313-two-clusters-12digit.json',
    sa: 'karpenter-1313-12digit.sa.yaml',
    exit: 0,
    findings: ['warning:irsa-trust-no-aud', 'warning:irsa-trust-no-aud'],
    reason: 'one role for two clusters: each statement admits karpenter/karpenter of its own cluster; no "trusts another cluster" error, only the missing aud of each statement',
  },
  {
    trust: 'kes-424-sub-only.json',
    sa: 'kes-424.sa.yaml',
    exit: 1,
    findings: ['error:iam-role-arn'],
    reason: 'the author redacted the account to 6 digits: the annotation is not a role ARN',
  },
  {
    trust: 'kes-424-sub-only-12digit.json',
    sa: 'kes-424-12digit.sa.yaml',
    exit: 0,
    findings: ['warning:irsa-trust-no-aud'],
    reason: 'sub only: admitted (the folded >- annotation reads as one ARN); the missing aud is hardening advice',
  },
  {
    trust: 'webhook-readme-2019-hash-comments.json',
    sa: 'webhook-readme-2019.sa.yaml',
    exit: 2,
    findings: [],
    reason: '# comments are not JSON: IAM refuses the document; doctor names the file and line 12 (exit 2)',
  },
  {
    trust: 'webhook-readme-doc-comment.json',
    sa: 'webhook-readme.sa.yaml',
    exit: 1,
    findings: ['error:iam-condition-operator'],
    reason: '__doc_comment is not a condition operator: IAM refuses the document (and no condition with it could hold); the subject would be admitted otherwise, so no subject error',
  },
];

const suite = fs.existsSync(CORPUS) ? describe : describe.skip;

suite('the realworld IRSA corpus', () => {
  test('every artifact has a verdict', () => {
    const files = fs.readdirSync(CORPUS).filter(f => !f.endsWith('.source.txt')).sort();
    const covered = new Set(VERDICTS.flatMap(v => [v.trust, v.sa]));
    expect(files.filter(f => !covered.has(f))).toEqual([]);
  });

  test.each(VERDICTS.map(v => [`${v.trust} + ${v.sa}`, v] as const))('%s', (_name, v) => {
    let out = '';
    const code = run(['doctor', '--trust-policy', path.join(CORPUS, v.trust), '--service-account', path.join(CORPUS, v.sa), '--json'],
      { out: s => { out += s; }, err: () => undefined });
    const report = JSON.parse(out);
    expect({ reason: v.reason, exit: code, findings: (report.findings ?? []).map((f: any) => `${f.severity}:${f.code}`) })
      .toEqual({ reason: v.reason, exit: v.exit, findings: v.findings });
    if (v.exit === 2) expect(report.error).toContain(`${v.trust}: line 12: not valid JSON`);
  });
});

/** The evaluator alone: does IAM let the annotated service account assume the role, through the provider the trust names? */
const ADMITS: Array<[trust: string, sa: string, admitted: boolean, reason: string]> = [
  ['cloudposse-foranyvalue-rendered.json', 'cloudposse-app-a.sa.yaml', true, 'ForAnyValue:StringLike lists backend/app-a'],
  ['crossplane-provider-aws-stringlike.json', 'crossplane-provider-aws.sa.yaml', true, 'provider-aws-* matches the revision name'],
  ['eks-docs-cross-account-no-condition.json', 'eks-docs-cross-account.sa.yaml', true, 'no condition: everyone of the provider'],
  ['eks-docs-efs-csi.json', 'efs-csi-controller-sa.sa.yaml', true, 'efs-csi-* and aud under StringLike'],
  ['eks-docs-get-role.json', 'eks-docs-get-role.sa.yaml', true, 'exact sub and aud'],
  ['eks-docs-pod-identity-trust.json', 'eks-docs-pod-identity.sa.yaml', false, 'no Federated principal, no web identity action'],
  ['eks-docs-vpc-cni.json', 'eks-docs-vpc-cni.sa.yaml', true, 'exact sub and aud'],
  ['eksctl-generated-role.json', 'eksctl-generated-role.sa.yaml', true, 'exact sub and aud, Action as a list'],
  ['eksctl-test-region-mismatch.json', 'eksctl-test-region-mismatch.sa.yaml', false, 'conditions on keys of another issuer are on absent keys'],
  ['gha-318-forallvalues-12digit.json', 'gha-318.sa.yaml', false, 'repo:My-ORG/* never matches a service account subject'],
  ['karpenter-1313-two-clusters-12digit.json', 'karpenter-1313-12digit.sa.yaml', true, 'the statement of the first cluster admits it (the second is for the other cluster)'],
  ['kes-424-sub-only-12digit.json', 'kes-424-12digit.sa.yaml', true, 'exact sub, no aud condition'],
  ['webhook-readme-doc-comment.json', 'webhook-readme.sa.yaml', false, 'an unknown operator never holds'],
];

suite('the realworld IRSA corpus through the condition evaluator', () => {
  test.each(ADMITS)('%s + %s', (trust, sa, admitted, reason) => {
    const doc = JSON.parse(fs.readFileSync(path.join(CORPUS, trust), 'utf8'));
    const obj = parse(fs.readFileSync(path.join(CORPUS, sa), 'utf8'));
    const stmt = [doc.Statement].flat()[0];
    const providerArn = [stmt.Principal?.Federated ?? 'none'].flat()[0];
    const audience = obj.metadata.annotations?.['eks.amazonaws.com/audience'];
    const [v] = subjectsAdmitted(doc, [{ providerArn, namespace: obj.metadata.namespace ?? 'default', serviceAccountName: obj.metadata.name, audience }]);
    expect({ reason, admitted: v.admitted }).toEqual({ reason, admitted });
  });
});

/**
 * The corpus's Pod Identity trusts (Principal.Service pods.eks.amazonaws.com), judged for the
 * association a user would create with them, by the Pod Identity trust rules.
 */
type Subject = { namespace: string; serviceAccountName: string };
const POD_IDENTITY: Array<[trust: string, subject: Subject, disableSessionTags: boolean, findings: string[], reason: string]> = [
  ['eks-docs-pod-identity-trust.json', { namespace: 'default', serviceAccountName: 'my-service-account' }, false, [],
    'the documented trust: pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession, no condition: every association of the account can use it'],
  ['eks-docs-pod-identity-trust.json', { namespace: 'default', serviceAccountName: 'my-service-account' }, true, [],
    'with session tags disabled EKS calls sts:AssumeRole only, which the trust allows'],
];

suite('the realworld Pod Identity trusts', () => {
  test('every Pod Identity trust of the corpus has a verdict', () => {
    const pi = fs.readdirSync(CORPUS).filter(f => f.endsWith('.json') && fs.readFileSync(path.join(CORPUS, f), 'utf8').includes('pods.eks.amazonaws.com'));
    expect(pi.filter(f => !POD_IDENTITY.some(v => v[0] === f))).toEqual([]);
  });
  test.each(POD_IDENTITY)('%s for %j (session tags disabled: %s)', (trust, subject, disableSessionTags, findings, reason) => {
    const document = JSON.parse(fs.readFileSync(path.join(CORPUS, trust), 'utf8'));
    const fs_ = checkPodIdentityTrust('', { document, subject: { clusterName: 'my-cluster', account: '111122223333', clusterArn: 'arn:aws:eks:us-west-2:111122223333:cluster/my-cluster', ...subject }, disableSessionTags });
    expect({ reason, findings: fs_.map(f => `${f.severity}:${f.code}`) }).toEqual({ reason, findings });
  });
});
