import { gathersNoStatistics } from './index-ordered-pages.js';
import { NotSent, type SqlClient, type SqlRow } from './sql-client.js';

/**
 * What the backend uses of a PGlite database (`@electric-sql/pglite`'s `PGlite`, or anything
 * shaped like it). Declared here rather than imported, so that the package's types need
 * PGlite's only where PGlite is used (`@macaron/backend-postgres/local`).
 */
export interface PGliteDatabase {
  /** Runs one statement with positional parameters (`options`: PGlite's, per statement). */
  query<T>(
    text: string,
    parameters?: unknown[],
    options?: PGliteStatementOptions,
  ): Promise<{ rows: T[] }>;
  /** Runs `work` in BEGIN … COMMIT, ROLLBACK when it throws. */
  transaction<T>(
    work: (transaction: {
      query<R>(
        text: string,
        parameters?: unknown[],
        options?: PGliteStatementOptions,
      ): Promise<{ rows: R[] }>;
    }) => Promise<T>,
  ): Promise<T>;
  /** Closes the database. */
  close(): Promise<void>;
  /** True once closed (PGlite's own; a database without it is taken as open). */
  readonly closed?: boolean;
}

/** PGlite's parsers and serializers of one statement, by type OID (its `QueryOptions`). */
export interface PGliteStatementOptions {
  /** How a value of each type of the answer is read, from its text. */
  parsers?: Record<number, (text: string, type: number) => unknown>;
  /** How a parameter of each type is sent, as text. */
  serializers?: Record<number, (value: unknown) => string>;
}

const asText = (text: string) => text;
const asInteger = (text: string) => Number.parseInt(text, 10);
const sentAsIs = (value: unknown) => (typeof value === 'string' ? value : String(value));

/*
 * The backend's own parsers and serializers on each of its statements, over the database's
 * (`PGlite.create({ parsers, serializers })`, the app's): for the types its statements answer
 * (`bool`, integers, `text`, `name`), read as PGlite reads them by default, and for the text
 * parameters it sends (its items and keys as text), sent as they are. Another type, which only
 * other SQL sent through the same client reads, keeps the database's.
 */
const backendStatementOptions: PGliteStatementOptions = {
  parsers: {
    16: (text) => text === 't',
    19: asText,
    21: asInteger,
    23: asInteger,
    25: asText,
    26: asInteger,
    1043: asText,
    2278: asText,
  },
  serializers: { 19: sentAsIs, 25: sentAsIs, 1043: sentAsIs },
};

/**
 * A `SqlClient` over PGlite (PostgreSQL in WebAssembly, in this process). PGlite runs one
 * statement at a time and holds others back while a transaction runs, so its transactions
 * never meet a concurrent writer. `ownsDatabase`: `close()` closes it (false by default: a
 * database you give stays yours).
 */
export function createPGliteClient(database: PGliteDatabase, ownsDatabase = false): SqlClient {
  return gathersNoStatistics({
    kind: 'pglite',
    async query(text, parameters = []) {
      if (database.closed) throw closedDatabase();
      try {
        return (await database.query<SqlRow>(text, [...parameters], backendStatementOptions)).rows;
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
                return (
                  await transaction.query<SqlRow>(text, [...parameters], backendStatementOptions)
                ).rows;
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
  });
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
