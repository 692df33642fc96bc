export { createNodePostgresClient } from './client/node-postgres-client.js';
export { createPGliteClient } from './client/pglite-client.js';
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
export { TableExistsError, TableMismatchError } from './provision/provision-errors.js';
export type { ProvisionChange } from './provision/provision-tables.js';
export { postgresTablesDdl } from './provision/table-ddl.js';
