import { createHash } from 'crypto';
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IIdentityCluster } from './cluster';
import { IrsaRoleOptions, ServiceAccountRole } from './irsa/service-account-role';
import { IdentityChart, ServiceAccountManifestProps } from './k8s/identity-chart';
import { addVerifyJob } from './k8s/verify-job';
import { IdentityModel } from './model/identity-model';
import { PodIdentityAssociation, PodIdentityOptions } from './pod-identity/pod-identity-association';
import { PodIdentityRole } from './pod-identity/pod-identity-role';
import { clusterKey, clusterLabel } from './private/cluster-key';
import { pathOf } from './private/construct-path';
import { enforce, onLiteral } from './private/enforce';
import { generateDefaultRoleName } from './private/generated-names';
import { recordWorkload } from './private/identity-map';
import { podIdentityOptionFindings } from './private/pod-identity-options';
import {
  AUDIENCE_ANNOTATION, checkAudience, checkReservedAnnotations, checkStsRegionalEndpoints, checkStsRegionalSupport,
  checkTokenExpiration, ROLE_ARN_ANNOTATION, STS_REGIONAL_ANNOTATION, TOKEN_EXPIRATION_ANNOTATION,
} from './rules/annotations';
import type { ServiceAccountRecord } from './rules/app-model';
import { checkArnPartition, checkRoleArn, formatRoleArn, partitionForRegion } from './rules/arns';
import { Finding } from './rules/finding';
import { DEFAULT_AUDIENCE } from './rules/issuer';
import { checkAnnotations, checkLabels, checkNamespaceName, checkServiceAccountName } from './rules/k8s-names';
import {
  checkAssociationRoleAccount, checkIrsaOnlyOptions, checkPodIdentityOptionsOnIrsa,
} from './rules/pod-identity';
import { checkExistingRoleOptions, checkMechanism, checkRoleArnPartKnown } from './rules/workload';

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
   * Pod Identity only: role chaining, session policy, session tags.
   *
   * @default - none
   */
  readonly podIdentity?: PodIdentityOptions;

  /**
   * Use this existing role instead of creating one. Its trust policy is yours to maintain
   * (IRSA: the cluster's OIDC provider; Pod Identity: `pods.eks.amazonaws.com`, in the cluster's
   * account).
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

  /**
   * Add a verification Job (the awscli test pod of IRSA troubleshooting, automated): a Kubernetes Job in the
   * namespace, running with this service account, that calls `aws sts get-caller-identity` and
   * fails unless the returned ARN is a session of the expected role
   * (`arn:<partition>:sts::<account>:assumed-role/<role name>/...`; with Pod Identity and a target
   * role, the target role). Needs the role ARN as a literal.
   *
   * @default false
   */
  readonly verify?: boolean;
}

/**
 * One Kubernetes service account and the AWS identity its pods get: the role, the trust, and the
 * ServiceAccount object in the stack's `IdentityChart`. Grant it permissions like any principal:
 * `bucket.grantRead(workload)`.
 *
 * IRSA (the default): an OIDC-trusted role and the `eks.amazonaws.com/role-arn` annotation.
 * Pod Identity: a role trusted by `pods.eks.amazonaws.com` and an `AWS::EKS::PodIdentityAssociation`;
 * the ServiceAccount gets no annotation, and the cluster needs the `eks-pod-identity-agent` add-on
 * (`PodIdentityAgentAddon`). Pod Identity does not work for pods on Fargate or Windows nodes.
 */
export class WorkloadIdentity extends Construct implements iam.IGrantable {
  /** The role the pods assume. */
  public readonly role: iam.IRole;
  /** The created IRSA role, when one was created. */
  public readonly serviceAccountRole?: ServiceAccountRole;
  /** The created Pod Identity role, when one was created. */
  public readonly podIdentityRole?: PodIdentityRole;
  /** The Pod Identity association (Pod Identity only). */
  public readonly podIdentityAssociation?: PodIdentityAssociation;
  /**
   * The role ARN. IRSA: the literal ARN written in the manifest. Pod Identity: a literal when the
   * role name, account and region are known at synth, else a token.
   */
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
  /** The verification Job, when `verify` is true. */
  public readonly verificationJob?: kplus.Job;

  constructor(scope: Construct, id: string, props: WorkloadIdentityProps) {
    super(scope, id);
    this.namespace = props.namespace;
    this.serviceAccountName = props.serviceAccountName;
    this.mechanism = props.mechanism ?? IdentityMechanism.IRSA;
    enforce(this, checkMechanism('mechanism', this.mechanism, Object.values(IdentityMechanism)));
    const podIdentity = this.mechanism === IdentityMechanism.POD_IDENTITY;

    const findings: Finding[] = [
      ...onLiteral(props.namespace, ns => checkNamespaceName('namespace', ns)),
      ...onLiteral(props.serviceAccountName, n => checkServiceAccountName('serviceAccountName', n)),
      ...(podIdentity
        ? [
          ...checkIrsaOnlyOptions({
            audience: props.audience,
            tokenExpiration: props.tokenExpiration?.toSeconds({ integral: false }),
            stsRegionalEndpoints: props.stsRegionalEndpoints,
          }),
          ...(props.existingRoleArn !== undefined && !Token.isUnresolved(props.cluster.account)
            ? onLiteral(props.existingRoleArn, r => checkAssociationRoleAccount('existingRoleArn', r, props.cluster.account)) : []),
          // the other option rules (target role ARN, session tags and policy) run once the role ARN
          // is known, in podIdentityOptionFindings below
          ...onLiteral(props.podIdentity?.targetRoleArn, a => onLiteral(props.cluster.region, r => checkArnPartition('podIdentity.targetRoleArn', a, r))),
        ]
        : checkPodIdentityOptionsOnIrsa('podIdentity', props.podIdentity !== undefined)),
      ...onLiteral(props.audience, a => checkAudience('audience', a)),
      ...onLiteral(props.tokenExpiration?.toSeconds({ integral: false }), s => checkTokenExpiration('tokenExpiration', s)),
      ...onLiteral(props.existingRoleArn, a => [
        ...checkRoleArn('existingRoleArn', a),
        ...onLiteral(props.cluster.region, r => checkArnPartition('existingRoleArn', a, r)),
      ]),
      ...onLiteral(props.labels, l => checkLabels('labels', l)),
      ...onLiteral(props.annotations, a => [...checkReservedAnnotations('annotations', a), ...checkAnnotations('annotations', a)]),
    ];
    if (props.stsRegionalEndpoints !== undefined) {
      findings.push(...checkStsRegionalEndpoints('stsRegionalEndpoints', props.stsRegionalEndpoints));
      if (props.stsRegionalEndpoints && props.cluster.kubernetesVersion !== undefined) {
        findings.push(...onLiteral(props.cluster.kubernetesVersion, v => checkStsRegionalSupport('cluster.kubernetesVersion', v, props.cluster.platformVersion)));
      }
    }
    findings.push(...checkExistingRoleOptions('existingRoleArn', props.existingRoleArn, hasRoleOptions(props)));
    enforce(this, findings);

    if (podIdentity) {
      const r = this.podIdentityRoleFor(props);
      this.role = r.role;
      this.roleArn = r.roleArn;
      this.podIdentityRole = r.created;
      // the association's option rules, reported under podIdentity.* (the association finds the same)
      enforce(this, podIdentityOptionFindings('podIdentity.', props.podIdentity ?? {}, this.roleArn));
      this.podIdentityAssociation = new PodIdentityAssociation(this, 'Association', {
        cluster: props.cluster,
        namespace: props.namespace,
        serviceAccountName: props.serviceAccountName,
        role: this.role,
        ...props.podIdentity,
      });
      // With a target role, the pods hold the target role's credentials: grants go there.
      this.grantPrincipal = props.podIdentity?.targetRoleArn !== undefined
        ? iam.Role.fromRoleArn(this, 'TargetRole', props.podIdentity.targetRoleArn).grantPrincipal
        : this.role.grantPrincipal;
      this.annotations = { ...(props.annotations ?? {}) };
      const piSa = this.addServiceAccount(props, {
        name: props.serviceAccountName,
        namespace: props.namespace,
        annotations: this.annotations,
        labels: props.labels,
        automountServiceAccountToken: props.automountServiceAccountToken,
      });
      if (piSa) this.verificationJob = this.addVerifyJob(piSa, props, props.podIdentity?.targetRoleArn ?? this.roleArn);
      this.recordInMap(props, this.podIdentityRole?.role);
      return;
    }

    if (props.existingRoleArn !== undefined) {
      enforce(this, checkRoleArnPartKnown('existingRoleArn', !Token.isUnresolved(props.existingRoleArn)));
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

    const sa = this.addServiceAccount(props, {
      name: props.serviceAccountName,
      namespace: props.namespace,
      annotations,
      labels: props.labels,
      automountServiceAccountToken: props.automountServiceAccountToken,
      cluster: props.cluster,
      owner: this,
    });
    if (sa) this.verificationJob = this.addVerifyJob(sa, props, this.roleArn);
    this.recordInMap(props, this.serviceAccountRole?.role);
  }

  /**
   * The ServiceAccount in the stack's chart: a cdk8s-plus object when the verification Job needs
   * one (returned), else the chart's own lighter path (same bytes).
   */
  private addServiceAccount(props: WorkloadIdentityProps, sa: ServiceAccountManifestProps): kplus.ServiceAccount | undefined {
    const chart = IdentityChart.forStack(this);
    if (props.verify) return chart.addServiceAccount(sa);
    chart._addWorkloadServiceAccount(sa);
    return undefined;
  }

  private recordInMap(props: WorkloadIdentityProps, created?: iam.Role): void {
    const record = this.recordInModel(props);
    if (record) {
      recordWorkload(record, {
        roleArn: this.roleArn,
        role: created,
        targetRoleArn: props.podIdentity?.targetRoleArn,
        verify: props.verify ?? false,
      });
    }
  }

  /** The service account (and the role it says already exists) in the app's identity model. */
  private recordInModel(props: WorkloadIdentityProps): ServiceAccountRecord | undefined {
    if (Token.isUnresolved(props.namespace) || Token.isUnresolved(props.serviceAccountName)) return undefined;
    const model = IdentityModel.of(this);
    const roleArn = Token.isUnresolved(this.roleArn) ? undefined : this.roleArn;
    const issuer = props.cluster.oidcIssuerUrl;
    let stack = Stack.of(this);
    while (stack.nestedStackParent) stack = stack.nestedStackParent;
    const record: ServiceAccountRecord = {
      path: pathOf(this),
      cluster: clusterKey(props.cluster),
      clusterLabel: clusterLabel(props.cluster),
      issuer: issuer !== undefined && !Token.isUnresolved(issuer) ? issuer.replace(/^https:\/\//, '') : undefined,
      namespace: props.namespace,
      name: props.serviceAccountName,
      mechanism: this.mechanism === IdentityMechanism.POD_IDENTITY ? 'podIdentity' : 'irsa',
      roleArn,
      existingRole: props.existingRoleArn !== undefined,
      stack: pathOf(stack),
    };
    model.addServiceAccount(record);
    if (props.existingRoleArn !== undefined && roleArn !== undefined) {
      model.addImportedRole({ path: pathOf(this), arn: roleArn, field: 'existingRoleArn' });
    }
    return record;
  }

  private addVerifyJob(sa: kplus.ServiceAccount, props: WorkloadIdentityProps, expectedRoleArn: string): kplus.Job {
    return addVerifyJob(IdentityChart.forStack(this), {
      serviceAccount: sa,
      namespace: props.namespace,
      serviceAccountName: props.serviceAccountName,
      expectedRoleArn,
      region: props.cluster.region,
    });
  }

  private podIdentityRoleFor(props: WorkloadIdentityProps): { role: iam.IRole; roleArn: string; created?: PodIdentityRole } {
    if (props.existingRoleArn !== undefined) {
      return { role: iam.Role.fromRoleArn(this, 'Role', props.existingRoleArn), roleArn: props.existingRoleArn };
    }
    const { clusterName } = props.cluster;
    const nameKnown = [clusterName, props.namespace, props.serviceAccountName].every(v => !Token.isUnresolved(v));
    const created = new PodIdentityRole(this, 'Role', {
      roleName: props.roleName ?? (nameKnown
        ? generateDefaultRoleName(this, props.roleNamePrefix ?? '', props.cluster.region, clusterName, props.namespace, props.serviceAccountName) : undefined),
      path: props.path,
      permissionsBoundary: props.permissionsBoundary,
      maxSessionDuration: props.maxSessionDuration,
      managedPolicies: props.managedPolicies,
      inlinePolicies: props.inlinePolicies,
      description: props.description ?? (nameKnown
        ? `EKS Pod Identity role for ${props.namespace}/${props.serviceAccountName} on cluster ${clusterName}` : undefined),
      quotas: props.quotas,
    });
    const target = props.podIdentity?.targetRoleArn;
    if (target !== undefined) {
      // EKS assumes the target role with this role's credentials (role chaining).
      created.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [target] }));
    }
    return { role: created.role, roleArn: this.literalArnOf(created, props) ?? created.roleArn, created };
  }

  /** The created role's ARN from the cluster's account and region when the stack has no env. */
  private literalArnOf(created: PodIdentityRole, props: WorkloadIdentityProps): string | undefined {
    const stack = Stack.of(this);
    const account = Token.isUnresolved(stack.account) ? props.cluster.account : stack.account;
    const region = Token.isUnresolved(stack.region) ? props.cluster.region : stack.region;
    const path = props.path ?? '/';
    if ([created.roleName, account, region, path].some(v => Token.isUnresolved(v))) return undefined;
    return formatRoleArn(partitionForRegion(region), account, path, created.roleName);
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
