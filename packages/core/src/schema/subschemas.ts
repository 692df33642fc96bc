import type { SchemaNode } from './schema-node.js';

/**
 * Every schema a schema node uses directly: properties, extra and pattern properties, items,
 * prefix items, `contains`, `propertyNames`, combinations, `not`, `if`/`then`/`else`,
 * `dependentSchemas`, `unevaluatedProperties`, `unevaluatedItems` and discriminator variants.
 * For walks over a schema graph (which may cycle: callers keep their own set of nodes seen).
 */
export function subschemas(node: SchemaNode): SchemaNode[] {
  const found = [...Object.values(node.properties)];
  if (typeof node.additionalProperties === 'object') found.push(node.additionalProperties);
  for (const entry of node.patternProperties ?? []) found.push(entry.node);
  if (node.items) found.push(node.items);
  found.push(...(node.prefixItems ?? []));
  if (node.contains) found.push(node.contains);
  if (node.propertyNames) found.push(node.propertyNames);
  if (node.not) found.push(node.not);
  found.push(...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? []));
  if (node.conditional) {
    found.push(node.conditional.if);
    if (node.conditional.matched) found.push(node.conditional.matched);
    if (node.conditional.otherwise) found.push(node.conditional.otherwise);
  }
  found.push(...Object.values(node.dependentSchemas ?? {}));
  if (typeof node.unevaluatedProperties === 'object') found.push(node.unevaluatedProperties);
  if (typeof node.unevaluatedItems === 'object') found.push(node.unevaluatedItems);
  if (node.discriminator) {
    found.push(...Object.values(node.discriminator.mapping));
    if (node.discriminator.defaultMapping) found.push(node.discriminator.defaultMapping);
  }
  return found;
}

/**
 * The schemas applied to the same value as the schema using them: the combinations, `not`,
 * `if`/`then`/`else` and `dependentSchemas`. Not a discriminator's variants, nor the
 * `oneOf`/`anyOf` members of a schema with a discriminator: validation enters them once (a
 * variant extending its parent through `allOf` does not come back to them); nor properties
 * or items, which hold smaller values.
 */
export function inPlaceSubschemas(node: SchemaNode): SchemaNode[] {
  const found = [...(node.allOf ?? [])];
  if (!node.discriminator) found.push(...(node.anyOf ?? []), ...(node.oneOf ?? []));
  if (node.not) found.push(node.not);
  if (node.conditional) {
    found.push(node.conditional.if);
    if (node.conditional.matched) found.push(node.conditional.matched);
    if (node.conditional.otherwise) found.push(node.conditional.otherwise);
  }
  found.push(...Object.values(node.dependentSchemas ?? {}));
  return found;
}
