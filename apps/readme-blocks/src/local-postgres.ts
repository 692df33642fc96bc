import { type PostgresServer, startPostgresServer } from '@macaron/backend-postgres/local';

let server: Promise<PostgresServer> | undefined;

/**
 * The PostgreSQL that commands reach when the README points at "your" database
 * (`"$DATABASE_URL"`): a real server on a free loopback port, started once, on demand.
 */
export async function localDatabaseUrl(): Promise<string> {
  server ??= startPostgresServer();
  return (await server).connectionString;
}

/** Stops the server, if it was started. */
export async function stopLocalPostgres(): Promise<void> {
  const running = server;
  server = undefined;
  await (await running)?.stop();
}
