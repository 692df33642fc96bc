import { type TableDescriptor, TableMismatchError } from '@macaron/core';
import { tableLayout } from '../sql/table-layout.js';
import type { ColumnInfo } from './table-catalog.js';
import { keyDifferences } from './table-differences.js';

/**
 * The tables a backend has found keyed as their spec says (primary key columns, types and
 * collations, and the types of index key columns), each checked once, before the first statement on it. A table made for another
 * spec answers wrongly without an error otherwise: one keyed `(id, s)` under a spec keyed `id`
 * alone gives one of a partition's rows to a read, and a delete removes them all. DynamoDB
 * checks every request's key against its table itself.
 */
export class KeyFit {
  private fitting = new WeakSet<TableDescriptor>();

  /** The tables among `tables` not yet found fitting, or undefined when none is left. */
  unchecked(
    tables: TableDescriptor | readonly TableDescriptor[],
  ): readonly TableDescriptor[] | undefined {
    if (!Array.isArray(tables)) {
      const table = tables as TableDescriptor;
      return this.fitting.has(table) ? undefined : [table];
    }
    const left = tables.filter((table) => !this.fitting.has(table));
    return left.length > 0 ? left : undefined;
  }

  /**
   * Reads each table's columns with `columnsOf` and remembers those keyed as their spec says;
   * `TableMismatchError` for one that is not (checked again at the next call: a table may be
   * fixed meanwhile).
   */
  async check(
    tables: readonly TableDescriptor[],
    columnsOf: (table: TableDescriptor) => Promise<Map<string, ColumnInfo>>,
  ): Promise<void> {
    for (const table of tables) {
      const differences = keyDifferences(tableLayout(table), await columnsOf(table));
      if (differences.length > 0) throw new TableMismatchError(table.name, differences);
      this.fitting.add(table);
    }
  }

  /** Forgets every table: provisioning may have dropped or made them again. */
  forget(): void {
    this.fitting = new WeakSet();
  }
}
