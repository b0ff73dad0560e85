import { RuleMeta } from './rule-meta';

/** Codes `cdk-eks-identity doctor` reports on synthesized or deployed output (beside the trust-analysis rules). */
export const RULES: RuleMeta[] = [
  {
    code: 'doctor-role-assumed',
    severity: 'note',
    checks: 'a bare trust policy (no role ARN) checked against service accounts that name several roles says so',
    why: 'only the service accounts that name this role should be judged by its trust policy',
    source: 'https://docs.aws.amazon.com/cli/latest/reference/iam/get-role.html',
  },
  {
    code: 'doctor-role-other',
    severity: 'note',
    checks: 'a service account that names another role than the trust policy given is left out, and says which one to check',
    why: 'its pods assume the role its annotation names, whose trust policy was not given',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'doctor-role-not-found',
    severity: 'error',
    checks: 'the role a service account names exists in the templates (a nearly identical ARN suggests a typo)',
    why: 'the pods would try to assume a role that does not exist and get no credentials',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'doctor-role-mismatch',
    severity: 'error',
    checks: 'the role-arn annotation names the role whose trust policy is checked',
    why: 'the pods assume the role the annotation names, not the one the trust policy belongs to',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'irsa-trust-provider',
    severity: 'error',
    checks: 'the trust policy\'s Federated principal is the cluster\'s OIDC provider',
    why: 'a role that trusts another provider (another account or cluster) cannot be assumed by this cluster\'s pods',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/cross-account-access.html',
  },
  {
    code: 'irsa-no-role-arn',
    severity: 'error',
    checks: 'an IRSA service account carries the eks.amazonaws.com/role-arn annotation',
    why: 'without it the pod identity webhook injects no AWS credentials',
    source: 'https://github.com/aws/amazon-eks-pod-identity-webhook',
  },
  {
    code: 'doctor-role-external',
    severity: 'note',
    checks: 'the role a service account names is created by the templates (otherwise its trust is checked with doctor --trust-policy)',
    why: 'the trust policy of a role made elsewhere is not in the templates, so doctor cannot check it offline',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
  },
  {
    code: 'doctor-trust-unresolved',
    severity: 'note',
    checks: 'the trust policy is literal in the template',
    why: 'a trust policy built by an intrinsic function or custom resource is known only at deploy time',
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html',
  },
];
