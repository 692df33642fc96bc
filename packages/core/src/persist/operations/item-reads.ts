import { ItemNotFoundError } from '../../errors/persistence-errors.js';
import type { KeyInput } from '../item-key.js';
import type { Constructor, ModelRuntime, ReadOptions } from './model-runtime.js';

/** The object under a key; `ItemNotFoundError` when there is none. */
export async function loadObject<M>(
  runtime: ModelRuntime,
  type: Constructor<M>,
  key: KeyInput,
  options?: ReadOptions,
): Promise<M> {
  const itemKey = runtime.itemKey(key);
  const item = await runtime.readItem(itemKey, options);
  if (!item) throw new ItemNotFoundError(runtime.location(itemKey));
  return runtime.instantiate(type, item);
}

/** The object under a key, or undefined. */
export async function getObject<M>(
  runtime: ModelRuntime,
  type: Constructor<M>,
  key: KeyInput,
  options?: ReadOptions,
): Promise<M | undefined> {
  const item = await runtime.readItem(runtime.itemKey(key), options);
  return item ? runtime.instantiate(type, item) : undefined;
}

/** True when an item of the model has the key; reads only the key attributes. */
export async function objectExists(
  runtime: ModelRuntime,
  key: KeyInput,
  options?: ReadOptions,
): Promise<boolean> {
  const itemKey = runtime.itemKey(key);
  const discriminator = runtime.model.table.discriminatorAttribute;
  const attributes = [...Object.keys(itemKey), ...(discriminator ? [discriminator] : [])];
  return (await runtime.readItem(itemKey, options, attributes)) !== undefined;
}
