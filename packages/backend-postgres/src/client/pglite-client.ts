import { NotSent, type SqlClient, type SqlRow } from './sql-client.js';

/**
 * What the backend uses of a PGlite database (`@electric-sql/pglite`'s `PGlite`, or anything
 * shaped like it). Declared here rather than imported, so that the package's types need
 * PGlite's only where PGlite is used (`@macaron/backend-postgres/local`).
 */
export interface PGliteDatabase {
  /** Runs one statement with positional parameters. */
  query<T>(text: string, parameters?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs `work` in BEGIN … COMMIT, ROLLBACK when it throws. */
  transaction<T>(
    work: (transaction: {
      query<R>(text: string, parameters?: unknown[]): Promise<{ rows: R[] }>;
    }) => Promise<T>,
  ): Promise<T>;
  /** Closes the database. */
  close(): Promise<void>;
  /** True once closed (PGlite's own; a database without it is taken as open). */
  readonly closed?: boolean;
}

/**
 * A `SqlClient` over PGlite (PostgreSQL in WebAssembly, in this process). PGlite runs one
 * statement at a time and holds others back while a transaction runs, so its transactions
 * never meet a concurrent writer. `ownsDatabase`: `close()` closes it (false by default: a
 * database you give stays yours).
 */
export function createPGliteClient(database: PGliteDatabase, ownsDatabase = false): SqlClient {
  return {
    kind: 'pglite',
    async query(text, parameters = []) {
      if (database.closed) throw closedDatabase();
      try {
        return (await database.query<SqlRow>(text, [...parameters])).rows;
      } catch (error) {
        throw notSentWhenClosing(database, unlogged(error));
      }
    },
    async transaction(work) {
      if (database.closed) throw closedDatabase();
      try {
        return await database.transaction((transaction) =>
          work({
            // Hidden here, before the work sees the error (it may report it).
            query: async (text, parameters = []) => {
              try {
                return (await transaction.query<SqlRow>(text, [...parameters])).rows;
              } catch (error) {
                throw unlogged(error);
              }
            },
          }),
        );
      } catch (error) {
        throw notSentWhenClosing(database, error);
      }
    },
    async close() {
      if (ownsDatabase) await database.close();
    },
  };
}

/**
 * PGlite's errors carry the statement's parameters (`params`), which node-postgres's do not:
 * the item written, a `format: password` property's value and another user's key included. An
 * error's enumerable properties are what a log writes of it (pino's serializer, a 5xx's cause
 * in @macaron/fastify's log, JSON.stringify, util.inspect): the parameters stay on the error,
 * not enumerable. The same error, not a copy: the backend knows its errors by identity. Done in
 * the statement's own catch, not by a `.catch` on its promise (one more promise a statement).
 */
function unlogged(error: unknown): unknown {
  if (
    error !== null &&
    typeof error === 'object' &&
    Object.prototype.propertyIsEnumerable.call(error, 'params')
  ) {
    try {
      Object.defineProperty(error, 'params', { enumerable: false });
    } catch {
      // A frozen error keeps what it holds.
    }
  }
  return error;
}

// A statement to a database closed before it: nothing was sent.
function closedDatabase(): NotSent {
  return new NotSent(new Error('PGlite is closed'));
}

// PGlite refuses a statement before running it once its close() has begun; one it took just
// before finds its WebAssembly module gone (a TypeError), having run nothing.
function notSentWhenClosing(database: PGliteDatabase, error: unknown): unknown {
  const closing =
    error instanceof Error &&
    (/^PGlite is clos(ed|ing)$/.test(error.message) ||
      (error instanceof TypeError && database.closed === true));
  return closing ? new NotSent(error) : error;
}
