import type { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { createNodePostgresClient } from './node-postgres-client.js';
import { NotSent } from './sql-client.js';

// A pool whose one statement answers after 50 ms: only what close() waits for is under test.
function slowPool() {
  const client = {
    on() {},
    release() {},
    query(_config: unknown, answer: (error: null, result: { rows: unknown[] }) => void) {
      setTimeout(() => answer(null, { rows: [{ ok: 1 }] }), 50);
    },
  };
  return {
    ended: false,
    connect(callback: (error: null, connected: typeof client) => void) {
      setImmediate(() => callback(null, client));
    },
    async end() {
      this.ended = true;
    },
  };
}

describe('createNodePostgresClient close()', () => {
  it('waits for the calls in flight, however many times it is called, then ends the pool it owns', async () => {
    const pool = slowPool();
    const client = createNodePostgresClient(pool as unknown as Pool, true);
    const statement = client.query('SELECT 1');
    const closes = [client.close(), client.close()];
    const outcome = await Promise.race([
      Promise.all([statement, ...closes]).then(() => 'settled'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1000)),
    ]);
    expect(outcome).toBe('settled');
    expect(pool.ended).toBe(true);
  });
});

// A pool whose one connection answers its statement with `error`, recording how it was released.
function failingPool(error: Error) {
  const released: unknown[] = [];
  const client = {
    on() {},
    release(reason?: unknown) {
      released.push(reason);
    },
    query(_config: unknown, answer: (error: Error) => void) {
      setImmediate(() => answer(error));
    },
  };
  return {
    released,
    connect(callback: (error: null, connected: typeof client) => void) {
      setImmediate(() => callback(null, client));
    },
    async end() {},
  };
}

describe('createNodePostgresClient after an error', () => {
  it('closes a connection the server ended the session of, whatever its language (lc_messages), and keeps one it answered with an ERROR', async () => {
    const cases = [
      ['FATAL', true],
      ['ВАЖНО', true], // ru
      ['FATALE', true], // it
      ['ÖLÜMCÜL (FATAL)', true], // tr
      ['PANIK', true], // de
      ['比致命错误还过分的错误', true], // zh_CN
      ['ERROR', false],
      ['FEHLER', false], // de
      ['ОШИБКА', false], // ru
    ] as const;
    for (const [severity, closed] of cases) {
      const error = Object.assign(new Error('refused'), { code: '42000', severity });
      const pool = failingPool(error);
      const client = createNodePostgresClient(pool as unknown as Pool, false);
      await expect(client.query('SELECT 1')).rejects.toBe(error);
      expect({ severity, released: pool.released }).toEqual({
        severity,
        released: [closed ? error : undefined],
      });
    }
  });
});

describe('createNodePostgresClient when no client can be made', () => {
  it('a pool whose connect throws before any connection (a connection string or an sslcert node-postgres cannot read) fails the statement as not sent, and keeps no request queued', async () => {
    const unreadable = new TypeError('Invalid URL');
    const pool = {
      connect() {
        throw unreadable;
      },
      async end() {},
    };
    const client = createNodePostgresClient(pool as unknown as Pool, false);
    const failure = await client.query('SELECT 1').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(NotSent);
    expect((failure as NotSent).cause).toBe(unreadable);
    // The same for a transaction: nothing of it was sent either.
    const inTransaction = await client
      .transaction(async (tx) => tx.query('SELECT 1'))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(inTransaction).toBeInstanceOf(NotSent);
    await client.close();
  });
});
