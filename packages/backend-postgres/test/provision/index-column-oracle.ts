import type { StoredValue } from '@macaron/core';
import type { KeyColumn } from '../../src/sql/table-layout.js';
import { escapeKeyText } from '../../src/values/nul-escape.js';

/**
 * The value of an index key column for an item: the attribute when it has the column's type,
 * else NULL, which keeps the item out of the (sparse) index. PostgreSQL computes the column
 * itself (`indexColumnExpression`); this is the specification it is held to.
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
