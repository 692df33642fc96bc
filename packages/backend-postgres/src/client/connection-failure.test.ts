import { describe, expect, it } from 'vitest';
import { isConnectionFailure } from './connection-failure.js';

const withCode = (code: string, message = 'terminating connection') =>
  Object.assign(new Error(message), { code });

describe('isConnectionFailure', () => {
  it('takes the SQLSTATEs of a session the server ended', () => {
    // Shutdown, crash, dropped database, idle_session_timeout, idle_in_transaction_session_timeout.
    for (const code of ['08006', '57P01', '57P02', '57P03', '57P04', '57P05', '25P03'])
      expect(isConnectionFailure(withCode(code)), code).toBe(true);
  });

  it("takes node-postgres's query_timeout: the session's state is unknown", () => {
    expect(isConnectionFailure(new Error('Query read timeout'))).toBe(true);
  });

  it('leaves out statements the server refused, and the cancel of statement_timeout', () => {
    for (const code of ['23505', '40001', '55P03', '57014', '25P02'])
      expect(isConnectionFailure(withCode(code, 'refused')), code).toBe(false);
  });
});
