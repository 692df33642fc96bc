// The types the launchers' results mention, so that this entry point describes itself.
export type { NodePostgresPool } from '../client/node-postgres-client.js';
export type { PGliteDatabase, PGliteStatementOptions } from '../client/pglite-client.js';
export type { SqlClient, SqlExecutor, SqlRow } from '../client/sql-client.js';
export type {
  PostgresBackend,
  PostgresBackendOptions,
  PostgresConnection,
} from '../postgres-backend.js';
export type { ProvisionChange, TablePlan } from '../provision/provision-tables.js';
export {
  type LocalPostgres,
  type LocalPostgresOptions,
  startLocalPostgres,
} from './start-local-postgres.js';
export {
  type PostgresServer,
  type PostgresServerOptions,
  startPostgresServer,
} from './start-postgres-server.js';
