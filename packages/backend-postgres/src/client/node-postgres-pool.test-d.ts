import { EventEmitter } from 'node:events';
import pg from 'pg';
import { expectTypeOf, test } from 'vitest';
import { createPostgresBackend } from '../postgres-backend.js';
import { createNodePostgresClient } from './node-postgres-client.js';

// A pool as another copy of pg's types declares it: an app's own @types/pg of another version
// (8.10 lacks `ending`, `ended`, `options`; 8.11 to 8.15 a `ClientBase` without
// `getTransactionStatus`), or a library's. Its classes are its own, not this package's `pg`.
declare class OtherPoolClient {
  release(error?: Error | boolean): void;
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}
declare class OtherPool extends EventEmitter {
  readonly totalCount: number;
  connect(): Promise<OtherPoolClient>;
  connect(
    callback: (
      err: Error | undefined,
      client: OtherPoolClient | undefined,
      done: (release?: unknown) => void,
    ) => void,
  ): void;
  end(): Promise<void>;
  end(callback: () => void): void;
  on(event: 'error', listener: (err: Error, client: OtherPoolClient) => void): this;
  on(event: 'connect' | 'acquire' | 'remove', listener: (client: OtherPoolClient) => void): this;
}

test('a pool typed by another copy of pg is a pool', () => {
  const pool = new OtherPool();
  expectTypeOf(createPostgresBackend).toBeCallableWith({ pool });
  expectTypeOf(createNodePostgresClient).toBeCallableWith(pool);
});

test("pg's own Pool still is", () => {
  const pool = new pg.Pool();
  expectTypeOf(createPostgresBackend).toBeCallableWith({ pool });
  expectTypeOf(createNodePostgresClient).toBeCallableWith(pool, true);
});

test('what has no connect, end and on is not', () => {
  // @ts-expect-error: not a pool
  createPostgresBackend({ pool: { query: async () => ({ rows: [] }) } });
  // @ts-expect-error: not a pool
  createNodePostgresClient({ end: async () => undefined });
});
