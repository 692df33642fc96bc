import { describe, expect, it } from 'vitest';
import { defineError, MacaronError } from './macaron-error.js';
import { BatchIncompleteError, ConflictError, ItemNotFoundError } from './persistence-errors.js';
import { ValidationError } from './validation-error.js';

// Teams log errors with JSON.stringify (or a logger that calls it): a log call that throws
// loses the error it was logging.
describe('[P-111] an error written by JSON.stringify', () => {
  const big = 2n ** 63n - 1n;

  it('writes an int64 key and version read as bigints, exactly, as a model writes them', () => {
    const error = new ConflictError({ model: 'Counter', table: 'counters', key: { id: big } }, big);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ConflictError',
      code: 'CONFLICT',
      status: 409,
      message: error.message,
      location: { model: 'Counter', table: 'counters', key: { id: '9223372036854775807' } },
      expectedVersion: '9223372036854775807',
    });
    // A bigint a number holds exactly is written as that number.
    const small = new ConflictError({ model: 'Counter', table: 'counters', key: { id: 5n } }, 3n);
    expect(JSON.parse(JSON.stringify(small))).toMatchObject({
      location: { key: { id: 5 } },
      expectedVersion: 3,
    });
  });

  it('writes the keys of a batch that carries bigints and bytes', () => {
    const entry = { model: 'Blob', table: 'blobs', key: { id: big, hash: new Uint8Array([1, 2]) } };
    const error = new BatchIncompleteError([{ ...entry, action: 'put' }], {
      unconfirmed: [{ ...entry, action: 'delete' }],
    });
    const written = JSON.parse(JSON.stringify(error));
    const key = { id: '9223372036854775807', hash: 'AQI=' };
    expect(written.unprocessed).toEqual([{ model: 'Blob', table: 'blobs', action: 'put', key }]);
    expect(written.unconfirmed).toEqual([{ model: 'Blob', table: 'blobs', action: 'delete', key }]);
  });

  it('writes its message and user message, and leaves the cause to the logger', () => {
    const cause = Object.assign(new Error('engine'), { count: 7n });
    const error = new ItemNotFoundError(
      { model: 'Note', table: 'notes', key: { id: 'n1' } },
      { userMessage: 'No such note', cause },
    );
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ItemNotFoundError',
      code: 'ITEM_NOT_FOUND',
      status: 404,
      message: 'No Note {id="n1"}',
      userMessage: 'No such note',
      location: { model: 'Note', table: 'notes', key: { id: 'n1' } },
    });
  });

  it("writes an application error's own fields, and a validation error's problems", () => {
    const UserNotFound = defineError({ code: 'USER_NOT_FOUND', status: 404 });
    const error = Object.assign(new UserNotFound('gone'), { userId: big });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: 'UserNotFoundError',
      code: 'USER_NOT_FOUND',
      userId: '9223372036854775807',
    });
    const problems = [{ pointer: '/n', keyword: 'type', message: 'must be an integer' }];
    expect(JSON.parse(JSON.stringify(new ValidationError('Invalid', problems)))).toMatchObject({
      code: 'VALIDATION_ERROR',
      problems,
    });
    expect(JSON.parse(JSON.stringify(new MacaronError('plain')))).toEqual({
      name: 'MacaronError',
      code: 'SERVER_ERROR',
      status: 500,
      message: 'plain',
    });
  });
});
