import type { TableDescriptor } from '@macaron/core';
import { quoteIdentifier } from './identifiers.js';
import { type TableLayout, tableLayout } from './table-layout.js';
import { TableStatements } from './table-statements.js';

/*
 * Every statement of a backend names a table with its schema, found once, at the table's first
 * check: where PostgreSQL finds the unqualified name through that session's search_path, as
 * statements without a schema found it (a later schema of the search_path, each model's table
 * in its own). Named without it, PostgreSQL would resolve each name through the search_path of
 * whatever session ran the statement: behind PgBouncer's transaction pooling, a server session
 * another client left a `SET search_path = other` on would have a write go to `other`'s table
 * of that name, and a read find an item absent.
 *
 * Kept by table name: two descriptors of one name (two specs, one prefix) name one table. The
 * layout is made once a table descriptor (`tableLayout`); its schema is a backend's (two
 * backends on two schemas may share a descriptor), so its qualified statements are made here,
 * once a layout (a descriptor gains one when its indexes change).
 */

/** The schema of each of a backend's tables, once found, and their statements named with it. */
export class SchemaTables {
  private readonly schemas = new Map<string, string>();
  // Where tables a statement found gone were (see `forget`): their statements name it until a
  // check finds them again, never the name alone.
  private readonly formerly = new Map<string, string>();
  private statementsOf = new WeakMap<TableLayout, TableStatements>();

  /** The table's schema, unquoted; undefined until its first check has found it. */
  schemaOf(table: TableDescriptor): string | undefined {
    return this.schemas.get(table.name);
  }

  /**
   * Records the schema a check found the table in: the first one found stays, whatever a
   * session's search_path says later. Returns the schema kept.
   */
  settle(table: TableDescriptor, schema: string): string {
    const kept = this.schemas.get(table.name);
    if (kept !== undefined) return kept;
    this.schemas.set(table.name, schema);
    const former = this.formerly.get(table.name);
    this.formerly.delete(table.name);
    // Statements made since it was forgotten name its former schema.
    if (former !== undefined && former !== schema) this.statementsOf = new WeakMap();
    return schema;
  }

  /**
   * Forgets where the tables are: a statement found one, or its schema, gone. Their next check
   * looks for them again through its session's search_path.
   */
  forget(tables: TableDescriptor | readonly TableDescriptor[]): void {
    for (const table of [tables].flat()) {
      const schema = this.schemas.get(table.name);
      if (schema === undefined) continue;
      this.schemas.delete(table.name);
      this.formerly.set(table.name, schema);
    }
  }

  /** The table's layout, its `sql` naming it with its schema (see `statements`). */
  layout(table: TableDescriptor): TableLayout {
    return this.statements(table).layout;
  }

  /**
   * The table's statements, named with its schema: the one found, or the one it was forgotten
   * in. Unqualified only before its first check has found one, which no request runs before.
   */
  statements(table: TableDescriptor): TableStatements {
    const layout = tableLayout(table);
    const made = this.statementsOf.get(layout);
    if (made !== undefined) return made;
    const schema = this.schemas.get(table.name) ?? this.formerly.get(table.name);
    if (schema === undefined) return new TableStatements(layout);
    const statements = new TableStatements({
      ...layout,
      sql: `${quoteIdentifier(schema)}.${layout.sql}`,
    });
    this.statementsOf.set(layout, statements);
    return statements;
  }
}
