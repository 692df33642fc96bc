import { ConditionFailedError } from '../errors/persistence-errors.js';
import type { StorageBackend } from './storage-backend.js';
import { belongsToModel } from './stored-form.js';
import type { ItemKey, StoredItem } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';

const attempts = 3;

/**
 * Reads an item back to tell which condition of a failed write did not hold. The write's
 * failure is certain even when that read is not: the read is retried, and if it keeps
 * failing the outcome is still a `ConditionFailedError` (never a 500), with the read's
 * failure as its cause and a message that says what could not be told apart.
 */
export async function readForExplanation<T>(
  read: () => Promise<T>,
  alternatives: string,
): Promise<T> {
  let failure: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await read();
    } catch (error) {
      failure = error;
      if (attempt < attempts - 1) await new Promise((done) => setTimeout(done, 25 * 2 ** attempt));
    }
  }
  throw new ConditionFailedError(
    `The write's condition did not hold and nothing was written, but reading the item back to say why failed: ${alternatives}`,
    { cause: failure },
  );
}

/**
 * What a failed write of one model's item finds under its key when read back to say why
 * (`readForExplanation`, strongly consistent): the item stored, if any; the same if it is this
 * model's (`current`); and the version it holds, on a versioned model.
 */
export async function readModelItemForExplanation(
  backend: StorageBackend,
  model: ModelDescriptor,
  key: ItemKey,
  alternatives: string,
): Promise<{
  stored: StoredItem | undefined;
  current: StoredItem | undefined;
  storedVersion: unknown;
}> {
  const stored = await readForExplanation(
    () => backend.getItem({ model, key, consistent: true }),
    alternatives,
  );
  const current = stored && belongsToModel(model, stored) ? stored : undefined;
  const name = model.versionAttribute;
  const storedVersion =
    current && name !== undefined && Object.hasOwn(current, name) ? current[name] : undefined;
  return { stored, current, storedVersion };
}
