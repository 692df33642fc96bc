/**
 * Whether the current schema is the session's temporary one, as SQL. `current_schema()` (and
 * `current_schemas()`) make that schema when the search_path lists pg_temp first and the session
 * has none yet, within the statement that calls them: a read of pg_namespace in that statement,
 * under its snapshot, does not see it, and the schema (pg_temp_N) passed for a system one. Its
 * oid, `pg_my_temp_schema()`, and a look-up by name through the catalog caches see it.
 */
export const currentSchemaIsTemporary = `coalesce(to_regnamespace(quote_ident(current_schema()))::oid = pg_my_temp_schema(), false)`;

/** The session's temporary schema's name, as SQL (NULL without one): see above. */
export const temporarySchemaName = `CASE WHEN pg_my_temp_schema() <> 0 THEN pg_my_temp_schema()::regnamespace::text END`;
