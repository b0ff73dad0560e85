import { CfnJson, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IIdentityCluster } from '../cluster';
import { partitionForRegion } from '../rules/arns';
import { oidcProviderArn } from '../rules/issuer';
import { irsaCondition, IrsaCondition, IrsaSubjectInput, WEB_IDENTITY_ACTION } from '../rules/trust-policy';

/** One issuer's part of an IRSA trust policy. @internal */
export interface IssuerTrust {
  readonly principal: iam.IPrincipal;
  /** the literal statement, when everything about it is literal (for the length check) */
  readonly literal?: { providerArn: string; condition: IrsaCondition };
}

/**
 * The trust of one cluster's issuer: Federated = the provider ARN, sts:AssumeRoleWithWebIdentity,
 * StringEquals on `<issuer>:aud` and `<issuer>:sub`. Plain JSON when the issuer is a literal;
 * when it is a token (cluster in the same app), the condition keys go through CfnJson.
 * @internal
 */
export function issuerTrust(scope: Construct, id: string, cluster: IIdentityCluster, subjects: IrsaSubjectInput[], audience: string): IssuerTrust {
  const provider = cluster.oidcProvider();
  const issuerUrl = cluster.oidcIssuerUrl;
  const providerStack = Stack.of(provider);

  if (issuerUrl !== undefined && !Token.isUnresolved(issuerUrl)) {
    const issuer = issuerUrl.replace(/^https:\/\//, '');
    const condition = irsaCondition(issuer, subjects, audience);
    let providerArn = provider.openIdConnectProviderArn;
    if (Token.isUnresolved(providerArn) && !cluster.providerIsExternal && !Token.isUnresolved(providerStack.account)) {
      // A provider we create in an environment-bound stack has a known ARN: write it literally
      // (readable, exactly what IAM stores) and order the role after the provider.
      const region = Token.isUnresolved(providerStack.region) ? cluster.region : providerStack.region;
      providerArn = oidcProviderArn(Token.isUnresolved(region) ? cluster.partition : partitionForRegion(region), providerStack.account, issuerUrl);
      scope.node.addDependency(provider);
    }
    const principal = new iam.FederatedPrincipal(providerArn, { ...condition }, WEB_IDENTITY_ACTION);
    return { principal, literal: Token.isUnresolved(providerArn) ? undefined : { providerArn, condition } };
  }

  // Issuer unknown at synth: build the keys from the provider's issuer token.
  const issuer = provider.openIdConnectProviderIssuer;
  const shape = irsaCondition('@ISSUER@', subjects, audience);
  const conditions: Record<string, CfnJson> = {};
  for (const [op, block] of Object.entries(shape) as Array<[string, Record<string, unknown>]>) {
    const value: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(block)) value[k.replace('@ISSUER@', issuer)] = v;
    conditions[op] = new CfnJson(scope, `${id}${op}`, { value });
  }
  return { principal: new iam.FederatedPrincipal(provider.openIdConnectProviderArn, conditions, WEB_IDENTITY_ACTION) };
}

