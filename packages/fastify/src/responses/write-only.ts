import { type SchemaNode, validateValue } from '@macaron/core';
import { ownValue, setOwnValue } from '../validation/own-properties.js';
import { isPlainRecord } from '../validation/plain-values.js';
import { propertySchema } from './serialize-result.js';

const maxDepth = 64;

/**
 * The response JSON without the properties the schema marks `writeOnly` (a password is taken
 * in a request, never sent back), at any depth: through properties, list items, allOf, a
 * discriminator's variant, and the oneOf or anyOf members the value matches. Copies only what
 * it changes; a schema that reaches no `writeOnly` costs one cached lookup.
 */
export function withoutWriteOnly(
  schema: SchemaNode | undefined,
  json: unknown,
  depth = 0,
): unknown {
  if (schema === undefined || depth > maxDepth || !reachesWriteOnly(schema)) return json;
  if (Array.isArray(json)) {
    const items = itemsOf(schema);
    if (items === undefined) return json;
    let copy: unknown[] | undefined;
    json.forEach((item, index) => {
      const stripped = withoutWriteOnly(items, item, depth + 1);
      if (stripped !== item) (copy ??= [...json])[index] = stripped;
    });
    return copy ?? json;
  }
  if (!isPlainRecord(json)) return json;
  let result: Record<string, unknown> = json;
  const own = (): Record<string, unknown> => {
    if (result === json) {
      result = {};
      for (const name of Object.keys(json)) setOwnValue(result, name, json[name]);
    }
    return result;
  };
  for (const name of Object.keys(json)) {
    const node = propertySchema(schema, name);
    if (node === undefined) continue;
    if (isWriteOnly(node)) delete own()[name];
    else {
      const value = json[name];
      const stripped = withoutWriteOnly(node, value, depth + 1);
      if (stripped !== value) setOwnValue(own(), name, stripped);
    }
  }
  for (const member of matchingMembers(schema, json))
    result = withoutWriteOnly(member, result, depth + 1) as Record<string, unknown>;
  return result;
}

// The members of a oneOf or anyOf (or the discriminator's variant) that describe the value.
function matchingMembers(schema: SchemaNode, json: Record<string, unknown>): SchemaNode[] {
  if (schema.discriminator) {
    const selector = ownValue(json, schema.discriminator.propertyName);
    const variant =
      typeof selector === 'string'
        ? (ownValue(schema.discriminator.mapping, selector) as SchemaNode | undefined)
        : undefined;
    return variant ? [variant] : [];
  }
  const members = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
  return members.filter(
    (member) =>
      reachesWriteOnly(member) &&
      validateValue(member, json, '', { direction: 'response' }).length === 0,
  );
}

function itemsOf(schema: SchemaNode): SchemaNode | undefined {
  if (schema.items) return schema.items;
  for (const part of schema.allOf ?? []) if (part.items) return part.items;
  return undefined;
}

/** True when a property's schema is `writeOnly`, directly or through allOf members. */
export function isWriteOnly(node: SchemaNode, depth = 0): boolean {
  return (
    node.writeOnly === true ||
    (depth < maxDepth && (node.allOf ?? []).some((part) => isWriteOnly(part, depth + 1)))
  );
}

const reaching = new WeakMap<SchemaNode, boolean>();

/** True when a `writeOnly` schema can be reached from `schema` (cached a node; graphs may cycle). */
function reachesWriteOnly(schema: SchemaNode): boolean {
  const known = reaching.get(schema);
  if (known !== undefined) return known;
  const seen = new Set<SchemaNode>([schema]);
  const pending = [schema];
  let found = false;
  while (pending.length > 0 && !found) {
    const node = pending.pop()!;
    if (node.writeOnly === true) found = true;
    const next = [
      ...Object.values(node.properties),
      ...(node.allOf ?? []),
      ...(node.anyOf ?? []),
      ...(node.oneOf ?? []),
      ...Object.values(node.discriminator?.mapping ?? {}),
    ];
    if (node.items) next.push(node.items);
    if (typeof node.additionalProperties === 'object') next.push(node.additionalProperties);
    for (const child of next)
      if (!seen.has(child)) {
        seen.add(child);
        pending.push(child);
      }
  }
  reaching.set(schema, found);
  return found;
}
