import { shownName } from '../errors/shown-name.js';
import { ValidationError, type ValidationProblem } from '../errors/validation-error.js';
import { itemSize, valueSizeBound } from './item-size.js';
import type { ItemKey, StoredValue } from './stored-value.js';
import type { UpdateOperation } from './update-operation.js';

/**
 * Why the item an update leaves is above `maxBytes` whatever it held before, or undefined: the
 * update's own values, on paths apart (as `checkUpdatePaths` requires them), each land in it
 * with its attribute's name, beside the key. A value set counts its size, an appended list its
 * size as a list (the list it lands in holds it all), an `add` 1 byte (the least number), a
 * remove nothing. Only an update that can never be stored is refused: what the stored item
 * adds is not known without reading it (the backend counts the item it makes).
 */
export function updatedItemSizeProblem(
  operations: readonly UpdateOperation[],
  key: ItemKey,
  maxBytes: number,
): ValidationProblem | undefined {
  // A cheap bound first (3 bytes a UTF-16 unit, 21 a number, as `sizeAboveLimit`): most updates
  // are counted exactly only when it passes the limit.
  if (leastSize(operations, key, false) <= maxBytes) return undefined;
  const size = leastSize(operations, key, true);
  if (size <= maxBytes) return undefined;
  return {
    pointer: '',
    keyword: 'maxItemBytes',
    message: `would be at least ${size} bytes, above the ${maxBytes}-byte item limit`,
  };
}

/** Throws `updatedItemSizeProblem` as `checkItemSize` throws an item's: `ValidationError`. */
export function checkUpdatedItemSize(
  operations: readonly UpdateOperation[],
  key: ItemKey,
  maxBytes: number,
  where: string,
): void {
  const problem = updatedItemSizeProblem(operations, key, maxBytes);
  if (problem) throw new ValidationError(`${where}: item too large`, [problem]);
}

/**
 * `update()`'s refusal (alone or in a transaction) of an update whose own values pass the item
 * limit, before anything is sent: the `ValidationError` `save()` gives an item too large, at
 * pointer `''` with keyword `maxItemBytes`, whatever the backend (each refused it its own way,
 * DynamoDB after a round trip).
 */
export function checkModelUpdateSize(
  modelName: string,
  operations: readonly UpdateOperation[],
  key: ItemKey,
  maxBytes: number,
): void {
  const problem = updatedItemSizeProblem(operations, key, maxBytes);
  if (problem) throw new ValidationError(`Invalid update of ${shownName(modelName)}`, [problem]);
}

// The least size of the item (exact), or a bound of it at least as large (not exact).
function leastSize(operations: readonly UpdateOperation[], key: ItemKey, exact: boolean): number {
  let size = exact ? itemSize(key as Record<string, StoredValue>) : keyBound(key);
  // Paths apart: an attribute named alone is named once. One holds every value set inside it:
  // its name counts once, however many paths go through it.
  let inside: Set<string> | undefined;
  for (const operation of operations) {
    if (operation.action === 'remove') continue;
    const path = operation.path;
    let name: string | undefined;
    if (typeof path === 'string') name = path;
    else if (typeof path[0] === 'string' && !(inside ??= new Set()).has(path[0])) {
      name = path[0];
      inside.add(name);
    }
    if (name !== undefined) size += exact ? Buffer.byteLength(name) : 3 * name.length;
    if (operation.action === 'add') size += 1;
    else if (exact) size += itemSize({ '': operation.value as StoredValue });
    else size += valueSizeBound(operation.value as StoredValue);
  }
  return size;
}

// At least `itemSize(key)` (3 bytes a UTF-16 unit, 21 a number), without a UTF-8 count.
function keyBound(key: ItemKey): number {
  let bound = 0;
  for (const name of Object.keys(key))
    bound += 3 * name.length + valueSizeBound(key[name] as StoredValue);
  return bound;
}
