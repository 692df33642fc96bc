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
