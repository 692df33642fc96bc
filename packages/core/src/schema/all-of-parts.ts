import type { SchemaNode } from './schema-node.js';

// Parts looked at at most (specs of thousands of schemas).
const maxParts = 4096;

/**
 * The node and its allOf parts, all the way down, in the order they are written (depth first):
 * each once (parts may share parts).
 */
export function allOfParts(schema: SchemaNode): SchemaNode[] {
  const reached = new Set<SchemaNode>();
  const pending = [schema];
  while (pending.length > 0 && reached.size < maxParts) {
    const node = pending.pop()!;
    if (reached.has(node)) continue;
    reached.add(node);
    const parts = node.allOf;
    if (parts) for (let index = parts.length - 1; index >= 0; index--) pending.push(parts[index]!);
  }
  return [...reached];
}
