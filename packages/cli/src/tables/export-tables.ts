import { createHash } from 'node:crypto';
import { toCreateTableInput } from '@macaron/backend-dynamodb';
import type { TableDescriptor } from '@macaron/core';
import { sortedTables } from './sorted-tables.js';

/** The properties of an `AWS::DynamoDB::Table` resource (and of CreateTable, plus TTL). */
export type TableProperties = Record<string, unknown>;

/** The table's properties: keys, global secondary indexes, billing mode and TTL. */
export function tableProperties(table: TableDescriptor): TableProperties {
  const input = toCreateTableInput(table);
  return {
    TableName: input.TableName,
    AttributeDefinitions: input.AttributeDefinitions,
    KeySchema: input.KeySchema,
    BillingMode: input.BillingMode,
    ...(input.GlobalSecondaryIndexes
      ? { GlobalSecondaryIndexes: input.GlobalSecondaryIndexes }
      : {}),
    ...(table.ttlAttribute
      ? { TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true } }
      : {}),
  };
}

const maxLogicalId = 255;

// A CloudFormation logical id (alphanumeric) from the table's name in the spec.
function logicalId(specName: string, taken: Set<string>): string {
  const words = specName.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let base = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
  if (!/^[A-Za-z]/.test(base)) base = `T${base}`;
  // CloudFormation takes logical ids of at most 255 characters. A longer one is cut, and told
  // apart by a hash of the whole name: the same id whatever other tables the spec holds (an id
  // that changed would have CloudFormation make the table anew).
  const room = maxLogicalId - 'Table'.length - 4;
  if (base.length > room)
    base = `${base.slice(0, room - 8)}${createHash('sha256').update(specName).digest('hex').slice(0, 8)}`;
  let id = `${base}Table`;
  for (let suffix = 2; taken.has(id); suffix += 1) id = `${base}Table${suffix}`;
  taken.add(id);
  return id;
}

/**
 * A CloudFormation template with one `AWS::DynamoDB::Table` per table, sorted by name,
 * kept when the stack is deleted or the resource replaced (the tables hold data).
 */
export function toCloudFormation(
  tables: readonly TableDescriptor[],
  description: string,
): Record<string, unknown> {
  const taken = new Set<string>();
  const resources: Record<string, unknown> = {};
  for (const table of sortedTables(tables)) {
    resources[logicalId(table.specName, taken)] = {
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: tableProperties(table),
    };
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Description: description, Resources: resources };
}

/** The tables' properties as plain JSON, sorted by name: `{ tables: [...] }`. */
export function toTableDefinitions(tables: readonly TableDescriptor[]): Record<string, unknown> {
  return { tables: sortedTables(tables).map(tableProperties) };
}
