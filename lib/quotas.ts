import { IConstruct } from 'constructs';
import { enforce } from './private/enforce';
import { checkQuota, QUOTA_RANGES, QuotaName } from './rules/quotas';

/**
 * AWS quotas your account has raised. Each defaults to the AWS default; a value can only be
 * raised up to the hard maximum AWS documents for that quota (IAM and EKS service quotas).
 */
export interface IdentityQuotas {
  /**
   * Role trust policy length, in characters without whitespace (IAM quota, up to 4096).
   *
   * @default 2048
   */
  readonly trustPolicyLength?: number;

  /**
   * Managed policies per role (IAM quota up to 25; CloudFormation caps it at 20).
   *
   * @default 10
   */
  readonly managedPoliciesPerRole?: number;

  /**
   * Selectors per Fargate profile.
   *
   * @default 5
   */
  readonly selectorsPerFargateProfile?: number;

  /**
   * Label pairs per Fargate selector.
   *
   * @default 5
   */
  readonly labelsPerFargateSelector?: number;

  /**
   * Roles per account: a warning is raised when one app creates more roles than this.
   *
   * @default 1000
   */
  readonly rolesPerAccount?: number;
}

/** Quotas with every default filled in, after validation. @internal */
export type ResolvedQuotas = Required<IdentityQuotas>;

/** @internal */
export function resolveQuotas(scope: IConstruct, quotas: IdentityQuotas = {}, field = 'quotas'): ResolvedQuotas {
  const out: Record<string, number> = {};
  for (const name of Object.keys(QUOTA_RANGES) as QuotaName[]) {
    const v = quotas[name];
    if (v !== undefined) enforce(scope, checkQuota(field, name, v));
    out[name] = v ?? QUOTA_RANGES[name].default;
  }
  return out as ResolvedQuotas;
}
