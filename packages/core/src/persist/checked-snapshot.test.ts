import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { checkRequestCondition, frozenCondition } from './check-condition.js';
import type { Condition } from './condition.js';
import { checkItemKey } from './item-key.js';
import { withCallerCondition } from './model-conditions.js';
import { checkGetRequest, checkQueryRequest } from './read-request.js';
import type { TableDescriptor } from './table-descriptor.js';
import { checkTransactionRequest } from './write-request.js';

const table: TableDescriptor = {
  name: 't',
  specName: 't',
  partitionKey: { name: '__proto__', type: 'string' },
  sortKey: { name: 'at', type: 'binary' },
  indexes: [],
} as unknown as TableDescriptor;
const model = { name: 'M', table } as never;

/** A key of `table`: its partition key attribute, named `__proto__`, an own property. */
function keyOf(partition: string): Record<string, unknown> {
  const key: Record<string, unknown> = { at: new Uint8Array([1]) };
  Object.defineProperty(key, '__proto__', {
    value: partition,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return key;
}

/** A key's partition value: its own `__proto__` property. */
function partitionOf(key: object): unknown {
  return Object.getOwnPropertyDescriptor(key, '__proto__')?.value;
}

/** An object whose `name` answers `first` on its first read and `later` after. */
function shifting(base: object, name: string, first: unknown, later: unknown): never {
  let reads = 0;
  return Object.defineProperty({ ...base }, name, {
    enumerable: true,
    get: () => (reads++ === 0 ? first : later),
  }) as never;
}

describe('the checks backends call return what they checked, read once', () => {
  it('checkItemKey returns a new key of the key attributes as read once, bytes copied, __proto__ an own property', () => {
    const bytes = new Uint8Array([1, 2]);
    const key = { at: bytes };
    Object.defineProperty(key, '__proto__', {
      value: 'a',
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const checked = checkItemKey(table, key, 'getItem');
    expect(checked).not.toBe(key);
    expect(Object.hasOwn(checked, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(checked)).toBe(Object.prototype);
    expect(partitionOf(checked)).toBe('a');
    expect(checked.at).toEqual(bytes);
    bytes[0] = 9;
    expect((checked.at as Uint8Array)[0]).toBe(1);
    // Read once: a value that answers otherwise later is the first one.
    const changing = shifting({ at: new Uint8Array([1]) }, '__proto__', 'a', '');
    expect(partitionOf(checkItemKey(table, changing, 'getItem'))).toBe('a');
    expect(() => checkItemKey(table, { at: new Uint8Array([1]) } as never, 'getItem')).toThrow(
      InvalidRequestError,
    );
  });

  it('checkRequestCondition returns a copy of a caller condition as it read once; core’s own conditions as they are', () => {
    const given = shifting({ attr: 'v' }, 'eq', 2, 1);
    const checked = checkRequestCondition(given, 'putItem condition');
    expect(checked).not.toBe(given);
    expect(checked).toEqual({ attr: 'v', eq: 2 });
    expect(checkRequestCondition(undefined, 'putItem condition')).toBeUndefined();
    const frozen = frozenCondition({ attr: 'v', exists: true } as Condition);
    expect(checkRequestCondition(frozen, 'putItem condition')).toBe(frozen);
    const built = withCallerCondition({ attr: 'v', eq: 1 }, frozen)!;
    expect(checkRequestCondition(built, 'putItem condition')).toBe(built);
    // An operation's own condition, built for one call (a version's, an update's guards).
    const own = withCallerCondition(undefined, { attr: 'version', eq: 3 })!;
    expect(checkRequestCondition(own, 'putItem condition')).toBe(own);
    // A caller's copy of core's combination is the caller's: copied.
    const forged = { ...built } as Condition;
    expect(checkRequestCondition(forged, 'putItem condition')).not.toBe(forged);
  });

  it('checkGetRequest returns the request as read once, its key and projection copied', () => {
    const request = shifting({ model, key: keyOf('a') }, 'attributes', ['x'], ['y']);
    const checked = checkGetRequest(request);
    expect(checked).not.toBe(request);
    expect(checked.attributes).toEqual(['x']);
  });

  it('checkQueryRequest keeps the index it was given and copies the partition, sort condition and filter', () => {
    const partition = new Uint8Array([1]);
    const sorted = {
      ...table,
      partitionKey: { name: 'p', type: 'binary' },
      sortKey: { name: 's', type: 'string' },
    };
    const query = {
      model: { name: 'M', table: sorted },
      partition,
      sort: shifting({}, 'gte', 'a', 1),
      filter: shifting({ attr: 'x' }, 'eq', 1, { bad: true }),
      index: 'none',
    } as never;
    const checked = checkQueryRequest(query, undefined);
    expect(checked.index).toBeUndefined();
    expect(checked.partition).not.toBe(partition);
    expect(checked.sort).toEqual({ gte: 'a' });
    expect(checked.filter).toEqual({ attr: 'x', eq: 1 });
  });

  it('checkTransactionRequest returns each action as read once, keys copied', () => {
    const action = shifting({ model, key: keyOf('a') }, 'kind', 'delete', 'bogus');
    const [checked] = checkTransactionRequest([action]);
    expect(checked!.kind).toBe('delete');
    expect(checked).not.toBe(action);
  });
});
