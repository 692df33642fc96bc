// Core's, re-exported: the same classes on every backend.
export { TableExistsError, TableMismatchError } from '@macaron/core';
export {
  createNodePostgresClient,
  type NodePostgresPool,
} from './client/node-postgres-client.js';
export {
  createPGliteClient,
  type PGliteDatabase,
  type PGliteStatementOptions,
} from './client/pglite-client.js';
export {
  CommitOutcomeUnknown,
  NotSent,
  type SqlClient,
  type SqlExecutor,
  type SqlRow,
} from './client/sql-client.js';
export {
  createPostgresBackend,
  type PostgresBackend,
  type PostgresBackendOptions,
  type PostgresConnection,
  postgresCapabilities,
} from './postgres-backend.js';
export type { ProvisionChange, TablePlan } from './provision/provision-tables.js';
export { postgresTablesDdl } from './provision/table-ddl.js';
