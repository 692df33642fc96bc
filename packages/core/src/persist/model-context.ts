import type { PersistenceContext } from './persistence-context.js';
import type { ModelDescriptor } from './table-descriptor.js';

// The API (its backend, its table prefix) each persistent class was made for.
const contexts = new WeakMap<ModelDescriptor, PersistenceContext>();

/** Records that `model`'s persistent class belongs to the API of `context`. */
export function recordModelContext(model: ModelDescriptor, context: PersistenceContext): void {
  contexts.set(model, context);
}

/** The API `model`'s persistent class belongs to (undefined: not a persistent class's model). */
export function modelContext(model: ModelDescriptor): PersistenceContext | undefined {
  return contexts.get(model);
}
