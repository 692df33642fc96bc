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

describe('checkSession of a search_path the connection options ask for', () => {
  // A connection asking for search_path `app` whose session holds another, answered by `answer`
  // for every statement; the statements sent, and the verdict.
  async function checked(answer: Record<string, unknown>) {
    const client = {
      connection: new EventEmitter(),
      connectionParameters: { options: '-c search_path=app' },
      getTransactionStatus: () => 'I',
    } as unknown as PoolClient;
    const sent: string[] = [];
    const read = (
      text: string,
      _parameters: readonly unknown[],
      callback: (error: Error | null, rows?: readonly Record<string, unknown>[]) => void,
    ) => {
      sent.push(text);
      callback(null, [answer]);
    };
    const problem = await new Promise<Error | undefined>((done) =>
      checkSession(client, read, done),
    );
    return { sent, problem };
  }

  // Behind PgBouncer's transaction pooling, each statement may run in another server session:
  // the session's schemas and those the asked search_path gives must come from one.
  it('reads what the session holds and what the asked search_path would search in one statement', async () => {
    const { sent, problem } = await checked({
      encoding: 'UTF8',
      search_path: '"$user", app',
      schemas: '{pg_catalog,app}',
      asked_schemas: '{pg_catalog,app}',
      asked_searches: true,
    });
    expect(problem).toBeUndefined();
    expect(sent).toHaveLength(1);
  });

  // Two lists that both search no schema are alike only until one of theirs is made.
  it('refuses another search_path when neither searches any schema', async () => {
    const { sent, problem } = await checked({
      encoding: 'UTF8',
      search_path: 'other',
      schemas: '{pg_catalog}',
      asked_schemas: '{pg_catalog}',
      asked_searches: false,
    });
    expect(sent).toHaveLength(1);
    expect(problem?.message).toContain(
      `the connection's options ask for search_path "app", but its session's search_path is "other"`,
    );
  });
});
