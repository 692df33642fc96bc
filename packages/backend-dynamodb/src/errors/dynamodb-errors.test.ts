import {
  BackendError,
  ConditionFailedError,
  InvalidRequestError,
  TransactionCanceledError,
  ValidationError,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { toMacaronError } from './dynamodb-errors.js';

describe('DynamoDB errors', () => {
  it('maps cancellation reasons by their own code, never by a name on Object.prototype', () => {
    const error = toMacaronError(
      {
        name: 'TransactionCanceledException',
        CancellationReasons: [
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed' },
          { Code: 'constructor', Message: 'an engine code' },
          { Code: 'toString' },
        ],
      },
      'TransactWriteItems',
      'table',
    );
    expect(error).toBeInstanceOf(TransactionCanceledError);
    expect((error as TransactionCanceledError).reasons).toEqual([
      { index: 1, code: 'CONDITION_FAILED', message: 'ConditionalCheckFailed' },
      { index: 2, code: 'CONSTRUCTOR', message: 'an engine code' },
      { index: 3, code: 'TOSTRING', message: 'toString' },
    ]);
  });

  it('names the physical table only in errors whose message HTTP clients never get (5xx)', () => {
    const table = 'tenant42_profiles';
    const visible = [
      [{ name: 'ConditionalCheckFailedException' }, ConditionFailedError],
      [{ name: 'ValidationException', message: 'Item size has exceeded' }, ValidationError],
      [{ name: 'ValidationException', message: 'Invalid UpdateExpression' }, InvalidRequestError],
    ] as const;
    for (const [sdkError, type] of visible) {
      const error = toMacaronError(sdkError, 'PutItem', table);
      expect(error).toBeInstanceOf(type);
      expect(error.status).toBeLessThan(500);
      expect(error.message).toMatch(/^PutItem/);
      expect(error.message).not.toContain(table);
    }
    const hidden = toMacaronError({ name: 'InternalServerError' }, 'PutItem', table);
    expect(hidden).toBeInstanceOf(BackendError);
    expect(hidden.message).toContain(table);
  });
});
