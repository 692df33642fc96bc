export {
  type AccountShape,
  type BirdShape,
  bindFixtureModels,
  type CatShape,
  type DogShape,
  type EverythingShape,
  type FishShape,
  type FixtureModels,
  type FrogShape,
  type HostileShape,
  type LedgerShape,
  type LineShape,
  type MessageShape,
  type NoteShape,
  type ProfileShape,
  type ReadingShape,
  type SnakeShape,
  type TileShape,
} from './fixtures/fixture-models.js';
export { createFixtureSpec } from './fixtures/fixture-spec.js';
export {
  type AnyBatchEntry,
  createFlakyBackend,
  type FlakyBackend,
  type FlakyBackendOptions,
} from './fixtures/flaky-backend.js';
export { describeAliasing } from './groups/aliasing.js';
export { describeBackendMethods } from './groups/backend-methods.js';
export { describeBatches } from './groups/batch.js';
export { describeBoundaries } from './groups/boundaries.js';
export { describeConditions } from './groups/conditions.js';
export { describeContention } from './groups/contention.js';
export { describeCrud } from './groups/crud.js';
export { describeCursors } from './groups/cursors.js';
export { describeErrors } from './groups/errors.js';
export { describeHostileInput } from './groups/hostile.js';
export { describeQueries } from './groups/query.js';
export { describeRequestsReadOnce } from './groups/read-once.js';
export { describeScans } from './groups/scan.js';
export { describeSharing } from './groups/sharing.js';
export { describeSpecChanges } from './groups/spec-changes.js';
export { describeTransactions } from './groups/transactions.js';
export { describeUpdates } from './groups/update.js';
export { describeValidation } from './groups/validation.js';
export { describeValues } from './groups/values.js';
export { describeVersioning } from './groups/versioning.js';
export type {
  ConformanceFactory,
  ConformanceHarness,
  ConformanceOptions,
  EngineDifference,
  RawAccess,
} from './harness.js';
export { conformanceGroups, runBackendConformance } from './run-backend-conformance.js';
