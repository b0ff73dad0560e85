import { RuleMeta } from './rule-meta';

/** The spec file's own rules (the JSON Schema of identity.yaml). */
export const RULES: RuleMeta[] = [
  {
    code: 'spec-schema',
    severity: 'error',
    checks: 'the spec file follows the identity.yaml schema (known keys, types, required keys)',
    why: 'an unknown or misspelled key would otherwise be ignored without a word',
    source: 'https://json-schema.org/draft/2020-12/json-schema-validation',
  },
];
