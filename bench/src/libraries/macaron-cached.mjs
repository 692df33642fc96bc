// Macaron on a client of its own made with the SDK's `cacheMiddleware: true`, as the DynamoDB
// backend's README recommends for a client the backend alone uses (lib-dynamodb refuses such a
// client, so the DocumentClient libraries cannot take it).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbBackend } from '@macaron/backend-dynamodb';
import { loadApi } from '@macaron/core';
import { macaronWorkload } from './macaron-workload.mjs';

/** Macaron doing the workload through the model API, on a cacheMiddleware client. */
export function createLibrary({ clientConfig, table }) {
  const client = new DynamoDBClient({ ...clientConfig, cacheMiddleware: true });
  return macaronWorkload({
    loadApi,
    createDynamoDbBackend,
    client,
    table,
    label: '@macaron/core (cacheMiddleware client)',
  });
}
