import type { Api, ItemKey, StorageBackend } from '@macaron/core';
import { keyOfItem } from '@macaron/core/backend';
import { exactText } from './exact-text.js';

/** Every item of a model's table as the backend reads it, in exact text, by its key's. */
export async function storedItems(api: Api, model: string): Promise<Map<string, string>> {
  const descriptor = api.persistent(model).descriptor;
  const backend = api.backend as StorageBackend;
  const items = new Map<string, string>();
  let startKey: ItemKey | undefined;
  do {
    const page = await backend.scan({ model: descriptor, startKey, consistent: true });
    for (const item of page.items)
      items.set(exactText(keyOfItem(descriptor, item)), exactText(item));
    startKey = page.lastKey;
  } while (startKey);
  return new Map([...items].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
