import { InvalidRequestError } from '../errors/persistence-errors.js';
import { quotedName } from '../errors/shown-name.js';
import { maxNestingDepth } from '../persist/condition-operand.js';
import type { StoredItem } from '../persist/stored-value.js';
import { isBytes, isSet } from '../schema/builtin-values.js';

/**
 * Refuses, with `InvalidRequestError`, an item to write with an attribute nested deeper than
 * DynamoDB's 32 levels, the attribute counting as the first (DynamoDB stores an attribute of 31
 * maps around a string, and refuses 32), as `save()` validates and `checkUpdatePaths` measures
 * a value set. Every backend refuses such an item alike, however deep, before anything is
 * written; a backend's `putItem`, `batchWrite` and `transactWrite` may be given anything.
 * Items already stored deeper (written by another client) are not refused on their way back
 * through `updatedItem`.
 */
export function checkItemNesting(item: StoredItem, where: string): void {
  for (const name of Object.keys(item)) {
    const value = item[name];
    if (value !== undefined && nestedTooDeep(value, 1))
      throw new InvalidRequestError(
        `${where}: the attribute ${quotedName(name)} holds a value nested deeper than the ${maxNestingDepth} levels DynamoDB nests`,
      );
  }
}

/**
 * True when something inside the value (the value itself at level `depth`, an attribute at 1)
 * lies deeper than DynamoDB's 32 levels. Recurses at most that deep, however deep the value.
 */
export function nestedTooDeep(value: unknown, depth: number): boolean {
  if (depth > maxNestingDepth) return true;
  if (value === null || typeof value !== 'object' || isBytes(value)) return false;
  // A set is one value, its members at its own level (DynamoDB nests maps and lists).
  if (isSet(value)) {
    for (const member of value as Iterable<unknown>)
      if (member !== undefined && nestedTooDeep(member, depth)) return true;
    return false;
  }
  if (Array.isArray(value)) {
    for (const member of value)
      if (member !== undefined && nestedTooDeep(member, depth + 1)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    const member = record[name];
    if (member !== undefined && nestedTooDeep(member, depth + 1)) return true;
  }
  return false;
}
