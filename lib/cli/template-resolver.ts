import { issuerHostPath } from '../rules/issuer';

/**
 * Resolving the intrinsic functions a synthesized template uses around literal values
 * (`Ref` of pseudo parameters, of an OIDC provider or a named role; `Fn::GetAtt ... Arn`;
 * `Fn::Join`), so that a role's trust policy can be read as IAM will see it.
 */

/** A template of a cloud assembly: its file name and its `Resources`. */
export interface Template { readonly file: string; readonly resources: Record<string, any> }

/** What is known of the environment a template deploys to. */
export interface ResolveContext { readonly partition?: string; readonly account?: string; readonly region?: string }

const UNRESOLVED = '\u0000unresolved';

/** Resolves the intrinsics our templates use around literal values; anything else becomes a marker `hasUnresolved` finds. */
export function resolve(v: any, t: Template, ctx: ResolveContext): any {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
  if (Array.isArray(v)) return v.map(x => resolve(x, t, ctx));
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0] === 'Ref') {
    const r = v.Ref;
    if (r === 'AWS::Partition') return ctx.partition ?? UNRESOLVED;
    if (r === 'AWS::AccountId') return ctx.account ?? UNRESOLVED;
    if (r === 'AWS::Region') return ctx.region ?? UNRESOLVED;
    const res = t.resources[r];
    if (res?.Type === 'AWS::IAM::OIDCProvider') return providerArnOf(res, ctx);
    if (res?.Type === 'AWS::IAM::Role' && typeof res.Properties?.RoleName === 'string') return res.Properties.RoleName;
    return UNRESOLVED;
  }
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
    const [id, attr] = Array.isArray(v['Fn::GetAtt']) ? v['Fn::GetAtt'] : String(v['Fn::GetAtt']).split('.');
    const res = t.resources[id];
    if (res?.Type === 'AWS::IAM::OIDCProvider' && attr === 'Arn') return providerArnOf(res, ctx);
    if (res?.Type === 'AWS::IAM::Role' && attr === 'Arn' && typeof res.Properties?.RoleName === 'string' && ctx.partition && ctx.account) {
      return `arn:${ctx.partition}:iam::${ctx.account}:role${res.Properties.Path ?? '/'}${res.Properties.RoleName}`;
    }
    return UNRESOLVED;
  }
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const [sep, parts] = Array.isArray(v['Fn::Join']) ? v['Fn::Join'] : [undefined, undefined];
    if (typeof sep !== 'string' || !Array.isArray(parts)) return UNRESOLVED;
    const rs = parts.map(p => resolve(p, t, ctx));
    return rs.every(p => typeof p === 'string' && !p.includes(UNRESOLVED)) ? rs.join(sep) : UNRESOLVED;
  }
  if (keys.some(k => k.startsWith('Fn::'))) return UNRESOLVED;
  return Object.fromEntries(keys.map(k => [k, resolve(v[k], t, ctx)]));
}

function providerArnOf(res: any, ctx: ResolveContext): string {
  const url = res.Properties?.Url;
  if (typeof url !== 'string' || !ctx.account) return UNRESOLVED;
  return `arn:${ctx.partition ?? 'aws'}:iam::${ctx.account}:oidc-provider/${issuerHostPath(url)}`;
}

/** True when `resolve` could not resolve some part of `v`. */
export const hasUnresolved = (v: unknown) => JSON.stringify(v).includes(UNRESOLVED.replace('\u0000', '\\u0000'));
