import type { Condition } from './condition.js';
import { keyOfItem } from './item-key.js';
import { modelConditions, withCallerCondition } from './model-conditions.js';
import type { StorageBackend } from './storage-backend.js';
import { belongsToModel, toStoredItem } from './stored-form.js';
import type { ItemKey, StoredItem } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';

/** A validated whole-object write, with the condition it needs and what to do once it landed. */
export interface ObjectWrite {
  /** The item to store (with the next version, where the model has one). */
  item: StoredItem;
  /** Its key. */
  key: ItemKey;
  /** The condition to send: the write's own, and the caller's. */
  condition: Condition | undefined;
  /** The version the object was read at (undefined: never stored). */
  expectedVersion: number | undefined;
  /** Records the new version on the object once the write landed. */
  commit(): void;
  /** Why the write's condition failed: the key is taken, the version moved, or the caller's condition. */
  explainFailure(
    backend: StorageBackend,
  ): Promise<'ALREADY_EXISTS' | 'CONFLICT' | 'CONDITION_FAILED'>;
}

/**
 * Prepares `save` (optimistic locking through the version property: the stored version
 * must be the one the object holds, or no item when it holds none) or `create` (no item
 * may have the key). Shared by single writes and transactions.
 */
export function prepareObjectWrite(
  model: ModelDescriptor,
  object: object,
  mode: 'save' | 'create',
  maxItemBytes: number,
  callerCondition?: Condition,
): ObjectWrite {
  const record = object as Record<string, unknown>;
  const item = toStoredItem(model, object, maxItemBytes);
  const key = keyOfItem(model, item);
  const own = modelConditions(model);
  const versionName = model.versionAttribute;
  const expectedVersion =
    versionName === undefined ? undefined : (record[versionName] as number | undefined);
  let needed: Condition | undefined;
  if (mode === 'create') needed = own.absent;
  else if (versionName !== undefined)
    needed =
      expectedVersion === undefined ? own.absent : { attr: versionName, eq: expectedVersion };
  if (versionName !== undefined)
    item[versionName] =
      mode === 'create' || expectedVersion === undefined ? 1 : expectedVersion + 1;
  return {
    item,
    key,
    condition: withCallerCondition(callerCondition, needed),
    expectedVersion,
    commit() {
      if (versionName !== undefined) record[versionName] = item[versionName];
    },
    async explainFailure(backend) {
      if (mode === 'create') return 'ALREADY_EXISTS';
      if (versionName === undefined) return 'CONDITION_FAILED';
      // Read after the fact: only to say which condition failed, never to decide a write.
      const stored = await backend.getItem({ model, key, consistent: true });
      const current = stored && belongsToModel(model, stored) ? stored : undefined;
      const versionHeld =
        expectedVersion === undefined
          ? current === undefined
          : current?.[versionName] === expectedVersion;
      return versionHeld ? 'CONDITION_FAILED' : 'CONFLICT';
    },
  };
}
