import { InvalidRequestError } from '../errors/persistence-errors.js';
import type { StoredItem, StoredValue } from '../persist/stored-value.js';
import type { UpdateOperation } from '../persist/update-operation.js';
import { isBytes, isSet } from '../schema/builtin-values.js';
import { addExactly } from '../schema/exact-number.js';
import { setOwnProperty } from '../schema/own-property.js';
import { pathSegments } from './attribute-path.js';
import { cloneValue } from './clone-value.js';

type Container = Record<string, StoredValue> | StoredValue[];

// The container that holds the last segment of the path; DynamoDB refuses paths whose parents are missing.
function parentOf(item: StoredItem, segments: readonly (string | number)[]): Container {
  let current: StoredValue = item;
  for (const segment of segments.slice(0, -1)) {
    const next: StoredValue | undefined =
      typeof segment === 'number'
        ? Array.isArray(current)
          ? current[segment]
          : undefined
        : isMap(current)
          ? read(current, segment)
          : undefined;
    // Paths go through maps and lists only: a set is a value, as bytes are.
    if (
      next === undefined ||
      next === null ||
      typeof next !== 'object' ||
      isBytes(next) ||
      isSet(next)
    ) {
      throw new InvalidRequestError(
        'The document path provided in the update expression is invalid for update',
      );
    }
    current = next;
  }
  return current as Container;
}

function isMap(value: StoredValue): value is Record<string, StoredValue> {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !isBytes(value) &&
    !isSet(value)
  );
}

// Own properties only: an attribute named `constructor` or `toString` is just an attribute.
function read(container: Container, segment: string | number): StoredValue | undefined {
  if (Array.isArray(container)) return typeof segment === 'number' ? container[segment] : undefined;
  return typeof segment === 'string' && Object.hasOwn(container, segment)
    ? container[segment]
    : undefined;
}

function write(container: Container, segment: string | number, value: StoredValue): void {
  if (Array.isArray(container)) {
    if (typeof segment !== 'number')
      throw new InvalidRequestError('A list position must be a number');
    container[segment] = value;
  } else {
    if (typeof segment !== 'string')
      throw new InvalidRequestError('A map attribute name must be a string');
    // A data property even for `__proto__`, which assignment would take as the prototype.
    setOwnProperty(container, segment, value);
  }
}

/** One change, resolved against the item as it was before the update. */
interface Change {
  container: Container;
  segment: string | number;
  /** The new value; undefined to remove. */
  value: StoredValue | undefined;
}

/**
 * Applies update operations to an item in place, as one DynamoDB UpdateItem would: every path
 * names what it names in the item before the update (`REMOVE l[1], l[2]` removes the second
 * and third elements, not the second and fourth), so each change is worked out first, then
 * values are written, positions past a list's end appended in the order of their numbers,
 * and list elements removed last. Nothing changes when one operation is refused.
 */
export function applyUpdate(item: StoredItem, operations: readonly UpdateOperation[]): void {
  const changes = operations.map((operation) => resolvedChange(item, operation));
  let appended: Map<StoredValue[], Change[]> | undefined;
  let removed: Map<StoredValue[], number[]> | undefined;
  for (const change of changes) {
    const { container, segment, value } = change;
    if (!Array.isArray(container)) {
      if (value !== undefined) write(container, segment, value);
      else if (Object.hasOwn(container, segment)) delete container[segment as string];
      continue;
    }
    const position = segment as number;
    // Past the end there is nothing to remove.
    if (value === undefined) {
      if (position < container.length) listOf((removed ??= new Map()), container).push(position);
    } else if (position < container.length) container[position] = value;
    else listOf((appended ??= new Map()), container).push(change);
  }
  if (appended)
    for (const [list, additions] of appended) {
      additions.sort((left, right) => (left.segment as number) - (right.segment as number));
      for (const { value } of additions) list.push(value!);
    }
  if (removed)
    for (const [list, positions] of removed) {
      positions.sort((left, right) => right - left);
      for (const position of positions) list.splice(position, 1);
    }
}

// An operation's change, worked out on the item as it is (nothing written yet).
function resolvedChange(item: StoredItem, operation: UpdateOperation): Change {
  const segments = pathSegments(operation.path);
  const container = parentOf(item, segments);
  const segment = segments[segments.length - 1]!;
  if (Array.isArray(container) !== (typeof segment === 'number'))
    throw new InvalidRequestError(
      Array.isArray(container)
        ? 'A list position must be a number'
        : 'A map attribute name must be a string',
    );
  return { container, segment, value: newValue(operation, read(container, segment)) };
}

// What an operation makes of the value it names (undefined: removed).
function newValue(
  operation: UpdateOperation,
  stored: StoredValue | undefined,
): StoredValue | undefined {
  switch (operation.action) {
    case 'set':
      return cloneValue(operation.value);
    case 'remove':
      return undefined;
    case 'add': {
      // Only a missing attribute counts as 0: a NULL one is refused, as DynamoDB refuses it.
      const current = stored === undefined ? 0 : stored;
      if (typeof current !== 'number' && typeof current !== 'bigint')
        throw new InvalidRequestError(
          'An operand in the update expression has an incorrect data type',
        );
      return addExactly(current, operation.value);
    }
    case 'append': {
      const current = stored === undefined ? [] : stored;
      if (!Array.isArray(current))
        throw new InvalidRequestError(
          'An operand in the update expression has an incorrect data type',
        );
      return [...current, ...operation.value.map(cloneValue)];
    }
  }
}

function listOf<Value>(lists: Map<StoredValue[], Value[]>, list: StoredValue[]): Value[] {
  let found = lists.get(list);
  if (!found) {
    found = [];
    lists.set(list, found);
  }
  return found;
}
