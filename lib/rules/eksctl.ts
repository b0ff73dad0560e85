/**
 * What an eksctl ClusterConfig's IAM settings mean in the spec's terms. Pure: no CDK, no files.
 * `migrate eksctl` uses it.
 */

/** One of eksctl's `wellKnownPolicies`, and whether a managed policy expresses it. */
export interface WellKnownPolicy {
  /** The AWS-managed policy (with its path) the spec names instead, when there is one. */
  readonly managedPolicy?: string;
  /** Why it maps so, or why it is not migrated. */
  readonly note: string;
}

/**
 * eksctl's `wellKnownPolicies` (iam.serviceAccounts and iam.podIdentityAssociations). eksctl attaches
 * AmazonEC2ContainerRegistryPowerUser for imageBuilder and writes inline policies for the others;
 * the EBS and EFS CSI drivers have AWS-managed policies of their own, the rest have none.
 */
export const WELL_KNOWN_POLICIES: Record<string, WellKnownPolicy> = {
  imageBuilder: {
    managedPolicy: 'AmazonEC2ContainerRegistryPowerUser',
    note: 'the AWS-managed policy eksctl attaches for it',
  },
  ebsCSIController: {
    managedPolicy: 'service-role/AmazonEBSCSIDriverPolicy',
    note: 'the AWS-managed policy of the EBS CSI driver (eksctl writes an inline copy of its own)',
  },
  efsCSIController: {
    managedPolicy: 'service-role/AmazonEFSCSIDriverPolicy',
    note: 'the AWS-managed policy of the EFS CSI driver (eksctl writes an inline copy of its own)',
  },
  autoScaler: { note: 'no AWS-managed policy exists for the cluster autoscaler; eksctl writes an inline policy' },
  awsLoadBalancerController: { note: 'no AWS-managed policy exists for the AWS Load Balancer Controller; eksctl writes an inline policy (the controller publishes its iam_policy.json)' },
  externalDNS: { note: 'no AWS-managed policy exists for ExternalDNS; eksctl writes an inline Route 53 policy' },
  certManager: { note: 'no AWS-managed policy exists for cert-manager; eksctl writes an inline Route 53 policy' },
};

/** A policy statement in the spec's terms (lower-case keys). */
export interface StatementOut {
  effect?: string;
  sid?: string;
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  conditions?: Record<string, unknown>;
}

const STATEMENT_KEYS: Record<string, keyof StatementOut> = {
  Effect: 'effect', Sid: 'sid', Action: 'actions', NotAction: 'notActions', Resource: 'resources', NotResource: 'notResources', Condition: 'conditions',
};
const LIST_FIELDS: Array<keyof StatementOut> = ['actions', 'notActions', 'resources', 'notResources'];

/**
 * The statements of an IAM policy document (eksctl's attachPolicy / permissionPolicy) as spec
 * statements. A statement with a Principal (never valid in an identity policy) or an element IAM
 * does not know is left out; `problems` says why.
 */
export function specStatements(doc: unknown): { statements: StatementOut[]; problems: string[] } {
  const problems: string[] = [];
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { statements: [], problems: ['the policy is not a JSON object with a Statement'] };
  const raw = (doc as Record<string, unknown>).Statement;
  if (raw === undefined) return { statements: [], problems: ['the policy has no Statement'] };
  const statements: StatementOut[] = [];
  [raw].flat().forEach((s, i) => {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) {
      problems.push(`Statement[${i}] is not an object`);
      return;
    }
    const out: StatementOut = {};
    const unknown: string[] = [];
    for (const [k, v] of Object.entries(s as Record<string, unknown>)) {
      const field = STATEMENT_KEYS[k];
      if (field === undefined) {
        unknown.push(k);
      } else if (LIST_FIELDS.includes(field)) {
        (out as any)[field] = [v].flat().map(String);
      } else {
        (out as any)[field] = v;
      }
    }
    if (unknown.length > 0) {
      problems.push(`Statement[${i}] has ${unknown.join(', ')}, which an identity policy does not take (IAM refuses it): left out`);
      return;
    }
    statements.push(out);
  });
  return { statements, problems };
}

/** Unexpanded shell variables (`${CLUSTER_NAME}`) in a value: a heredoc body taken from a script. */
export function shellVariables(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map(m => m[0]))];
}

/** The account of an IAM ARN (`arn:aws:iam::111122223333:...`), or undefined. */
export function iamArnAccount(arn: unknown): string | undefined {
  return typeof arn === 'string' ? /^arn:[a-z-]+:iam::(\d{12}):/.exec(arn.trim())?.[1] : undefined;
}
