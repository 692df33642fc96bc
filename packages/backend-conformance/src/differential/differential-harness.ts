import type { StorageBackend } from '@macaron/core';
import type { BackendCapabilities } from '@macaron/core/backend';
import type { EngineDifference, RawAccess } from '../harness.js';

/**
 * What a differential run needs from a backend for one sequence: a `ConformanceHarness`
 * fits, so a backend's conformance factory serves here unchanged.
 */
export interface DifferentialHarness {
  /** The backend, with tables of its own for this sequence (each loads its own table prefix). */
  backend: StorageBackend;
  /**
   * Raw reads of the same engine, bypassing core: the stored items are compared through them at
   * the end of each sequence. Without them the backend's own `getItem` reads them, which is
   * enough for the reference but hides from the backend under test what its reads get wrong.
   */
  raw?: Pick<RawAccess, 'get'>;
  /** Releases what the harness opened; called after each sequence. */
  close?(): Promise<void>;
}

/** Builds a harness; called for every sequence, on the reference and on the backend under test. */
export type DifferentialFactory = () => Promise<DifferentialHarness> | DifferentialHarness;

/** Runs `run` on a harness of its own from `factory`, released after, whatever happens. */
export async function onFreshHarness<T>(
  factory: DifferentialFactory,
  run: (harness: DifferentialHarness) => Promise<T>,
): Promise<T> {
  const harness = await factory();
  try {
    return await run(harness);
  } finally {
    await harness.close?.();
  }
}

/** Options of `runBackendDifferential` and `checkDifferential`. */
export interface DifferentialOptions {
  /** The backend whose behaviour is right, e.g. `@macaron/backend-memory`'s. */
  reference: DifferentialFactory;
  /** The capabilities of the backend under test: transactions are drawn only when it has them. */
  capabilities: BackendCapabilities;
  /**
   * Where the engine under test departs from DynamoDB's documented behaviour: operations
   * that would meet a difference are not drawn (see `EngineDifference`). The nested-path
   * property draws around dynalite's differences only (see `paths`).
   */
  engineDifferences?: readonly EngineDifference[];
  /**
   * The nested-path property (direct `putItem`, `updateItem` and `deleteItem` calls), on by
   * default. `wholeNumbers` draws no fractional number, for a backend that stores a sum no
   * JavaScript number holds where the reference refuses it (DynamoDB, P-98); `false` leaves the
   * property out, for an engine with other departures there: it draws around dynalite's
   * differences, not moto's (a `beginsWith` of bytes, booleans beside numbers, updates of
   * several actions with an `add` or `append`), nor those no `EngineDifference` declares.
   */
  paths?: false | { wholeNumbers?: boolean };
  /** Sequences per run (default 25); the `DIFFERENTIAL_RUNS` variable overrides it. */
  runs?: number;
  /** The seed of bounded runs (default 20261126); `DIFFERENTIAL_SEED` overrides it. */
  seed?: number;
  /** The longest sequence (default 15); `DIFFERENTIAL_MAX_OPERATIONS` overrides it. */
  maxOperations?: number;
  /** Timeout of a bounded run and of each fixed sequence, in ms (default 120,000). */
  timeoutMs?: number;
}
