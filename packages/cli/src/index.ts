export { CliError, UsageError } from './cli/cli-error.js';
export type { CliIo, OutputStream } from './cli/cli-io.js';
export { runCli } from './cli/run-cli.js';
export { type GenerateTypesOptions, generateTypes } from './generate/generate-types.js';
export { findSpecProblems } from './lint/find-spec-problems.js';
export { type LintPreset, lintPresets } from './lint/lint-config.js';
export { type LintProblem, type LintSpecOptions, lintSpec } from './lint/lint-spec.js';
export { type MacaronRuleName, macaronRuleNames, type SpecFinding } from './lint/spec-finding.js';
export {
  type TableProperties,
  tableProperties,
  toCloudFormation,
  toTableDefinitions,
} from './tables/export-tables.js';
export { type PlannedChange, planTables } from './tables/plan-tables.js';
