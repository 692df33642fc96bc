import type { SchemaNode } from './schema-node.js';

// Parts looked at at most (specs of thousands of schemas).
const maxParts = 4096;

/** The node and its allOf parts, all the way down: each once (parts may share parts). */
export function allOfParts(schema: SchemaNode): SchemaNode[] {
  const reached = new Set<SchemaNode>();
  const pending = [schema];
  while (pending.length > 0 && reached.size < maxParts) {
    const node = pending.pop()!;
    if (reached.has(node)) continue;
    reached.add(node);
    pending.push(...(node.allOf ?? []));
  }
  return [...reached];
}
