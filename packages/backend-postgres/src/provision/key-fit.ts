import { type IndexDescriptor, type TableDescriptor, TableMismatchError } from '@macaron/core';
import { itemColumn, tableLayout, typesColumn } from '../sql/table-layout.js';
import { TableStatements } from '../sql/table-statements.js';
import { foreignIndexColumns } from './index-ownership.js';
import type { TableCatalog } from './table-catalog.js';
import {
  indexColumnDifferences,
  itemColumnDifferences,
  primaryKeyDifference,
} from './table-differences.js';

/** Which of a table's item columns are of type `json` (see `KeyFit.jsonColumns`). */
export interface JsonColumns {
  readonly item: boolean;
  readonly types: boolean;
}

/** Reads a table's catalog for the check (once per check, as a request's read). */
export interface KeyFitCatalog {
  /** Its columns and indexes, in one statement (see `describeTable`). */
  table(table: TableDescriptor): Promise<TableCatalog>;
  /** Its statements, named as the backend names the table (see `SchemaTables`). */
  statements(table: TableDescriptor): TableStatements;
}

/**
 * The tables a backend has found keyed as their spec says (the primary key on the spec's key
 * columns, their types and collations; each index key column it has of the spec's type, and
 * generated from the item or an earlier version's), each checked once, before the first
 * statement on it. A table made for another spec answers wrongly without an error otherwise:
 * one keyed `(id, s)` under a spec keyed `id` alone gives one of a partition's rows to a read,
 * and a delete removes them all; a team's own column of an index key's name answers the
 * index's queries with its data; a `text` item column would take the writes retyped (see
 * `itemColumnDifferences`). DynamoDB checks every request's key against its table itself.
 */
export class KeyFit {
  // Each table found fitting, with the indexes it was checked with: one that gained an index
  // since (see `perTable`) is checked again.
  private fitting = new WeakMap<TableDescriptor, readonly IndexDescriptor[]>();
  // One catalog read a table at a time, for the calls that start together.
  // With the indexes it checks: a table that gained one meanwhile is checked again.
  private readonly pending = new Map<
    TableDescriptor,
    { readonly indexes: readonly IndexDescriptor[]; readonly check: Promise<void> }
  >();
  // Moved on by `forget()`: a check that began before it settles nothing.
  private generation = 0;
  // The write statements of each table found fitting with index key columns an earlier
  // version made and wrote itself (see `writes`).
  private earlierColumnWrites = new WeakMap<TableDescriptor, TableStatements>();
  // The tables found fitting whose item or item_types column is `json` (see `jsonColumns`).
  private jsonTables = new WeakMap<TableDescriptor, JsonColumns>();

  /** The tables among `tables` not yet found fitting, or undefined when none is left. */
  unchecked(
    tables: TableDescriptor | readonly TableDescriptor[],
  ): readonly TableDescriptor[] | undefined {
    if (!Array.isArray(tables)) {
      const table = tables as TableDescriptor;
      return this.fits(table) ? undefined : [table];
    }
    const left = tables.filter((table) => !this.fits(table));
    return left.length > 0 ? left : undefined;
  }

  /**
   * Reads each table's catalog and remembers those keyed as their spec says;
   * `TableMismatchError` for one that is not (checked again at the next call: a table may be
   * fixed meanwhile).
   */
  async check(tables: readonly TableDescriptor[], catalog: KeyFitCatalog): Promise<void> {
    for (const table of new Set(tables)) {
      const started = this.pending.get(table);
      let check = started?.indexes === table.indexes ? started.check : undefined;
      if (!check) {
        const indexes = table.indexes;
        const made: Promise<void> = this.checkOne(table, catalog).finally(() => {
          if (this.pending.get(table)?.check === made) this.pending.delete(table);
        });
        check = made;
        this.pending.set(table, { indexes, check });
      }
      await check;
    }
  }

  private fits(table: TableDescriptor): boolean {
    return this.fitting.get(table) === table.indexes;
  }

  /**
   * The statements a write on the table takes (`statements`, the table's own): on a table found
   * fitting with index key columns an earlier version made and wrote itself, statements that
   * set those columns to their default, NULL, as an insert leaves them. Left as they were, they
   * would keep the item in the index under the key it held before this write (a query of
   * another partition would answer it), until `ensureTables` converts them.
   */
  writes(statements: TableStatements): TableStatements {
    return this.earlierColumnWrites.get(statements.layout.descriptor) ?? statements;
  }

  /**
   * Which of the table's item columns are `json` (a table made by hand may have them), as its
   * check found them; undefined when neither is, as on every table provisioning makes. A
   * `json` column keeps a member an object names twice, which the reads must then see (see
   * `checkMembersNamedOnce`); a `jsonb` column never holds one.
   */
  jsonColumns(table: TableDescriptor): JsonColumns | undefined {
    return this.jsonTables.get(table);
  }

  /**
   * Forgets `tables`, or every table: provisioning may have dropped or made them again, or a
   * request found one gone. Each is checked again before its next request, and that check sets what its writes
   * and reads need (`writes`, `jsonColumns`). Until then those stay as they are, for the requests
   * already past their check: cleared, a write in flight on a table whose index key columns an
   * earlier version made would leave them as they were (the item answered under its old index
   * key), and a read of a `json` column would not see a member named twice. On a table made
   * again otherwise meanwhile, what they send fails instead (a generated column set).
   */
  forget(tables?: TableDescriptor | readonly TableDescriptor[]): void {
    if (tables === undefined) this.fitting = new WeakMap();
    else for (const table of [tables].flat()) this.fitting.delete(table);
    // A check under way when the table went may have read the table before: not recorded.
    this.generation += 1;
  }

  private async checkOne(table: TableDescriptor, catalog: KeyFitCatalog): Promise<void> {
    const generation = this.generation;
    // Taken before the catalog reads: a model made persistent meanwhile may add an index this
    // check never sees, and the table is then checked again.
    const checked = table.indexes;
    const layout = tableLayout(table);
    // The indexes tell an earlier version's column from a team's: read with the columns, in
    // one snapshot, even where no such column is there (one statement, not two).
    const { columns, indexes } = await catalog.table(table);
    const difference = primaryKeyDifference(layout, columns);
    const differences = [
      ...(difference ? [difference] : []),
      ...indexColumnDifferences(layout, columns),
      ...itemColumnDifferences(layout, columns, false),
      ...foreignIndexColumns(layout, columns, indexes),
    ];
    if (differences.length > 0) throw new TableMismatchError(table.name, differences);
    if (generation !== this.generation) return;
    // Past the checks above, an index key column that is not generated is an earlier version's.
    const earlier = layout.indexColumns.filter(
      (column) => columns.get(column.name)?.generated === false,
    );
    if (earlier.length > 0)
      this.earlierColumnWrites.set(
        table,
        new TableStatements(catalog.statements(table).layout, earlier),
      );
    else this.earlierColumnWrites.delete(table);
    const item = columns.get(itemColumn)?.type === 'json';
    const types = columns.get(typesColumn)?.type === 'json';
    if (item || types) this.jsonTables.set(table, { item, types });
    else this.jsonTables.delete(table);
    this.fitting.set(table, checked);
  }
}
