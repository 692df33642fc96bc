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
  type ProvisionOptions,
  toCreateTableInput,
} from './provision/index.js';
