import type { SchemaNode } from './schema-node.js';
import { subschemas } from './subschemas.js';

// Whether each node seen so far lies on a cycle of the schema graph. A node is classified with
// every node it reaches, so a later walk stops at classified nodes: none of them can share a
// cycle with a node that walk finds first (it would have been reached from them).
const onCycle = new WeakMap<SchemaNode, boolean>();

/**
 * Whether the schema can apply to a value again below that value: the node lies on a cycle
 * of subschemas (a tree of comments, a schema referring to itself through allOf, `if` or
 * `not`). Only such a node can be checked against one value more than once a number of times
 * that grows with the value's depth.
 */
export function isRecursive(node: SchemaNode): boolean {
  const known = onCycle.get(node);
  return known ?? classifyFrom(node);
}

interface Visit {
  readonly node: SchemaNode;
  readonly next: readonly SchemaNode[];
  position: number;
}

// Tarjan's strongly connected components, iterative (a graph may be deep: GitHub's spec).
function classifyFrom(root: SchemaNode): boolean {
  const index = new Map<SchemaNode, number>();
  const low = new Map<SchemaNode, number>();
  const stack: SchemaNode[] = [];
  const onStack = new Set<SchemaNode>();
  const visits: Visit[] = [];
  const enter = (node: SchemaNode) => {
    index.set(node, index.size);
    low.set(node, index.size - 1);
    stack.push(node);
    onStack.add(node);
    visits.push({ node, next: subschemas(node), position: 0 });
  };
  enter(root);
  while (visits.length > 0) {
    const visit = visits[visits.length - 1]!;
    if (visit.position < visit.next.length) {
      const next = visit.next[visit.position++]!;
      if (onCycle.has(next)) continue;
      if (!index.has(next)) enter(next);
      else if (onStack.has(next))
        low.set(visit.node, Math.min(low.get(visit.node)!, index.get(next)!));
      continue;
    }
    visits.pop();
    const parent = visits[visits.length - 1];
    if (parent !== undefined)
      low.set(parent.node, Math.min(low.get(parent.node)!, low.get(visit.node)!));
    if (low.get(visit.node) !== index.get(visit.node)) continue;
    const component: SchemaNode[] = [];
    let member: SchemaNode;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== visit.node);
    const cyclic = component.length > 1 || visit.next.includes(visit.node);
    for (const node of component) onCycle.set(node, cyclic);
  }
  return onCycle.get(root)!;
}
