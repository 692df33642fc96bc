import type { SchemaNode } from './schema-node.js';

/**
 * What a schema node's in-place subschemas evaluate, for JSON Schema 2020-12's
 * `unevaluatedProperties` and `unevaluatedItems` (OpenAPI 3.1). A property (an item) is
 * evaluated by `properties`, `patternProperties` and `additionalProperties` (`prefixItems`,
 * `items` and `contains`) of the node and of the subschemas that apply to the same value
 * and validate it: allOf members (and `$ref` targets, which are allOf members here), the
 * anyOf/oneOf members it matches, `if` when it matches with `then`, `else` when it does not,
 * the `dependentSchemas` of the properties present, a discriminator's variant; a subschema
 * with an `unevaluated*` keyword of its own evaluates everything. Computed once a node.
 */
export interface EvaluationPlan {
  /** Names evaluated whatever the value: by the node and its allOf members. */
  readonly names: ReadonlySet<string>;
  readonly patterns: readonly RegExp[];
  /** Every property is evaluated whatever the value (an `additionalProperties` applies). */
  readonly allNames: boolean;
  /**
   * The allOf members with an `unevaluatedProperties` of their own, which evaluate every
   * property, unless the member is the very schema being checked (a discriminator's variant
   * that extends its parent reaches the parent again).
   */
  readonly closingNames: readonly SchemaNode[];
  /** Items below this index are evaluated whatever the value (`prefixItems`). */
  readonly prefix: number;
  /** Every item is evaluated whatever the value (an `items` applies). */
  readonly allItems: boolean;
  /** The allOf members with an `unevaluatedItems` of their own (as `closingNames`). */
  readonly closingItems: readonly SchemaNode[];
  /**
   * The nodes among the node and its allOf members whose subschemas apply depending on the
   * value (anyOf, oneOf, if, dependentSchemas, a discriminator; `contains` for items).
   */
  readonly conditional: readonly SchemaNode[];
  /**
   * What some value could have evaluated: every in-place subschema counted, matched or not.
   * A name (an item) outside it is evaluated by nothing but the node's own `unevaluated*`.
   */
  readonly possible: {
    readonly names: ReadonlySet<string>;
    readonly patterns: readonly RegExp[];
    readonly allNames: boolean;
    readonly prefix: number;
    readonly allItems: boolean;
  };
}

/**
 * Nodes whose schema says `additionalProperties: true` (OpenAPI 3.1), which the normalised
 * form leaves out (any extra is allowed either way): it evaluates every property all the same.
 */
export const allowsAnyExtra = new WeakSet<SchemaNode>();

const plans = new WeakMap<SchemaNode, EvaluationPlan>();

/** The evaluation plan of a node (its own `unevaluated*` keywords aside). */
export function evaluationPlan(node: SchemaNode): EvaluationPlan {
  let plan = plans.get(node);
  if (plan === undefined) {
    plan = { ...always(node), possible: possibly(node) };
    plans.set(node, plan);
  }
  return plan;
}

/**
 * True when no value has property `name` evaluated by anything but the node's own
 * `unevaluatedProperties`: whatever the rest of the object, that keyword alone decides.
 */
export function neverEvaluated(node: SchemaNode, name: string): boolean {
  const possible = evaluationPlan(node).possible;
  return (
    !possible.allNames &&
    !possible.names.has(name) &&
    !possible.patterns.some((pattern) => pattern.test(name))
  );
}

/**
 * True when no value has item `index` evaluated by anything but the node's own
 * `unevaluatedItems`.
 */
export function itemNeverEvaluated(node: SchemaNode, index: number): boolean {
  const possible = evaluationPlan(node).possible;
  return !possible.allItems && index >= possible.prefix;
}

// True when the node has keywords whose in-place subschemas apply depending on the value.
function appliesConditionally(node: SchemaNode): boolean {
  return (
    node.anyOf !== undefined ||
    node.oneOf !== undefined ||
    node.conditional !== undefined ||
    node.dependentSchemas !== undefined ||
    node.discriminator !== undefined ||
    node.contains !== undefined
  );
}

interface Collected {
  names: Set<string>;
  patterns: RegExp[];
  allNames: boolean;
  prefix: number;
  allItems: boolean;
}

function collected(): Collected {
  return { names: new Set(), patterns: [], allNames: false, prefix: 0, allItems: false };
}

// What the node's own keywords evaluate, its `unevaluated*` aside. An additionalProperties
// evaluates every property: where it is false, a value that passes has no other (what allOf
// members declare aside, which they evaluate), and one that fails fails the node.
function collect(into: Collected, node: SchemaNode, possible: boolean): void {
  for (const name of Object.keys(node.properties)) into.names.add(name);
  for (const { pattern } of node.patternProperties ?? []) into.patterns.push(pattern);
  // A false one evaluates no name that could not be evaluated elsewhere: not counted as possible.
  if (
    (node.additionalProperties !== undefined &&
      !(possible && node.additionalProperties === false)) ||
    allowsAnyExtra.has(node)
  )
    into.allNames = true;
  into.prefix = Math.max(into.prefix, node.prefixItems?.length ?? 0);
  if (node.items !== undefined || (possible && node.contains !== undefined)) into.allItems = true;
}

// The node and its allOf members (`$ref` targets among them), which apply to every value.
function always(node: SchemaNode): Omit<EvaluationPlan, 'possible'> {
  const into = collected();
  const conditional: SchemaNode[] = [];
  const closingNames: SchemaNode[] = [];
  const closingItems: SchemaNode[] = [];
  const seen = new Set<SchemaNode>([node]);
  const pending: [SchemaNode, boolean][] = [[node, true]];
  while (pending.length > 0) {
    const [current, root] = pending.pop()!;
    collect(into, current, false);
    // A member's own unevaluated* evaluate all: where false, a value that passes has nothing
    // else left, and one that fails fails the node.
    if (!root && current.unevaluatedProperties !== undefined) closingNames.push(current);
    if (!root && current.unevaluatedItems !== undefined) closingItems.push(current);
    if (appliesConditionally(current)) conditional.push(current);
    for (const part of current.allOf ?? [])
      if (!seen.has(part)) {
        seen.add(part);
        pending.push([part, false]);
      }
  }
  return { ...into, conditional, closingNames, closingItems };
}

// Every in-place subschema, whether it applies to a value or not.
function possibly(node: SchemaNode): EvaluationPlan['possible'] {
  const into = collected();
  const seen = new Set<SchemaNode>([node]);
  const pending: [SchemaNode, boolean][] = [[node, true]];
  while (pending.length > 0) {
    const [current, root] = pending.pop()!;
    collect(into, current, true);
    // A member's own unevaluated* evaluate all; a false one only what could be evaluated anyway.
    if (!root && typeof current.unevaluatedProperties === 'object') into.allNames = true;
    if (!root && typeof current.unevaluatedItems === 'object') into.allItems = true;
    for (const part of inPlace(current))
      if (!seen.has(part)) {
        seen.add(part);
        pending.push([part, false]);
      }
  }
  return into;
}

// The subschemas that apply to the same value as the node (under a condition or not).
function inPlace(node: SchemaNode): SchemaNode[] {
  const found = [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])];
  if (node.conditional) {
    found.push(node.conditional.if);
    if (node.conditional.matched) found.push(node.conditional.matched);
    if (node.conditional.otherwise) found.push(node.conditional.otherwise);
  }
  if (node.dependentSchemas) found.push(...Object.values(node.dependentSchemas));
  if (node.discriminator) {
    found.push(...Object.values(node.discriminator.mapping));
    if (node.discriminator.defaultMapping) found.push(node.discriminator.defaultMapping);
  }
  return found;
}
