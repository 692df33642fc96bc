import type {
  IndexDescriptor,
  ItemKey,
  ModelDescriptor,
  StoredItem,
  TableDescriptor,
} from '@macaron/core';
import { setOwnProperty } from '@macaron/core/backend';
import { decodeAttributes } from './decode-item.js';
import { pointerStep } from './json-pointer.js';
import { namesTopMemberTwice } from './member-names.js';

/**
 * What can be read exactly of a row whose item cannot be: its key, and on a table models share
 * its discriminator attribute, read from the text without the rest of the item. That is enough
 * to tell another model's item (which core sets aside unread), to answer `exists`, and to
 * decide a condition those attributes settle. Undefined wherever the discriminator is not sure: a marked value
 * (a string holding U+0000, a set), a value that is not a string, a member named twice (a json
 * column keeps both), text that does not parse.
 */
export function keyAndDiscriminator(
  row: Record<string, unknown>,
  table: TableDescriptor,
  key: ItemKey,
): StoredItem | undefined {
  const discriminator = table.discriminatorAttribute;
  if (!discriminator) return { ...key };
  try {
    const types = typeof row.types === 'string' ? JSON.parse(row.types) : null;
    const pointer = `/${pointerStep(discriminator)}`;
    if (types !== null && typeof types === 'object')
      for (const marked of Object.keys(types))
        if (marked === pointer || marked.startsWith(`${pointer}/`)) return undefined;
    // Numbers are read as doubles here, but only the discriminator's value is kept.
    const item = JSON.parse(row.item as string) as unknown;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
    // Named twice (a json column keeps both): PostgreSQL and JSON.parse take the last, another
    // reader the first. Not sure, so not another model's item, nor this model's.
    // `key_item_stored`: the text as a json column holds it, where `item` is its jsonb cast.
    const stored = typeof row.key_item_stored === 'string' ? row.key_item_stored : row.item;
    if (namesTopMemberTwice(stored as string, discriminator)) return undefined;
    const kept: StoredItem = { ...key };
    if (!Object.hasOwn(item, discriminator)) return kept;
    const value = (item as Record<string, unknown>)[discriminator];
    if (typeof value !== 'string') return undefined;
    Object.defineProperty(kept, discriminator, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return kept;
  } catch {
    return undefined;
  }
}

/**
 * What a page needs of another model's row that cannot be read exactly (a 20-digit decimal
 * another client wrote), on a table models share: its discriminator, by which core's filter
 * sets it aside, and the key attributes of the table and of the index read, for the page's
 * last key, when they can be read exactly. Undefined unless the row is certainly not one of
 * `model`'s.
 */
export function otherModelsRow(
  row: Record<string, unknown>,
  model: ModelDescriptor,
  index: IndexDescriptor | undefined,
): StoredItem | undefined {
  const { table } = model;
  const discriminator = table.discriminatorAttribute;
  if (discriminator === undefined || model.discriminatorValue === undefined) return undefined;
  const held = keyAndDiscriminator(row, table, {});
  if (held === undefined || held[discriminator] === model.discriminatorValue) return undefined;
  const names = [table.partitionKey, table.sortKey, index?.partitionKey, index?.sortKey]
    .filter((attribute) => attribute !== undefined)
    .map((attribute) => attribute.name);
  // Key attributes no JavaScript value holds exactly: the discriminator alone, and the page
  // does not end at it (see `keyedStandIn`).
  const standIn =
    decodeAttributes(row.item as string | null, row.types as string | null, names) ?? {};
  if (Object.hasOwn(held, discriminator))
    setOwnProperty(standIn, discriminator, held[discriminator]!);
  return standIn;
}

/** Whether a stand-in of `otherModelsRow` holds the key a page's last key is made of. */
export function keyedStandIn(standIn: StoredItem, table: TableDescriptor): boolean {
  return Object.hasOwn(standIn, table.partitionKey.name);
}
