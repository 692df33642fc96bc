import { neverEvaluated } from './evaluation-plan.js';
import { ownProperty } from './own-property.js';
import type { SchemaNode } from './schema-node.js';

/**
 * True when a closed object schema refuses a property named `name`, whatever the rest of the
 * object: under `additionalProperties: false`, no declaration takes it (`isAdditional`); under
 * (3.1) `unevaluatedProperties: false`, nothing could evaluate it. Validation refuses such a
 * property, so another client's attribute of that name is set aside when an item is loaded
 * (and written back by the save), at the item's level and in nested objects alike.
 */
export function closedOut(schema: SchemaNode, name: string): boolean {
  if (schema.additionalProperties === false && isAdditional(schema, name)) return true;
  return schema.unevaluatedProperties === false && neverEvaluated(schema, name);
}

/**
 * True when `additionalProperties: false` on `schema` refuses a property named `name`: neither
 * `properties` nor `patternProperties` take it, nor does an allOf member declare it (the
 * inheritance pattern). A name only `then`, `else` or `dependentSchemas` declare is additional,
 * as JSON Schema says.
 */
export function isAdditional(schema: SchemaNode, name: string): boolean {
  return (
    ownProperty(schema.properties, name) === undefined &&
    !(schema.patternProperties ?? []).some(({ pattern }) => pattern.test(name)) &&
    !allowedByCombinators(schema, name)
  );
}

// allOf members contribute properties: a property declared by one is not "additional".
export function allowedByCombinators(schema: SchemaNode, name: string): boolean {
  return (schema.allOf ?? []).some(
    (part) => Object.hasOwn(part.properties, name) || allowedByCombinators(part, name),
  );
}
