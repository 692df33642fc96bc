import { formatKey, InvalidRequestError } from '../errors/persistence-errors.js';
import { shownJson, shownName } from '../errors/shown-name.js';
import type { ItemKey, StoredItem } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';

/**
 * An update refused because the item's version property holds no number (another client's
 * "3", true, a map), which the update's own increment cannot add 1 to: the engine's refusal
 * names no attribute, and the caller's changes are not at fault. Said so, with the way to mend
 * the item, when `read` (the item, read consistently) shows it; undefined otherwise (or if that
 * read fails: the refusal stands as the engine gave it). `update()` alone and in a transaction.
 */
export async function versionNotANumber(
  model: ModelDescriptor,
  key: ItemKey,
  read: () => Promise<StoredItem | undefined>,
  refusal: InvalidRequestError,
): Promise<InvalidRequestError | undefined> {
  const name = model.versionAttribute;
  if (name === undefined) return undefined;
  const stored = await read().catch(() => undefined);
  if (!stored || !Object.hasOwn(stored, name)) return undefined;
  const version = stored[name];
  if (typeof version === 'number' || typeof version === 'bigint') return undefined;
  const shown = shownName(model.name);
  return new InvalidRequestError(
    `${shown} ${formatKey(key)}: its version property ${shownName(name)} holds ${shownJson(version)}, not a number, which update() cannot add 1 to; nothing was written (${shown}.delete(key) deletes the item whatever version it holds)`,
    { cause: refusal },
  );
}
