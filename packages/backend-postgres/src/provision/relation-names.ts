import { TableMismatchError } from '@macaron/core';
import type { SqlExecutor } from '../client/sql-client.js';
import type { TableLayout } from '../sql/table-layout.js';

/*
 * Tables, indexes, sequences and views share one namespace per schema. `CREATE … IF NOT EXISTS`
 * skips silently when a name is taken by anything, so provisioning looks every name it needs up
 * first and refuses one taken by something else (`TableMismatchError`), rather than skip.
 */

/** A relation of the current schema that holds a name. */
export interface Relation {
  readonly name: string;
  /** `pg_class.relkind`: `r` table, `p` partitioned table, `i` index, `v` view, … */
  readonly kind: string;
  /** For an index: the table it indexes. */
  readonly indexedTable: string | null;
  /** For an index: it is its table's primary key. */
  readonly primary: boolean;
}

/** The relations holding any of `names` in the current schema, by name. */
export async function relationsNamed(
  executor: SqlExecutor,
  names: readonly string[],
): Promise<Map<string, Relation>> {
  const rows = await executor.query(
    `SELECT c.relname AS name, c.relkind::text AS kind, t.relname AS indexed_table,
            coalesce(i.indisprimary, false) AS is_primary
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_index i ON i.indexrelid = c.oid
       LEFT JOIN pg_class t ON t.oid = i.indrelid
      WHERE n.nspname = current_schema()
        AND c.relname IN (SELECT jsonb_array_elements_text($1::text::jsonb))`,
    [JSON.stringify(names)],
  );
  return new Map(
    rows.map((row) => [
      row.name as string,
      {
        name: row.name as string,
        kind: row.kind as string,
        indexedTable: (row.indexed_table as string | null) ?? null,
        primary: row.is_primary === true,
      },
    ]),
  );
}

/** True for a relation that is a table. */
export function isTable(relation: Relation | undefined): boolean {
  return relation?.kind === 'r' || relation?.kind === 'p';
}

const kinds: Record<string, string> = {
  r: 'table',
  p: 'partitioned table',
  i: 'index',
  I: 'partitioned index',
  S: 'sequence',
  v: 'view',
  m: 'materialized view',
  c: 'composite type',
  f: 'foreign table',
  t: 'TOAST table',
};

// Derived names longer than 63 bytes keep their first bytes and a 32-bit hash: two can meet.
function shortenedNote(name: string): string {
  return name.includes('~')
    ? ' (names longer than 63 bytes are shortened to their first bytes and a 32-bit hash, and these two meet: rename or shorten one of the tables or indexes)'
    : '';
}

/** `the name "x" is taken by the index "x" of table "y"`: a difference to report. */
export function nameTaken(relation: Relation, wanted: string): string {
  const kind = kinds[relation.kind] ?? `relation (kind ${relation.kind})`;
  const of = relation.indexedTable === null ? '' : ` of table "${relation.indexedTable}"`;
  return `the name "${relation.name}", needed for ${wanted}, is taken by the ${kind} "${relation.name}"${of}${relation.indexedTable === null ? '' : shortenedNote(relation.name)}`;
}

/** The names a table's layout needs besides its own, and what each is for. */
export function derivedNames(layout: TableLayout): [name: string, wanted: string][] {
  return [
    [layout.primaryKeyName, 'its primary key'],
    ...[...layout.indexes.values()].map((index): [string, string] => [
      index.name,
      `its index ${index.descriptor.name}`,
    ]),
  ];
}

/**
 * The derived names of a table that another relation holds: for a table that exists, its own
 * primary key and indexes are in their place; for one to be created, every name must be free.
 */
export function takenNames(
  layout: TableLayout,
  relations: ReadonlyMap<string, Relation>,
  tableExists: boolean,
): string[] {
  const table = layout.descriptor.name;
  const problems: string[] = [];
  for (const [name, wanted] of derivedNames(layout)) {
    const relation = relations.get(name);
    if (!relation) continue;
    const ours =
      tableExists &&
      (relation.kind === 'i' || relation.kind === 'I') &&
      relation.indexedTable === table &&
      relation.primary === (name === layout.primaryKeyName);
    if (!ours) problems.push(nameTaken(relation, wanted));
  }
  return problems;
}

/**
 * Refuses two tables of one call that need the same name (two long index names shortened to
 * the same hash), before anything is created: the catalog check cannot see them, since neither
 * exists yet. (Two indexes of one table are refused by `tableLayout`.)
 */
export function checkDistinctNames(layouts: readonly TableLayout[]): void {
  const needed = new Map<string, { table: string; wanted: string }>();
  for (const layout of layouts) {
    const table = layout.descriptor.name;
    const names: [string, string][] = [[table, 'the table itself'], ...derivedNames(layout)];
    for (const [name, wanted] of names) {
      const other = needed.get(name);
      if (other && other.table !== table)
        throw new TableMismatchError(table, [
          `the name "${name}", needed for ${wanted}, is also needed by table "${other.table}" for ${other.wanted}${shortenedNote(name) || ': rename one of the tables or indexes'}`,
        ]);
      needed.set(name, { table, wanted });
    }
  }
}
