import { EventEmitter } from 'node:events';
import type { PoolClient } from 'pg';
import { describe, expect, it } from 'vitest';
import { checkSession } from './session-fitness.js';

describe('checkSession', () => {
  it("follows a connection's client_encoding with one listener, however many times a failed check is made again", async () => {
    // A connection whose check fails twice (a statement_timeout on it, say), then passes: it
    // is lent, checked, given back and lent again, as a pool does.
    const connection = new EventEmitter();
    const client = { connection, getTransactionStatus: () => 'I' } as unknown as PoolClient;
    let failures = 2;
    const read = (
      _text: string,
      _parameters: readonly unknown[],
      callback: (error: Error | null, rows?: readonly Record<string, unknown>[]) => void,
    ) =>
      failures-- > 0
        ? callback(new Error('canceling statement due to statement timeout'))
        : callback(null, [{ encoding: 'UTF8' }]);
    const outcomes: (Error | undefined)[] = [];
    for (let lend = 0; lend < 3; lend++)
      await new Promise<void>((done) =>
        checkSession(client, read, (problem) => {
          outcomes.push(problem);
          done();
        }),
      );
    expect(outcomes.map((problem) => problem?.message)).toEqual([
      'canceling statement due to statement timeout',
      'canceling statement due to statement timeout',
      undefined,
    ]);
    expect(connection.listenerCount('parameterStatus')).toBe(1);
    // And followed: a change the server reports is what the next lend checks.
    connection.emit('parameterStatus', {
      parameterName: 'client_encoding',
      parameterValue: 'LATIN1',
    });
    const next = await new Promise<Error | undefined>((done) => checkSession(client, read, done));
    expect(next?.message).toContain('its client_encoding is LATIN1');
  });
});
