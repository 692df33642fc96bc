import { allOfParts } from './all-of-parts.js';
import { neverEvaluated } from './evaluation-plan.js';
import { ownProperty } from './own-property.js';
import type { SchemaNode } from './schema-node.js';

/**
 * True when a closed object schema refuses a property named `name`, whatever the rest of the
 * object: under `additionalProperties: false`, no declaration takes it (`isAdditional`); under
 * (3.1) `unevaluatedProperties: false`, nothing could evaluate it; here or in an allOf part
 * (`{ allOf: [Closed], description }` refuses what `Closed` does). Validation refuses such a
 * property, so another client's attribute of that name is set aside when an item is loaded
 * (and written back by the save), at the item's level and in nested objects alike.
 */
export function closedOut(schema: SchemaNode, name: string): boolean {
  return closingParts(schema).some(
    (node) =>
      (node.additionalProperties === false && isAdditional(node, name)) ||
      (node.unevaluatedProperties === false && neverEvaluated(node, name)),
  );
}

const closingPartsOf = new WeakMap<SchemaNode, readonly SchemaNode[]>();

/**
 * The node and its allOf parts, all the way down, that close the object: with
 * `additionalProperties` or `unevaluatedProperties` false. Found once per node, each part
 * once (parts may share parts).
 */
export function closingParts(schema: SchemaNode): readonly SchemaNode[] {
  let closing = closingPartsOf.get(schema);
  if (closing === undefined) {
    closing = allOfParts(schema).filter(
      (node) => node.additionalProperties === false || node.unevaluatedProperties === false,
    );
    closingPartsOf.set(schema, closing);
  }
  return closing;
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
// `reached`: the parts with parts of their own looked into, each once (parts may share parts).
export function allowedByCombinators(
  schema: SchemaNode,
  name: string,
  reached?: Set<SchemaNode>,
): boolean {
  for (const part of schema.allOf ?? []) {
    if (Object.hasOwn(part.properties, name)) return true;
    if (part.allOf === undefined) continue;
    reached ??= new Set();
    if (reached.has(part)) continue;
    reached.add(part);
    if (allowedByCombinators(part, name, reached)) return true;
  }
  return false;
}
