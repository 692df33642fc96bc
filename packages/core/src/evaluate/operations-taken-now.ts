import { updateValueTakenNow } from '../persist/check-condition.js';
import { maxNestingDepth } from '../persist/condition-operand.js';
import { checkedByCore } from '../persist/expression-limits.js';
import type { UpdateOperation } from '../persist/update-operation.js';

/**
 * The first `count` operations of a list a backend was given (its length, read once), each read
 * once, as `checkUpdatePaths` checks them and the backend runs them: the list, each operation's
 * `action`, `path` and `value`, the steps of a path, and a value's lists, maps and sets
 * (`updateValueTakenNow`). A Proxy or a getter answering otherwise on a later read, however deep
 * in a value, cannot make what is run differ from what was checked; the snapshot's list,
 * operations, paths and value lists and maps are frozen, so that no write to it later does
 * either. Operations core made and froze are their own snapshot. What is no operation stays as
 * it is, for the check to refuse.
 */
export function operationsTakenNow(
  operations: readonly UpdateOperation[],
  count: number,
): readonly UpdateOperation[] {
  if (checkedByCore(operations)) return operations;
  const taken: unknown[] = [];
  for (let index = 0; index < count; index++) taken.push(operationTakenNow(operations[index]));
  return taken as readonly UpdateOperation[];
}

function operationTakenNow(operation: unknown): unknown {
  if (operation === null || typeof operation !== 'object') return operation;
  const { action, path } = operation as { action: unknown; path: unknown };
  return Object.freeze(
    action === 'remove'
      ? { action, path: pathTakenNow(path) }
      : {
          action,
          path: pathTakenNow(path),
          value: updateValueTakenNow((operation as { value: unknown }).value),
        },
  );
}

/**
 * A list's length as a walk over it reads it (ECMAScript's ToLength): a Proxy's may be anything.
 */
export function listLength(list: readonly unknown[]): number {
  const length = Math.trunc(Number(list.length));
  return length > 0 ? Math.min(length, Number.MAX_SAFE_INTEGER) : 0;
}

// A list of steps is copied (each step read once) up to DynamoDB's depth; a longer one, which
// the check refuses by its length alone (saying it), is stood in for by its length alone.
function pathTakenNow(path: unknown): unknown {
  if (!Array.isArray(path)) return path;
  const length = listLength(path);
  if (length > maxNestingDepth) return { length };
  const steps: unknown[] = [];
  for (let index = 0; index < length; index++) steps.push(path[index]);
  return Object.freeze(steps);
}
