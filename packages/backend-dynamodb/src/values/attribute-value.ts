import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { BackendError, parseExactNumber, type StoredItem, type StoredValue } from '@macaron/core';

/**
 * Marshals a stored value into DynamoDB's wire form. Core has validated it already, so
 * numbers are finite and exact: bigints and numbers are written as their exact digits.
 */
export function toAttributeValue(value: StoredValue): AttributeValue {
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
    case 'bigint':
      return { N: String(value) };
    case 'boolean':
      return { BOOL: value };
    default:
      if (value === null) return { NULL: true };
      if (value instanceof Uint8Array) return { B: value };
      if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
      return { M: toAttributeMap(value as StoredItem) };
  }
}

/** Marshals an item (or key). */
export function toAttributeMap(item: StoredItem): Record<string, AttributeValue> {
  const map: Record<string, AttributeValue> = {};
  for (const name of Object.keys(item)) {
    const value = item[name];
    if (value !== undefined) map[name] = toAttributeValue(value);
  }
  return map;
}

/**
 * Reads DynamoDB's wire form exactly: integers beyond 2^53 become bigint, and a number that
 * no JavaScript number holds exactly (more than 17 significant digits, written by another
 * client) is an error, never a silent rounding. Sets are read as lists.
 */
export function fromAttributeValue(value: AttributeValue, path = ''): StoredValue {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return readNumber(value.N, path);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.B !== undefined) return value.B;
  if (value.L !== undefined)
    return value.L.map((element, index) => fromAttributeValue(element, `${path}/${index}`));
  if (value.M !== undefined) return fromAttributeMap(value.M, path);
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map((element) => readNumber(element, path));
  if (value.BS !== undefined) return [...value.BS];
  throw new BackendError(
    `Unsupported DynamoDB value at ${path || '/'}: ${Object.keys(value).join(', ')}`,
  );
}

/** Reads an item (or key). */
export function fromAttributeMap(map: Record<string, AttributeValue>, path = ''): StoredItem {
  const item: StoredItem = {};
  for (const name of Object.keys(map))
    item[name] = fromAttributeValue(map[name]!, `${path}/${name}`);
  return item;
}

function readNumber(text: string, path: string): number | bigint {
  // Up to 15 digits an integer is always a safe number: skip the exact decimal parse.
  if (text.length <= 15 && /^-?\d+$/.test(text)) return Number(text);
  const number = parseExactNumber(text);
  if (number === undefined) {
    throw new BackendError(
      `The stored number ${text} at ${path || '/'} has more precision than a JavaScript number holds`,
    );
  }
  return number;
}
