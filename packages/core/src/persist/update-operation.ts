import type { AttributePath, StoredValue } from './stored-value.js';

/**
 * One step of an atomic update, applied by the backend in a single write. Read-only: core may
 * freeze the operations and hand them to the next request of the same shape.
 */
export type UpdateOperation =
  /** Sets the attribute to the value. */
  | { readonly action: 'set'; readonly path: AttributePath; readonly value: StoredValue }
  /** Removes the attribute. */
  | { readonly action: 'remove'; readonly path: AttributePath }
  /** Adds to a number; a missing attribute counts as 0. */
  | { readonly action: 'add'; readonly path: AttributePath; readonly value: number | bigint }
  /** Appends to a list; a missing attribute counts as an empty list. */
  | {
      readonly action: 'append';
      readonly path: AttributePath;
      readonly value: readonly StoredValue[];
    };
