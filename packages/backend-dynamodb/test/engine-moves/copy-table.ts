import type { Api, ItemKey, StorageBackend } from '@macaron/core';
import type { BatchWriteEntry } from '@macaron/core/backend';

/**
 * Copies every item of `model`'s table, as stored, from one API's backend to the other's: the
 * copy backend-postgres's README gives its users ("Moving data between backends"), with
 * `scan` and `batchWrite`. The engines here never leave entries unprocessed for long.
 */
export async function copyTable(from: Api, to: Api, model: string): Promise<number> {
  const [source, target] = [from.persistent(model).descriptor, to.persistent(model).descriptor];
  const [reader, writer] = [from.backend as StorageBackend, to.backend as StorageBackend];
  let copied = 0;
  let startKey: ItemKey | undefined;
  do {
    const page = await reader.scan({
      model: source,
      limit: writer.capabilities.maxBatchWrite,
      startKey,
      consistent: true,
    });
    let entries: readonly BatchWriteEntry[] = page.items.map((put) => ({ model: target, put }));
    while (entries.length > 0) ({ unprocessed: entries } = await writer.batchWrite(entries));
    copied += page.items.length;
    startKey = page.lastKey;
  } while (startKey);
  return copied;
}
