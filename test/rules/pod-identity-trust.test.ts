import { podIdentityTrustPolicy } from '../../lib/rules/pod-identity';
import { checkPodIdentityTrust, podIdentityAdmits, PodIdentitySubject } from '../../lib/rules/pod-identity-trust';

const SUBJECT: PodIdentitySubject = {
  clusterName: 'my-cluster',
  clusterArn: 'arn:aws:eks:us-west-2:111122223333:cluster/my-cluster',
  account: '111122223333',
  namespace: 'payments',
  serviceAccountName: 'ledger',
};

const trust = (condition?: object, extra: object = {}, actions: unknown = ['sts:AssumeRole', 'sts:TagSession']) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: actions, ...(condition ? { Condition: condition } : {}), ...extra }],
});

const codes = (document: unknown, subject = SUBJECT, disableSessionTags?: boolean) =>
  checkPodIdentityTrust('AssumeRolePolicyDocument', { document, subject, disableSessionTags }).map(f => `${f.severity}:${f.code}`);

const NS_SA = { StringEquals: { 'aws:RequestTag/kubernetes-namespace': ['payments'], 'aws:RequestTag/kubernetes-service-account': ['ledger'] } };

describe('the trust we generate', () => {
  test('admits any association, with and without session tags, and has no findings', () => {
    expect(codes(podIdentityTrustPolicy())).toEqual([]);
    expect(codes(podIdentityTrustPolicy(), SUBJECT, true)).toEqual([]);
    expect(codes(podIdentityTrustPolicy(), { clusterName: 'c', namespace: 'n', serviceAccountName: 's' })).toEqual([]);
  });
});

describe('pod-identity-trust-service', () => {
  test('an IRSA trust used for an association is an error naming what it trusts', () => {
    const irsa = { Statement: [{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/X' }, Action: 'sts:AssumeRoleWithWebIdentity' }] };
    const [f] = checkPodIdentityTrust('', { document: irsa, subject: SUBJECT });
    expect(f).toMatchObject({ code: 'pod-identity-trust-service', severity: 'error' });
    expect(f.rule).toContain('an OIDC provider (IRSA)');
  });
  test('the Fargate service is not Pod Identity', () => {
    const doc = { Statement: [{ Effect: 'Allow', Principal: { Service: 'eks-fargate-pods.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    expect(codes(doc)).toEqual(['error:pod-identity-trust-service']);
  });
  test('the service in a list, and sts:* as the action, pass', () => {
    expect(codes(trust(undefined, { Principal: { Service: ['ec2.amazonaws.com', 'pods.eks.amazonaws.com'] } }, 'sts:*'))).toEqual([]);
  });
});

describe('pod-identity-trust-tag-session', () => {
  test('sts:AssumeRole alone fails while session tags are on', () => {
    expect(codes(trust(undefined, {}, 'sts:AssumeRole'))).toEqual(['error:pod-identity-trust-tag-session']);
  });
  test('with session tags disabled, sts:AssumeRole alone is enough', () => {
    expect(codes(trust(undefined, {}, 'sts:AssumeRole'), SUBJECT, true)).toEqual([]);
  });
  test('TagSession in a second statement counts', () => {
    const doc = trust(undefined, {}, 'sts:AssumeRole');
    doc.Statement.push({ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:TagSession' } as any);
    expect(codes(doc)).toEqual([]);
  });
});

describe('pod-identity-trust-subject', () => {
  test('the documented namespace and service account condition admits its own association', () => {
    expect(codes(trust(NS_SA))).toEqual([]);
  });
  test('another namespace is refused, and the message says which', () => {
    const [f] = checkPodIdentityTrust('T', { document: trust(NS_SA), subject: { ...SUBJECT, namespace: 'billing' } });
    expect(f).toMatchObject({ code: 'pod-identity-trust-subject', field: 'T.Statement[0].Condition.StringEquals.aws:RequestTag/kubernetes-namespace', value: "'payments'" });
    expect(f.rule).toContain("the association's namespace is 'billing'");
  });
  test('session tags disabled: a RequestTag condition never holds', () => {
    const [f] = checkPodIdentityTrust('', { document: trust(NS_SA), subject: SUBJECT, disableSessionTags: true });
    expect(f.code).toBe('pod-identity-trust-subject');
    expect(f.rule).toContain('disables session tags');
  });
  test('a tag Pod Identity never sets (a typo) is an absent key', () => {
    const [f] = checkPodIdentityTrust('', { document: trust({ StringEquals: { 'aws:RequestTag/kubernetes-namespaces': 'payments' } }), subject: SUBJECT });
    expect(f.rule).toContain("sets no tag 'kubernetes-namespaces'");
  });
  test('aws:SourceAccount of another account is refused; of the cluster\'s account admitted', () => {
    expect(codes(trust({ StringEquals: { 'aws:SourceAccount': '444455556666' } }))).toEqual(['error:pod-identity-trust-subject']);
    expect(codes(trust({ StringEquals: { 'aws:SourceAccount': '111122223333' } }))).toEqual([]);
  });
  test('aws:SourceArn ArnLike over the region\'s clusters admits; another region refused', () => {
    expect(codes(trust({ ArnLike: { 'aws:SourceArn': 'arn:aws:eks:us-west-2:111122223333:cluster/*' } }))).toEqual([]);
    expect(codes(trust({ ArnLike: { 'aws:SourceArn': 'arn:aws:eks:eu-west-1:111122223333:cluster/*' } }))).toEqual(['error:pod-identity-trust-subject']);
  });
  test('a cluster ARN unknown (a template without an environment) is not held against the trust', () => {
    const s = { clusterName: 'my-cluster', namespace: 'payments', serviceAccountName: 'ledger' };
    expect(codes(trust({ ArnEquals: { 'aws:SourceArn': 'arn:aws:eks:us-west-2:111122223333:cluster/my-cluster' } }), s)).toEqual([]);
    expect(codes(trust({ StringLike: { 'aws:RequestTag/kubernetes-pod-name': 'ledger-*' } }))).toEqual([]);
  });
  test('ForAnyValue:StringEquals over aws:TagKeys: the six tags are present', () => {
    expect(codes(trust({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['kubernetes-namespace'] } }))).toEqual([]);
    expect(codes(trust({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } }))).toEqual(['error:pod-identity-trust-subject']);
  });
});

describe('pod-identity-trust-denied', () => {
  test('a Deny on the namespace refuses the association an Allow admits', () => {
    const doc = trust();
    doc.Statement.push({ Effect: 'Deny', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:*', Condition: { StringEquals: { 'aws:RequestTag/kubernetes-namespace': 'payments' } } } as any);
    expect(codes(doc)).toEqual(['error:pod-identity-trust-denied']);
    expect(codes(doc, { ...SUBJECT, namespace: 'web' })).toEqual([]);
  });
});

describe('pod-identity-trust-scope', () => {
  test('StringEqualsIfExists on the namespace with session tags off admits every namespace', () => {
    const doc = trust({ StringEqualsIfExists: { 'aws:RequestTag/kubernetes-namespace': 'payments' } });
    expect(codes(doc)).toEqual([]);
    expect(codes(doc, SUBJECT, true)).toEqual(['error:pod-identity-trust-scope']);
    expect(podIdentityAdmits({ document: doc, subject: { ...SUBJECT, namespace: 'other' }, disableSessionTags: true })).toBe(true);
  });
  test('a second statement without the condition undoes it', () => {
    const doc = trust(NS_SA);
    doc.Statement.push(trust().Statement[0] as any);
    const fs = checkPodIdentityTrust('', { document: doc, subject: SUBJECT });
    expect(fs.map(f => f.code)).toEqual(['pod-identity-trust-scope', 'pod-identity-trust-scope']);
    expect(fs[0].fix).toContain('Statement[1]');
  });
  test('a bare * under StringLike scopes nothing and is not judged as a scope', () => {
    expect(codes(trust({ StringLike: { 'aws:RequestTag/kubernetes-namespace': '*' } }))).toEqual([]);
  });
});

describe('pod-identity-trust-cluster-name', () => {
  test('a cluster pinned by name only is a warning; by ARN it passes', () => {
    expect(codes(trust({ StringEquals: { 'aws:RequestTag/eks-cluster-name': 'my-cluster' } }))).toEqual(['warning:pod-identity-trust-cluster-name']);
    expect(codes(trust({ StringEquals: { 'aws:RequestTag/eks-cluster-name': 'my-cluster', 'aws:RequestTag/eks-cluster-arn': SUBJECT.clusterArn } }))).toEqual([]);
    expect(codes(trust({ StringEquals: { 'aws:RequestTag/eks-cluster-name': 'my-cluster' }, ArnEquals: { 'aws:SourceArn': SUBJECT.clusterArn } }))).toEqual([]);
  });
});

describe('iam-condition-operator on a Pod Identity trust', () => {
  test('an unknown operator is reported, and the trust refuses', () => {
    expect(codes(trust({ __doc_comment: { x: 'y' } }))).toEqual(['error:iam-condition-operator', 'error:pod-identity-trust-subject']);
  });
});
