import {
  type AttributeDefinition,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { KeyAttribute, TableDescriptor } from '@macaron/core';

/** What `ensureTables` would do to one table, or why it cannot. */
export interface PlannedChange {
  /** Physical table name. */
  table: string;
  /** `create`, `add-index`, `enable-ttl`, `unchanged`, `ttl-unsupported` (the engine has no TTL) or `differs` (cannot be reconciled). */
  action: 'create' | 'add-index' | 'enable-ttl' | 'unchanged' | 'ttl-unsupported' | 'differs';
  /** The index, attribute or difference concerned. */
  detail?: string;
}

const scalar = { string: 'S', number: 'N', binary: 'B' } as const;

function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

async function describe(
  client: DynamoDBClient,
  table: string,
): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: table }))).Table;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function timeToLive(
  client: DynamoDBClient,
  table: string,
): Promise<{ status: string; attribute?: string }> {
  try {
    const output = await client.send(new DescribeTimeToLiveCommand({ TableName: table }));
    const description = output.TimeToLiveDescription;
    return {
      status: description?.TimeToLiveStatus ?? 'DISABLED',
      ...(description?.AttributeName ? { attribute: description.AttributeName } : {}),
    };
  } catch (error) {
    // dynalite answers operations it does not implement this way; DynamoDB never does.
    if (errorName(error) === 'UnknownOperationException') return { status: 'unsupported' };
    throw error;
  }
}

function specKey(key: KeyAttribute | undefined): string {
  return key ? `${key.name} (${scalar[key.type]})` : 'none';
}

function tableKey(
  schema: readonly KeySchemaElement[] | undefined,
  type: 'HASH' | 'RANGE',
  definitions: readonly AttributeDefinition[],
): string {
  const name = schema?.find((element) => element.KeyType === type)?.AttributeName;
  if (name === undefined) return 'none';
  const found = definitions.find((definition) => definition.AttributeName === name);
  return `${name} (${found?.AttributeType ?? '?'})`;
}

function keyDifferences(
  label: string,
  schema: readonly KeySchemaElement[] | undefined,
  definitions: readonly AttributeDefinition[],
  partitionKey: KeyAttribute,
  sortKey: KeyAttribute | undefined,
): string[] {
  const differences: string[] = [];
  for (const [which, type, wanted] of [
    ['partition key', 'HASH', partitionKey],
    ['sort key', 'RANGE', sortKey],
  ] as const) {
    const actual = tableKey(schema, type, definitions);
    if (actual !== specKey(wanted))
      differences.push(`${label}${which}: table has ${actual}, spec has ${specKey(wanted)}`);
  }
  return differences;
}

async function planTable(client: DynamoDBClient, table: TableDescriptor): Promise<PlannedChange[]> {
  const name = table.name;
  const description = await describe(client, name);
  if (!description || description.TableStatus === 'DELETING') {
    const parts = [
      `key ${[table.partitionKey, table.sortKey].filter(Boolean).map(specKey).join(', ')}`,
    ];
    if (table.indexes.length > 0)
      parts.push(`indexes ${table.indexes.map((index) => index.name).join(', ')}`);
    if (table.ttlAttribute) parts.push(`TTL ${table.ttlAttribute}`);
    return [{ table: name, action: 'create', detail: parts.join('; ') }];
  }
  const definitions = description.AttributeDefinitions ?? [];
  const differences = keyDifferences(
    '',
    description.KeySchema,
    definitions,
    table.partitionKey,
    table.sortKey,
  );
  const changes: PlannedChange[] = [];
  for (const index of table.indexes) {
    const global = description.GlobalSecondaryIndexes?.find(
      (item) => item.IndexName === index.name,
    );
    if (global) {
      differences.push(
        ...keyDifferences(
          `index ${index.name} `,
          global.KeySchema,
          definitions,
          index.partitionKey,
          index.sortKey,
        ),
      );
      if (global.Projection?.ProjectionType !== 'ALL')
        differences.push(
          `index ${index.name}: table projects ${global.Projection?.ProjectionType ?? 'nothing'}, spec needs ALL`,
        );
    } else if (description.LocalSecondaryIndexes?.some((item) => item.IndexName === index.name)) {
      differences.push(`index ${index.name}: table has a local secondary index, spec a global one`);
    } else {
      changes.push({ table: name, action: 'add-index', detail: index.name });
    }
  }
  if (table.ttlAttribute !== undefined) {
    const ttl = await timeToLive(client, name);
    const on = ttl.status === 'ENABLED' || ttl.status === 'ENABLING';
    if (ttl.status === 'unsupported')
      changes.push({ table: name, action: 'ttl-unsupported', detail: table.ttlAttribute });
    else if (on && ttl.attribute !== table.ttlAttribute)
      differences.push(
        `TTL: table expires items by ${ttl.attribute}, spec by ${table.ttlAttribute}`,
      );
    else if (!on) changes.push({ table: name, action: 'enable-ttl', detail: table.ttlAttribute });
  }
  if (differences.length > 0)
    return differences.map((detail) => ({ table: name, action: 'differs', detail }));
  return changes.length > 0 ? changes : [{ table: name, action: 'unchanged' }];
}

/**
 * What `ensureTables` would do to each table, read with DescribeTable and
 * DescribeTimeToLive only: nothing is changed.
 */
export async function planTables(
  client: DynamoDBClient,
  tables: readonly TableDescriptor[],
): Promise<PlannedChange[]> {
  const unique = [...new Map(tables.map((table) => [table.name, table])).values()];
  return (await Promise.all(unique.map((table) => planTable(client, table)))).flat();
}
