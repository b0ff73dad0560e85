import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IdentityModel } from './model/identity-model';
import { enforce, onLiteral } from './private/enforce';
import { error } from './rules/finding';
import { checkClientIds, checkIssuerUrl, checkProviderArn, checkThumbprints, DEFAULT_AUDIENCE, issuerHostPath } from './rules/issuer';

/**
 * Properties of an `OidcProvider`.
 */
export interface OidcProviderProps {
  /**
   * The cluster's OIDC issuer URL (`https://oidc.eks.<region>.amazonaws.com/id/<id>`).
   */
  readonly issuerUrl: string;

  /**
   * Client ids (audiences) the provider accepts. Must contain every audience a trust policy uses.
   *
   * @default ['sts.amazonaws.com']
   */
  readonly clientIds?: string[];

  /**
   * Server certificate thumbprints. IAM fetches them itself today.
   *
   * @default - none: IAM obtains the thumbprint
   */
  readonly thumbprints?: string[];

  /**
   * What happens to the provider when it leaves the stack. Deleting it breaks IRSA for every
   * workload of the cluster, so it is kept by default.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The IAM OIDC identity provider of an EKS cluster, created natively (`AWS::IAM::OIDCProvider`,
 * no Lambda) and retained on stack deletion.
 *
 * Import the existing one instead (`OidcProvider.fromProviderArn`) when eksctl, Terraform or the
 * console already created it: IAM allows one provider per issuer URL per account, so creating a
 * second fails with EntityAlreadyExists.
 */
export class OidcProvider extends Construct {
  /**
   * Imports an existing provider by ARN, checking that it belongs to `issuerUrl` when given.
   */
  public static fromProviderArn(scope: Construct, id: string, providerArn: string, issuerUrl?: string): iam.IOidcProvider {
    const issuer = issuerUrl !== undefined && !Token.isUnresolved(issuerUrl) ? issuerUrl : undefined;
    enforce(scope, onLiteral(providerArn, arn => checkProviderArn('oidcProvider.arn', arn, issuer)));
    const imported = iam.OidcProviderNative.fromOidcProviderArn(scope, id, providerArn);
    if (!isToken(providerArn)) {
      const m = /^arn:([^:]+):iam::(\d{12}):oidc-provider\/(.+)$/.exec(providerArn);
      IdentityModel.of(imported).addProvider({
        path: imported.node.path, arn: providerArn, account: m?.[2], partition: m?.[1], issuerUrl: m ? `https://${m[3]}` : undefined, created: false,
      });
    }
    return imported;
  }

  /** Checks that the audiences used by trust policies are among `clientIds` (literal values only). */
  public static checkAudiences(scope: Construct, clientIds: string[], audiences: string[]): void {
    enforce(scope, onLiteral(clientIds, ids => checkClientIds('oidcProvider.clientIds', ids, audiences.filter(a => !isToken(a)))));
  }

  /** The provider. */
  public readonly provider: iam.IOidcProvider;
  /** The provider ARN (a token: `Ref` of the resource). */
  public readonly providerArn: string;
  /** The issuer without `https://`: the prefix of IRSA condition keys. */
  public readonly issuer: string;

  constructor(scope: Construct, id: string, props: OidcProviderProps) {
    super(scope, id);
    const clientIds = props.clientIds ?? [DEFAULT_AUDIENCE];
    enforce(this, [
      ...onLiteral(props.issuerUrl, url => checkIssuerUrl('oidcIssuerUrl', url)),
      ...onLiteral(props.thumbprints, t => checkThumbprints('oidcProvider.thumbprints', t)),
      ...(clientIds.length === 0 ? [error('oidc-client-id', 'oidcProvider.clientIds', '[]', 'is empty: no audience could use the provider', `omit it to use ['${DEFAULT_AUDIENCE}']`)] : []),
    ]);

    const provider = new iam.OidcProviderNative(this, 'Resource', {
      url: props.issuerUrl,
      clientIds,
      thumbprints: props.thumbprints,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.provider = provider;
    this.providerArn = provider.oidcProviderArn;
    this.issuer = isToken(props.issuerUrl) ? provider.oidcProviderIssuer : issuerHostPath(props.issuerUrl);

    // one provider per issuer URL per account: checked over the whole app
    const stack = Stack.of(this);
    IdentityModel.of(this).addProvider({
      path: this.node.path,
      account: isToken(stack.account) ? undefined : stack.account,
      issuerUrl: isToken(props.issuerUrl) ? undefined : props.issuerUrl,
      created: true,
    });
  }

}

const isToken = (s: string) => Token.isUnresolved(s);
