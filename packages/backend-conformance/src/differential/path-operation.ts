import type { Condition, ItemKey, StoredItem, UpdateOperation } from '@macaron/core';

/**
 * One direct backend call of a path sequence, as plain data: nested paths, values of every
 * stored type and conditions across types, which the model-level operations
 * (`DifferentialOperation`) do not reach. A shrunk counterexample pastes into
 * `checkPathSequence`.
 */
export type PathOperation =
  | { op: 'put'; item: StoredItem; condition?: Condition }
  | { op: 'update'; key: ItemKey; operations: UpdateOperation[]; condition?: Condition }
  | { op: 'delete'; key: ItemKey; condition?: Condition };
