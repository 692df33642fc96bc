import type { PGlite } from '@electric-sql/pglite';
import { checkOptionNames, optionNames, peerMissing } from '@macaron/core/backend';
import {
  createPostgresBackend,
  type PostgresBackend,
  type PostgresBackendOptions,
} from '../postgres-backend.js';

/** Options of `startLocalPostgres`. */
export interface LocalPostgresOptions {
  /** A directory to keep the database in; in memory when omitted. */
  dataDir?: string | undefined;
  /** Options of the backend it returns (capabilities, retries). */
  backend?:
    | Omit<PostgresBackendOptions, 'pglite' | 'pool' | 'connectionString' | 'connection' | 'client'>
    | undefined;
}

// The keys of LocalPostgresOptions; any other is refused (P-110).
const localOptionNames = optionNames('dataDir', 'backend');

/** An embedded PostgreSQL (PGlite, in this process) and a backend on it. */
export interface LocalPostgres {
  /** The PGlite database, for SQL of your own. */
  readonly database: PGlite;
  /** A Macaron backend on it. */
  readonly backend: PostgresBackend;
  /** Closes the database; safe to call more than once. */
  stop(): Promise<void>;
}

function loadPGlite(): Promise<typeof import('@electric-sql/pglite')> {
  return import('@electric-sql/pglite').catch(
    peerMissing('@electric-sql/pglite', 'startLocalPostgres'),
  );
}

/**
 * Starts PostgreSQL compiled to WebAssembly (PGlite) in this process, in memory unless given
 * a `dataDir`, and returns a backend on it: for tests and local development, nothing to
 * install or run.
 */
export async function startLocalPostgres(
  options: LocalPostgresOptions = {},
): Promise<LocalPostgres> {
  checkOptionNames(options, localOptionNames, 'startLocalPostgres', TypeError);
  const { PGlite } = await loadPGlite();
  const database = await PGlite.create(
    options.dataDir === undefined ? {} : { dataDir: options.dataDir },
  );
  const backend = createPostgresBackend({ ...options.backend, pglite: database });
  let stopping: Promise<void> | undefined;
  return {
    database,
    backend,
    stop() {
      stopping ??= database.closed ? Promise.resolve() : database.close();
      return stopping;
    },
  };
}
