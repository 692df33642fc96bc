import { peerMissing } from '@macaron/core/backend';
import type { PoolConfig } from 'pg';
import { createNodePostgresClient } from './node-postgres-client.js';
import { reportingCommitOutcome, type SqlClient } from './sql-client.js';

/**
 * A `SqlClient` on a node-postgres pool the backend creates (from a connection string or
 * pool options) on first use, and ends on `close()`. `pg` is imported with an `import('pg')`
 * that bundlers follow when it is installed and leave alone when it is not; without it, the
 * first call fails with a `MissingDependencyError` naming it.
 */
export function createOwnedPoolClient(config: PoolConfig, neededFor: string): SqlClient {
  let opened: Promise<SqlClient> | undefined;
  const open = () =>
    (opened ??= import('pg').catch(peerMissing('pg', neededFor)).then((module) => {
      // pg is CommonJS: its exports are the ES module's default.
      const { Pool } = module.default;
      // Its idle connections (kept 10 s by default) do not hold the process: a script that
      // returns without close() exits once its work is done. The pool is the backend's, so
      // nothing else of the process can end it; allowExitOnIdle: false in `connection` keeps
      // node-postgres's default.
      const pool = new Pool({ ...config, allowExitOnIdle: config.allowExitOnIdle ?? true });
      // An idle connection the server closed is dropped from the pool; without a listener the
      // pool's `error` event would end the process.
      pool.on('error', () => undefined);
      return createNodePostgresClient(pool, true);
    }));
  // Its transactions are those of node-postgres's adapter.
  return reportingCommitOutcome({
    kind: 'node-postgres',
    async query(text, parameters) {
      return (await open()).query(text, parameters);
    },
    async rowsWritten(text, parameters) {
      // The pool's client always counts: node-postgres reads every command tag.
      return (await open()).rowsWritten!(text, parameters);
    },
    async transaction(work) {
      return (await open()).transaction(work);
    },
    async close() {
      // Nothing to end when no call ever opened the pool, or when opening it failed (pg
      // missing): that failure was the call's, and closing has nothing left to do.
      const client = await opened?.catch(() => undefined);
      if (client) await client.close();
    },
  });
}
