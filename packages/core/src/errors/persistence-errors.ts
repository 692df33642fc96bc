import { isBytes } from '../schema/builtin-values.js';
import { keepClassNames } from './class-names.js';
import { MacaronError, type MacaronErrorOptions, nameErrorClass } from './macaron-error.js';
import { shownName, shownText } from './shown-name.js';
import { shownBigint } from './shown-number.js';

/** Where a persistence error happened: model, table and key of the item. */
export interface ItemLocation {
  /** The model (schema) name. */
  model: string;
  /** The physical table name. */
  table: string;
  /** The item's key attributes. */
  key: Record<string, unknown>;
}

/**
 * An item as messages name it: the model and key, not the table. Messages reach HTTP replies,
 * and the physical table name (its prefix naming a stage or a tenant) is the deployment's, not
 * the client's.
 */
export function describeItem(location: ItemLocation): string {
  return `${shownName(location.model)} ${formatKey(location.key)}`;
}

/**
 * Formats a key for messages: strings as JSON, bigints and bytes spelt out. A value is cut
 * to 80 characters (then `…`) and characters that could rewrite a log line or a terminal are
 * escaped, in attribute names too (quoted then): a key comes from a caller, its names from the
 * spec, and messages reach logs and replies. The whole key is
 * the error's `location.key`.
 */
export function formatKey(key: Record<string, unknown>): string {
  const parts = Object.entries(key).map(
    ([name, value]) => `${shownName(name)}=${formatKeyValue(value)}`,
  );
  return `{${parts.join(', ')}}`;
}

const maxKeyValueLength = 80;

function formatKeyValue(value: unknown): string {
  const text =
    typeof value === 'bigint'
      ? shownBigint(value)
      : isBytes(value)
        ? `<${Buffer.from(value).toString('base64')}>`
        : (JSON.stringify(value) ?? String(value));
  let kept = text.length > maxKeyValueLength ? text.slice(0, maxKeyValueLength) : text;
  // Never cut a surrogate pair in half.
  if (kept.length < text.length && /[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  const escaped = shownText(kept);
  return kept.length < text.length ? `${escaped}…` : escaped;
}

/** Base for errors about one stored item. */
export abstract class ItemError extends MacaronError {
  /** The model, table and key concerned. */
  readonly location: ItemLocation;
  constructor(message: string, location: ItemLocation, options?: MacaronErrorOptions) {
    super(message, options);
    this.location = location;
  }
}
nameErrorClass(ItemError, '@macaron/core#ItemError');

/** `load()` found no item under the key. */
export class ItemNotFoundError extends ItemError {
  static override code = 'ITEM_NOT_FOUND';
  static override status = 404;
  constructor(location: ItemLocation, options?: MacaronErrorOptions) {
    super(`No ${describeItem(location)}`, location, options);
  }
}

/** `create()` found an item under the key already. */
export class AlreadyExistsError extends ItemError {
  static override code = 'ALREADY_EXISTS';
  static override status = 409;
  constructor(location: ItemLocation, options?: MacaronErrorOptions) {
    super(`${describeItem(location)} exists already`, location, options);
  }
}

/** Optimistic locking: the stored version is not the one this object was read at. */
export class ConflictError extends ItemError {
  static override code = 'CONFLICT';
  static override status = 409;
  /** The version this object expected to find stored (undefined: expected no item, or an item without one). */
  readonly expectedVersion: number | bigint | undefined;
  constructor(
    location: ItemLocation,
    expectedVersion: number | bigint | undefined,
    options?: MacaronErrorOptions,
  ) {
    super(
      // The second cause is a caller's: a handler ported from code that moved the version
      // itself (PyMacaron's `rev += 1` before `save_to_db()`) meets this on every save.
      `${describeItem(location)} was changed by someone else (expected ${
        expectedVersion === undefined
          ? 'no stored item, or one without a version'
          : `version ${expectedVersion}`
      }), or this object's version property was changed since it was read: save() moves the version itself`,
      location,
      options,
    );
    this.expectedVersion = expectedVersion;
  }
}

/** A caller's condition did not hold; nothing was written. */
export class ConditionFailedError extends MacaronError {
  static override code = 'CONDITION_FAILED';
  static override status = 409;
}

/** Why one action of a cancelled transaction failed. */
export interface TransactionCancelReason {
  /** Position of the action in the transaction, from 0. */
  index: number;
  /**
   * `ALREADY_EXISTS`, `CONFLICT` or `CONDITION_FAILED` (a caller's condition, a check, an update
   * of a missing item), or the engine's: `TRANSACTION_CONFLICT`, `THROTTLED`, …
   */
  code: string;
  /** What went wrong with that action. */
  message: string;
}

/** A transaction was cancelled: none of its writes were applied. */
export class TransactionCanceledError extends MacaronError {
  static override code = 'TRANSACTION_CANCELED';
  static override status = 409;
  /** The actions that caused the cancellation (others are not listed). */
  readonly reasons: readonly TransactionCancelReason[];
  constructor(reasons: readonly TransactionCancelReason[], options?: MacaronErrorOptions) {
    super(
      `Transaction cancelled, nothing applied: ${reasons
        .map((reason) => `action ${reason.index} ${shownName(String(reason.code))}`)
        .join(', ')}`,
      options,
    );
    this.reasons = reasons;
  }
}

/** A write or read the engine left undone in a batch, after every retry. */
export interface UnprocessedEntry {
  /** The model of the item. */
  model: string;
  /** The physical table name. */
  table: string;
  /** `put`, `delete` or `get`. */
  action: 'put' | 'delete' | 'get';
  /** The item's key attributes. */
  key: Record<string, unknown>;
}

/**
 * A batch left items unprocessed after every retry. `unprocessed` lists exactly what was
 * not written (or read); everything else was.
 */
export class BatchIncompleteError extends MacaronError {
  static override code = 'BATCH_INCOMPLETE';
  static override status = 503;
  /** Exactly the entries that were not processed. */
  readonly unprocessed: readonly UnprocessedEntry[];
  /**
   * Entries of the request that failed in flight (a lost connection, an engine error): they
   * may or may not have been written. Writing them again is safe: batch writes are puts and
   * deletes of whole items.
   */
  readonly unconfirmed: readonly UnprocessedEntry[];
  constructor(
    unprocessed: readonly UnprocessedEntry[],
    options: MacaronErrorOptions & { unconfirmed?: readonly UnprocessedEntry[] } = {},
  ) {
    const unconfirmed = options.unconfirmed ?? [];
    super(
      `${unprocessed.length} batch entr${unprocessed.length === 1 ? 'y was' : 'ies were'} not processed${
        unconfirmed.length > 0 ? ` and ${unconfirmed.length} not confirmed` : ''
      }: ${[...unconfirmed, ...unprocessed]
        .slice(0, 10)
        .map((entry) => `${entry.action} ${shownName(entry.model)} ${formatKey(entry.key)}`)
        .join(', ')}${unprocessed.length + unconfirmed.length > 10 ? ', …' : ''}`,
      options,
    );
    this.unprocessed = unprocessed;
    this.unconfirmed = unconfirmed;
  }
}

/** The engine throttled the request beyond every retry. */
export class ThrottledError extends MacaronError {
  static override code = 'THROTTLED';
  static override status = 503;
}

/**
 * The connection failed after the request may have reached the engine: the write may or
 * may not have been applied. Read the item back before retrying a non-idempotent write.
 */
export class WriteOutcomeUnknownError extends MacaronError {
  static override code = 'WRITE_OUTCOME_UNKNOWN';
  static override status = 503;
}

/** Options of `BackendError` and its subclasses. */
export interface BackendErrorOptions extends MacaronErrorOptions {
  /** The request was never sent (see `BackendError.notSent`). */
  notSent?: boolean;
  /**
   * The engine answered that it applied none of the request (see `BackendError.notApplied`);
   * implied by `notSent`, which a `false` here does not override.
   */
  notApplied?: boolean;
}

/** Any other failure of the storage engine; the engine's error is the `cause`. */
export class BackendError extends MacaronError {
  static override code = 'BACKEND_ERROR';
  static override status = 500;

  /**
   * True when the request was never sent (a client that cannot send it: no region, say), so
   * nothing was read or written, in a batch or a transaction either: `saveMany` lists such a
   * chunk as not written rather than unconfirmed. False says nothing either way.
   */
  readonly notSent: boolean;

  /**
   * True when nothing of the request was applied: it was never sent (`notSent`), or the engine
   * answered with an error that undoes all of it (on PostgreSQL, an error the server answered a
   * statement with, not an internal or system one: the statement and its transaction are
   * rolled back). `saveMany` and `deleteMany` list such a chunk as not written rather than
   * unconfirmed. False says nothing either way.
   */
  readonly notApplied: boolean;

  constructor(message: string, options: BackendErrorOptions = {}) {
    super(message, options);
    this.notSent = options.notSent ?? false;
    this.notApplied = this.notSent || (options.notApplied ?? false);
  }
}

/**
 * The engine could not be reached (a connection refused, an unknown host, a server starting up
 * or shutting down, a backend the application closed): the request was never sent, so nothing was read or written, in a batch or
 * a transaction either, and a retry later is safe. A `BackendError`, so code that
 * catches those catches it too.
 */
export class UnreachableError extends BackendError {
  static override code = 'UNREACHABLE';
  static override status = 503;

  constructor(message: string, options: BackendErrorOptions = {}) {
    super(message, { ...options, notSent: options.notSent ?? true });
  }
}

/**
 * The engine refused the request for want of permission (an IAM policy, a database role's
 * privileges, a row-level security policy): nothing was read or written, in a batch or a
 * transaction either. A `BackendError`, so code that catches those catches it too.
 */
export class AccessDeniedError extends BackendError {
  static override code = 'ACCESS_DENIED';
  static override status = 500;
}

/** A cursor that was tampered with or belongs to another query. */
export class InvalidCursorError extends MacaronError {
  static override code = 'INVALID_CURSOR';
  static override status = 400;
}

/** A key that is missing attributes, has extra ones or values of the wrong type. */
export class InvalidKeyError extends MacaronError {
  static override code = 'INVALID_KEY';
  static override status = 400;
}

/** A request the API cannot carry out as asked (unknown index, update of a key, …). */
export class InvalidRequestError extends MacaronError {
  static override code = 'INVALID_REQUEST';
  static override status = 400;
}

/** A backend is needed but none was given to `loadApi`. */
export class NoBackendError extends MacaronError {
  static override code = 'NO_BACKEND';
  static override status = 500;
}

/** The backend cannot do this (e.g. transactions on an engine without them). */
export class UnsupportedOperationError extends MacaronError {
  static override code = 'NOT_SUPPORTED';
  static override status = 501;
}

// Names that no minifier changes (see `keepClassNames`).
keepClassNames({
  ItemError,
  ItemNotFoundError,
  AlreadyExistsError,
  ConflictError,
  ConditionFailedError,
  TransactionCanceledError,
  BatchIncompleteError,
  ThrottledError,
  WriteOutcomeUnknownError,
  BackendError,
  UnreachableError,
  AccessDeniedError,
  InvalidCursorError,
  InvalidKeyError,
  InvalidRequestError,
  NoBackendError,
  UnsupportedOperationError,
});
