export type {
  ConformanceFactory,
  ConformanceHarness,
  EngineDifference,
  RawAccess,
} from '../harness.js';
export {
  checkDifferential,
  checkDifferentialSequence,
} from './check-differential.js';
export { checkPathDifferential, checkPathSequence } from './check-path-differential.js';
export type {
  DifferentialFactory,
  DifferentialHarness,
  DifferentialOptions,
} from './differential-harness.js';
export type {
  DifferentialAction,
  DifferentialOperation,
  DifferentialUpdate,
} from './differential-operation.js';
export type { DifferentialEnvironment } from './differential-settings.js';
export type { DifferentialKey, DifferentialModelName } from './differential-spec.js';
export { type KnownSequence, knownSequences } from './known-sequences.js';
export type { PathOperation } from './path-operation.js';
export { runBackendDifferential } from './run-backend-differential.js';
export { type JsonSchemaSuiteOptions, runJsonSchemaSuite } from './run-json-schema-suite.js';
