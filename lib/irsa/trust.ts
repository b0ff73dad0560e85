import { Fn, IResolveContext, Lazy, Stack, Token } from 'aws-cdk-lib';
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
  /** the condition keys hold the issuer token: the role needs `useJsonStringTrust` */
  readonly tokenKeys?: boolean;
}

/**
 * The trust of one cluster's issuer: Federated = the provider ARN, sts:AssumeRoleWithWebIdentity,
 * StringEquals on `<issuer>:aud` and `<issuer>:sub`. Plain JSON when the issuer is a literal;
 * when it is a token (cluster in the same app), the condition keys hold the issuer token and the
 * role writes its trust policy as a JSON string (`useJsonStringTrust`).
 * @internal
 */
export function issuerTrust(scope: Construct, cluster: IIdentityCluster, subjects: IrsaSubjectInput[], audience: string): IssuerTrust {
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
      const partition = Token.isUnresolved(region) ? cluster.partition : partitionForRegion(region);
      providerArn = literalProviderArn(provider, partition, providerStack.account, issuerUrl);
      scope.node.addDependency(provider);
    }
    const principal = new iam.FederatedPrincipal(providerArn, { ...condition }, WEB_IDENTITY_ACTION);
    return { principal, literal: Token.isUnresolved(providerArn) ? undefined : { providerArn, condition } };
  }

  // Issuer unknown at synth: the keys hold the issuer token, the cluster's own issuer URL without
  // `https://` when known (Fn::Select/Fn::Split of its OpenIdConnectIssuerUrl), else the provider's.
  const issuer = issuerUrl !== undefined ? Fn.select(1, Fn.split('https://', issuerUrl)) : provider.openIdConnectProviderIssuer;
  const condition = irsaCondition(issuer, subjects, audience);
  return { principal: new iam.FederatedPrincipal(provider.openIdConnectProviderArn, { ...condition }, WEB_IDENTITY_ACTION), tokenKeys: true };
}

const PROVIDER_ARNS = new WeakMap<object, Map<string, string>>();

/** `oidcProviderArn`, one string per provider and inputs (every role that trusts the provider holds it). */
function literalProviderArn(provider: object, partition: string, account: string, issuerUrl: string): string {
  let byKey = PROVIDER_ARNS.get(provider);
  if (!byKey) PROVIDER_ARNS.set(provider, byKey = new Map());
  const key = `${partition}|${account}|${issuerUrl}`;
  let arn = byKey.get(key);
  if (arn === undefined) byKey.set(key, arn = oidcProviderArn(partition, account, issuerUrl));
  return arn;
}

/**
 * Writes the role's trust policy as a JSON string, so that condition keys may hold tokens
 * without a `CfnJson` custom resource (a Lambda). CloudFormation takes a string there: the
 * AWS::IAM::Role schema cfn-lint 1.51 ships (`cfnlint/data/schemas/resources/7fefd2b7982c788c.json`,
 * the `AWS::IAM::Role` entry of `cfnlint/data/schemas/providers/us_east_1.py`) types
 * `AssumeRolePolicyDocument` as `["object", "string"]`. The string is rendered at synth (so
 * statements added later are in it) as one `Fn::Sub`.
 * @internal
 */
export function useJsonStringTrust(role: iam.Role): void {
  const cfn = role.node.defaultChild as iam.CfnRole;
  const stack = Stack.of(role);
  cfn.assumeRolePolicyDocument = Lazy.uncachedAny({
    produce: (ctx: IResolveContext) => joinToSub(ctx.resolve(stack.toJsonString(role.assumeRolePolicy))),
  });
}

/**
 * `{"Fn::Join": ["", parts]}` as one `Fn::Sub` string: `Ref`s and `Fn::GetAtt`s inline
 * (`${Id}`, `${Id.Attr}`), every other intrinsic a variable (`${Issuer0}` for the issuer
 * expressions), literal `${` escaped as `${!`.
 */
function joinToSub(value: any): any {
  const join = value?.['Fn::Join'];
  if (!Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1]) || Object.keys(value).length !== 1) return value;
  let text = '';
  const vars: Record<string, unknown> = {};
  const names = new Map<string, string>();
  const counts: Record<string, number> = {};
  for (const part of join[1] as unknown[]) {
    if (typeof part === 'string') {
      text += part.replace(/\$\{/g, '${!');
      continue;
    }
    const p = part as any;
    const keys = Object.keys(p ?? {});
    if (keys.length === 1 && typeof p.Ref === 'string') {
      text += `\${${p.Ref}}`;
    } else if (keys.length === 1 && Array.isArray(p['Fn::GetAtt']) && p['Fn::GetAtt'].every((x: unknown) => typeof x === 'string')) {
      text += `\${${p['Fn::GetAtt'].join('.')}}`;
    } else {
      const key = JSON.stringify(p);
      let name = names.get(key);
      if (name === undefined) {
        const prefix = keys[0] === 'Fn::Select' ? 'Issuer' : 'Value';
        name = `${prefix}${counts[prefix] = (counts[prefix] ?? -1) + 1}`;
        names.set(key, name);
        vars[name] = p;
      }
      text += `\${${name}}`;
    }
  }
  return Object.keys(vars).length > 0 ? { 'Fn::Sub': [text, vars] } : { 'Fn::Sub': text };
}
