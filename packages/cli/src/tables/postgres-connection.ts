import { MacaronError } from '@macaron/core';
import { shownText } from '@macaron/core/backend';
import { CliError, UsageError } from '../cli/cli-error.js';
import type { CliIo } from '../cli/cli-io.js';
import { withProgress } from '../cli/progress.js';
import { redactUrl } from './table-endpoint.js';

export type PostgresBackendModule = typeof import('@macaron/backend-postgres');
export type PostgresBackend = ReturnType<PostgresBackendModule['createPostgresBackend']>;

/** The PostgreSQL backend, an optional peer: only `--format sql` and `--database-url` need it. */
export async function loadPostgresBackend(need: string): Promise<PostgresBackendModule> {
  try {
    return await import('@macaron/backend-postgres');
  } catch (error) {
    throw new CliError(
      `${need} needs @macaron/backend-postgres installed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
  }
}

/**
 * Checks the `--database-url` option: a postgres:// or postgresql:// URL, or node-postgres's
 * `socket:/run/postgresql?db=app` for a Unix socket (as the profiles service's DATABASE_URL
 * takes it). A URL that does not parse is not echoed: where it breaks is often in its
 * password (a `#`, `/` or `?`). Surrounding spaces are refused: `new URL()` drops them, the
 * driver does not.
 */
export function checkDatabaseUrl(url: string): string {
  if (url !== url.trim()) throw new UsageError('--database-url must not begin or end with spaces');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(
      '--database-url must be a URL such as postgres://user@localhost:5432/db (characters such as # / ? @ in the password percent-encoded)',
    );
  }
  if (!['postgres:', 'postgresql:', 'socket:'].includes(parsed.protocol))
    throw new UsageError(
      `--database-url must be a postgres:// or postgresql:// URL (or socket:/path?db=name), not ${redactUrl(url)}`,
    );
  return url;
}

/**
 * Runs an operation on a backend of its own on the database (one connection), and ends it;
 * a failure is one line: the backend's typed errors say why (the connection's reason, without
 * the password; the table that differs).
 */
export async function withPostgres<T>(
  io: CliIo,
  url: string,
  label: string,
  operation: (backend: PostgresBackend) => Promise<T>,
): Promise<T> {
  const { createPostgresBackend } = await loadPostgresBackend('--database-url');
  // A host that takes the connection and never answers would hang the command: 10 s at most.
  let backend: PostgresBackend;
  try {
    backend = createPostgresBackend({
      connection: { connectionString: url, max: 1, connectionTimeoutMillis: 10_000 },
    });
  } catch (error) {
    // The backend refuses what the URL asks that node-postgres would ignore (`?schema=`):
    // wrong usage of --database-url, said in its terms (the message never holds the URL).
    if (error instanceof TypeError)
      throw new UsageError(
        `--database-url: ${error.message.replace(/^createPostgresBackend:?\s*/, '')}`,
      );
    throw error;
  }
  let result: T;
  try {
    result = await withProgress(io, label, () => operation(backend));
  } catch (error) {
    // Ended, but a failure to end it does not hide why the operation failed.
    await backend.close().catch(() => undefined);
    // pg is the backend's optional peer: say so in the CLI's terms, not in the backend's
    // (`createPostgresBackend({ connection })`, an option the user never wrote).
    if (MacaronError.isInstance(error) && error.code === 'DEPENDENCY_MISSING')
      throw new CliError(
        '--database-url needs pg installed beside @macaron/backend-postgres: npm install pg',
        1,
        { cause: error },
      );
    // A table that differs is named by its columns, whose names a spec or another client
    // chose: a line break in one would cut the refusal, so they are shown escaped instead.
    if (MacaronError.isInstance(error) && error.code === 'TABLE_MISMATCH')
      throw new CliError(shownText(error.message), 1, { cause: error });
    // The backend's messages never hold the password (it hides it in the driver's reasons).
    if (MacaronError.isInstance(error))
      throw new CliError(error.message.split('\n')[0]!, 1, { cause: error });
    throw error;
  }
  await backend.close();
  return result;
}
