import type {
  AttributeDefinition,
  KeySchemaElement,
  Projection,
  TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { IndexDescriptor, KeyAttribute, TableDescriptor } from '@macaron/core';
import { toScalarAttributeType } from './table-definition.js';

/** How an existing table compares with its spec. */
export interface TableComparison {
  /** Differences provisioning cannot fix (keys, index keys, projections, attribute types). */
  differences: string[];
  /** Indexes of the spec the table lacks, in the spec's order. */
  missingIndexes: IndexDescriptor[];
}

function specKey(key: KeyAttribute | undefined): string {
  return key ? `${key.name} (${toScalarAttributeType(key.type)})` : 'none';
}

function tableKey(
  schema: readonly KeySchemaElement[] | undefined,
  keyType: 'HASH' | 'RANGE',
  definitions: readonly AttributeDefinition[],
): string {
  const name = schema?.find((element) => element.KeyType === keyType)?.AttributeName;
  if (name === undefined) return 'none';
  const type = definitions.find((definition) => definition.AttributeName === name)?.AttributeType;
  return `${name} (${type ?? '?'})`;
}

/** How a key schema (a table's or an index's) differs from the spec's keys, `label` first. */
export function compareKeys(
  label: string,
  schema: readonly KeySchemaElement[] | undefined,
  definitions: readonly AttributeDefinition[],
  partitionKey: KeyAttribute,
  sortKey: KeyAttribute | undefined,
): string[] {
  const differences: string[] = [];
  const pairs = [
    ['partition key', tableKey(schema, 'HASH', definitions), specKey(partitionKey)],
    ['sort key', tableKey(schema, 'RANGE', definitions), specKey(sortKey)],
  ] as const;
  for (const [which, actual, wanted] of pairs) {
    if (actual !== wanted) {
      differences.push(`${label}${which}: table has ${actual}, spec has ${wanted}`);
    }
  }
  return differences;
}

/**
 * How a table's index (global or local) differs from the spec's index of that name: its keys,
 * and a projection other than ALL, through which items read would lack attributes.
 */
export function compareIndex(
  index: IndexDescriptor,
  existing: { KeySchema?: KeySchemaElement[]; Projection?: Projection },
  definitions: readonly AttributeDefinition[],
): string[] {
  const differences = compareKeys(
    `index ${index.name} `,
    existing.KeySchema,
    definitions,
    index.partitionKey,
    index.sortKey,
  );
  const projection = existing.Projection?.ProjectionType;
  if (projection !== 'ALL')
    differences.push(
      `index ${index.name}: table projects ${projection ?? 'nothing'}, spec needs ALL`,
    );
  return differences;
}

/** Compares an existing table (DescribeTable) with its spec. */
export function compareTable(
  table: TableDescriptor,
  description: TableDescription,
): TableComparison {
  const definitions = description.AttributeDefinitions ?? [];
  const differences = compareKeys(
    '',
    description.KeySchema,
    definitions,
    table.partitionKey,
    table.sortKey,
  );
  const missingIndexes: IndexDescriptor[] = [];
  const globalIndexes = description.GlobalSecondaryIndexes ?? [];
  const localIndexes = description.LocalSecondaryIndexes ?? [];
  for (const index of table.indexes) {
    const existing = globalIndexes.find((candidate) => candidate.IndexName === index.name);
    if (existing) {
      differences.push(...compareIndex(index, existing, definitions));
      continue;
    }
    if (localIndexes.some((candidate) => candidate.IndexName === index.name)) {
      differences.push(`index ${index.name}: table has a local secondary index, spec a global one`);
      continue;
    }
    for (const key of [index.partitionKey, index.sortKey]) {
      if (!key) continue;
      const type = definitions.find(
        (definition) => definition.AttributeName === key.name,
      )?.AttributeType;
      if (type !== undefined && type !== toScalarAttributeType(key.type)) {
        differences.push(
          `index ${index.name}: attribute ${key.name} is ${type} on the table, spec has ${toScalarAttributeType(key.type)}`,
        );
      }
    }
    missingIndexes.push(index);
  }
  return { differences, missingIndexes };
}
