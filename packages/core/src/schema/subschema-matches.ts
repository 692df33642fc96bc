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
  /** Members validated against the value itself: whether each matched. */
  readonly members: Map<SchemaNode, boolean>;
  /** `contains` schemas validated against the items of the list: whether each item matched. */
  readonly contained: Map<SchemaNode, readonly boolean[]>;
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
