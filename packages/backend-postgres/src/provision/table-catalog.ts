import type { SqlExecutor } from '../client/sql-client.js';
import type { TableLayout } from '../sql/table-layout.js';

/** A column of an existing table, as the catalog describes it. */
export interface ColumnInfo {
  readonly name: string;
  /** As `format_type` prints it by default, e.g. `text`, `numeric`, `jsonb` (see `columnType`). */
  readonly type: string;
  readonly collation: string;
  /** Its position in the primary key (1-based), or 0. */
  readonly keyPosition: number;
  readonly notNull: boolean;
  /** A default, an identity or a generation expression fills it when an INSERT does not. */
  readonly filledByDefault: boolean;
  /** A STORED generated column. */
  readonly generated: boolean;
  /** Its generation expression as PostgreSQL prints it, for generated columns. */
  readonly expression: string | null;
  /** For generated columns: the other columns the expression reads (from `pg_depend`). */
  readonly sources: readonly string[];
}

/*
 * A column's type as PostgreSQL prints it by default (`text`, `numeric(10,2)`, `jsonb`), what
 * the spec's types are compared with. `format_type` prints through `quote_identifier`, so a
 * session with `quote_all_identifiers` on (a database or role setting) says `"text"` and
 * `"jsonb"`, and one whose search_path puts a schema with a type of that name before
 * pg_catalog says `pg_catalog.text`: every table would differ from its spec, in `ensureTables`
 * and in the check before a table's first request. A type of pg_catalog printed as its quoted
 * or qualified name is its name; the types `format_type` spells otherwise (`numeric`,
 * `integer`, `character varying`) it never quotes. A type of another schema is always named
 * with its schema: `format_type` prints one the search_path makes visible unqualified (a
 * domain `s.text` as `text`, under `search_path = public, s, pg_catalog`), which would pass
 * for pg_catalog's in the check before a table's first request.
 */
const columnType = `CASE WHEN t.typnamespace = 'pg_catalog'::regnamespace
            AND format_type(a.atttypid, a.atttypmod) IN (quote_ident(t.typname),
                'pg_catalog.' || quote_ident(t.typname), quote_ident('pg_catalog') || '.' || quote_ident(t.typname))
            THEN t.typname::text
            WHEN t.typnamespace <> 'pg_catalog'::regnamespace AND pg_type_is_visible(t.oid)
            THEN quote_ident(n.nspname) || '.' || format_type(a.atttypid, a.atttypmod)
            ELSE format_type(a.atttypid, a.atttypmod) END`;

// The columns of the table named $1, one row each.
const columnsQuery = `SELECT a.attname AS name, ${columnType} AS type,
            coalesce(c.collname, '') AS collation,
            coalesce(array_position(i.indkey::int2[], a.attnum) - array_lower(i.indkey::int2[], 1) + 1, 0) AS key_position,
            a.attnotnull AS not_null,
            (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '') AS filled_by_default,
            a.attgenerated = 's' AS generated,
            CASE WHEN a.attgenerated = 's' THEN pg_get_expr(d.adbin, d.adrelid) END AS expression,
            (SELECT coalesce(json_agg(r.attname::text ORDER BY r.attnum), '[]')::text
               FROM pg_depend dep JOIN pg_attribute r ON r.attrelid = dep.refobjid AND r.attnum = dep.refobjsubid
              WHERE a.attgenerated = 's' AND dep.refclassid = 'pg_class'::regclass
                AND dep.refobjid = a.attrelid AND dep.refobjsubid > 0 AND dep.refobjsubid <> a.attnum
                AND ((dep.classid = 'pg_attrdef'::regclass AND dep.objid = d.oid)
                  -- PostgreSQL 14 and earlier record it as the column's own (auto) dependency.
                  OR (dep.classid = 'pg_class'::regclass AND dep.objid = a.attrelid
                      AND dep.objsubid = a.attnum))) AS sources
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       JOIN pg_namespace n ON n.oid = t.typnamespace
       LEFT JOIN pg_collation c ON c.oid = a.attcollation AND a.attcollation <> 0
       LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped`;

function columnsOf(rows: readonly Record<string, unknown>[]): Map<string, ColumnInfo> {
  const columns = new Map<string, ColumnInfo>();
  for (const row of rows)
    columns.set(row.name as string, {
      name: row.name as string,
      type: row.type as string,
      collation: row.collation as string,
      keyPosition: Number(row.key_position),
      notNull: row.not_null === true,
      filledByDefault: row.filled_by_default === true,
      generated: row.generated === true,
      expression: (row.expression as string | null) ?? null,
      sources: JSON.parse(row.sources as string) as string[],
    });
  return columns;
}

/** The columns of a table, by name. */
export async function describeColumns(
  executor: SqlExecutor,
  layout: TableLayout,
): Promise<Map<string, ColumnInfo>> {
  return columnsOf(await executor.query(columnsQuery, [layout.sql]));
}

/** An index of an existing table. */
export interface IndexInfo {
  readonly name: string;
  /** The indexed columns, in order (empty names for expressions). */
  readonly columns: readonly string[];
  readonly primary: boolean;
  readonly unique: boolean;
  /** It has a WHERE clause. */
  readonly partial: boolean;
  /**
   * Queries may use it: false for one a `CREATE INDEX CONCURRENTLY` left when it failed (or
   * while it is being built), which the planner never uses.
   */
  readonly valid: boolean;
}

// The indexes of the table named $1, one row each.
const indexesQuery = `SELECT c.relname AS name, i.indisprimary AS is_primary, i.indisunique AS is_unique,
            i.indpred IS NOT NULL AS partial, i.indisvalid AS valid,
            (SELECT coalesce(json_agg(coalesce(a.attname::text, '') ORDER BY k.position), '[]')::text
               FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
               LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS columns
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = $1::text::regclass`;

function indexesOf(rows: readonly Record<string, unknown>[]): Map<string, IndexInfo> {
  const indexes = new Map<string, IndexInfo>();
  for (const row of rows)
    indexes.set(row.name as string, {
      name: row.name as string,
      columns: JSON.parse(row.columns as string) as string[],
      primary: row.is_primary === true,
      unique: row.is_unique === true,
      partial: row.partial === true,
      valid: row.valid === true,
    });
  return indexes;
}

/** The indexes of a table, by name. */
export async function describeIndexes(
  executor: SqlExecutor,
  layout: TableLayout,
): Promise<Map<string, IndexInfo>> {
  return indexesOf(await executor.query(indexesQuery, [layout.sql]));
}

/** A table's columns and indexes, as one catalog read sees them, and the schema it is in. */
export interface TableCatalog {
  readonly columns: Map<string, ColumnInfo>;
  readonly indexes: Map<string, IndexInfo>;
  /** The schema of the table described, unquoted. */
  readonly schema: string;
  /** It is in the session's temporary schema: no other session sees it. */
  readonly temporary: boolean;
}

/*
 * The table's columns, indexes and schema, its name `$1` resolved as PostgreSQL resolves it: a
 * qualified name in its schema, an unqualified one (a backend's first check, see
 * `SchemaTables`) through the session's search_path, the session's temporary schema first.
 */
const describeQuery = `SELECT (SELECT coalesce(json_agg(c), '[]') FROM (${columnsQuery}) AS c)::text AS columns,
            (SELECT coalesce(json_agg(i), '[]') FROM (${indexesQuery}) AS i)::text AS indexes,
            (SELECT n.nspname FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
              WHERE r.oid = $1::text::regclass) AS schema,
            (SELECT r.relpersistence = 't' FROM pg_class r WHERE r.oid = $1::text::regclass) AS temporary`;

/**
 * The columns and indexes of a table in one statement: one snapshot (a concurrent
 * `ensureTables` cannot show its new columns beside the old indexes) and, behind PgBouncer's
 * transaction pooling, one server session. Each list travels as json, read back as the
 * statements above answer (text, booleans, whole numbers).
 */
export async function describeTable(
  executor: SqlExecutor,
  layout: TableLayout,
): Promise<TableCatalog> {
  const [row] = await executor.query(describeQuery, [layout.sql]);
  return {
    columns: columnsOf(JSON.parse(row!.columns as string) as Record<string, unknown>[]),
    indexes: indexesOf(JSON.parse(row!.indexes as string) as Record<string, unknown>[]),
    schema: row!.schema as string,
    temporary: row!.temporary === true,
  };
}

/** The name of the table's primary key constraint, if it has one. */
export async function primaryKeyConstraint(
  executor: SqlExecutor,
  layout: TableLayout,
): Promise<string | undefined> {
  const rows = await executor.query(
    `SELECT conname AS name FROM pg_constraint WHERE conrelid = $1::text::regclass AND contype = 'p'`,
    [layout.sql],
  );
  return rows[0]?.name as string | undefined;
}

/** One object of a table that depends on a column (an index, a constraint, statistics…). */
export interface ColumnDependent {
  /** The column depended on. */
  readonly column: string;
  /** The object's name (an index or a constraint), else PostgreSQL's description of it. */
  readonly name: string;
  /** PostgreSQL's description of the object (`index users_email_unique`, `constraint … on table …`). */
  readonly description: string;
}

/**
 * The objects that depend on `columns` of the table and that dropping them would drop with
 * them (or refuse to): indexes, constraints, extended statistics, views, other generated
 * columns that read them. A column's own generation expression is left out.
 */
export async function dependentsOfColumns(
  executor: SqlExecutor,
  layout: TableLayout,
  columns: readonly string[],
): Promise<ColumnDependent[]> {
  const rows = await executor.query(
    `SELECT DISTINCT a.attname AS column_name,
            coalesce(
              generated.description,
              (SELECT relname FROM pg_class WHERE d.classid = 'pg_class'::regclass AND oid = d.objid),
              (SELECT conname FROM pg_constraint WHERE d.classid = 'pg_constraint'::regclass AND oid = d.objid),
              (SELECT c.relname FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
                WHERE d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid),
              pg_describe_object(d.classid, d.objid, d.objsubid)) AS name,
            coalesce(
              generated.description,
              (SELECT 'view ' || r.ev_class::regclass::text FROM pg_rewrite r
                WHERE d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid),
              pg_describe_object(d.classid, d.objid, d.objsubid)) AS description
       FROM pg_depend d
       JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
       LEFT JOIN pg_attrdef ad ON d.classid = 'pg_attrdef'::regclass AND ad.oid = d.objid
       -- Another generated column that reads the column: PostgreSQL 15 and later record it as
       -- its expression's (pg_attrdef) dependency, earlier ones as the column's own.
       CROSS JOIN LATERAL (
         SELECT CASE
           WHEN ad.oid IS NOT NULL THEN pg_describe_object('pg_class'::regclass, ad.adrelid, ad.adnum)
           WHEN d.classid = 'pg_class'::regclass AND d.objid = a.attrelid AND d.objsubid > 0
             THEN pg_describe_object(d.classid, d.objid, d.objsubid)
           END AS description) AS generated
      WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = $1::text::regclass
        AND a.attname = ANY($2::text[])
        AND (d.classid <> 'pg_attrdef'::regclass OR ad.adnum IS DISTINCT FROM a.attnum)
        AND d.deptype IN ('a', 'n')
      ORDER BY 1, 3`,
    [layout.sql, columns],
  );
  return rows.map((row) => ({
    column: row.column_name as string,
    name: row.name as string,
    description: row.description as string,
  }));
}
