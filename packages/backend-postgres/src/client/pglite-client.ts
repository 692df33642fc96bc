import type { PGliteInterface } from '@electric-sql/pglite';
import type { SqlClient, SqlRow } from './sql-client.js';

/**
 * A `SqlClient` over PGlite (PostgreSQL in WebAssembly, in this process). PGlite runs one
 * statement at a time and holds others back while a transaction runs, so its transactions
 * never meet a concurrent writer. `ownsDatabase`: `close()` closes it.
 */
export function createPGliteClient(database: PGliteInterface, ownsDatabase: boolean): SqlClient {
  return {
    kind: 'pglite',
    async query(text, parameters = []) {
      return (await database.query<SqlRow>(text, [...parameters])).rows;
    },
    transaction(work) {
      return database.transaction((transaction) =>
        work({
          query: async (text, parameters = []) =>
            (await transaction.query<SqlRow>(text, [...parameters])).rows,
        }),
      );
    },
    async close() {
      if (ownsDatabase) await database.close();
    },
  };
}
