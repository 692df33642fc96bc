import {
  AccessDeniedError,
  InvalidRequestError,
  TableMismatchError,
  UnsupportedOperationError,
} from '@macaron/core';
import { quotedName, shownName, shownText } from '@macaron/core/backend';
import type { SqlExecutor } from '../client/sql-client.js';
import { sqlState } from '../errors/postgres-errors.js';
import { currentSchemaIsTemporary, temporarySchemaName } from './temporary-schema.js';

/*
 * What provisioning checks of the database and the session before it makes or keeps a table,
 * for what would otherwise go wrong without a word:
 * - The server encoding must order its bytes as code points: key columns are `COLLATE "C"`,
 *   which compares the encoding's bytes. UTF8 does (the contract's UTF-8 byte order), LATIN1
 *   does (its bytes are the first 256 code points), and SQL_ASCII stores the UTF-8 text clients
 *   send as it is. WIN1252 puts `€` (0x80) before `é`, EUC_JP orders kana after kanji: pages
 *   would come in another order than on DynamoDB, and ranges would miss items. LATIN1 holds
 *   only the first 256 code points in its names: a table, column or index named otherwise
 *   cannot be made there.
 * - No schema the search_path lists before pg_catalog may hold a type of the name of one the
 *   tables and statements use (`text`, `jsonb`, …): the columns would be made of it, and the
 *   index key columns of an existing table, printed otherwise, rebuilt with it. Nor a function
 *   or operator of the name and argument types of one of pg_catalog's (`replace(text, text,
 *   text)`, `text = text`): the statements' unqualified calls and comparisons would run it. A
 *   function without arguments counts only if the statements call it (`current_schema()`): an
 *   extension's own (pgcrypto's `gen_random_uuid()`) is no reason to refuse.
 * - exit_on_error must be off: with it, every error ends the session, and node-postgres reports
 *   a prepared statement's error as the connection's end, the server's answer lost.
 * - The current schema, where an unqualified CREATE TABLE goes, must not be the session's
 *   temporary one: a search_path listing `pg_temp` first makes it so once the session holds a
 *   temporary table, and the tables would vanish with the connection.
 * - There must be a current schema, and the role must be allowed to create in it: else
 *   CREATE TABLE fails, and a plan would promise tables that cannot be made.
 * - The current schema must not be a system one (`pg_catalog`, `information_schema`, any
 *   `pg_*`), which a search_path naming no other usable schema leaves current: PostgreSQL
 *   refuses tables in pg_catalog even to a superuser (a plan promised them), and pg_dump leaves
 *   every table of information_schema and of a `pg_*` schema out of its backups.
 * - A table made in the current schema must not hide one of the same name in another schema
 *   of the search_path: processes connected before would go on reading the old table, new
 *   connections the new, empty one.
 */

const orderedEncodings = new Set(['UTF8', 'LATIN1', 'SQL_ASCII']);

// The types Macaron's tables and statements name without a schema that a schema of the
// search_path could hide (numeric, bigint and boolean are SQL's keywords, always pg_catalog's).
const shadowable = ['text', 'bytea', 'jsonb', 'json', 'regclass'];

// Generated columns (the index key columns, pg_attribute.attgenerated) are PostgreSQL 12's.
const minimumVersion = 120000;

function olderServer(operation: string, version: number): UnsupportedOperationError {
  return new UnsupportedOperationError(
    `PostgreSQL ${operation}: the server is PostgreSQL ${Math.floor(version / 10000)}; Macaron's tables need PostgreSQL 12 or later (generated columns)`,
  );
}

/**
 * What a request's first catalog read of a table (`KeyFit`) failed with: on a server before
 * PostgreSQL 12, whose pg_attribute has no attgenerated (42703), the `UnsupportedOperationError`
 * provisioning gives, else `failure` as it is.
 */
export async function olderServerOr(
  executor: SqlExecutor,
  operation: string,
  failure: unknown,
): Promise<unknown> {
  const state = sqlState((failure as { cause?: unknown } | null)?.cause ?? failure);
  if (state !== '42703' && sqlState(failure) !== '42703') return failure;
  const version = await executor
    .query(`SELECT current_setting('server_version_num')::int AS version`)
    .then(
      ([row]) => Number(row?.version),
      () => Number.NaN,
    );
  return version < minimumVersion ? olderServer(operation, version) : failure;
}

/**
 * What one provisioning call learnt of its sessions: the functions and operators that hide
 * pg_catalog's, by search_path. Finding them scans every function and operator of the
 * database (tens of milliseconds): once a call and search_path, not twice a table.
 */
export class FitnessChecks {
  readonly hidingByPath = new Map<string, string | null>();
}

/**
 * Refuses a database or session where `table` would not hold the contract (see above).
 * `checks`: what the call found in its other tables' sessions.
 */
export async function checkDatabaseFitness(
  executor: SqlExecutor,
  operation: string,
  table: string,
  creating: boolean,
  // The names of the table, its columns and its indexes.
  names: readonly string[] = [table],
  checks: FitnessChecks = new FitnessChecks(),
): Promise<void> {
  const [row] = await executor.query(
    `SELECT current_setting('server_encoding') AS encoding, current_schema() AS schema,
            current_setting('client_encoding') AS client_encoding,
            current_setting('server_version_num')::int AS version,
            current_setting('exit_on_error') AS exit_on_error,
            -- The search path without the session's temporary schema, whose functions and
            -- operators no call finds unless named: the key of what a scan found.
            array_remove(current_schemas(true), ${temporarySchemaName})::text AS path,
            (SELECT string_agg(format('%s.%s', n.nspname, t.typname), ', ' ORDER BY name)
               FROM pg_catalog.jsonb_array_elements_text($2::pg_catalog.text::pg_catalog.jsonb) AS name
               JOIN pg_type t ON t.oid = to_regtype(name)
               JOIN pg_namespace n ON n.oid = t.typnamespace
              WHERE n.nspname <> 'pg_catalog') AS shadowed,
            coalesce(has_schema_privilege(current_schema(), 'CREATE'), false) AS may_create,
            ${currentSchemaIsTemporary} AS temporary,
            -- The schemas pg_dump leaves out (its selectDumpableNamespace), pg_catalog among them.
            coalesce(current_schema() = 'information_schema' OR left(current_schema(), 3) = 'pg_',
                     false) AS system,
            (SELECT string_agg(DISTINCT n.nspname, ', ')
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relname = $1 AND n.nspname = ANY (current_schemas(false))
                AND n.nspname IS DISTINCT FROM current_schema()) AS elsewhere`,
    [table, JSON.stringify(shadowable)],
  );
  const encoding = String(row?.encoding);
  const version = Number(row?.version);
  if (version < minimumVersion) throw olderServer(operation, version);
  // exit_on_error makes every error end the session (FATAL), and node-postgres then answers a
  // prepared statement with "Connection terminated unexpectedly", the server's error lost: a
  // write a constraint or a privilege refused would be a write whose outcome is unknown, and
  // the reads that retry a page row by row after a row failed would find the session gone.
  if (row?.exit_on_error === 'on')
    throw new UnsupportedOperationError(
      `PostgreSQL ${operation}: the session's exit_on_error is on, so every error the server answers ends the session and node-postgres loses it: a write a rule of the table refused would be reported as one whose outcome is unknown; set exit_on_error off for the role or database (ALTER ROLE … RESET exit_on_error)`,
    );
  const shadowed = row?.shadowed as string | null | undefined;
  if (shadowed)
    throw new UnsupportedOperationError(
      `PostgreSQL ${operation}: the search_path lists pg_catalog after a schema whose types hide PostgreSQL's (${shownText(shadowed)}): table ${shownName(table)}'s columns would be made of them, and its index key columns rebuilt with them; leave pg_catalog out of the search_path (PostgreSQL then searches it first) or list it first`,
    );
  // A function or operator of the same name and argument types as pg_catalog's, in a schema
  // the search_path lists first, is the one an unqualified call or comparison runs: the index
  // key columns would be computed with it, and keys compared with it.
  const path = String(row?.path);
  let shadowing = checks.hidingByPath.get(path);
  if (shadowing === undefined) {
    shadowing = await routinesHidingCatalog(executor);
    checks.hidingByPath.set(path, shadowing);
  }
  if (shadowing)
    throw new UnsupportedOperationError(
      `PostgreSQL ${operation}: the search_path lists pg_catalog after a schema whose functions or operators hide PostgreSQL's (${shownText(shadowing)}): table ${shownName(table)}'s index key columns would be computed with them, and its keys compared with them; leave pg_catalog out of the search_path (PostgreSQL then searches it first) or list it first`,
    );
  // node-postgres asks for UTF8 at connect and decodes every answer as UTF-8: a session that
  // changed client_encoding since (SET client_encoding, a pool's connect hook) has the server
  // read the UTF-8 it sends as that encoding, and store 'é' as 'Ã©' while Macaron reads it back
  // unchanged. SQL_ASCII converts nothing, so any client encoding passes bytes as they are.
  const clientEncoding = String(row?.client_encoding);
  if (clientEncoding !== 'UTF8' && encoding !== 'SQL_ASCII')
    throw new UnsupportedOperationError(
      `PostgreSQL ${operation}: the session's client_encoding is ${clientEncoding}, but node-postgres sends and reads UTF-8: text would be stored converted (é as Ã©) and read back as it was sent, so other clients would see it changed; leave client_encoding as node-postgres sets it (UTF8)`,
    );
  if (!orderedEncodings.has(encoding))
    throw new UnsupportedOperationError(
      `PostgreSQL ${operation}: the database's encoding is ${encoding}, whose byte order is not code point order, so string keys would sort otherwise than the contract's UTF-8 byte order; use a UTF8 database`,
    );
  const unheld = encoding === 'LATIN1' && names.find(beyondLatin1);
  if (unheld)
    throw new InvalidRequestError(
      `PostgreSQL ${operation}: table ${shownName(table)} needs the name ${quotedName(unheld)}, which the database's encoding (LATIN1) cannot hold; use a UTF8 database, or attribute and index names within Latin-1`,
    );
  if (row?.temporary === true)
    throw new UnsupportedOperationError(
      `PostgreSQL ${operation}: the current schema is the session's temporary one (the search_path lists pg_temp first), so table ${shownName(table)} would vanish with the connection; put the tables' schema first on the search_path`,
    );
  if (creating && row?.system === true)
    throw new UnsupportedOperationError(
      `PostgreSQL ${operation}: the current schema is ${shownName(String(row?.schema))}, a system schema (the search_path names no other schema that exists and the role may use before it), so table ${shownName(table)} cannot be made there (pg_catalog) or would be left out of pg_dump's backups; put the tables' schema first on the search_path`,
    );
  if (creating && (row?.schema ?? null) === null)
    throw new UnsupportedOperationError(
      `PostgreSQL ${operation}: there is no schema to make table ${shownName(table)} in (the search_path names no schema that exists and the role may use); set the pool's search_path to the tables' schema`,
    );
  if (creating && row?.may_create !== true)
    throw new AccessDeniedError(
      `PostgreSQL ${operation}: the role may not create table ${shownName(table)} in schema ${shownName(String(row?.schema))} (it lacks the CREATE privilege there, as on PostgreSQL 15's public schema for roles other than its owner); grant it (GRANT CREATE ON SCHEMA …), or run ensureTables as a role that has it`,
    );
  const elsewhere = row?.elsewhere as string | null | undefined;
  if (creating && elsewhere)
    throw new TableMismatchError(table, [
      `a relation of that name is in schema ${elsewhere}, which the search_path reads too: making the table in schema ${String(row?.schema)} would hide it from new connections, while open ones read the old one. Put that schema first on the search_path, or move or rename the relation`,
    ]);
}

// The functions and operators, in a schema the search_path lists before pg_catalog, of the
// name and argument types of one of pg_catalog's (see above); null for none.
async function routinesHidingCatalog(executor: SqlExecutor): Promise<string | null> {
  const [row] = await executor.query(
    `SELECT string_agg(DISTINCT format('%s.%s', n.nspname, routine.name), ', ') AS shadowing
       FROM (SELECT p.pronamespace AS space, p.proname::text AS name,
                    EXISTS (SELECT 1 FROM pg_catalog.pg_proc q
                             WHERE q.pronamespace = 'pg_catalog'::regnamespace
                               AND q.proname = p.proname
                               AND q.proargtypes = p.proargtypes) AS hides
               FROM pg_catalog.pg_proc p
              -- One without arguments computes and compares no key: it hides only the
              -- calls Macaron makes of it (pgcrypto's gen_random_uuid() hides none).
              WHERE p.pronargs > 0 OR p.proname IN ('current_schema', 'pg_my_temp_schema')
             UNION ALL
             SELECT o.oprnamespace, o.oprname::text,
                    EXISTS (SELECT 1 FROM pg_catalog.pg_operator q
                             WHERE q.oprnamespace = 'pg_catalog'::regnamespace
                               AND q.oprname = o.oprname
                               AND q.oprleft = o.oprleft AND q.oprright = o.oprright)
               FROM pg_catalog.pg_operator o) AS routine
       JOIN pg_namespace n ON n.oid = routine.space
      WHERE routine.hides AND routine.space <> pg_my_temp_schema()
        AND n.nspname = ANY ((current_schemas(true))[1:array_position(current_schemas(true), 'pg_catalog') - 1])`,
  );
  return (row?.shadowing as string | null | undefined) ?? null;
}

/**
 * Refuses tables that came out temporary, in the transaction that made them (so none is
 * left): with `pg_temp` first on the search_path, a session that has no temporary schema yet
 * still makes an unqualified table there, which the current schema cannot tell beforehand.
 */
export async function checkNotTemporary(
  executor: SqlExecutor,
  operation: string,
  tables: readonly string[],
): Promise<void> {
  const rows = await executor.query(
    `SELECT c.relname AS name FROM pg_class c
      WHERE c.relnamespace = pg_my_temp_schema()
        AND c.relname IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
    [JSON.stringify(tables)],
  );
  if (rows.length > 0)
    throw new UnsupportedOperationError(
      `PostgreSQL ${operation}: the search_path lists pg_temp first, so table ${shownName(String(rows[0]!.name))} would be temporary and vanish with the connection; put the tables' schema first on the search_path`,
    );
}

// Whether a name holds a character past U+00FF, which LATIN1 cannot hold.
function beyondLatin1(name: string): boolean {
  for (let index = 0; index < name.length; index++) if (name.charCodeAt(index) > 0xff) return true;
  return false;
}
