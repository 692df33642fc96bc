import { SpecError, type SpecProblem } from '../errors/spec-error.js';
import type { SchemaNode } from '../schema/schema-node.js';
import { inPlaceSubschemas, subschemas } from '../schema/subschemas.js';
import type { NamedSchemas } from './named-schemas.js';
import { UnusablePattern } from './schema-pattern.js';

const found = new WeakMap<SchemaNode, readonly SpecProblem[]>();

/**
 * Why a schema cannot validate values: every pattern JavaScript cannot run in it or in any
 * schema it uses (`subschemas`, and the names of `patternProperties`), and every schema it
 * uses that applies itself to the very value it checks (`inPlaceCycles`). Empty when usable.
 */
export function unusableProblems(schema: SchemaNode): readonly SpecProblem[] {
  const known = found.get(schema);
  if (known) return known;
  const problems = new Map<string, SpecProblem>();
  const seen = new Set<SchemaNode>();
  const pending: SchemaNode[] = [schema];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (seen.has(node)) continue; // recursive schemas share nodes
    seen.add(node);
    // A schema found clean before has a clean subgraph: not walked again (loadApi of 200
    // schemas that reference each other walked every graph once per schema).
    if (node !== schema && found.get(node)?.length === 0) continue;
    for (const pattern of [
      node.pattern,
      ...(node.patternProperties ?? []).map((entry) => entry.pattern),
    ])
      if (pattern instanceof UnusablePattern)
        problems.set(pattern.problem.pointer, pattern.problem);
    pending.push(...subschemas(node));
  }
  for (const problem of inPlaceCycles(seen)) problems.set(problem.pointer, problem);
  const result = [...problems.values()];
  // What a clean schema reaches is clean too: everything it reaches, the schema reaches.
  if (result.length === 0) for (const node of seen) found.set(node, result);
  else found.set(schema, result);
  return result;
}

/**
 * A problem for each cycle of schemas applied in place (`A: {allOf: [{$ref: A}]}`, or through
 * other schemas): checking a value against one would never end. Depth-first, with a stack of
 * its own, over the `nodes` a schema reaches.
 */
function inPlaceCycles(nodes: ReadonlySet<SchemaNode>): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const state = new Map<SchemaNode, 'open' | 'done'>();
  for (const root of nodes) {
    if (state.has(root)) continue;
    const stack: { node: SchemaNode; next: SchemaNode[] }[] = [];
    const enter = (node: SchemaNode) => {
      state.set(node, 'open');
      stack.push({ node, next: inPlaceSubschemas(node) });
    };
    enter(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const child = top.next.pop();
      if (child === undefined) {
        state.set(top.node, 'done');
        stack.pop();
      } else if (state.get(child) === 'open') {
        problems.push({
          pointer: child.pointer,
          message:
            'the schema applies itself to the value it checks (through allOf, anyOf, oneOf, not, if/then/else or dependentSchemas, with no property or item in between): no value can be checked against it',
        });
      } else if (!state.has(child) && found.get(child)?.length !== 0) enter(child);
    }
  }
  return problems;
}

/**
 * Throws a `SpecError` naming the pointers that make a schema unusable, if any, each placed in
 * its file by `place`.
 */
export function assertUsable(
  schema: SchemaNode,
  what: string,
  place: (problem: SpecProblem) => SpecProblem,
): void {
  const problems = unusableProblems(schema);
  if (problems.length === 0) return;
  throw new SpecError(`${what} cannot be used`, problems.map(place));
}

/** Every pattern JavaScript cannot run in the named schemas of a spec, each once, with its file. */
export function unusableSchemas(schemas: NamedSchemas, file?: string): SpecProblem[] {
  const unusable = new Map<string, SpecProblem>();
  for (const name of schemas.names())
    for (const problem of unusableProblems(schemas.get(name)!))
      unusable.set(problem.pointer, problem);
  return [...unusable.values()].map((problem) =>
    file && !problem.file ? { ...problem, file } : problem,
  );
}
