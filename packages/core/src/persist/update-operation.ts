import type { AttributePath, StoredValue } from './stored-value.js';

/** One step of an atomic update, applied by the backend in a single write. */
export type UpdateOperation =
  /** Sets the attribute to the value. */
  | { action: 'set'; path: AttributePath; value: StoredValue }
  /** Removes the attribute. */
  | { action: 'remove'; path: AttributePath }
  /** Adds to a number; a missing attribute counts as 0. */
  | { action: 'add'; path: AttributePath; value: number | bigint }
  /** Appends to a list; a missing attribute counts as an empty list. */
  | { action: 'append'; path: AttributePath; value: readonly StoredValue[] };
