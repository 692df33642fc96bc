import { importOptionalPeer } from '@macaron/core/backend';
import type { PoolConfig } from 'pg';
import { createNodePostgresClient } from './node-postgres-client.js';
import type { SqlClient } from './sql-client.js';

/**
 * A `SqlClient` on a node-postgres pool the backend creates (from a connection string or
 * pool options) on first use, and ends on `close()`. `pg` is imported with a plain
 * `import('pg')`, which bundlers follow; without it installed, the first call fails with a
 * `MissingDependencyError` naming it.
 */
export function createOwnedPoolClient(config: PoolConfig, neededFor: string): SqlClient {
  let opened: Promise<SqlClient> | undefined;
  const open = () =>
    (opened ??= importOptionalPeer('pg', neededFor, () => import('pg')).then((module) => {
      // pg is CommonJS: its exports are the ES module's default.
      const { Pool } = module.default;
      const pool = new Pool(config);
      // An idle connection the server closed is dropped from the pool; without a listener the
      // pool's `error` event would end the process.
      pool.on('error', () => undefined);
      return createNodePostgresClient(pool, true);
    }));
  return {
    kind: 'node-postgres',
    async query(text, parameters) {
      return (await open()).query(text, parameters);
    },
    async transaction(work) {
      return (await open()).transaction(work);
    },
    async close() {
      // Nothing to end when no call ever opened the pool.
      if (opened) await (await opened).close();
    },
  };
}
