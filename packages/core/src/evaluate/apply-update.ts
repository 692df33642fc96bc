import { InvalidRequestError } from '../errors/persistence-errors.js';
import type { StoredItem, StoredValue } from '../persist/stored-value.js';
import type { UpdateOperation } from '../persist/update-operation.js';
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
    if (
      next === undefined ||
      next === null ||
      typeof next !== 'object' ||
      next instanceof Uint8Array
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
    !(value instanceof Uint8Array) &&
    !(value instanceof Set)
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
    // DynamoDB appends when the position is past the end.
    if (segment >= container.length) container.push(value);
    else container[segment] = value;
  } else {
    if (typeof segment !== 'string')
      throw new InvalidRequestError('A map attribute name must be a string');
    // A data property even for `__proto__`, which assignment would take as the prototype.
    setOwnProperty(container, segment, value);
  }
}

function remove(container: Container, segment: string | number): void {
  if (Array.isArray(container)) {
    if (typeof segment === 'number' && segment < container.length) container.splice(segment, 1);
  } else if (typeof segment === 'string' && Object.hasOwn(container, segment))
    delete container[segment];
}

/** Applies update operations to an item in place, as one DynamoDB UpdateItem would. */
export function applyUpdate(item: StoredItem, operations: readonly UpdateOperation[]): void {
  for (const operation of operations) {
    const segments = pathSegments(operation.path);
    const container = parentOf(item, segments);
    const last = segments[segments.length - 1]!;
    switch (operation.action) {
      case 'set':
        write(container, last, cloneValue(operation.value));
        break;
      case 'remove':
        remove(container, last);
        break;
      case 'add': {
        // Only a missing attribute counts as 0: a NULL one is refused, as DynamoDB refuses it.
        const stored = read(container, last);
        const current = stored === undefined ? 0 : stored;
        if (typeof current !== 'number' && typeof current !== 'bigint') {
          throw new InvalidRequestError(
            'An operand in the update expression has an incorrect data type',
          );
        }
        write(container, last, addExactly(current, operation.value));
        break;
      }
      case 'append': {
        const stored = read(container, last);
        const current = stored === undefined ? [] : stored;
        if (!Array.isArray(current))
          throw new InvalidRequestError(
            'An operand in the update expression has an incorrect data type',
          );
        write(container, last, [...current, ...operation.value.map(cloneValue)]);
        break;
      }
    }
  }
}
