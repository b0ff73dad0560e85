import * as path from 'path';
import { Annotations, CfnCondition, CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { acknowledgeNag, awsManagedPolicyFinding } from '../private/nag';
import { enforce, enforceErrors } from '../private/enforce';
import { checkKubectlLayerPackage, checkKubectlLayerSource, checkKubectlLayerVersion } from '../rules/kubectl';
import { kubectlLayerPackage } from '../rules/manifests';

/**
 * The kubectl Lambda layer that matches a cluster's Kubernetes version.
 *
 * The layers are separate npm packages (`@aws-cdk/lambda-layer-kubectl-v<minor>`, about 35 MB
 * each): cdk-eks-identity depends on none of them and resolves the one it needs at synth, from
 * your project. Install the one of your cluster's version, or pass a layer explicitly.
 */
export class KubectlLayer {
  /**
   * Creates the layer of `@aws-cdk/lambda-layer-kubectl-v<minor>` for `kubernetesVersion` ("1.31")
   * in `scope`. Throws an `IdentityValidationError` naming the package to install when your project
   * does not have it.
   */
  public static forKubernetesVersion(scope: Construct, id: string, kubernetesVersion: string, field: string = 'cluster.kubernetesVersion'): lambda.ILayerVersion {
    enforceErrors(checkKubectlLayerVersion(field, kubernetesVersion));
    const pkg = kubectlLayerPackage(kubernetesVersion)!;
    let mod: any;
    try {
      // from the user's project first (an optional peer dependency), then from next to this library
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional package, resolved at synth
      mod = require(require.resolve(pkg.packageName, { paths: [process.cwd(), path.join(__dirname, '..', '..')] }));
    } catch (e: any) {
      if (e?.code !== 'MODULE_NOT_FOUND') throw e;
      enforceErrors(checkKubectlLayerPackage(field, kubernetesVersion, 'missing'));
    }
    const Layer = mod[pkg.className];
    enforceErrors(checkKubectlLayerPackage(field, kubernetesVersion, typeof Layer === 'function' ? 'ok' : 'no-class'));
    return new Layer(scope, id) as lambda.ILayerVersion;
  }

  private constructor() {}
}

/**
 * Properties of an `ImportedClusterKubectl`.
 */
export interface ImportedClusterKubectlProps {
  /** Name of the EKS cluster (made outside this app). */
  readonly clusterName: string;

  /**
   * Execution role of the kubectl Lambda function. It must trust `lambda.amazonaws.com`, have
   * cluster-admin access on the cluster (an access entry with `AmazonEKSClusterAdminPolicy`, or
   * `system:masters`) and the `AWSLambdaBasicExecutionRole` permissions (plus
   * `AWSLambdaVPCAccessExecutionRole` with `subnets`); `eks:DescribeCluster` is added to it.
   */
  readonly role: iam.IRole;

  /**
   * The cluster's Kubernetes version ("1.31"): picks `@aws-cdk/lambda-layer-kubectl-v<minor>`.
   * Required unless `kubectlLayer` is given.
   *
   * @default - none
   */
  readonly kubernetesVersion?: string;

  /**
   * A kubectl layer of your own.
   *
   * @default - `KubectlLayer.forKubernetesVersion(kubernetesVersion)`
   */
  readonly kubectlLayer?: lambda.ILayerVersion;

  /**
   * Private-endpoint clusters: the subnets the kubectl Lambda runs in.
   *
   * @default - the cluster endpoint is reached publicly
   */
  readonly subnets?: ec2.ISubnet[];

  /**
   * Security groups of the kubectl Lambda (with `subnets`).
   *
   * @default - none
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
}

/**
 * A kubectl provider (aws-eks-v2 `KubectlProvider`) for an EKS cluster made outside this app,
 * and the cluster reference that applies manifests through it.
 *
 * aws-eks-v2 ignores `kubectlProviderOptions` on an imported cluster, so the cluster is imported
 * bare, the provider is created for it, and the cluster is imported again with the provider.
 */
export class ImportedClusterKubectl extends Construct {
  /** The kubectl provider. */
  public readonly provider: eks.IKubectlProvider;
  /** The cluster reference to apply `KubernetesManifest`s to (it carries the provider). */
  public readonly cluster: eks.ICluster;
  /** The kubectl layer. */
  public readonly kubectlLayer: lambda.ILayerVersion;

  constructor(scope: Construct, id: string, props: ImportedClusterKubectlProps) {
    super(scope, id);
    enforce(this, checkKubectlLayerSource('kubernetesVersion', props.kubernetesVersion, props.kubectlLayer !== undefined));
    this.kubectlLayer = props.kubectlLayer ?? KubectlLayer.forKubernetesVersion(this, 'KubectlLayer', props.kubernetesVersion!);
    const subnets = props.subnets && props.subnets.length > 0 ? props.subnets : undefined;
    const bare = eks.Cluster.fromClusterAttributes(this, 'Bare', {
      clusterName: props.clusterName,
      // the provider only reads the VPC to place its functions in the given subnets
      vpc: subnets ? ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: 'vpc-kubectl-subnets', availabilityZones: ['unused'],
      }) : undefined,
    });
    const provider = new eks.KubectlProvider(this, 'Provider', {
      cluster: bare,
      kubectlLayer: this.kubectlLayer,
      role: props.role,
      privateSubnets: subnets,
      securityGroups: subnets ? props.securityGroups : undefined,
    });
    this.provider = provider;
    acknowledgeKubectlProvider(provider);
    if (!(props.role instanceof iam.Role)) {
      // the ECR read-only policies aws-eks-v2 attaches serve Helm charts from registries, not
      // kubectl apply: an imported role not taking them is fine
      Annotations.of(props.role).acknowledgeWarning('@aws-cdk/aws-iam:IRoleCantBeUsedWithIManagedPolicy',
        'cdk-eks-identity: the kubectl role needs no ECR access to apply manifests');
      // aws-eks-v2 adds a managed policy behind a condition; an imported role takes no managed
      // policies, which leaves the condition unused (cfn-lint W8001): drop it
      const roleScope = props.role.node.scope;
      const condition = roleScope?.node.tryFindChild('HasEcrPublic');
      if (roleScope && condition instanceof CfnCondition) roleScope.node.tryRemoveChild('HasEcrPublic');
    }
    this.cluster = eks.Cluster.fromClusterAttributes(this, 'Cluster', {
      clusterName: props.clusterName,
      kubectlProvider: provider,
      prune: false,
    });
  }
}

/**
 * The kubectl provider is aws-eks-v2's own (its handler, the provider framework and their roles):
 * its runtime and policies are not ours to choose.
 */
function acknowledgeKubectlProvider(provider: eks.KubectlProvider): void {
  const handler = provider.node.tryFindChild('Handler')?.node.defaultChild as CfnResource | undefined;
  const acks = [
    { rule: 'AwsSolutions-L1', reason: 'aws-eks-v2 KubectlProvider picks the runtime of its kubectl handler' },
    { rule: awsManagedPolicyFinding('service-role/AWSLambdaBasicExecutionRole'), reason: 'the provider framework role of aws-eks-v2 KubectlProvider writes its logs with this AWS managed policy' },
  ];
  if (handler) {
    acks.push({
      rule: `AwsSolutions-IAM5[Resource::<${Stack.of(handler).getLogicalId(handler)}.Arn>:*]`,
      reason: 'the provider framework of aws-eks-v2 KubectlProvider invokes any version of its own handler',
    });
  }
  acknowledgeNag(provider, acks);
}
