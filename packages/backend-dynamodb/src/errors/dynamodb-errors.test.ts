import {
  AccessDeniedError,
  BackendError,
  ConditionFailedError,
  InvalidRequestError,
  TableMismatchError,
  TableNotFoundError,
  ThrottledError,
  TransactionCanceledError,
  UnreachableError,
  UnsupportedOperationError,
  ValidationError,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { isAmbiguousFailure, outcomeUnknownName, toMacaronError } from './dynamodb-errors.js';

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

  it('calls a host unreachable "nothing sent" only when no connection was made; on a connected socket the write may have landed', () => {
    for (const [code, syscall] of [
      ['ECONNREFUSED', 'connect'],
      ['EHOSTUNREACH', 'connect'],
      ['ENOTFOUND', 'getaddrinfo'],
    ])
      expect(toMacaronError({ code, syscall }, 'PutItem', 'table')).toBeInstanceOf(
        UnreachableError,
      );
    for (const syscall of ['read', 'write', undefined]) {
      const lost = { code: 'EHOSTUNREACH', syscall };
      expect(isAmbiguousFailure(lost), String(syscall)).toBe(true);
      expect(toMacaronError(lost, 'GetItem', 'table')).not.toBeInstanceOf(UnreachableError);
    }
    expect(isAmbiguousFailure({ code: 'ECONNREFUSED', syscall: 'connect' })).toBe(false);
    expect(
      toMacaronError(
        {
          name: 'ValidationException',
          message: 'Cannot read from backfilling global secondary index: byLabel',
        },
        'Query',
        'table',
      ),
    ).toBeInstanceOf(ThrottledError);
    // The request handler's connectionTimeout: no connection, so nothing sent.
    const timedOut = {
      name: 'TimeoutError',
      message:
        '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 300 ms.',
    };
    expect(isAmbiguousFailure(timedOut)).toBe(false);
    expect(toMacaronError(timedOut, 'PutItem', 'table')).toBeInstanceOf(UnreachableError);
    expect(isAmbiguousFailure({ name: 'TimeoutError', message: 'socket timed out' })).toBe(true);
  });

  it("a write given up on by the request handler's timeout says so, not that the connection failed", () => {
    const unknown = (connectionError: unknown) =>
      toMacaronError({ name: outcomeUnknownName, connectionError }, 'PutItem', 'table');
    const timedOut = {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
      message:
        '@smithy/node-http-handler - [ERROR] a request has exceeded the configured 300 ms requestTimeout.',
    };
    expect(unknown(timedOut)).toBeInstanceOf(WriteOutcomeUnknownError);
    expect(unknown(timedOut).message).toBe(
      "PutItem on table: no answer came within the request handler's timeout after the request was sent, so the write may or may not have been applied; read the item before retrying",
    );
    // The request handler names a reset `TimeoutError` too: a connection that failed.
    const reset = { name: 'TimeoutError', code: 'ECONNRESET', message: 'read ECONNRESET' };
    expect(unknown(reset).message).toContain('the connection failed after the request was sent');
    expect(unknown({ code: 'ECONNRESET', message: 'socket hang up' }).message).toBe(
      'PutItem on table: the connection failed after the request was sent, so the write may or may not have been applied; read the item before retrying',
    );
  });

  it('says why DynamoDB cannot be reached: the code, or the connectionTimeout that has none', () => {
    // The request handler's connectionTimeout: an error without a code (smithy sets none).
    const timedOut = {
      name: 'TimeoutError',
      message:
        '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 300 ms.',
    };
    const unreachable = toMacaronError(timedOut, 'GetItem', 'table');
    expect(unreachable).toBeInstanceOf(UnreachableError);
    expect(unreachable.message).not.toContain('undefined');
    expect(unreachable.message).toBe(
      "GetItem on table: DynamoDB cannot be reached (no connection within the request handler's connectionTimeout); nothing was sent",
    );
    const refused = { code: 'ECONNREFUSED', syscall: 'connect', message: 'connect ECONNREFUSED' };
    expect(toMacaronError(refused, 'GetItem', 'table').message).toBe(
      'GetItem on table: DynamoDB cannot be reached (ECONNREFUSED); nothing was sent',
    );
    // Every address refused: one AggregateError, whose code Node may leave out.
    const all = { name: 'AggregateError', errors: [refused, refused] };
    expect(toMacaronError(all, 'GetItem', 'table').message).toBe(
      'GetItem on table: DynamoDB cannot be reached (ECONNREFUSED); nothing was sent',
    );
    // As Node builds it (autoSelectFamily): the AggregateError takes its first attempt's code
    // as its own, and the message names every attempt's, not only that one.
    const unroutable = {
      code: 'EHOSTUNREACH',
      syscall: 'connect',
      message: 'connect EHOSTUNREACH ::2:9',
    };
    const both = { name: 'AggregateError', code: 'ECONNREFUSED', errors: [refused, unroutable] };
    expect(toMacaronError(both, 'GetItem', 'table').message).toBe(
      'GetItem on table: DynamoDB cannot be reached (ECONNREFUSED, EHOSTUNREACH); nothing was sent',
    );
    // An address that never answered the connect (an IPv6 route that drops packets) beside one
    // that refused: nothing was sent, so a write is not of unknown outcome.
    const silent = { code: 'ETIMEDOUT', syscall: 'connect', message: 'connect ETIMEDOUT ::3:9' };
    const dropped = { name: 'AggregateError', code: 'ETIMEDOUT', errors: [silent, refused] };
    expect(isAmbiguousFailure(dropped)).toBe(false);
    expect(toMacaronError(dropped, 'PutItem', 'table')).toBeInstanceOf(UnreachableError);
    // The same code on a connected socket (its retransmissions given up) came after the request.
    expect(isAmbiguousFailure({ code: 'ETIMEDOUT', syscall: 'read' })).toBe(true);
  });

  it('credentials DynamoDB does not accept are AccessDeniedError (nothing read or written); a control-plane limit is THROTTLED', () => {
    for (const name of ['UnrecognizedClientException', 'ExpiredTokenException'])
      expect(toMacaronError({ name }, 'PutItem', 'table')).toBeInstanceOf(AccessDeniedError);
    expect(
      toMacaronError({ name: 'LimitExceededException' }, 'UpdateTable', 'table'),
    ).toBeInstanceOf(ThrottledError);
    // A gateway's HTML 429 names no exception the SDK knows.
    const gateway = { name: 'Unknown', message: '<html>Too Many Requests</html>' };
    expect(
      toMacaronError({ ...gateway, $metadata: { httpStatusCode: 429 } }, 'GetItem', 'table'),
    ).toBeInstanceOf(ThrottledError);
    expect(isAmbiguousFailure({ ...gateway, $metadata: { httpStatusCode: 429 } })).toBe(false);
    // No credentials to sign with: nothing sent.
    expect(
      toMacaronError({ name: 'CredentialsProviderError', message: 'none' }, 'PutItem', 'table'),
    ).toBeInstanceOf(AccessDeniedError);
  });

  it('every address of a host refusing the connection (one AggregateError, no syscall of its own) is UNREACHABLE: nothing sent', () => {
    const refused = (address: string) => ({
      code: 'ECONNREFUSED',
      syscall: 'connect',
      address,
      message: `connect ECONNREFUSED ${address}:1`,
    });
    const all = {
      name: 'AggregateError',
      code: 'ECONNREFUSED',
      errors: [refused('127.0.0.1'), refused('::1')],
    };
    expect(isAmbiguousFailure(all)).toBe(false);
    expect(toMacaronError(all, 'PutItem', 'table')).toBeInstanceOf(UnreachableError);
    // One reset after connecting: the request may have been sent.
    const mixed = { ...all, errors: [refused('127.0.0.1'), { code: 'ECONNRESET' }] };
    expect(isAmbiguousFailure(mixed)).toBe(true);
  });

  it("a transaction DynamoDB cancels because an update would grow an item past 400 KB is P-15's ValidationError; other cancellations keep their reasons", () => {
    const cancelled = (reasons: { Code: string; Message?: string }[]) => ({
      name: 'TransactionCanceledException',
      CancellationReasons: reasons,
    });
    const tooLarge = toMacaronError(
      cancelled([
        { Code: 'None' },
        {
          Code: 'ValidationError',
          Message: 'Item size to update has exceeded the maximum allowed size',
        },
      ]),
      'TransactWriteItems',
      'table',
    );
    expect(tooLarge).toBeInstanceOf(ValidationError);
    expect(
      toMacaronError(
        cancelled([
          { Code: 'ConditionalCheckFailed' },
          {
            Code: 'ValidationError',
            Message: 'Item size to update has exceeded the maximum allowed size',
          },
        ]),
        'TransactWriteItems',
        'table',
      ),
    ).toBeInstanceOf(TransactionCanceledError);
    // Actions DynamoDB found invalid, and nothing else: the InvalidRequestError the update alone
    // gets (memory, PostgreSQL, moto); with a failed condition beside them, the reasons of both.
    const invalidOperand = {
      Code: 'ValidationError',
      Message: 'An operand in the update expression has an incorrect data type',
    };
    const invalid = toMacaronError(
      cancelled([{ Code: 'None' }, invalidOperand]),
      'TransactWriteItems',
      'table',
    );
    expect(invalid).toBeInstanceOf(InvalidRequestError);
    expect((invalid as Error).message).toContain('incorrect data type');
    // The engine's words quote names (an index's key attribute, any text a spec gives): escaped
    // in the message (P-88), as every other message of DynamoDB's is.
    const named = toMacaronError(
      cancelled([
        {
          Code: 'ValidationError',
          Message:
            'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: by\nMail\u202e, IndexKey: e\nmail',
        },
      ]),
      'TransactWriteItems',
      'table',
    );
    expect(named).toBeInstanceOf(InvalidRequestError);
    expect((named as Error).message).toContain('IndexKey: e\\u000amail');
    expect((named as Error).message).not.toMatch(/[\n\u202e]/u);
    const mixed = toMacaronError(
      cancelled([{ Code: 'ConditionalCheckFailed' }, invalidOperand]),
      'TransactWriteItems',
      'table',
    );
    expect(mixed).toBeInstanceOf(TransactionCanceledError);
    expect((mixed as TransactionCanceledError).reasons.map((reason) => reason.code)).toEqual([
      'CONDITION_FAILED',
      'INVALID_REQUEST',
    ]);
  });

  it("an index key type mismatch on an absent attribute (dynalite's, for names of Object.prototype members) is the engine's limit, not a table made for another spec", () => {
    const absent = toMacaronError(
      {
        name: 'ValidationException',
        message:
          'One or more parameter values were invalid: Type mismatch for Index Key constructor Expected: S Actual: undefined IndexName: byConstructor',
      },
      'PutItem',
      'table',
    );
    expect(absent).toBeInstanceOf(UnsupportedOperationError);
    expect((absent as Error).message).toContain('constructor');
    const mistyped = toMacaronError(
      {
        name: 'ValidationException',
        message:
          'One or more parameter values were invalid: Type mismatch for Index Key region Expected: S Actual: N IndexName: byRegion',
      },
      'PutItem',
      'table',
    );
    expect(mistyped).toBeInstanceOf(TableMismatchError);
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

  it('a request the client could not sign was never sent (notSent, P-108); one DynamoDB refused for its credentials, permissions or a missing table applied nothing (notApplied)', () => {
    const unsigned = toMacaronError(
      { name: 'CredentialsProviderError', message: 'none' },
      'PutItem',
      'table',
    );
    expect(unsigned).toBeInstanceOf(AccessDeniedError);
    expect(unsigned).toMatchObject({ notSent: true, notApplied: true });
    for (const [name, type] of [
      ['UnrecognizedClientException', AccessDeniedError],
      ['AccessDeniedException', AccessDeniedError],
      ['ResourceNotFoundException', TableNotFoundError],
    ] as const) {
      const refused = toMacaronError(
        { name, message: 'refused', $metadata: { httpStatusCode: 400 } },
        'PutItem',
        'table',
      );
      expect(refused).toBeInstanceOf(type);
      expect(refused).toMatchObject({ notSent: false, notApplied: true });
    }
  });
});
