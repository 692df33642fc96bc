/** One row of a result, by column name. */
export type SqlRow = Record<string, unknown>;

/** Runs SQL with positional parameters (`$1`, `$2`, …). */
export interface SqlExecutor {
  /** Runs one statement; parameters are strings, `Uint8Array`s or null. */
  query(text: string, parameters?: readonly unknown[]): Promise<SqlRow[]>;
  /**
   * Optional: runs one INSERT, UPDATE or DELETE without `RETURNING`, and resolves how many
   * rows it wrote, as its command tag counts them. Without it, the backend adds `RETURNING`
   * to the writes it must count and counts the rows they return, which a client such as
   * node-postgres takes longer to read (a row description and a row for each answer).
   */
  rowsWritten?(text: string, parameters?: readonly unknown[]): Promise<number>;
}

/**
 * What the backend needs from a PostgreSQL client: statements outside a transaction, and
 * transactions on one connection. `createNodePostgresClient` (a `pg` pool) and
 * `createPGliteClient` (PGlite) implement it; another client can too.
 */
export interface SqlClient extends SqlExecutor {
  /** A short name for messages, e.g. `node-postgres` or `pglite`. */
  readonly kind: string;
  /**
   * Runs `work` inside BEGIN … COMMIT on one connection, and ROLLBACK when it throws.
   * When the connection fails once COMMIT was sent, throws `CommitOutcomeUnknown`.
   */
  transaction<T>(work: (transaction: SqlExecutor) => Promise<T>): Promise<T>;
  /** Releases what the client opened itself (a pool it created); leaves a given pool open. */
  close(): Promise<void>;
}

/*
 * The clients known to throw `CommitOutcomeUnknown` whenever COMMIT was sent and no answer came
 * (this package's node-postgres adapters). Only their transactions run again after a lost
 * connection: an adapter of another's that threw the connection's own error there would have a
 * transaction that may have committed run twice.
 */
const commitOutcomeReporters = new WeakSet<SqlClient>();

/** Marks `client` as one that reports a COMMIT sent without an answer (see above). */
export function reportingCommitOutcome(client: SqlClient): SqlClient {
  commitOutcomeReporters.add(client);
  return client;
}

/** Whether `client` reports a COMMIT sent without an answer as `CommitOutcomeUnknown`. */
export function reportsCommitOutcome(client: SqlClient): boolean {
  return commitOutcomeReporters.has(client);
}

/** The connection failed after COMMIT was sent: the transaction may or may not be committed. */
export class CommitOutcomeUnknown extends Error {
  constructor(cause: unknown) {
    super('The connection failed while committing', { cause });
    this.name = 'CommitOutcomeUnknown';
  }
}

/** The connection failed before the statement reached the server: nothing was done. */
export class NotSent extends Error {
  constructor(cause: unknown) {
    super('The statement was not sent: no connection', { cause });
    this.name = 'NotSent';
  }
}

/**
 * The connection lent holds a session the backend's statements cannot run in as they should
 * (see session-fitness.ts): nothing was sent. `closesConnection`: the connection is closed
 * rather than given back to the pool.
 */
export class UnfitSession extends Error {
  constructor(
    message: string,
    readonly closesConnection: boolean,
  ) {
    super(message);
    this.name = 'UnfitSession';
  }
}
