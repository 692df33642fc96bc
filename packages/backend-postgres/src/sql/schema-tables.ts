import type { TableDescriptor } from '@macaron/core';
import { quoteIdentifier } from './identifiers.js';
import { type TableLayout, tableLayout } from './table-layout.js';
import { TableStatements } from './table-statements.js';

/*
 * Every statement of a backend names its tables with their schema, found once, at the first
 * check of a table (`current_schema()` of that session, where `ensureTables` makes tables).
 * Named without it, PostgreSQL would resolve each name through the search_path of whatever
 * session ran the statement: behind PgBouncer's transaction pooling, a server session another
 * client left a `SET search_path = other` on would have a write go to `other`'s table of that
 * name, and a read find an item absent.
 *
 * The layout is made once a table descriptor (`tableLayout`); its schema is a backend's (two
 * backends on two schemas may share a descriptor), so its qualified layout and statements are
 * made here, once a layout (a descriptor gains one when its indexes change).
 */

/** The schema a backend's tables live in, once found, and their statements named with it. */
export class SchemaTables {
  private found: string | undefined;
  private prefix = '';
  private layouts = new WeakMap<TableLayout, TableLayout>();
  private statementsOf = new WeakMap<TableLayout, TableStatements>();

  /** The schema, unquoted; undefined until a table's first check has found it. */
  get schema(): string | undefined {
    return this.found;
  }

  /**
   * Records the schema a check found the tables in: the first one found stays, whatever a
   * session's search_path says later. Returns the schema kept.
   */
  settle(schema: string): string {
    if (this.found === undefined) {
      // Checked before it is kept: a name PostgreSQL cannot hold fails here, not in a statement.
      this.prefix = `${quoteIdentifier(schema)}.`;
      this.found = schema;
    }
    return this.found;
  }

  /** The table's layout, its `sql` naming it with the schema (unqualified until one is found). */
  layout(table: TableDescriptor): TableLayout {
    const layout = tableLayout(table);
    if (this.found === undefined) return layout;
    let qualified = this.layouts.get(layout);
    if (qualified === undefined) {
      qualified = { ...layout, sql: `${this.prefix}${layout.sql}` };
      this.layouts.set(layout, qualified);
    }
    return qualified;
  }

  /** The table's statements, named with the schema (see `layout`). */
  statements(table: TableDescriptor): TableStatements {
    const layout = this.layout(table);
    let statements = this.statementsOf.get(layout);
    if (statements === undefined) {
      statements = new TableStatements(layout);
      this.statementsOf.set(layout, statements);
    }
    return statements;
  }
}
