import {
  AccessDeniedError,
  InvalidRequestError,
  TableNotFoundError,
  ThrottledError,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { CommitOutcomeUnknown, NotSent } from '../client/sql-client.js';
import { toMacaronError } from './postgres-errors.js';

// As node-postgres reports a server's error: its SQLSTATE and fields.
const serverError = (code: string, fields: Record<string, string>) =>
  Object.assign(new Error(`new row for relation "${fields.table}" violates a rule`), {
    code,
    ...fields,
  });

describe('PostgreSQL errors', () => {
  it("PgBouncer's refusals (08P01) by each of its words: credentials an AccessDeniedError, its limits and waits a ThrottledError, nothing sent", () => {
    const refusal = (message: string) =>
      toMacaronError(
        new NotSent(Object.assign(new Error(message), { code: '08P01' })),
        'PutItem',
        'statement',
      );
    for (const words of [
      'password authentication failed',
      'SASL authentication failed',
      'certificate authentication failed',
      'no such user',
      'login rejected',
    ])
      expect(refusal(words), words).toBeInstanceOf(AccessDeniedError);
    for (const words of [
      'no more connections allowed (max_client_conn)',
      'client connections exceeded (max_user_client_connections)',
      'client connections exceeded (max_db_client_connections)',
      'query_wait_timeout',
      'client_login_timeout (server down)',
    ])
      expect(refusal(words), words).toBeInstanceOf(ThrottledError);
    expect(
      refusal('server login has been failing, try again later (server_login_retry)'),
    ).not.toBeInstanceOf(ThrottledError);
  });

  it("PgBouncer's words are its refusals only under its SQLSTATE (08P01): the same words raised by the database (a function's RAISE) are the server's error", () => {
    for (const message of ['query_wait_timeout', 'password authentication failed']) {
      const raised = Object.assign(new Error(message), { code: 'P0001' });
      for (const error of [
        toMacaronError(raised, 'PutItem', 'statement'),
        toMacaronError(new NotSent(raised), 'PutItem', 'statement'),
      ]) {
        expect(error).not.toBeInstanceOf(ThrottledError);
        expect(error).not.toBeInstanceOf(AccessDeniedError);
      }
    }
  });

  it('a connection lost once a single write statement was sent: the write may be applied (WriteOutcomeUnknownError); in a transaction before COMMIT, it was not', () => {
    const lost = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const statement = toMacaronError(lost, 'PutItem', 'statement');
    expect(WriteOutcomeUnknownError.isInstance(statement)).toBe(true);
    expect(statement).toMatchObject({ code: 'WRITE_OUTCOME_UNKNOWN' });
    const transaction = toMacaronError(lost, 'UpdateItem', 'transaction');
    expect(WriteOutcomeUnknownError.isInstance(transaction)).toBe(false);
    expect(transaction).toMatchObject({ code: 'BACKEND_ERROR' });
  });

  it("says what befell the statement: node-postgres's query_timeout gave up on it, or the server ended the session (transaction_timeout), not that the connection failed", () => {
    // node-postgres's query_timeout: the connection is sound; the client stopped waiting.
    const gaveUp = new Error('Query read timeout');
    const statement = toMacaronError(gaveUp, 'PutItem', 'statement');
    expect(WriteOutcomeUnknownError.isInstance(statement)).toBe(true);
    expect(statement.message).toBe(
      "PostgreSQL PutItem: no answer within node-postgres's query_timeout after the statement was sent; the server may still apply it, so the write may or may not be applied",
    );
    expect(toMacaronError(gaveUp, 'UpdateItem', 'transaction').message).toBe(
      "PostgreSQL UpdateItem: no answer within node-postgres's query_timeout; the transaction was not committed",
    );
    expect(toMacaronError(gaveUp, 'GetItem', 'read').message).toBe(
      "PostgreSQL GetItem: no answer within node-postgres's query_timeout",
    );
    // The server did not answer in time, and nothing was committed: THROTTLED (503), as the
    // server's statement_timeout (57014) is, on a read and on a transaction before COMMIT.
    for (const exposure of ['read', 'transaction'] as const) {
      const timedOut = toMacaronError(gaveUp, 'GetItem', exposure);
      expect(ThrottledError.isInstance(timedOut)).toBe(true);
      expect(timedOut.status).toBe(503);
      expect(timedOut.cause).toBe(gaveUp);
    }
    expect(
      toMacaronError(
        Object.assign(new Error('canceling statement due to statement timeout'), {
          code: '57014',
          severity: 'ERROR',
        }),
        'GetItem',
        'read',
      ),
    ).toMatchObject({ code: 'THROTTLED', status: 503 });
    const commit = toMacaronError(
      new CommitOutcomeUnknown(gaveUp),
      'TransactWriteItems',
      'transaction',
    );
    expect(WriteOutcomeUnknownError.isInstance(commit)).toBe(true);
    expect(commit.message).toBe(
      "PostgreSQL TransactWriteItems: no answer to COMMIT within node-postgres's query_timeout; the write may or may not be applied",
    );
    // The server ended the session (FATAL): its words, escaped, rather than "the connection failed".
    const ended = Object.assign(new Error('terminating connection due to transaction timeout'), {
      code: '25P04',
      severity: 'FATAL',
    });
    expect(toMacaronError(ended, 'UpdateItem', 'transaction').message).toBe(
      'PostgreSQL UpdateItem: the server ended the session (25P04: terminating connection due to transaction timeout); the transaction was not committed',
    );
    expect(toMacaronError(ended, 'PutItem', 'statement').message).toBe(
      'PostgreSQL PutItem: the server ended the session (25P04: terminating connection due to transaction timeout) after the statement was sent; the write may or may not be applied',
    );
    // A lost connection is still told as one.
    const lost = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(toMacaronError(lost, 'PutItem', 'statement').message).toBe(
      'PostgreSQL PutItem: the connection failed after the statement was sent; the write may or may not be applied',
    );
  });

  it("a table's own rule is a 400 naming the rule, never the physical table, even in a name PostgreSQL cut short", () => {
    const table = 'prod_eu_west_billing_service_customer_invoice_line_items';
    for (const [constraint, shown] of [
      ['count_not_negative', 'check constraint "count_not_negative"'],
      [`${table}_email_key`, 'check constraint "<table>_email_key"'],
      // PostgreSQL's ChooseConstraintName cuts the table's part to fit 63 bytes.
      [
        'prod_eu_west_billing_service_customer_invoice_line_i_item_check',
        'check constraint "<table>_item_check"',
      ],
    ] as const) {
      const error = toMacaronError(
        serverError('23514', { table, constraint }),
        'putItem',
        'statement',
      );
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.message).toContain(shown);
      expect(error.message).not.toContain('prod_eu');
      expect(error.message).toContain('nothing was written');
    }
    const read = toMacaronError(serverError('42501', { table }), 'getItem', 'read');
    expect(read).toBeInstanceOf(AccessDeniedError);
    expect(read.message).toContain('nothing was read');
  });

  it('a key too long for the index is a 400 in any language of the server (lc_messages): known by the routine that raised it, which PostgreSQL does not translate', () => {
    // As a server with lc_messages = 'de_DE.UTF-8' (a German initdb's default) answers.
    const tooLong = (routine: string, message: string) =>
      Object.assign(new Error(message), { code: '54000', severity: 'FEHLER', routine });
    for (const [routine, message] of [
      [
        '_bt_check_third_page',
        'Größe 6416 der Indexzeile überschreitet btree-Version-4-Maximum 2704 für Index »t_pkey«',
      ],
      ['index_form_tuple_context', 'Indexzeile benötigt 9000 Bytes, Maximalgröße ist 8191'],
    ] as const) {
      const error = toMacaronError(tooLong(routine, message), 'PutItem', 'statement');
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.message).toContain('too long for a PostgreSQL index');
    }
    // Another limit of the same SQLSTATE stays the server's error.
    expect(
      toMacaronError(
        tooLong('RelationGetBufferForTuple', 'Zeile ist zu groß'),
        'PutItem',
        'statement',
      ),
    ).toMatchObject({ code: 'BACKEND_ERROR' });
  });

  it("a key too long for the index names the index as the spec does, never by its physical name (the physical table's, with the deployment's prefix): a 400 reaches HTTP clients", () => {
    const tooLong = (table: string, constraint: string) =>
      Object.assign(
        new Error(
          `index row size 3024 exceeds btree version 4 maximum 2704 for index "${constraint}"`,
        ),
        { code: '54000', severity: 'ERROR', routine: '_bt_check_third_page', table, constraint },
      );
    const table = 'prod_eu_tenant42_profiles';
    const cases = [
      [`${table}#pkey`, '(the primary key)'],
      [`${table}:byToken`, '(index byToken)'],
      // A DBA's own index, and a derived name cut to 63 bytes (a long table name).
      [`${table}_token_idx`, '(index "<table>_token_idx")'],
      [`${table.slice(0, 20)}~1x2y3z`, '(index "<table>~1x2y3z")'],
    ] as const;
    for (const [constraint, named] of cases) {
      const error = toMacaronError(tooLong(table, constraint), 'PutItem', 'statement');
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.message).toContain(`too long for a PostgreSQL index ${named}`);
      expect(error.message).not.toContain('prod_eu');
    }
  });

  it('an error the server answered a statement with applied nothing (notApplied); one it ended the session with, or one from the client, says nothing either way', () => {
    const answered = (severity: string, code: string) =>
      Object.assign(new Error('division by zero'), { code, severity });
    expect(toMacaronError(answered('ERROR', '22012'), 'BatchWriteItem', 'statement')).toMatchObject(
      {
        code: 'BACKEND_ERROR',
        notSent: false,
        notApplied: true,
      },
    );
    // A session the server had ended before the statement reached it: nothing ran.
    expect(toMacaronError(answered('FATAL', '57P05'), 'BatchWriteItem', 'statement')).toMatchObject(
      { notApplied: true },
    );
    // In the server's language: the same.
    expect(
      toMacaronError(answered('FEHLER', '22012'), 'BatchWriteItem', 'statement'),
    ).toMatchObject({ notApplied: true });
    // Ended sessions in the server's language too (lc_messages): Russian, Polish, Chinese, Korean
    // FATAL; German, Turkish, Chinese PANIC.
    for (const [severity, code] of [
      ['FATAL', '42000'],
      ['PANIC', 'XX000'],
      ['ВАЖНО', '42000'],
      ['KATASTROFALNY', '22012'],
      ['致命错误', '42000'],
      ['치명적오류', '42000'],
      ['PANIK', 'XX000'],
      ['KRİTİK', 'XX000'],
      ['灾难性错误', 'XX000'],
    ] as const)
      expect(toMacaronError(answered(severity, code), 'BatchWriteItem', 'statement')).toMatchObject(
        { code: 'BACKEND_ERROR', notApplied: false },
      );
    // An internal or I/O error answered at ERROR rolled its statement back, as any other ERROR.
    for (const code of ['XX000', '58030'])
      expect(toMacaronError(answered('ERROR', code), 'PutItem', 'statement')).toMatchObject({
        code: 'BACKEND_ERROR',
        notApplied: true,
      });
    // A Node error code spelt like a SQLSTATE, with no server's severity.
    expect(
      toMacaronError(
        Object.assign(new Error('not permitted'), { code: 'EPERM' }),
        'PutItem',
        'statement',
      ),
    ).toMatchObject({ code: 'BACKEND_ERROR', notApplied: false });
  });

  it('a session the server refuses (credentials, a database that does not exist) says its request was never sent (notSent, P-108); a statement the server refuses for want of a privilege or a table says it applied nothing (notApplied)', () => {
    const refused = (code: string) =>
      new NotSent(Object.assign(new Error('refused'), { code, severity: 'FATAL' }));
    for (const [code, type] of [
      ['28P01', AccessDeniedError],
      ['28000', AccessDeniedError],
      ['3D000', TableNotFoundError],
    ] as const) {
      const error = toMacaronError(refused(code), 'GetItem', 'read');
      expect(error).toBeInstanceOf(type);
      expect(error.message).toContain('nothing was sent');
      expect(error).toMatchObject({ notSent: true, notApplied: true });
    }
    for (const [code, type] of [
      ['42501', AccessDeniedError],
      ['42P01', TableNotFoundError],
    ] as const) {
      const error = toMacaronError(
        Object.assign(new Error('refused'), { code, severity: 'ERROR' }),
        'PutItem',
        'statement',
      );
      expect(error).toBeInstanceOf(type);
      expect(error).toMatchObject({ notSent: false, notApplied: true });
    }
  });
});
