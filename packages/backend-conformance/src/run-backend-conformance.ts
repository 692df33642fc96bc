import { describe } from 'vitest';
import { describeAliasing } from './groups/aliasing.js';
import { describeBackendMethods } from './groups/backend-methods.js';
import { describeBatches } from './groups/batch.js';
import { describeBoundaries } from './groups/boundaries.js';
import { describeConditions } from './groups/conditions.js';
import { describeContention } from './groups/contention.js';
import { describeCrud } from './groups/crud.js';
import { describeCursors } from './groups/cursors.js';
import { describeErrors } from './groups/errors.js';
import { describeHostileInput } from './groups/hostile.js';
import { describeQueries } from './groups/query.js';
import { describeRequestsReadOnce } from './groups/read-once.js';
import { describeScans } from './groups/scan.js';
import { describeSharing } from './groups/sharing.js';
import { describeSpecChanges } from './groups/spec-changes.js';
import { describeTransactions } from './groups/transactions.js';
import { describeUpdates } from './groups/update.js';
import { describeValidation } from './groups/validation.js';
import { describeValues } from './groups/values.js';
import { describeVersioning } from './groups/versioning.js';
import type { ConformanceFactory, ConformanceOptions } from './harness.js';

/** Every behaviour group, in the order of `docs/persistence-semantics.md`. */
export const conformanceGroups = [
  describeCrud,
  describeValidation,
  describeValues,
  describeVersioning,
  describeUpdates,
  describeConditions,
  describeBoundaries,
  describeQueries,
  describeCursors,
  describeScans,
  describeBatches,
  describeTransactions,
  describeAliasing,
  describeSharing,
  describeContention,
  describeErrors,
  describeHostileInput,
  describeBackendMethods,
  describeRequestsReadOnce,
  describeSpecChanges,
] as const;

/**
 * Registers the whole contract as a vitest suite: `describe(name)` with one `describe`
 * per behaviour group. The factory runs before every test, so each test has fresh state
 * and its own tables; tests a backend's capabilities rule out are skipped, with the
 * reason in their names.
 */
export function runBackendConformance(
  name: string,
  factory: ConformanceFactory,
  options: ConformanceOptions,
): void {
  describe(name, () => {
    for (const group of conformanceGroups) group(factory, options);
  });
}
