import { describe, expect, it } from 'vitest';
import { MacaronError } from './macaron-error.js';
import {
  AlreadyExistsError,
  BackendError,
  BatchIncompleteError,
  ConditionFailedError,
  ConflictError,
  formatKey,
  InvalidCursorError,
  InvalidKeyError,
  InvalidRequestError,
  type ItemLocation,
  ItemNotFoundError,
  NoBackendError,
  ThrottledError,
  TransactionCanceledError,
  UnreachableError,
  UnsupportedOperationError,
  WriteOutcomeUnknownError,
} from './persistence-errors.js';
import { TableExistsError, TableMismatchError, TableNotFoundError } from './provisioning-errors.js';

const location: ItemLocation = { model: 'Profile', table: 'profiles', key: { profile_id: 'p-1' } };

describe('item errors name the model and key, not the deployment', () => {
  it('leave the physical table (its stage or tenant prefix) to location.table', () => {
    const deployed: ItemLocation = { ...location, table: 'prod-eu1-internal-profiles' };
    for (const error of [
      new ItemNotFoundError(deployed),
      new AlreadyExistsError(deployed),
      new ConflictError(deployed, 3),
    ]) {
      expect(error.message).toContain('Profile {profile_id="p-1"}');
      expect(error.message).not.toContain('prod-eu1-internal');
      expect(error.location.table).toBe('prod-eu1-internal-profiles');
    }
  });
});

describe('[P-79] codes and statuses', () => {
  it.each([
    [new ItemNotFoundError(location), 'ITEM_NOT_FOUND', 404],
    [new AlreadyExistsError(location), 'ALREADY_EXISTS', 409],
    [new ConflictError(location, 3), 'CONFLICT', 409],
    [new ConditionFailedError('no'), 'CONDITION_FAILED', 409],
    [new TransactionCanceledError([]), 'TRANSACTION_CANCELED', 409],
    [new BatchIncompleteError([]), 'BATCH_INCOMPLETE', 503],
    [new ThrottledError('slow down'), 'THROTTLED', 503],
    [new WriteOutcomeUnknownError('maybe'), 'WRITE_OUTCOME_UNKNOWN', 503],
    [new BackendError('engine'), 'BACKEND_ERROR', 500],
    [new InvalidCursorError('cursor'), 'INVALID_CURSOR', 400],
    [new InvalidKeyError('key'), 'INVALID_KEY', 400],
    [new InvalidRequestError('request'), 'INVALID_REQUEST', 400],
    [new NoBackendError('none'), 'NO_BACKEND', 500],
    [new UnsupportedOperationError('no'), 'NOT_SUPPORTED', 501],
    [new TableExistsError(['profiles']), 'TABLE_EXISTS', 409],
    [new TableMismatchError('profiles', ['primary key differs']), 'TABLE_MISMATCH', 409],
    [new TableNotFoundError('no table'), 'TABLE_NOT_FOUND', 500],
  ] as const)('%s has its code and status', (error, code, status) => {
    expect(error).toBeInstanceOf(MacaronError);
    expect(MacaronError.isInstance(error)).toBe(true);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.name).toBe(error.constructor.name);
    expect(error.toErrorJSON()).toMatchObject({ error: code, status });
  });
});

describe('[P-81] item errors carry their location', () => {
  it('ItemNotFoundError', () => {
    const cause = new Error('engine');
    const error = new ItemNotFoundError(location, { cause });
    expect(error.location).toEqual(location);
    expect(error.cause).toBe(cause);
  });

  it('AlreadyExistsError', () => {
    expect(new AlreadyExistsError(location).location).toEqual(location);
  });

  it('ConflictError, with the version it expected', () => {
    const error = new ConflictError(location, 7);
    expect(error.location).toEqual(location);
    expect(error.expectedVersion).toBe(7);
    expect(error.message).toContain('(expected version 7)');
    const unversioned = new ConflictError(location, undefined);
    expect(unversioned.expectedVersion).toBeUndefined();
    // Undefined is also an item loaded without a version (PyMacaron's NULL): not only "none".
    expect(unversioned.message).toContain('(expected no stored item, or one without a version)');
    // A caller that moved the version itself (a port of PyMacaron's `rev += 1`) meets this too.
    expect(error.message).toMatch(
      /, or this object's version property was changed since it was read: save\(\) moves the version itself$/,
    );
  });

  it('keeps a user message for the HTTP layer', () => {
    const error = new ItemNotFoundError(location, { userMessage: 'No such profile' });
    expect(error.toErrorJSON().user_message).toBe('No such profile');
  });
});

describe('batch and transaction errors list what failed', () => {
  it('BatchIncompleteError.unprocessed lists exactly the entries given', () => {
    const unprocessed = Array.from({ length: 12 }, (_, index) => ({
      model: 'Profile',
      table: 'profiles',
      action: index % 2 === 0 ? ('put' as const) : ('delete' as const),
      key: { profile_id: `p-${index}` },
    }));
    const error = new BatchIncompleteError(unprocessed);
    expect(error.unprocessed).toEqual(unprocessed);
    expect(error.unprocessed).toHaveLength(12);
  });

  it('[P-88] BatchIncompleteError and TransactionCanceledError show a model name and a code escaped', () => {
    // Swagger 2.0 does not restrict a schema's name; a backend of another author gives codes.
    const model = 'Evil\nLINE\u202eX';
    const entry = { model, table: 'evil', key: { id: 'a' } };
    const batch = new BatchIncompleteError([{ ...entry, action: 'put' }], {
      unconfirmed: [{ ...entry, action: 'delete' }],
    });
    expect(batch.message).toBe(
      '1 batch entry was not processed and 1 not confirmed: delete "Evil\\nLINE\\u202eX" {id="a"}, put "Evil\\nLINE\\u202eX" {id="a"}',
    );
    expect(batch.unprocessed[0]!.model).toBe(model);
    const canceled = new TransactionCanceledError([
      { index: 0, code: 'CONDITION_FAILED', message: 'x' },
      { index: 1, code: 'ODD\r\nCODE', message: 'y' },
    ]);
    expect(canceled.message).toBe(
      'Transaction cancelled, nothing applied: action 0 CONDITION_FAILED, action 1 "ODD\\r\\nCODE"',
    );
    expect(canceled.reasons[1]!.code).toBe('ODD\r\nCODE');
  });

  it('TransactionCanceledError.reasons lists the failed actions', () => {
    const reasons = [
      { index: 0, code: 'CONDITION_FAILED', message: 'condition' },
      { index: 2, code: 'ALREADY_EXISTS', message: 'exists' },
    ];
    const cause = new Error('TransactionCanceledException');
    const error = new TransactionCanceledError(reasons, { cause });
    expect(error.reasons).toEqual(reasons);
    expect(error.cause).toBe(cause);
  });
});

describe('formatKey', () => {
  it('spells out strings, numbers, bigints and bytes', () => {
    expect(formatKey({ id: 'p-1', n: 5, big: 2n ** 64n, bytes: new Uint8Array([1, 2, 3]) })).toBe(
      '{id="p-1", n=5, big=18446744073709551616n, bytes=<AQID>}',
    );
  });

  it('cuts a long value to 80 characters and escapes what could rewrite a log line', () => {
    const long = formatKey({ id: 'A'.repeat(2000) });
    expect(long).toBe(`{id="${'A'.repeat(79)}…}`);
    expect(formatKey({ id: `a\u202eb\u2028c\u0085d\u001be` })).toBe(
      '{id="a\\u202eb\\u2028c\\u0085d\\u001be"}',
    );
    expect(formatKey({ id: `${'x'.repeat(79)}😀` })).toBe(`{id="${'x'.repeat(79)}…}`);
    // Attribute names come from the spec (any Unicode text): shown escaped too, quoted then.
    expect(formatKey({ 'id\u2028\u202eevil': 'x' })).toBe('{"id\\u2028\\u202eevil"="x"}');
    const error = new ItemNotFoundError({
      model: 'Note',
      table: 'notes',
      key: { id: 'B'.repeat(500) },
    });
    expect(error.message.length).toBeLessThan(120);
    expect(error.location.key.id).toBe('B'.repeat(500));
  });
});

describe('a request never sent', () => {
  it('is a BackendError with notSent: false unless the backend says so; UnreachableError always says so', () => {
    expect(new BackendError('failed').notSent).toBe(false);
    expect(new BackendError('no region', { notSent: true })).toMatchObject({
      code: 'BACKEND_ERROR',
      status: 500,
      notSent: true,
    });
    expect(new UnreachableError('refused').notSent).toBe(true);
    expect(BackendError.isInstance(new UnreachableError('refused'))).toBe(true);
  });

  it('applied nothing (notApplied) whenever it was never sent, or when the backend says so', () => {
    expect(new BackendError('failed').notApplied).toBe(false);
    expect(new BackendError('no region', { notSent: true }).notApplied).toBe(true);
    expect(new BackendError('no region', { notSent: true, notApplied: false }).notApplied).toBe(
      true,
    );
    expect(new BackendError('rolled back', { notApplied: true })).toMatchObject({
      notSent: false,
      notApplied: true,
    });
    expect(new UnreachableError('refused').notApplied).toBe(true);
  });
});

describe('TableExistsError', () => {
  it('created nothing unless told: a backend that cannot create tables atomically names what it created', () => {
    expect(new TableExistsError(['orders']).created).toEqual([]);
    expect(new TableExistsError(['orders']).message).toBe(
      'Table orders exists already; ensureTables reconciles existing tables instead',
    );
    const raced = new TableExistsError(['orders', 'lines'], { created: ['people'] });
    expect(raced.created).toEqual(['people']);
    expect(raced.message).toBe(
      'Tables orders, lines exist already; ensureTables reconciles existing tables instead. Another process created them at the same time as this call created people, which stays',
    );
  });
});
