/** The names of Macaron's lint rules (in redocly they are prefixed `macaron/`). */
export const macaronRuleNames = [
  'x-persist',
  'schema',
  'storable',
  'int64',
  'nesting-depth',
  'ambiguous-paths',
  'parameter-names',
  'served-operations',
  'pymacaron-extensions',
  'ref-siblings',
  'method-names',
  'discriminator-values',
  'yaml-1-1',
  'expiry',
] as const;

/** One of Macaron's lint rules. */
export type MacaronRuleName = (typeof macaronRuleNames)[number];

/** Severity of each rule in the plugin's `recommended` config. */
export const recommendedSeverity: Record<MacaronRuleName, 'error' | 'warn'> = {
  'x-persist': 'error',
  schema: 'error',
  storable: 'error',
  int64: 'warn',
  'nesting-depth': 'warn',
  'ambiguous-paths': 'error',
  'parameter-names': 'error',
  'served-operations': 'error',
  'pymacaron-extensions': 'warn',
  'ref-siblings': 'warn',
  'method-names': 'warn',
  'discriminator-values': 'warn',
  'yaml-1-1': 'warn',
  expiry: 'warn',
};

/** A problem Macaron finds in a spec, at a JSON pointer of the bundled document. */
export interface SpecFinding {
  /** The rule that reports it. */
  rule: MacaronRuleName;
  /** JSON pointer in the bundled document (without `#`). */
  pointer: string;
  /** What is wrong. */
  message: string;
}
