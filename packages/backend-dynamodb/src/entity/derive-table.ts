import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableDescriptor } from '@macaron/core';
import type { Table } from 'dynamodb-toolbox';
import type { Toolbox } from './toolbox-modules.js';

const toolboxKeyType = { string: 'string', number: 'number', binary: 'binary' } as const;

/**
 * The dynamodb-toolbox Table of a table descriptor: keys, global secondary indexes, and the
 * DocumentClient its commands are sent with. Where models share the table, toolbox's entity
 * attribute is saved as the table's discriminator, which holds the model name as Macaron writes it.
 */
export function deriveTable(
  descriptor: TableDescriptor,
  documentClient: DynamoDBDocumentClient,
  toolbox: Toolbox,
): Table {
  const indexes = Object.fromEntries(
    descriptor.indexes.map((index) => [
      index.name,
      {
        type: 'global' as const,
        partitionKey: {
          name: index.partitionKey.name,
          type: toolboxKeyType[index.partitionKey.type],
        },
        ...(index.sortKey
          ? { sortKey: { name: index.sortKey.name, type: toolboxKeyType[index.sortKey.type] } }
          : {}),
      },
    ]),
  );
  return new toolbox.Table({
    name: descriptor.name,
    documentClient,
    partitionKey: {
      name: descriptor.partitionKey.name,
      type: toolboxKeyType[descriptor.partitionKey.type],
    },
    ...(descriptor.sortKey
      ? {
          sortKey: { name: descriptor.sortKey.name, type: toolboxKeyType[descriptor.sortKey.type] },
        }
      : {}),
    indexes,
    ...(descriptor.discriminatorAttribute
      ? { entityAttributeSavedAs: descriptor.discriminatorAttribute }
      : {}),
  } as ConstructorParameters<typeof Table>[0]);
}
