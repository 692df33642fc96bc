import type { SchemaNode } from '../schema/schema-node.js';

/** What OpenAPI discriminators on a model's discriminator attribute say of its value. */
export interface MappedDiscriminator {
  /** The values whose mapping names the model's schema (explicitly, or by its name). */
  readonly values: readonly string[];
  /** The values the same discriminators give other schemas, for a message. */
  readonly others: readonly string[];
}

// allOf ancestors looked through (schemas may be recursive).
const maxAncestors = 256;

/**
 * The values OpenAPI discriminators on `attribute` give a model's schema (P-76): those of its
 * own discriminator and of its allOf ancestors', which check every object of the model. A
 * mapping naming the schema the model's is an alias of (`aliasOf`) names the model.
 * (A oneOf parent's mapping checks the parent's values, not the model's objects: items saved
 * before under the model's name stay its own.) Undefined when no such discriminator applies
 * to the model: its schema alone then says what it stores.
 */
export function mappedDiscriminator(
  schema: SchemaNode,
  attribute: string,
  aliasOf: (schema: SchemaNode) => SchemaNode | undefined = () => undefined,
): MappedDiscriminator | undefined {
  // The model's schema and those it is an alias of (through aliases of aliases): a mapping
  // that names any of them names the model.
  const selves = new Set([schema]);
  for (let target = aliasOf(schema); target !== undefined && !selves.has(target); ) {
    if (selves.size >= maxAncestors) break;
    selves.add(target);
    target = aliasOf(target);
  }
  const applying: SchemaNode[] = [];
  const reached = new Set<SchemaNode>();
  const pending = [schema];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (reached.has(next) || reached.size >= maxAncestors) continue;
    reached.add(next);
    if (next.discriminator?.propertyName === attribute) applying.push(next);
    pending.push(...(next.allOf ?? []));
  }
  if (applying.length === 0) return undefined;
  const values = new Set<string>();
  const others = new Set<string>();
  for (const { discriminator } of applying)
    for (const [value, variant] of Object.entries(discriminator!.mapping))
      (selves.has(variant) ? values : others).add(value);
  return { values: [...values], others: [...others].filter((value) => !values.has(value)) };
}
