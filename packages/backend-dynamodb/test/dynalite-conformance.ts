import { dynamoDbCapabilities } from '../src/index.js';

// dynalite has no transactions and no TTL: those groups are skipped by capability, with the
// reason in the test name; moto runs them (see the reliability issue).
export const dynaliteCapabilities = { ...dynamoDbCapabilities, transactions: false, ttl: false };

/** The conformance options of a run on dynalite, whichever client the backend is given. */
export const dynaliteConformanceOptions = {
  capabilities: dynaliteCapabilities,
  // P-85 takes 12 to 35 s here when other test runs share the 2 cores (20 s timed it out).
  timeoutMs: 60_000,
  // dynalite serialises writes to an item (about 15 ms each here): 16 writers, fewer cycles.
  contention: { writers: 16, cycles: 5 },
  // dynalite 4's condition evaluation departs from DynamoDB here (docs/engines.md).
  engineDifferences: [
    'add-past-38-digits-stored',
    'conditions-between-and-in-skip-empty-values',
    'conditions-compare-bytes-as-utf8-text',
    'conditions-compare-lists-and-maps-by-reference',
    'conditions-compare-strings-by-utf16',
    'conditions-contains-finds-strings-numbers-bytes-only',
    'key-between-bounds-checked-by-utf16',
    'attributes-named-proto-dropped',
    'update-list-positions-applied-in-turn',
  ],
} as const;
