import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { beforeRequests } from './before-requests.js';

/**
 * Makes a throw of dynalite's own request handling an answer, not the end of the process that
 * hosts the engine. dynalite reads a request in its `end` listener and throws there on some
 * inputs it does not expect (a batch naming a table `__proto__` beside another one: it
 * walks the prototype its own copy gave the request's tables). Thrown from an event listener,
 * that was an uncaught exception: the test run, or the service in development, was gone. Now
 * it is a 500 `InternalFailure`, as DynamoDB answers a fault of its own, which the SDK retries
 * and the backend reports as a `BackendError`. (A domain around each request would catch
 * throws in later callbacks too, but slowed every request of the engine by half: those are
 * caught where they are known to happen, by `guardStorage`.)
 */
export function guardRequests(server: Server): void {
  beforeRequests(server, (request, response) => {
    const on = request.on;
    request.on = function guardedOn(this: IncomingMessage, event, listener) {
      if (event !== 'end') return on.call(this, event, listener);
      return on.call(this, event, (...values: unknown[]) => {
        try {
          (listener as (...values: unknown[]) => void)(...values);
        } catch (error) {
          answerFailure(response, error);
        }
      });
    } as IncomingMessage['on'];
  });
}

/** dynalite's storage module (`dynalite/db`), as far as `guardStorage` uses it. */
export interface DynaliteStorage {
  updateIndexes?: (...values: unknown[]) => unknown;
  validateKey?: (...values: unknown[]) => unknown;
  validateItem?: (...values: unknown[]) => unknown;
}

const guardedStorage = new WeakSet<object>();

/**
 * Makes a failure of dynalite while it works out or writes an item's index entries a 500
 * `InternalFailure` answer. An update that removes an index key named `__proto__` (an
 * attribute dynalite drops, then reads as the inherited member) threw there, in a callback of
 * its storage, with the item's lock held: the process ended, and, once that throw was caught,
 * every later write of the item waited for ever. dynalite answers an error that carries its
 * status, and throws any other: both the throw and an error handed back are given one.
 */
export function guardStorage(storage: DynaliteStorage): void {
  const updateIndexes = storage.updateIndexes;
  if (typeof updateIndexes !== 'function' || guardedStorage.has(storage)) return;
  guardedStorage.add(storage);
  storage.updateIndexes = function guardedUpdateIndexes(this: unknown, ...values: unknown[]) {
    const callback = values.at(-1) as (error?: unknown, ...results: unknown[]) => void;
    let called = false;
    // Called once at most: the item's lock is released once, one answer sent.
    values[values.length - 1] = (error?: unknown, ...results: unknown[]) => {
      if (called) return;
      called = true;
      callback(error ? withStatus(error) : error, ...results);
    };
    try {
      return updateIndexes.apply(this, values);
    } catch (error) {
      // A throw after the callback is the rest of the request's own (its write, its answer):
      // left to go on as before. One before it is the index step's, answered here.
      if (called) throw error;
      called = true;
      callback(withStatus(error));
      return undefined;
    }
  };
}

const withoutPrototype = new WeakSet<object>();

/**
 * Gives the key and the item of every request dynalite checks no prototype. dynalite reads
 * attributes of a request's `Key` and `Item` (plain objects of its parsed body) as
 * `value[name]`, so a name of an `Object.prototype` member found the inherited member: an update
 * of an item not stored yet (`ADD constructor :n`, `SET toString = list_append(if_not_exists(
 * toString, :e), :l)`) was refused ("An operand in the update expression has an incorrect data
 * type"), and a put of an item without an index key attribute named `constructor` was refused
 * as a type mismatch for that key, where DynamoDB and moto create the item, and leave it out of
 * the index (P-88: such names are data). `validateKey` is the first thing GetItem, UpdateItem
 * and DeleteItem do with their `Key` (Query and Scan with their start key), `validateItem` with
 * the `Item` of PutItem, BatchWriteItem and TransactWriteItems; both read only own attributes.
 * `updateIndexes` reads the index keys of the stored item too, which comes from the store with
 * `Object.prototype`: in a table with an index keyed by such a name (`toString`), every put,
 * update or delete of a stored item without that attribute found the inherited function as its
 * old index key and failed (a 500, so a `WriteOutcomeUnknownError`): the item could never be
 * changed or deleted. It is given copies of the stored and the new item without a prototype.
 */
export function requestValuesWithoutPrototypes(storage: DynaliteStorage): void {
  if (withoutPrototype.has(storage)) return;
  withoutPrototype.add(storage);
  for (const name of ['validateKey', 'validateItem'] as const) {
    const validate = storage[name];
    if (typeof validate !== 'function') continue;
    storage[name] = function validateWithoutPrototype(this: unknown, ...values: unknown[]) {
      const value = values[0];
      if (
        value !== null &&
        typeof value === 'object' &&
        Object.getPrototypeOf(value) === Object.prototype
      )
        Object.setPrototypeOf(value, null);
      return validate.apply(this, values);
    };
  }
  const updateIndexes = storage.updateIndexes;
  if (typeof updateIndexes !== 'function') return;
  // (store, table, existingItem, item, callback): the items are read for their top-level index
  // key attributes alone, so a shallow copy is enough; the store keeps the originals.
  storage.updateIndexes = function updateIndexesWithoutPrototypes(
    this: unknown,
    ...values: unknown[]
  ) {
    for (const position of [2, 3]) values[position] = withoutPrototypeCopy(values[position]);
    return updateIndexes.apply(this, values);
  };
}

// The same attributes in an object without a prototype; anything else as it is.
function withoutPrototypeCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) === null)
    return value;
  return Object.assign(Object.create(null) as object, value);
}

// An error as dynalite answers its own: with a status and a body, which it sends.
function withStatus(error: unknown): unknown {
  if ((error as { statusCode?: unknown } | null)?.statusCode !== undefined) return error;
  return {
    statusCode: 500,
    body: failureBody(error),
  };
}

function failureBody(error: unknown) {
  return {
    __type: 'com.amazonaws.dynamodb.v20120810#InternalFailure',
    message: `The embedded engine (dynalite) failed on this request: ${error instanceof Error ? error.message : String(error)}`,
  };
}

function answerFailure(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify(failureBody(error));
  response.statusCode = 500;
  response.setHeader('Content-Type', 'application/x-amz-json-1.0');
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(body);
}
