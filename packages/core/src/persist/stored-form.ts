import { ValidationError } from '../errors/validation-error.js';
import { copyValue } from '../schema/copy-value.js';
import { validateValue } from '../schema/validate-value.js';
import { itemSize } from './item-size.js';
import type { StoredItem } from './stored-value.js';
import type { ModelDescriptor } from './table-descriptor.js';

/**
 * The stored form of a model object: its own properties as plain attributes, validated
 * against the schema, plus the discriminator where models share a table. Throws
 * `ValidationError` (with every problem's pointer) before anything is written.
 */
export function toStoredItem(
  model: ModelDescriptor,
  value: object,
  maxItemBytes: number,
): StoredItem {
  const item = copyValue(model.schema, value, 'store') as StoredItem;
  const discriminator = model.table.discriminatorAttribute;
  if (discriminator && model.discriminatorValue !== undefined)
    item[discriminator] = model.discriminatorValue;
  const problems = validateValue(model.schema, item);
  if (problems.length === 0) {
    const size = itemSize(item);
    if (size > maxItemBytes) {
      problems.push({
        pointer: '',
        keyword: 'maxItemBytes',
        message: `is ${size} bytes, above the ${maxItemBytes}-byte item limit`,
      });
    }
  }
  if (problems.length > 0) throw new ValidationError(`Invalid ${model.name}`, problems);
  return item;
}

/** The model values of a stored item: the discriminator is dropped unless it is a property. */
export function fromStoredItem(model: ModelDescriptor, item: StoredItem): Record<string, unknown> {
  const discriminator = model.table.discriminatorAttribute;
  if (discriminator && !(discriminator in model.schema.properties)) {
    const { [discriminator]: _dropped, ...rest } = item;
    return rest;
  }
  return item;
}

/** True when a stored item belongs to this model (always, unless models share the table). */
export function belongsToModel(model: ModelDescriptor, item: StoredItem): boolean {
  const discriminator = model.table.discriminatorAttribute;
  return (
    !discriminator ||
    model.discriminatorValue === undefined ||
    item[discriminator] === model.discriminatorValue
  );
}
