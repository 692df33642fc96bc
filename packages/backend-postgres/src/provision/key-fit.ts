import { type TableDescriptor, TableMismatchError } from '@macaron/core';
import { tableLayout } from '../sql/table-layout.js';
import type { ColumnInfo } from './table-catalog.js';
import { indexColumnDifferences, keyColumnsDifference } from './table-differences.js';

/**
 * The tables a backend has found keyed as their spec says (the key columns, their types and
 * collations, the primary key when the table has one, and the type of each index key column
 * it has), each checked once, before the
 * first statement on it. A table made for another spec answers wrongly without an error
 * otherwise: one keyed `(id, s)` under a spec keyed `id` alone gives one of a partition's rows
 * to a read, and a delete removes them all. DynamoDB checks every request's key against its
 * table itself.
 */
export class KeyFit {
  private fitting = new WeakSet<TableDescriptor>();
  // One catalog read a table at a time, for the calls that start together.
  private readonly pending = new Map<TableDescriptor, Promise<void>>();
  // Moved on by `forget()`: a check that began before it settles nothing.
  private generation = 0;

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
    for (const table of new Set(tables)) {
      let check = this.pending.get(table);
      if (!check) {
        check = this.checkOne(table, columnsOf).finally(() => this.pending.delete(table));
        this.pending.set(table, check);
      }
      await check;
    }
  }

  /** Forgets every table: provisioning may have dropped or made them again. */
  forget(): void {
    this.fitting = new WeakSet();
    this.generation += 1;
  }

  private async checkOne(
    table: TableDescriptor,
    columnsOf: (table: TableDescriptor) => Promise<Map<string, ColumnInfo>>,
  ): Promise<void> {
    const generation = this.generation;
    const layout = tableLayout(table);
    const columns = await columnsOf(table);
    const difference = keyColumnsDifference(layout, columns);
    const differences = [
      ...(difference ? [difference] : []),
      ...indexColumnDifferences(layout, columns),
    ];
    if (differences.length > 0) throw new TableMismatchError(table.name, differences);
    if (generation === this.generation) this.fitting.add(table);
  }
}
