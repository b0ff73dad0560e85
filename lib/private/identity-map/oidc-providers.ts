import { Stack, Token } from 'aws-cdk-lib';
import { MapSection, sortBy } from './section';
import type { OidcProviderRow } from './types';
import { partitionForRegion } from '../../rules/arns';
import { oidcProviderArn } from '../../rules/issuer';

/** The IAM OIDC providers the stack creates or imports (IRSA trusts them). */
export const OIDC_PROVIDERS: MapSection<OidcProviderRow> = {
  key: 'oidcProviders',
  title: 'OIDC providers',
  build: ctx => sortBy(ctx.slice.providers.map(p => {
    let arn = p.arn;
    if (arn === undefined && p.account !== undefined && p.issuerUrl !== undefined) {
      const region = Stack.of(ctx.find(p.path) ?? ctx.stack).region;
      const partition = p.partition ?? (Token.isUnresolved(region) ? undefined : partitionForRegion(region));
      if (partition !== undefined) arn = oidcProviderArn(partition, p.account, p.issuerUrl);
    }
    return {
      created: p.created,
      issuerUrl: p.issuerUrl ?? `<issuer of ${p.path}, known at deploy>`,
      arn: arn ?? `<ARN of ${p.path}, known at deploy>`,
      path: p.path,
    };
  }), p => `${p.issuerUrl}|${p.path}`),
  columns: [
    ['Issuer', p => p.issuerUrl],
    ['ARN', p => p.arn],
    ['Created or imported', p => (p.created ? 'created' : 'imported')],
  ],
};
