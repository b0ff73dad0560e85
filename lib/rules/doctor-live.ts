import { RuleMeta } from './rule-meta';

/** Codes `cdk-eks-identity doctor --live` (exported cluster state) and its Pod Identity checks report beside the shared rules. */
export const RULES: RuleMeta[] = [
  {
    code: 'doctor-live-unknown-file',
    severity: 'note',
    checks: 'every file of the --live directory is the output of an export command doctor reads (told by its top-level keys)',
    why: 'a file of another kind holds nothing doctor can check; it is listed so that a wrong export is noticed',
    source: 'https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-output-format.html',
  },
  {
    code: 'doctor-live-missing-export',
    severity: 'note',
    checks: 'what a list export names (an access entry, a Pod Identity association, the OIDC provider) was described too',
    why: 'a list holds names only: the entry\'s type and groups, the association\'s role, the provider\'s client ids are in the describe output',
    source: 'https://docs.aws.amazon.com/cli/latest/reference/eks/describe-pod-identity-association.html',
  },
  {
    code: 'doctor-live-no-provider',
    severity: 'error',
    checks: 'a cluster whose service accounts use IRSA has an IAM OIDC provider for its issuer',
    why: 'without the provider STS refuses every web identity token of the cluster (InvalidIdentityToken)',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/enable-iam-roles-for-service-accounts.html',
  },
  {
    code: 'doctor-pod-identity-role-external',
    severity: 'note',
    checks: 'the role of a Pod Identity association is among the inputs (templates, or aws iam get-role output)',
    why: 'the trust policy of a role that is not there cannot be checked offline',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html',
  },
  {
    code: 'doctor-pod-identity-unchecked',
    severity: 'note',
    checks: 'the condition keys a Pod Identity trust reads are known for the association (the cluster\'s ARN and account, not the pod\'s own tags)',
    why: 'conditions on keys doctor cannot know are taken as holding, so the verdict leaves them out',
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/pod-id-abac.html',
  },
];
