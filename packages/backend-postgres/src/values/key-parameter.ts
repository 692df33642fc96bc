import type { KeyValue, StoredValue } from '@macaron/core';
import type { KeyColumn } from '../sql/table-layout.js';
import { escapeKeyText } from './nul-escape.js';

/** A key value as the parameter of its typed column: escaped text, decimal text, or bytes. */
export function keyParameter(value: KeyValue): string | Uint8Array {
  if (typeof value === 'string') return escapeKeyText(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return value;
}

/**
 * The value of an index key column for an item: the attribute when it has the column's type,
 * else NULL, which keeps the item out of the (sparse) index. PostgreSQL computes the column
 * itself (`indexColumnExpression`); this is the specification the tests hold it to.
 */
export function indexColumnParameter(
  column: KeyColumn,
  value: StoredValue | undefined,
): string | Uint8Array | null {
  switch (column.type) {
    case 'string':
      return typeof value === 'string' ? escapeKeyText(value) : null;
    case 'number':
      return typeof value === 'number' || typeof value === 'bigint' ? String(value) : null;
    case 'binary':
      return value instanceof Uint8Array ? value : null;
  }
}
