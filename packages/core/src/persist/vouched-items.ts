import { refusedName } from './item-to-write.js';
import type { StoredItem, StoredValue } from './stored-value.js';

/*
 * Items core made from an object it validated, by `copyIfValid`'s one walk (see stored-form.ts):
 * JSON's values alone, each one a backend stores, no name DynamoDB refuses, at most 32 levels
 * deep, with an upper bound of their size. `checkItemToWrite` and `checkJsonItemToWrite` then
 * check such an item's keys and bound alone, rather than walking it again: a save's item was
 * walked in core, then once more in the backend. Only core adds items here, each just made and
 * not yet seen by anyone; the first check takes the entry, so an item is trusted once.
 */
const vouched = new WeakMap<StoredItem, number>();

/** Records `item` as holding what `copyIfValid` copies alone, `sizeBound` bounding its size. */
export function vouchForItem(item: StoredItem, sizeBound: number): void {
  vouched.set(item, sizeBound);
}

/**
 * Keeps the record of a vouched item that core gives one more attribute (a version, the value
 * that marks its model) when the value is one `copyIfValid` would have taken; else drops it.
 */
export function vouchedAttributeSet(item: StoredItem, name: string, value: StoredValue): void {
  const bound = vouched.get(item);
  if (bound === undefined) return;
  const valueBound =
    typeof value === 'string'
      ? value.isWellFormed()
        ? 3 * value.length
        : -1
      : typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)
        ? 21
        : -1;
  if (valueBound < 0 || !name.isWellFormed() || refusedName(name)) vouched.delete(item);
  else vouched.set(item, bound + 1 + 3 * name.length + valueBound);
}

/** Drops the record of `item`: core gives it values another client stored, for the backend to check. */
export function dropVouch(item: StoredItem): void {
  vouched.delete(item);
}

/** The size bound of an item core vouched for (undefined for any other), the record kept. */
export function vouchedBound(item: StoredItem): number | undefined {
  return vouched.get(item);
}

/** The size bound of an item core vouched for, taking the record; undefined for any other item. */
export function takeVouchedBound(item: StoredItem): number | undefined {
  const bound = vouched.get(item);
  if (bound !== undefined) vouched.delete(item);
  return bound;
}
