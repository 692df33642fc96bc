import { createRequire } from 'node:module';
import pg, { type Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { createNodePostgresClient } from './node-postgres-client.js';
import { NotSent, UnfitSession } from './sql-client.js';

// node-postgres's own parser overrides, as each of its clients makes them.
const TypeOverrides: new (
  types?: unknown,
) => { getTypeParser(oid: number, format?: 'text'): (text: string) => unknown } = createRequire(
  import.meta.url,
)('pg/lib/type-overrides');

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

// pg-native's client, as the backend sees it: its parsers are its connection's (pg's
// TypeOverrides over pg.types, as pg/lib/native/client.js makes them), and a statement sent
// on it is recorded. pg-native itself needs a build against libpq that the test machines lack;
// the same refusal was seen on pg-native 3 against PostgreSQL 17.
function nativePool(types?: ConstructorParameters<typeof TypeOverrides>[0]) {
  const sent: string[] = [];
  const released: unknown[] = [];
  const overrides = new TypeOverrides(types);
  const client = {
    native: {},
    on() {},
    getTransactionStatus: () => 'I',
    getTypeParser: (oid: number, format?: string) => overrides.getTypeParser(oid, format as 'text'),
    release(reason?: unknown) {
      released.push(reason);
    },
    query(config: { text: string }, answer: (error: null, result: { rows: unknown[] }) => void) {
      sent.push(config.text);
      setImmediate(() => answer(null, { rows: [{ encoding: 'UTF8' }] }));
    },
  };
  return {
    sent,
    released,
    connect(callback: (error: null, connected: typeof client) => void) {
      setImmediate(() => callback(null, client));
    },
    async end() {},
  };
}

describe("createNodePostgresClient on pg-native's pool", () => {
  it('refuses a pool whose parsers read bool, name, text or int4 otherwise, sending nothing, as it cannot bring its own', async () => {
    for (const getTypeParser of [
      () => (text: string) => text,
      (oid: number) => (oid === 16 ? (text: string) => text === 'true' : (text: string) => text),
      (oid: number) => (oid === 25 ? (text: string) => ({ text }) : pg.types.getTypeParser(oid)),
      // 't' and 'f' alike are true.
      (oid: number) => (oid === 16 ? Boolean : pg.types.getTypeParser(oid)),
      // Throws on what the server writes: no reading at all.
      (oid: number) => (oid === 16 ? JSON.parse : pg.types.getTypeParser(oid)),
    ]) {
      const pool = nativePool({ getTypeParser } as never);
      const client = createNodePostgresClient(pool as unknown as Pool, false);
      const failure = await client.query('SELECT 1').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(UnfitSession);
      expect((failure as Error).message).toContain("pg-native's");
      await expect(client.transaction(async (tx) => tx.query('SELECT 1'))).rejects.toBeInstanceOf(
        UnfitSession,
      );
      expect(pool.sent).toEqual([]);
      // Its connection is the app's, with the app's parsers: given back, not closed.
      expect(pool.released).toEqual([undefined, undefined]);
    }
  });

  it("takes one whose parsers read them as node-postgres's defaults do (numbers as bigints too)", async () => {
    for (const types of [
      undefined,
      { getTypeParser: (oid: number) => (oid === 23 ? BigInt : pg.types.getTypeParser(oid)) },
    ]) {
      const pool = nativePool(types as never);
      const client = createNodePostgresClient(pool as unknown as Pool, false);
      await client.query('SELECT 1');
      expect(pool.sent.at(-1)).toBe('SELECT 1');
    }
  });
});
