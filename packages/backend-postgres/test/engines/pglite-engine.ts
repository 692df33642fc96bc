import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import { createPGliteClient } from '../../src/client/pglite-client.js';
import type { SqlClient } from '../../src/client/sql-client.js';

/** The PGlite database of a test file and a SQL client of it for raw access. */
export interface PGliteEngine {
  readonly database: PGlite;
  readonly sql: SqlClient;
}

/** Starts one in-memory PGlite for the test file and closes it after. */
export function usePGliteEngine(): () => PGliteEngine {
  let current: PGliteEngine | undefined;
  beforeAll(async () => {
    const database = await PGlite.create();
    current = { database, sql: createPGliteClient(database, false) };
  });
  afterAll(async () => {
    await current?.database.close();
  });
  return () => {
    if (!current) throw new Error('usePGliteEngine() must be called at the top of the test file');
    return current;
  };
}
