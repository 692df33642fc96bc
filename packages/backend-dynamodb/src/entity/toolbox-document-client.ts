import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fromAttributeValue } from '../values/attribute-value.js';

/**
 * The DocumentClient the derived toolbox tables send with: the backend's client (same
 * configuration, credentials, middleware and connections), translating values as the backend
 * does, so that what an entity writes and reads is what Macaron writes and reads.
 *
 * - Numbers are read exactly: a number as a `number`, an integer beyond 2^53 as a `bigint`,
 *   and a decimal no JavaScript number holds is a `BackendError` (the SDK's default would
 *   round it silently; `wrapNumbers: true` gives objects toolbox's `number()` refuses).
 * - Numbers are written with their digits, a `number` beyond 2^53 refused (use a `bigint`),
 *   as Macaron refuses it; undefined values are left out, as the backend leaves them out.
 */
export function toolboxDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  // from() stores its translation settings on the configuration object of the client it wraps:
  // it gets a copy, so the user's client, and any DocumentClient of theirs on it, keep their own.
  const base = {
    config: { ...client.config },
    middlewareStack: client.middlewareStack,
  } as unknown as DynamoDBClient;
  return DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true },
    unmarshallOptions: { wrapNumbers: readExactNumber },
  });
}

// The backend's own reading of a number: one rule for both.
function readExactNumber(text: string): number | bigint {
  return fromAttributeValue({ N: text }) as number | bigint;
}
