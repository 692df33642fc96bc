// Macaron on its DynamoDB backend: the Profile's persistent class from the spec.
import { createDynamoDbBackend } from '@macaron/backend-dynamodb';
import { loadApi } from '@macaron/core';
import { macaronWorkload } from './macaron-workload.mjs';

/** Macaron doing the workload through the model API (validation and copies included). */
export function createLibrary({ client, table }) {
  return macaronWorkload({ loadApi, createDynamoDbBackend, client, table, label: '@macaron/core' });
}
