export {
  createDynamoDbBackend,
  type DynamoDbBackend,
  type DynamoDbBackendOptions,
  dynamoDbCapabilities,
  type OperationEvent,
} from './dynamodb-backend.js';
export {
  createTables,
  deleteTables,
  ensureTables,
  type ProvisionChange,
  type ProvisionedThroughput,
  type ProvisionOptions,
  planTables,
  TableExistsError,
  TableMismatchError,
  type TablePlan,
  toCreateTableInput,
} from './provision/index.js';
export type { InexactNumbers } from './values/attribute-value.js';
