import { modelContext } from './model-context.js';
import { type ModelDescriptor, sameKeyAttribute } from './table-descriptor.js';

/**
 * Whether an object of the persistent model `own` (a class's `descriptor`), written as
 * `written`, goes to the very items it was read from: the same model, or that model as another
 * API made it (the spec loaded again, as a hot reload or a test's re-import does; another spec
 * naming the same table and model) on the same backend object, in the same physical table,
 * under the same keys and the same discriminator value. Only there does what the object was
 * loaded from (what a closed schema set aside) belong.
 */
export function storesSameItems(written: ModelDescriptor, own: unknown): boolean {
  if (own === written) return true;
  if (typeof own !== 'object' || own === null || !('table' in own)) return false;
  const other = own as ModelDescriptor;
  const backend = modelContext(written)?.backend;
  return (
    backend !== undefined &&
    modelContext(other)?.backend === backend &&
    other.name === written.name &&
    other.discriminatorValue === written.discriminatorValue &&
    other.table.name === written.table.name &&
    other.table.discriminatorAttribute === written.table.discriminatorAttribute &&
    sameKeyAttribute(other.table.partitionKey, written.table.partitionKey) &&
    sameKeyAttribute(other.table.sortKey, written.table.sortKey)
  );
}
