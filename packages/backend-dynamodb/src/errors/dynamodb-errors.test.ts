import { TransactionCanceledError } from '@macaron/core';
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
});
