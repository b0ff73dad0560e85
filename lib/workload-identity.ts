import { createHash } from 'crypto';
import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IIdentityCluster } from './cluster';
import { IdentityValidationError } from './errors';
import { IrsaRoleOptions, ServiceAccountRole } from './irsa/service-account-role';
import { IdentityChart } from './k8s/identity-chart';
import { enforce, onLiteral } from './private/enforce';
import {
  AUDIENCE_ANNOTATION, checkAudience, checkReservedAnnotations, checkStsRegionalEndpoints, checkStsRegionalSupport,
  checkTokenExpiration, ROLE_ARN_ANNOTATION, STS_REGIONAL_ANNOTATION, TOKEN_EXPIRATION_ANNOTATION,
} from './rules/annotations';
import { checkRoleArn } from './rules/arns';
import { Finding } from './rules/finding';
import { DEFAULT_AUDIENCE } from './rules/issuer';
import { checkAnnotations, checkLabels, checkNamespaceName, checkServiceAccountName } from './rules/k8s-names';

/**
 * How a workload gets its AWS identity.
 */
export enum IdentityMechanism {
  /** IAM roles for service accounts: OIDC web identity, role-arn annotation. */
  IRSA = 'irsa',
  /** EKS Pod Identity: an association, no annotation. */
  POD_IDENTITY = 'podIdentity',
}

/**
 * Properties of a `WorkloadIdentity`.
 */
export interface WorkloadIdentityProps extends IrsaRoleOptions {
  /** The cluster. */
  readonly cluster: IIdentityCluster;

  /** Namespace of the service account. */
  readonly namespace: string;

  /** Name of the service account. */
  readonly serviceAccountName: string;

  /**
   * The identity mechanism.
   *
   * @default IdentityMechanism.IRSA
   */
  readonly mechanism?: IdentityMechanism;

  /**
   * Use this existing role instead of creating one. Its trust policy is yours to maintain.
   *
   * @default - a role is created
   */
  readonly existingRoleArn?: string;

  /**
   * IRSA: the token audience (`eks.amazonaws.com/audience`, written only when not the default).
   *
   * @default 'sts.amazonaws.com'
   */
  readonly audience?: string;

  /**
   * IRSA: use the regional STS endpoint (`eks.amazonaws.com/sts-regional-endpoints`).
   *
   * @default - annotation not written: the cluster default applies
   */
  readonly stsRegionalEndpoints?: boolean;

  /**
   * IRSA: lifetime of the projected token (`eks.amazonaws.com/token-expiration`), 600..86400 s.
   *
   * @default - annotation not written: 86400 seconds
   */
  readonly tokenExpiration?: Duration;

  /**
   * Mount the service account token into pods automatically. cdk8s-plus (and this library)
   * default to false, unlike Kubernetes (true); IRSA and Pod Identity do not need it.
   *
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;

  /**
   * Labels of the ServiceAccount.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Other annotations of the ServiceAccount. `eks.amazonaws.com/*` keys are refused: use the typed
   * properties.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * One Kubernetes service account and the AWS identity its pods get: the role, the trust, and the
 * ServiceAccount object in the stack's `IdentityChart`. Grant it permissions like any principal:
 * `bucket.grantRead(workload)`.
 */
export class WorkloadIdentity extends Construct implements iam.IGrantable {
  /** The role the pods assume. */
  public readonly role: iam.IRole;
  /** The created IRSA role, when one was created. */
  public readonly serviceAccountRole?: ServiceAccountRole;
  /** The literal role ARN written in the manifest. */
  public readonly roleArn: string;
  /** Namespace. */
  public readonly namespace: string;
  /** Service account name. */
  public readonly serviceAccountName: string;
  /** Mechanism. */
  public readonly mechanism: IdentityMechanism;
  /** Annotations written on the ServiceAccount. */
  public readonly annotations: { [key: string]: string };
  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    this.namespace = props.namespace;
    this.serviceAccountName = props.serviceAccountName;
    this.mechanism = props.mechanism ?? IdentityMechanism.IRSA;
    if (this.mechanism !== IdentityMechanism.IRSA) {
      throw new IdentityValidationError({ field: 'mechanism', value: `'${this.mechanism}'`, rule: 'is not supported by this version', fix: 'use IdentityMechanism.IRSA' });
    }

    const findings: Finding[] = [
      ...onLiteral(props.namespace, ns => checkNamespaceName('namespace', ns)),
      ...onLiteral(props.serviceAccountName, n => checkServiceAccountName('serviceAccountName', n)),
      ...onLiteral(props.audience, a => checkAudience('audience', a)),
      ...onLiteral(props.tokenExpiration?.toSeconds(), s => checkTokenExpiration('tokenExpiration', s)),
      ...onLiteral(props.existingRoleArn, a => checkRoleArn('existingRoleArn', a)),
      ...onLiteral(props.labels, l => checkLabels('labels', l)),
      ...onLiteral(props.annotations, a => [...checkReservedAnnotations('annotations', a), ...checkAnnotations('annotations', a)]),
    ];
    if (props.stsRegionalEndpoints !== undefined) {
      findings.push(...checkStsRegionalEndpoints('stsRegionalEndpoints', props.stsRegionalEndpoints));
      if (props.stsRegionalEndpoints && props.cluster.kubernetesVersion !== undefined) {
        findings.push(...onLiteral(props.cluster.kubernetesVersion, v => checkStsRegionalSupport('cluster.kubernetesVersion', v, props.cluster.platformVersion)));
      }
    }
    if (props.existingRoleArn !== undefined && hasRoleOptions(props)) {
      findings.push({
        code: 'role-conflict', severity: 'error', field: 'existingRoleArn', value: `'${props.existingRoleArn}'`,
        rule: 'is set together with options that shape a created role (roleName, managedPolicies, ...)',
        fix: 'either bring your own role with existingRoleArn, or let one be created: not both',
      });
    }
    enforce(this, findings);

    if (props.existingRoleArn !== undefined) {
      if (Token.isUnresolved(props.existingRoleArn)) {
        throw new IdentityValidationError({
          field: 'existingRoleArn', value: '(unresolved token)',
          rule: 'is not known at synth, but the eks.amazonaws.com/role-arn annotation needs a literal ARN',
          fix: 'pass the role ARN as a literal string',
        });
      }
      this.role = iam.Role.fromRoleArn(this, 'Role', props.existingRoleArn);
      this.roleArn = props.existingRoleArn;
    } else {
      this.serviceAccountRole = new ServiceAccountRole(this, 'Role', {
        ...props,
        subjects: [{ namespace: props.namespace, serviceAccountName: props.serviceAccountName }],
      });
      this.role = this.serviceAccountRole.role;
      this.roleArn = this.serviceAccountRole.literalRoleArn;
    }
    this.grantPrincipal = this.role.grantPrincipal;

    const annotations: { [key: string]: string } = { ...(props.annotations ?? {}) };
    annotations[ROLE_ARN_ANNOTATION] = this.roleArn;
    if (props.audience !== undefined && props.audience !== DEFAULT_AUDIENCE) annotations[AUDIENCE_ANNOTATION] = props.audience;
    if (props.stsRegionalEndpoints !== undefined) annotations[STS_REGIONAL_ANNOTATION] = String(props.stsRegionalEndpoints);
    if (props.tokenExpiration !== undefined) annotations[TOKEN_EXPIRATION_ANNOTATION] = String(props.tokenExpiration.toSeconds());
    this.annotations = annotations;

    IdentityChart.forStack(this).addServiceAccount({
      name: props.serviceAccountName,
      namespace: props.namespace,
      annotations,
      labels: props.labels,
      automountServiceAccountToken: props.automountServiceAccountToken,
      cluster: props.cluster,
      owner: this,
    });
  }

  /**
   * A checksum of the ServiceAccount annotations. Annotation changes reach only pods created
   * afterwards: put this on your pod template (e.g. `checksum/identity`) to roll them.
   */
  public get annotationsChecksum(): string {
    const sorted = Object.keys(this.annotations).sort().map(k => `${k}=${this.annotations[k]}`).join('\n');
    return createHash('sha256').update(sorted).digest('hex').slice(0, 16);
  }
}

function hasRoleOptions(p: WorkloadIdentityProps): boolean {
  return [p.roleName, p.roleNamePrefix, p.path, p.permissionsBoundary, p.maxSessionDuration, p.managedPolicies, p.inlinePolicies]
    .some(v => v !== undefined);
}
