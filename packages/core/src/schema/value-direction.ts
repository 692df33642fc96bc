import { propertySchema } from './copy-value.js';
import type { SchemaNode } from './schema-node.js';

/**
 * Which way a value travels through an API, for OpenAPI's `readOnly` and `writeOnly`: a
 * required `readOnly` property may be left out of a request (the server sets it), a
 * required `writeOnly` one out of a response (a password is never sent back).
 */
export type ValueDirection = 'request' | 'response';

// allOf members deeper than this are not looked through (schemas may be recursive).
const maxAllOfDepth = 32;

/** True when a property's schema is `readOnly`, directly or through an allOf member. */
export function isReadOnly(node: SchemaNode, depth = 0): boolean {
  return (
    node.readOnly === true ||
    (depth < maxAllOfDepth && (node.allOf ?? []).some((part) => isReadOnly(part, depth + 1)))
  );
}

/** True when a property's schema is `writeOnly`, directly or through an allOf member. */
export function isWriteOnly(node: SchemaNode, depth = 0): boolean {
  return (
    node.writeOnly === true ||
    (depth < maxAllOfDepth && (node.allOf ?? []).some((part) => isWriteOnly(part, depth + 1)))
  );
}

/** True when `direction` lifts the requirement of an object schema's property `name`. */
export function requirementLifted(
  schema: SchemaNode,
  name: string,
  direction: ValueDirection,
): boolean {
  const property = propertySchema(schema, name);
  if (property === undefined) return false;
  return direction === 'request' ? isReadOnly(property) : isWriteOnly(property);
}

/**
 * The required properties of an object schema that a value going `direction` may leave out:
 * in a request, those the schema marks `readOnly`; in a response, `writeOnly` ones. Required
 * lists of allOf members count, with the property's declaration wherever it is.
 */
export function liftedRequirements(schema: SchemaNode, direction: ValueDirection): string[] {
  const names = new Set<string>();
  const visit = (node: SchemaNode, depth: number) => {
    for (const name of node.required)
      if (requirementLifted(schema, name, direction)) names.add(name);
    if (depth < maxAllOfDepth) for (const part of node.allOf ?? []) visit(part, depth + 1);
  };
  visit(schema, 0);
  return [...names];
}
