import { quotedName, shownText } from '@macaron/core/backend';
import type { PoolClient } from 'pg';
import { sqlState } from '../errors/postgres-errors.js';
import { requestedSearchPath } from './requested-search-path.js';
import { readsAsTheBackend } from './result-types.js';
import { UnfitSession } from './sql-client.js';

/*
 * A pool the app shares with the backend lends the backend connections the app used before,
 * with what the app left on them. Two things would have the backend answer wrongly without a
 * word, and are refused before anything is sent:
 *
 * - A transaction the app began and never ended (BEGIN, then `release()`): the backend's
 *   statements would join it, a write of its would stay uncommitted (lost when the connection
 *   closes), and its own COMMIT would commit the app's half-done work. node-postgres reports
 *   the session's transaction status after every answer (`getTransactionStatus()`, pg 8.23;
 *   an older pg's client without it is not checked).
 * - A `client_encoding` other than UTF8 (`SET client_encoding = LATIN1`): node-postgres sends
 *   and reads UTF-8 whatever the session says, so the server would store `é` as `Ã©`, and the
 *   backend read it back as `é`. Read once per connection, then followed as the server reports
 *   each change of it (a ParameterStatus message).
 * - A `search_path` other than the one the connection's startup options ask for
 *   (`options=-c search_path=app`): a pooler that does not pass them on (PgBouncer's
 *   `track_extra_parameters` in front of PostgreSQL 17, which does not report search_path to it)
 *   leaves the session in the role's schemas, where tables would be read and created. Read
 *   once per connection, with the encoding. One spelled as another list that has PostgreSQL
 *   search the same schemas, one at least, all the same passes (`"$user", public` where the
 *   role has no schema of its name, for `public` asked): as seen then, not a schema made later.
 */

/** The client_encoding of each connection the backend has seen, as the server last reported it. */
const encodingOf = new WeakMap<PoolClient, string>();

/** Connections whose client_encoding changes the backend follows (see `checkSession`). */
const followed = new WeakSet<PoolClient>();

/** Connections whose session's search_path is not the one their startup options ask for. */
const searchPathMissed = new WeakMap<PoolClient, { asked: string; held: string }>();

/**
 * Connections whose startup options ask for a search_path PostgreSQL cannot read (`app,`), with
 * what PostgreSQL said of it: a server refuses such options at connect, so a session holding
 * one came through a pooler that took the options without passing them on.
 */
const searchPathUnread = new WeakMap<PoolClient, { asked: string; said: string }>();

// node-postgres's protocol connection, which emits each ParameterStatus the server sends.
type ReportingConnection = {
  on(
    event: 'parameterStatus',
    listener: (message: { parameterName: string; parameterValue: string }) => void,
  ): unknown;
};

/** What is wrong with the session `client` holds for the backend's statements, if anything. */
function unfitness(client: PoolClient, encoding: string): UnfitSession | undefined {
  const status = (client as { getTransactionStatus?: () => unknown }).getTransactionStatus?.();
  if (status === 'T' || status === 'E')
    return new UnfitSession(
      `a connection of the pool was given back to it inside a transaction (BEGIN without COMMIT or ROLLBACK, then release()): the backend's statements would join it, and its COMMIT commit it. The connection was closed, which rolls that transaction back; end the transaction before releasing the client`,
      true,
    );
  // pg-native's client (`pg.native.Pool`) reads every answer with its connection's parsers.
  if ('native' in client && !readsAsTheBackend(client as never))
    return new UnfitSession(
      `the pool is pg-native's, and its type parsers (its types option, or pg.types.setTypeParser) do not read bool, name, text or int4 as node-postgres's defaults do: pg-native cannot be given the backend's own parsers per statement. Give the backend a pool of node-postgres's JavaScript client (new pg.Pool), or leave these parsers as they are`,
      false,
    );
  if (encoding.toUpperCase() !== 'UTF8')
    return new UnfitSession(
      `a connection of the pool had its client_encoding set to another (a SET client_encoding on it): its client_encoding is ${encoding}, but node-postgres sends and reads UTF-8: text would be stored converted (é as Ã©). Leave client_encoding as node-postgres sets it (UTF8)`,
      false,
    );
  const unread = searchPathUnread.get(client);
  if (unread !== undefined)
    return new UnfitSession(
      `the connection's options ask for search_path ${unread.asked}, which PostgreSQL cannot read as a list of schemas (${unread.said}): a server refuses such options at connect, but a pooler between the backend and PostgreSQL took them without passing them on (PgBouncer's track_extra_parameters in front of PostgreSQL 17 or earlier), and the session's search_path, the role's, would have tables read and created in other schemas. Write it as schema names apart by commas, none empty ("app" or "app, public"), or, behind a pooler, set it with ALTER ROLE … SET search_path and leave it out of the options`,
      false,
    );
  const missed = searchPathMissed.get(client);
  if (missed !== undefined)
    return new UnfitSession(
      `the connection's options ask for search_path ${missed.asked}, but its session's search_path is ${missed.held}: tables would be read and created in other schemas. A pooler between the backend and PostgreSQL did not pass the startup options on (PgBouncer's track_extra_parameters in front of PostgreSQL 17 or earlier), or a SET search_path on the connection changed it. Behind a pooler, set it with ALTER ROLE … SET search_path (or ALTER DATABASE), and leave it out of the options`,
      false,
    );
  return undefined;
}

// What the connection's startup options (a connection string's `options`, or PGOPTIONS) ask
// search_path to be; undefined for a client of another kind or options that set none.
function askedSearchPath(client: PoolClient): string | undefined {
  const parameters = (client as { connectionParameters?: { options?: unknown } })
    .connectionParameters;
  return requestedSearchPath(parameters?.options);
}

/**
 * Checks the session of a connection just lent, then calls `ready` with nothing, or with the
 * error to fail the request with (nothing sent): an `UnfitSession`, or what failed the read of
 * the session's encoding. `read` sends a statement on the connection, as the backend does.
 */
export function checkSession(
  client: PoolClient,
  read: (
    text: string,
    parameters: readonly unknown[],
    callback: (error: Error | null, rows?: readonly Record<string, unknown>[]) => void,
  ) => void,
  ready: (problem?: Error) => void,
): void {
  const known = encodingOf.get(client);
  if (known !== undefined) {
    ready(unfitness(client, known));
    return;
  }
  // The transaction status first: a statement sent inside a failed transaction is refused.
  const early = unfitness(client, 'UTF8');
  if (early !== undefined) {
    ready(early);
    return;
  }
  const connection = (client as { connection?: Partial<ReportingConnection> }).connection;
  // Once a connection: a check that failed (a statement_timeout on it, say) is made again the
  // next time the connection is lent, and would add a listener each time.
  if (typeof connection?.on === 'function' && !followed.has(client)) {
    followed.add(client);
    connection.on('parameterStatus', (message) => {
      if (message.parameterName === 'client_encoding')
        encodingOf.set(client, message.parameterValue);
    });
  }
  const asked = askedSearchPath(client);
  read(
    asked === undefined ? `SELECT current_setting('client_encoding') AS encoding` : withSearchPaths,
    asked === undefined ? [] : [asked],
    (error, rows) => {
      if (error) {
        // Only setting the asked search_path can fail so (invalid_parameter_value): checked
        // once, then refused without a statement, as a search_path missed is.
        if (asked !== undefined && sqlState(error) === '22023') {
          searchPathUnread.set(client, {
            asked: quotedName(asked),
            said: shownText(error.message),
          });
          ready(unfitness(client, 'UTF8'));
        } else ready(error);
        return;
      }
      const row = rows?.[0];
      // A server always names it; a client of another kind that answers otherwise is not checked.
      const named = row?.encoding;
      const encoding = typeof named === 'string' ? named : 'UTF8';
      const held = row?.search_path;
      // Another list passes when PostgreSQL searches the same schemas by both, and at least
      // one: two lists that search none are alike only until a schema of one is made.
      if (
        asked !== undefined &&
        typeof held === 'string' &&
        held !== asked &&
        (row?.asked_schemas !== row?.schemas || row?.asked_searches !== true)
      )
        searchPathMissed.set(client, { asked: quotedName(asked), held: quotedName(held) });
      // A change the server reported while the answer came is the newer.
      if (!encodingOf.has(client)) encodingOf.set(client, encoding);
      ready(unfitness(client, encodingOf.get(client)!));
    },
  );
}

/*
 * The session's encoding, search_path and the schemas it searches, then the schemas the asked
 * search_path ($1) would have it search, and whether any but pg_catalog and pg_temp: one
 * statement, so one session (PgBouncer's transaction pooling runs each statement in any of its
 * server sessions, which differ in their temporary schema at least), PostgreSQL reading both
 * lists as it reads names in this database. The session's read first (`held`, MATERIALIZED,
 * which `asked` reads), the asked one set until the statement's transaction ends.
 */
const withSearchPaths = `WITH held AS MATERIALIZED (
    SELECT current_setting('client_encoding') AS encoding, current_setting('search_path') AS search_path,
           current_schemas(true)::text AS schemas),
  asked AS MATERIALIZED (SELECT set_config('search_path', $1, true) FROM held)
SELECT held.encoding, held.search_path, held.schemas,
       (SELECT current_schemas(true)::text FROM asked) AS asked_schemas,
       (SELECT cardinality(current_schemas(false)) > 0 FROM asked) AS asked_searches
  FROM held`;
