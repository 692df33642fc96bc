import { BackendError, formatKey, type ItemKey, type TableDescriptor } from '@macaron/core';
import { shownText } from '@macaron/core/backend';
import type { Exposure } from '../errors/postgres-errors.js';
import type { RowUnfitness } from '../values/decode-item.js';

// Statements that read stored items (cast to jsonb), by the errors they failed with: the
// table, and the key when one, whose item PostgreSQL may have failed to cast (see
// `unreadableItem`), and the statement's parameters (the request's part in it).
interface ItemRead {
  readonly table: TableDescriptor;
  readonly key?: ItemKey;
  readonly parameters: readonly unknown[];
}

export const itemReads = new WeakMap<object, ItemRead>();

export function readingItems<T>(
  read: Promise<T>,
  parameters: readonly unknown[],
  table: TableDescriptor,
  key?: ItemKey,
): Promise<T> {
  return read.catch((error: unknown) => {
    if (error !== null && typeof error === 'object' && !itemReads.has(error))
      itemReads.set(error, key ? { table, key, parameters } : { table, parameters });
    throw error;
  });
}

// Whether a statement's parameters hold a character beyond Latin-1: the only characters of a
// request a LATIN1 database refuses (22P05) when it converts them from the client's UTF-8.
export function beyondLatin1(parameters: readonly unknown[]): boolean {
  return parameters.some(
    (value) => typeof value === 'string' && /[\u0100-\u{10ffff}]/u.test(value),
  );
}

// The errors `unreadableItem` made: a stored item PostgreSQL cannot cast to jsonb.
export const uncastItems = new WeakSet<object>();

// The error of a read that failed on a stored item PostgreSQL cannot cast to jsonb (`failure`,
// PostgreSQL's), naming the row by its key where known.
export function uncastError(
  failure: unknown,
  operation: string,
  exposure: Exposure,
  table: TableDescriptor,
  named: string | undefined,
): BackendError {
  const unreadable = new BackendError(
    `PostgreSQL ${operation}: a stored item of table ${table.specName}${named ? ` (key ${named})` : ''} cannot be read: PostgreSQL cannot read it (${shownText((failure as Error).message)}); ${exposure === 'read' ? 'nothing was read' : 'nothing was written'}`,
    { cause: failure, notApplied: true },
  );
  uncastItems.add(unreadable);
  return unreadable;
}

// `unreadableItem`'s error (`first`) for a read of many rows, naming the row by the key its
// item's text holds (`stored`, as its column holds it): the read fails all the same.
export function namedUncast(
  first: unknown,
  operation: string,
  table: TableDescriptor,
  stored: string,
): unknown {
  const named = keyInText(table, stored);
  if (!(first instanceof BackendError) || named === undefined) return first;
  return uncastError(first.cause, operation, 'read', table, named);
}

// The errors of rows that cannot be read exactly (see `readExactly`), which a page over a
// table models share looks into.
export const unreadableRows = new WeakSet<object>();

// The errors of a page's rows that name no key (no item, no JSON object, another key), by
// what the row is: the page names afterwards the first row that is so, from its key columns
// (see `PageQuery.rowKeys`), not another row unfit otherwise that comes before it.
export const unnamedRows = new WeakMap<object, RowUnfitness>();

/** `error`, marked as one of a row a page's read could not name, which is `unfitness`. */
export function unnamedRow<T extends object>(error: T, unfitness: RowUnfitness): T {
  unnamedRows.set(error, unfitness);
  return error;
}

// The key attributes of an item's text that cannot be read exactly, read as JSON.parse reads
// them (a key is a string, bytes as base64, or a number), for a message. A number of 16 or more
// significant digits may be JSON.parse's rounding of the stored one: left out, never misnamed.
export function keyInText(table: TableDescriptor, text: string): string | undefined {
  try {
    const item = JSON.parse(text) as Record<string, unknown>;
    const key: Record<string, unknown> = {};
    for (const attribute of [table.partitionKey, table.sortKey]) {
      if (!attribute || !Object.hasOwn(item, attribute.name)) continue;
      const value = item[attribute.name];
      if (typeof value === 'number' && significantDigits(value) > 15) continue;
      key[attribute.name] = value;
    }
    return Object.keys(key).length > 0 ? formatKey(key) : undefined;
  } catch {
    return undefined;
  }
}

function significantDigits(value: number): number {
  const digits = Math.abs(value).toExponential().split('e')[0]!.replace('.', '');
  return digits.length;
}
