import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ItemKey, StoredItem, StoredValue } from '@macaron/core';
import { parseExactNumber, setOwnProperty } from '@macaron/core/backend';
import { installMacaronMiddleware } from '../src/operations/macaron-middleware.js';
import { trackRequest } from '../src/operations/request-state.js';

/**
 * Another client of the same tables: the SDK's low-level client, with a marshalling of its
 * own (not the backend's), as exact as DynamoDB: numbers as their digits (bigint beyond
 * 2^53), sets as `Set`s (SS, NS, BS), bytes as `Uint8Array`, every attribute name an own
 * property (`__proto__` included). Tests read and write through it to see what really is in
 * the engine, independently of the backend's own marshalling.
 */
export function createRawAccess(client: DynamoDBClient) {
  return {
    async get(table: string, key: ItemKey): Promise<StoredItem | undefined> {
      const command = new GetItemCommand({
        TableName: table,
        Key: marshalMap(key),
        ConsistentRead: true,
      });
      // The SDK alone reads a top-level `__proto__` attribute as undefined: read through
      // Macaron's middleware, which parses the answer itself (bytes stay base64 text).
      installMacaronMiddleware(client);
      trackRequest(command.input, undefined);
      const output = await client.send(command);
      return output.Item ? unmarshalMap(output.Item) : undefined;
    },
    async put(table: string, item: StoredItem): Promise<void> {
      await client.send(new PutItemCommand({ TableName: table, Item: marshalMap(item) }));
    },
  };
}

function marshalMap(record: {
  readonly [name: string]: StoredValue;
}): Record<string, AttributeValue> {
  const map: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(record))
    if (value !== undefined) setOwnProperty(map, name, marshal(value));
  return map;
}

function marshal(value: StoredValue): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (typeof value === 'number' || typeof value === 'bigint') return { N: value.toString() };
  if (value instanceof Uint8Array) return { B: value };
  if (value instanceof Set) {
    const members = [...(value as ReadonlySet<unknown>)];
    if (typeof members[0] === 'string') return { SS: members as string[] };
    if (members[0] instanceof Uint8Array) return { BS: members as Uint8Array[] };
    return { NS: members.map((member) => String(member)) };
  }
  if (Array.isArray(value)) return { L: value.map(marshal) };
  return { M: marshalMap(value as StoredItem) };
}

function unmarshalMap(map: Record<string, AttributeValue>): StoredItem {
  const item: StoredItem = {};
  for (const [name, value] of Object.entries(map)) setOwnProperty(item, name, unmarshal(value));
  return item;
}

function unmarshal(value: AttributeValue): StoredValue {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return exactNumber(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.B !== undefined) return bytesOf(value.B);
  if (value.SS !== undefined) return new Set(value.SS);
  if (value.NS !== undefined) return new Set(value.NS.map(exactNumber));
  if (value.BS !== undefined) return new Set(value.BS.map(bytesOf));
  if (value.L !== undefined) return value.L.map(unmarshal);
  if (value.M !== undefined) return unmarshalMap(value.M);
  throw new Error(`unknown attribute value ${Object.keys(value).join(', ')}`);
}

// Bytes as the SDK reads them, or as base64 text where Macaron's middleware read the answer.
export function bytesOf(bytes: Uint8Array | string): Uint8Array {
  return typeof bytes === 'string'
    ? Uint8Array.from(Buffer.from(bytes, 'base64'))
    : Uint8Array.from(bytes);
}

function exactNumber(text: string): number | bigint {
  const number = parseExactNumber(text);
  if (number === undefined) throw new Error(`inexact number ${text}`);
  return number;
}
