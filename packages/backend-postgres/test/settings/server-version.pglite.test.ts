import { loadApi, UnsupportedOperationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { SqlClient, SqlExecutor } from '../../src/client/sql-client.js';
import { createPostgresBackend } from '../../src/index.js';
import { usePGliteEngine } from '../engines/pglite-engine.js';

const engine = usePGliteEngine();

const spec = {
  openapi: '3.0.3',
  info: { title: 'version', version: '1' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'notes', key: 'id', indexes: { byAuthor: { key: 'author' } } },
        properties: { id: { type: 'string' }, author: { type: 'string' } },
      },
    },
  },
};

// PostgreSQL 11 as the catalog queries meet it (checked on a real 11.22 server, probe 351, which
// CI does not run): it reports its version, and pg_attribute has no attgenerated.
function postgres11(executor: SqlExecutor): SqlExecutor {
  return {
    async query(text, parameters) {
      if (text.includes('attgenerated'))
        throw Object.assign(new Error('column a.attgenerated does not exist'), { code: '42703' });
      return executor.query(
        text.replaceAll(`current_setting('server_version_num')`, `'110022'`),
        parameters,
      );
    },
  };
}

function olderServer(): SqlClient {
  const sql = engine().sql;
  return {
    kind: sql.kind,
    ...postgres11(sql),
    transaction: (work) => sql.transaction((transaction) => work(postgres11(transaction))),
    close: async () => undefined,
  };
}

describe('a server before PostgreSQL 12', () => {
  it('provisioning and the first request on a table are UnsupportedOperationErrors naming the version', async () => {
    const backend = createPostgresBackend({ client: olderServer() });
    const api = await loadApi(spec, { backend });
    const refusal = (operation: string) =>
      `PostgreSQL ${operation}: the server is PostgreSQL 11; Macaron's tables need PostgreSQL 12 or later (generated columns)`;
    for (const [operation, call] of [
      ['planTables', () => backend.planTables(api.tables())],
      ['ensureTables', () => backend.ensureTables(api.tables())],
      ['createTables', () => backend.createTables(api.tables())],
      ['GetItem', () => api.persistent('Note').get({ id: 'n1' })],
      ['PutItem', () => api.persistent('Note').create({ id: 'n1', author: 'ann' })],
    ] as const) {
      const error = await (call as () => Promise<unknown>)().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UnsupportedOperationError);
      expect((error as Error).message).toBe(refusal(operation));
    }
    const made = await engine().sql.query(`SELECT to_regclass('notes') AS t`);
    expect(made[0]!.t).toBeNull();
  });
});
