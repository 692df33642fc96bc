import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  ScalarAttributeType,
} from '@aws-sdk/client-dynamodb';
import {
  type IndexDescriptor,
  InvalidRequestError,
  type KeyAttribute,
  type KeyType,
  type TableDescriptor,
} from '@macaron/core';
import { checkOptionNames } from '@macaron/core/backend';
import {
  type ProvisionedThroughput,
  type ProvisionOptions,
  provisionOptionNames,
  throughputOptionNames,
} from './provision-options.js';

const scalarTypes: Record<KeyType, ScalarAttributeType> = {
  string: 'S',
  number: 'N',
  binary: 'B',
};

/** DynamoDB's scalar type (`S`, `N`, `B`) for a key attribute type. */
export function toScalarAttributeType(type: KeyType): ScalarAttributeType {
  return scalarTypes[type];
}

/** The key schema (HASH, then RANGE when there is a sort key) of a table or index. */
export function toKeySchema(
  partitionKey: KeyAttribute,
  sortKey?: KeyAttribute,
): KeySchemaElement[] {
  const schema: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey) schema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return schema;
}

/**
 * The attribute definitions of the given keys, one per attribute name, sorted by name so the
 * output does not depend on the order of the indexes. Conflicting types are an error.
 */
export function toAttributeDefinitions(
  tableName: string,
  keys: readonly KeyAttribute[],
): AttributeDefinition[] {
  const clash = keyTypeClash(keys);
  if (clash) {
    throw new InvalidRequestError(
      `Table ${tableName}: attribute ${clash.name} is a ${clash.first} key in one place and a ${clash.second} key in another`,
    );
  }
  const types = new Map(keys.map((key) => [key.name, key.type]));
  return [...types.entries()]
    .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    .map(([name, type]) => ({ AttributeName: name, AttributeType: toScalarAttributeType(type) }));
}

/**
 * The first attribute `keys` give two types (a table's attribute definitions hold one), with
 * both; undefined when each has one.
 */
export function keyTypeClash(
  keys: readonly KeyAttribute[],
): { name: string; first: KeyType; second: KeyType } | undefined {
  const types = new Map<string, KeyType>();
  for (const key of keys) {
    const known = types.get(key.name);
    if (known !== undefined && known !== key.type)
      return { name: key.name, first: known, second: key.type };
    types.set(key.name, key.type);
  }
  return undefined;
}

/** Every key attribute of a table and its indexes, table keys first. */
export function keyAttributesOf(table: TableDescriptor): KeyAttribute[] {
  const keys = [table.partitionKey];
  if (table.sortKey) keys.push(table.sortKey);
  for (const index of table.indexes) {
    keys.push(index.partitionKey);
    if (index.sortKey) keys.push(index.sortKey);
  }
  return keys;
}

/** The billing mode and throughput that `options` ask for, checked. */
export function resolveBilling(
  tableName: string,
  options: ProvisionOptions = {},
): { billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED'; throughput?: ProvisionedThroughput } {
  const billingMode =
    options.billingMode ?? (options.throughput ? 'PROVISIONED' : 'PAY_PER_REQUEST');
  if (billingMode === 'PAY_PER_REQUEST') {
    if (options.throughput) {
      throw new InvalidRequestError(
        `Table ${tableName}: throughput is only for billingMode PROVISIONED, not PAY_PER_REQUEST`,
      );
    }
    return { billingMode };
  }
  const throughput = options.throughput;
  if (!throughput) {
    throw new InvalidRequestError(
      `Table ${tableName}: billingMode PROVISIONED needs throughput: { read, write }`,
    );
  }
  checkOptionNames(throughput, throughputOptionNames, `Table ${tableName}: throughput`);
  for (const [name, value] of Object.entries(throughput)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new InvalidRequestError(
        `Table ${tableName}: throughput.${name} must be a whole number of at least 1, not ${value}`,
      );
    }
  }
  return { billingMode, throughput };
}

/** DynamoDB's `ProvisionedThroughput` for the given capacity. */
export function toProvisionedThroughput(throughput: ProvisionedThroughput) {
  return { ReadCapacityUnits: throughput.read, WriteCapacityUnits: throughput.write };
}

/** A global secondary index projecting all attributes, with capacity when provisioned. */
export function toGlobalSecondaryIndex(
  index: IndexDescriptor,
  throughput?: ProvisionedThroughput,
): GlobalSecondaryIndex {
  const definition: GlobalSecondaryIndex = {
    IndexName: index.name,
    KeySchema: toKeySchema(index.partitionKey, index.sortKey),
    Projection: { ProjectionType: 'ALL' },
  };
  if (throughput) definition.ProvisionedThroughput = toProvisionedThroughput(throughput);
  return definition;
}

/**
 * The CreateTable request for a table: its keys, every index as a global secondary index
 * projecting all attributes, and on-demand or provisioned capacity. Pure and deterministic
 * (attributes and indexes sorted by name). TTL is not part of it: it is a separate
 * UpdateTimeToLive call.
 */
export function toCreateTableInput(
  table: TableDescriptor,
  options: ProvisionOptions = {},
): CreateTableCommandInput {
  checkOptionNames(options, provisionOptionNames, 'toCreateTableInput');
  const { billingMode, throughput } = resolveBilling(table.name, options);
  if (table.sortKey?.name === table.partitionKey.name) {
    throw new InvalidRequestError(
      `Table ${table.name}: ${table.partitionKey.name} cannot be both partition and sort key`,
    );
  }
  const indexNames = new Set<string>();
  for (const index of table.indexes) {
    if (indexNames.has(index.name)) {
      throw new InvalidRequestError(`Table ${table.name}: index ${index.name} is defined twice`);
    }
    indexNames.add(index.name);
    if (index.sortKey?.name === index.partitionKey.name) {
      throw new InvalidRequestError(
        `Table ${table.name}, index ${index.name}: ${index.partitionKey.name} cannot be both partition and sort key`,
      );
    }
  }
  const input: CreateTableCommandInput = {
    TableName: table.name,
    AttributeDefinitions: toAttributeDefinitions(table.name, keyAttributesOf(table)),
    KeySchema: toKeySchema(table.partitionKey, table.sortKey),
    BillingMode: billingMode,
  };
  if (throughput) input.ProvisionedThroughput = toProvisionedThroughput(throughput);
  if (table.indexes.length > 0) {
    input.GlobalSecondaryIndexes = [...table.indexes]
      .sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0))
      .map((index) => toGlobalSecondaryIndex(index, throughput));
  }
  return input;
}
