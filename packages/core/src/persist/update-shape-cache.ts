import type { ModelDescriptor } from './table-descriptor.js';
import type { UpdateOperation } from './update-operation.js';

// `update()` of a counter sends the same change again and again (`{ add: { n: 1 } }`): its
// operations, guards and condition depend only on the model, the names and the deltas, so the
// last add-only change of each model is kept, frozen, with what was prepared from it. One
// entry a model: names and deltas are the caller's input, and must not grow a cache.

interface AddOnlyEntry {
  readonly adds: readonly (readonly [string, unknown])[];
  readonly operations: readonly UpdateOperation[];
  /** Whether the operations alone were checked against DynamoDB's expression limits. */
  limitsChecked: boolean;
}

const lastAddOnly = new WeakMap<ModelDescriptor, AddOnlyEntry>();

/**
 * The operations made last for this model from the same add-only change (the same names, in
 * the same order, with the same deltas), or undefined.
 */
export function repeatedAddOnly(
  model: ModelDescriptor,
  adds: readonly (readonly [string, unknown])[],
): AddOnlyEntry | undefined {
  const entry = lastAddOnly.get(model);
  if (entry === undefined || entry.adds.length !== adds.length) return undefined;
  for (let index = 0; index < adds.length; index++) {
    const [name, delta] = adds[index]!;
    const [keptName, keptDelta] = entry.adds[index]!;
    // Object.is: 1 and 1n, 0 and -0 are different changes.
    if (name !== keptName || !Object.is(delta, keptDelta)) return undefined;
  }
  return entry;
}

/** Keeps valid operations made from an add-only change, frozen, and returns them. */
export function keepAddOnly(
  model: ModelDescriptor,
  adds: readonly (readonly [string, unknown])[],
  operations: UpdateOperation[],
  limitsChecked: boolean,
): readonly UpdateOperation[] {
  for (const operation of operations) Object.freeze(operation);
  Object.freeze(operations);
  lastAddOnly.set(model, { adds, operations, limitsChecked });
  return operations;
}

// What `prepareUpdate` made of such operations without a caller's condition: the same
// operations, so the same guards and condition.
const preparedByOperations = new WeakMap<readonly UpdateOperation[], object>();

/** What was prepared from these kept operations, without a caller's condition. */
export function preparedBefore<Prepared extends object>(
  operations: readonly UpdateOperation[],
): Prepared | undefined {
  return preparedByOperations.get(operations) as Prepared | undefined;
}

/** Keeps what was prepared, without a caller's condition, from operations `keepAddOnly` kept. */
export function keepPrepared(operations: readonly UpdateOperation[], prepared: object): void {
  preparedByOperations.set(operations, prepared);
}
