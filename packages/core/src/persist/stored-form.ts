import type { ValidationProblem } from '../errors/validation-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { copyValue, propertySchema } from '../schema/copy-value.js';
import { appendPointer } from '../schema/json-pointer.js';
import { validateValue } from '../schema/validate-value.js';
import { keyValueProblem } from './item-key.js';
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
  const tagged = discriminator !== undefined && model.discriminatorValue !== undefined;
  // A declared discriminator is validated like any property; an undeclared one is added after.
  const declared = tagged && propertySchema(model.schema, discriminator) !== undefined;
  if (tagged && declared) item[discriminator] = model.discriminatorValue!;
  const problems = [...validateValue(model.schema, item), ...keyProblems(model, item)];
  if (tagged && !declared) item[discriminator] = model.discriminatorValue!;
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

// Key attributes of the table and its indexes must be usable as keys: non-empty, within DynamoDB's sizes.
function keyProblems(model: ModelDescriptor, item: StoredItem): ValidationProblem[] {
  const { partitionKey, sortKey, indexes } = model.table;
  const keys = [
    { attribute: partitionKey, role: 'partition' as const },
    ...(sortKey ? [{ attribute: sortKey, role: 'sort' as const }] : []),
    ...indexes.flatMap((index) => [
      { attribute: index.partitionKey, role: 'partition' as const },
      ...(index.sortKey ? [{ attribute: index.sortKey, role: 'sort' as const }] : []),
    ]),
  ];
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  for (const { attribute, role } of keys) {
    const value = item[attribute.name];
    if (value === undefined || seen.has(attribute.name)) continue;
    seen.add(attribute.name);
    const problem = keyValueProblem(attribute, value, role);
    if (problem)
      problems.push({
        pointer: appendPointer('', attribute.name),
        keyword: 'key',
        message: problem,
      });
  }
  return problems;
}
