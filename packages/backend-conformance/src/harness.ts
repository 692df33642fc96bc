import type { ItemKey, StorageBackend, StoredItem } from '@macaron/core';
import type { BackendCapabilities } from '@macaron/core/backend';

/**
 * Direct access to the engine, bypassing core: the suite's second path to check what
 * actually landed in storage and to seed items written by another client.
 */
export interface RawAccess {
  /** The item stored under the key of a physical table, as plain attributes; undefined when none. */
  get(table: string, key: ItemKey): Promise<StoredItem | undefined>;
  /** Writes an item as plain attributes into a physical table, as another client would. */
  put(table: string, item: StoredItem): Promise<void>;
}

/** What the suite needs from a backend for one test. */
export interface ConformanceHarness {
  /** The backend under test, with fresh state. */
  backend: StorageBackend;
  /** Raw reads and writes of the same engine. */
  raw: RawAccess;
  /** Releases what the harness opened (connections, servers); called after each test. */
  close?(): Promise<void>;
}

/** Builds a harness; called once for every test, so each test starts from fresh state. */
export type ConformanceFactory = () => Promise<ConformanceHarness> | ConformanceHarness;

/** Options of `runBackendConformance` and of each group. */
export interface ConformanceOptions {
  /**
   * The capabilities the backend declares, known before any test runs: tests that need
   * a capability are skipped (with the reason in their name) when it is missing.
   */
  capabilities: BackendCapabilities;
  /** Timeout of each test in ms, for engines reached over the network (default: vitest's). */
  timeoutMs?: number;
  /**
   * Where the engine under test departs from DynamoDB's documented behaviour. The
   * documentation wins: the checks it would fail are skipped, with the difference in the
   * test name, and the difference belongs in the engine's docs.
   */
  engineDifferences?: readonly EngineDifference[];
  /** Size of the contention tests: concurrent writers and cycles each (default 16 × 50). */
  contention?: { writers: number; cycles: number };
}

/** A known departure of a test engine from DynamoDB's documented behaviour. */
export type EngineDifference =
  /** Conditions compare lists and maps by reference, so `eq`/`ne`/`in` on them never match (dynalite 4). */
  | 'conditions-compare-lists-and-maps-by-reference'
  /**
   * `contains` looks in a list for a string, a number or bytes only: a null or boolean
   * element is never found (dynalite 4).
   */
  | 'conditions-contains-finds-strings-numbers-bytes-only'
  /** Conditions order strings by UTF-16 code units instead of UTF-8 bytes (dynalite 4). */
  | 'conditions-compare-strings-by-utf16'
  /**
   * A key condition's `between` refuses bounds in UTF-8 byte order that are not in UTF-16
   * order (U+FF61 to U+1F600), although it selects by UTF-8 bytes (dynalite 4).
   */
  | 'key-between-bounds-checked-by-utf16'
  /** `between` and `in` never match an empty string or empty bytes, nor `in` a `false` (dynalite 4). */
  | 'conditions-between-and-in-skip-empty-values'
  /**
   * `beginsWith` and `contains` on bytes compare their UTF-8 decodings, so bytes that are no
   * UTF-8 all match one another (dynalite 4).
   */
  | 'conditions-compare-bytes-as-utf8-text'
  /**
   * An `add` whose sum passes 38 significant digits (on dynalite, or DynamoDB's range of
   * magnitudes) is stored, not refused (dynalite 4, moto 5).
   */
  | 'add-past-38-digits-stored'
  /** Conditions take a missing attribute as equal to null: `eq: null` holds (moto 5). */
  | 'conditions-missing-attribute-equals-null'
  /** Conditions take `true` for the number 1 and `false` for 0, as Python does (moto 5). */
  | 'conditions-booleans-equal-numbers'
  /** `beginsWith` matches strings only, never a prefix of bytes (moto 5). */
  | 'conditions-begins-with-strings-only'
  /** `contains` never finds bytes within a binary attribute (moto 5). */
  | 'conditions-contains-no-bytes'
  /** Items are refused from 405,000 bytes, below DynamoDB's 400 KB (409,600 bytes) (moto 5). */
  | 'items-limited-to-405000-bytes'
  /** Attributes named `__proto__` are dropped, at the top level and in maps (dynalite 4). */
  | 'attributes-named-proto-dropped'
  /** A batch write holding an item past the size limit writes the entries before it (moto 5). */
  | 'batch-write-applies-entries-before-an-oversized-one'
  /**
   * An update expression of 200 clauses or more (`REMOVE` or `SET`) fails with an HTTP 500,
   * though within DynamoDB's limits; 150 apply (moto 5).
   */
  | 'updates-of-200-clauses-fail'
  /** An update that fails for item size keeps the clauses before the failing one (moto 5). */
  | 'update-failing-on-item-size-applies-earlier-clauses'
  /**
   * Updates are held to the engine's own item size limit, not to a `maxItemBytes` declared
   * below it: the backend does not read an item to count what an update makes of it (the
   * DynamoDB backend with `capabilities.maxItemBytes` lowered, P-15).
   */
  | 'updates-held-to-the-engine-item-limit'
  /**
   * An update refused for an operand's type (`ADD` to a string) keeps the clauses before the
   * refused one (moto 5).
   */
  | 'update-refused-for-operand-type-applies-earlier-clauses'
  /**
   * An update's list positions are applied one after another, each on the list the one before
   * left (`REMOVE l[1], l[2]` removes the second and fourth elements), where DynamoDB reads
   * every position in the item before the update (dynalite 4).
   */
  | 'update-list-positions-applied-in-turn';
