import type { SchemaNode } from './schema-node.js';

// What a node may hold beside its one allOf part and still say nothing of its own: where it
// is, its name, and annotations (`nullable` aside: `allowsNull` reads it on the wrapper).
const wrapperKeys = new Set([
  'name',
  'pointer',
  'properties',
  'required',
  'allOf',
  'nullable',
  'readOnly',
  'writeOnly',
  'persist',
]);

// Wrappers of wrappers followed at most (schemas may be recursive).
const maxWrappers = 32;

/**
 * The schema a wrapper stands for: the one allOf part of a node that asserts nothing of its
 * own (OpenAPI 3.0's `{ allOf: [{ $ref }], description }`, 3.1's `{ $ref, description }`, as
 * real specs annotate a reference), through wrappers of wrappers; else the node itself. What a
 * value's type, format, enum or bounds are is read from it, as from a plain `$ref`. It goes
 * through named schemas too (`Dog: { allOf: [{ $ref: Animal }] }`); `nullable`, `readOnly` and
 * `writeOnly` beside the part are not carried over: read them on `node`.
 */
export function wrappedSchema(node: SchemaNode): SchemaNode {
  let current = node;
  for (let depth = 0; depth < maxWrappers && isWrapper(current); depth++)
    current = current.allOf![0]!;
  return current;
}

function isWrapper(node: SchemaNode): boolean {
  if (node.allOf?.length !== 1 || node.required.length > 0) return false;
  for (const key in node) if (!wrapperKeys.has(key)) return false;
  for (const _ in node.properties) return false;
  return true;
}
