import type { SchemaNode } from './schema-node.js';

/**
 * Which in-place subschemas (anyOf/oneOf members, `if`, `contains`) matched a value, as the
 * check of the value found them. `unevaluatedProperties` and `unevaluatedItems` look at what
 * matched after that check: they read it here instead of validating each member again, which
 * in a recursive schema would double the work at every level.
 */
export interface SubschemaMatches {
  readonly value: unknown;
  /** The level the value was checked at (the depth limit makes results depend on it). */
  readonly depth: number;
  /**
   * Members validated against the value itself: whether each matched, in the context it was
   * validated in (a member's answer depends on it: see `MatchContext`).
   */
  readonly members: Map<
    SchemaNode,
    { readonly context: MatchContext; readonly matched: boolean }[]
  >;
  /** `contains` schemas validated against the items of the list: whether each item matched. */
  readonly contained: Map<SchemaNode, readonly boolean[]>;
}

/**
 * What besides the member and the value decides a member's answer: the schemas dispatching
 * this value by their discriminator (whose own members are then not checked again), and the
 * owners whose readOnly or writeOnly properties a member need not find (with a direction).
 */
export interface MatchContext {
  readonly dispatching: readonly SchemaNode[];
  readonly owners: readonly SchemaNode[];
}

/** Whether a member matched, recorded in this context; undefined when it was not. */
export function recordedMatch(
  record: SubschemaMatches,
  member: SchemaNode,
  context: MatchContext,
): boolean | undefined {
  return record.members.get(member)?.find((entry) => sameContext(entry.context, context))?.matched;
}

/** Records whether a member matched in this context (the first answer stays). */
export function recordMatch(
  record: SubschemaMatches,
  member: SchemaNode,
  context: MatchContext,
  matched: boolean,
): void {
  const entries = record.members.get(member);
  if (entries === undefined) record.members.set(member, [{ context, matched }]);
  else if (!entries.some((entry) => sameContext(entry.context, context)))
    entries.push({ context, matched });
}

/** Whether two contexts decide a member's answer alike. */
export function sameContext(a: MatchContext, b: MatchContext): boolean {
  return sameList(a.dispatching, b.dispatching) && sameList(a.owners, b.owners);
}

function sameList(a: readonly SchemaNode[], b: readonly SchemaNode[]): boolean {
  return a.length === b.length && a.every((schema, index) => schema === b[index]);
}

// The records open now, innermost last: validation is synchronous, and a check opens one for
// its value only while it runs.
const open: SubschemaMatches[] = [];

/**
 * Runs `run` with a record of the subschemas matching `value` at `depth` open (the one open
 * already for that value and level, where there is one).
 */
export function recordingMatches<T>(value: unknown, depth: number, run: () => T): T {
  if (matchesOf(value, depth) !== undefined) return run();
  open.push({ value, depth, members: new Map(), contained: new Map() });
  try {
    return run();
  } finally {
    open.pop();
  }
}

/** The record open for `value` at `depth`, if one is. */
export function matchesOf(value: unknown, depth: number): SubschemaMatches | undefined {
  for (let index = open.length - 1; index >= 0; index--) {
    const record = open[index]!;
    if (record.value === value && record.depth === depth) return record;
  }
  return undefined;
}
