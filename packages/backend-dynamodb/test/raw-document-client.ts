import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, NumberValue, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type ItemKey, parseExactNumber, type StoredItem, type StoredValue } from '@macaron/core';

/**
 * Another client of the same tables: AWS's own DocumentClient, with numbers read as
 * exact strings. Tests read and write through it to see what really is in DynamoDB,
 * independently of the backend's own marshalling.
 */
export function createRawAccess(client: DynamoDBClient) {
  // A base client of its own: DocumentClient.from() rewrites its base client's configuration.
  const documents = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: false },
    unmarshallOptions: { wrapNumbers: true },
  });
  return {
    async get(table: string, key: ItemKey): Promise<StoredItem | undefined> {
      const output = await documents.send(
        new GetCommand({ TableName: table, Key: key, ConsistentRead: true }),
      );
      return output.Item ? (exact(output.Item) as StoredItem) : undefined;
    },
    async put(table: string, item: StoredItem): Promise<void> {
      await documents.send(new PutCommand({ TableName: table, Item: item }));
    },
  };
}

function exact(value: unknown): StoredValue {
  if (value instanceof NumberValue) {
    const number = parseExactNumber(value.toString());
    if (number === undefined) throw new Error(`inexact number ${value.toString()}`);
    return number;
  }
  if (value instanceof Set) return [...value].map(exact);
  if (Array.isArray(value)) return value.map(exact);
  if (value instanceof Uint8Array || value === null || typeof value !== 'object')
    return value as StoredValue;
  return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, exact(inner)]));
}
