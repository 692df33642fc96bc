import { type MacaronError, TableNotFoundError } from '@macaron/core';
import { shownName, shownText } from '@macaron/core/backend';
import type { SqlExecutor } from '../client/sql-client.js';
import { currentSchemaIsTemporary } from '../provision/temporary-schema.js';
import { provisioningMakesIt, sqlState } from './postgres-errors.js';

/*
 * A request meets a table that does not exist (42P01) with a TableNotFoundError that says
 * ensureTables makes it. Where the session's search_path leaves no schema to make it in (none
 * it names exists, or only a system one, or the session's temporary schema comes first),
 * ensureTables refuses that session too: the hint would send the operator in a circle. Read
 * after the failure, on any connection of the pool (behind PgBouncer's transaction pooling,
 * maybe another server session, which the role's and database's settings make alike).
 */

/** `error` as it is, or, when the search_path leaves no schema to make its table in, saying so. */
export async function whyNoTable(
  executor: SqlExecutor,
  error: MacaronError,
): Promise<MacaronError> {
  if (
    !(error instanceof TableNotFoundError) ||
    sqlState(error.cause) !== '42P01' ||
    !error.message.endsWith(provisioningMakesIt)
  )
    return error;
  const session = await executor
    .query(
      `SELECT current_setting('search_path') AS path, current_schema() AS schema,
              ${currentSchemaIsTemporary} AS temporary,
              coalesce(current_schema() = 'information_schema' OR left(current_schema(), 3) = 'pg_',
                       false) AS system`,
    )
    .then(
      ([row]) => row,
      () => undefined,
    );
  const path = shownText(String(session?.path));
  const schema = session?.schema;
  const why =
    session === undefined
      ? undefined
      : schema === null
        ? `the search_path (${path}) names no schema that exists and the role may use (USAGE); set the pool's search_path to the tables' schema (options=-c search_path=<schema> in the connection string, or ALTER ROLE … SET search_path), or make the schema it names (CREATE SCHEMA)`
        : session.temporary === true
          ? `the search_path (${path}) lists pg_temp first, and the session's temporary schema, where tables vanish with the connection, is where ensureTables would make it; put the tables' schema first on the search_path`
          : session.system === true
            ? `the search_path (${path}) names no schema the role may use but ${shownName(String(schema))}, a system one, where ensureTables makes no table; put the tables' schema first on the search_path (options=-c search_path=<schema> in the connection string, or ALTER ROLE … SET search_path)`
            : undefined;
  if (why === undefined) return error;
  return new TableNotFoundError(
    `${error.message.slice(0, -provisioningMakesIt.length - 1)}, and ensureTables cannot make it: ${why}`,
    { cause: error.cause, notApplied: error.notApplied },
  );
}
