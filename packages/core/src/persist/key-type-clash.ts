import { quotedName } from '../errors/shown-name.js';
import type { KeyAttribute, TableDescriptor } from './table-descriptor.js';

/**
 * The first attribute that the listings of one table (two specs, one prefix) key with two types,
 * said as a difference (`attribute "e" keyed as a string and as a number`), or undefined. A
 * table types each attribute once (a DynamoDB attribute definition, a PostgreSQL column), so
 * such listings cannot both be made. Given one listing, whether it does so alone.
 */
export function keyTypeClash(listings: readonly TableDescriptor[]): string | undefined {
  const types = new Map<string, KeyAttribute['type']>();
  for (const listing of listings)
    for (const key of keyAttributes(listing)) {
      const type = types.get(key.name);
      if (type !== undefined && type !== key.type)
        return `attribute ${quotedName(key.name)} keyed as a ${type} and as a ${key.type}`;
      types.set(key.name, key.type);
    }
  return undefined;
}

/** Every key attribute of a table and its indexes, table keys first. */
export function keyAttributes(table: TableDescriptor): KeyAttribute[] {
  return [
    table.partitionKey,
    ...(table.sortKey ? [table.sortKey] : []),
    ...table.indexes.flatMap((index) => [
      index.partitionKey,
      ...(index.sortKey ? [index.sortKey] : []),
    ]),
  ];
}
