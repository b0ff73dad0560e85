/**
 * What a rule is, for the people who read its findings: `docs/rules.md` is generated from these
 * records (`npx projen docs:rules`), and a test fails when a code the library can emit has none.
 *
 * Every rule file exports `RULES: RuleMeta[]` beside its check functions; `lib/rules/catalog.ts`
 * gathers them.
 */
export interface RuleMeta {
  /** The stable code of the findings (`k8s-namespace`); warnings are acknowledged by `cdk-eks-identity:<code>`. */
  readonly code: string;
  /** What a finding of this code is (`note`: informational, reported by `cdk-eks-identity doctor` only). */
  readonly severity: 'error' | 'warning' | 'note';
  /** What it checks, in a few lower-case words. */
  readonly checks: string;
  /** Why: what AWS, EKS or Kubernetes would do with the input otherwise. */
  readonly why: string;
  /** Where the rule is documented (a link), or `observed` with what was observed. */
  readonly source: string;
}
