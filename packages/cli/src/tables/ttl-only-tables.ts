/** One change reported for a table, by `ensureTables` or the plan. */
interface TableChange {
  readonly table: string;
  readonly action: string;
}

/**
 * The changes with `unchanged` added before the TTL note of each table whose only change is
 * `ttl-unsupported`: an engine without TTL (dynalite) reports it on every run, and the table
 * is up to date all the same.
 */
export function withUnchangedTables<T extends TableChange>(
  changes: readonly T[],
  unchanged: (table: string) => T,
): T[] {
  const byTable = new Map<string, T[]>();
  for (const change of changes)
    byTable.set(change.table, [...(byTable.get(change.table) ?? []), change]);
  return [...byTable].flatMap(([table, own]) =>
    own.every((change) => change.action === 'ttl-unsupported') ? [unchanged(table), ...own] : own,
  );
}
