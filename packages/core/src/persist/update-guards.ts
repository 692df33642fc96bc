import { valuesEqual } from '../evaluate/value-equality.js';
import { allOfParts } from '../schema/all-of-parts.js';
import { isExactMultiple } from '../schema/exact-number.js';
import { repeatedItems } from '../schema/repeated-items.js';
import type { SchemaNode } from '../schema/schema-node.js';
import { exactSum, negate } from './add-bounds.js';
import type { Condition } from './condition.js';
import type { StoredValue } from './stored-value.js';

/**
 * What an `add` or an `append` must keep of its property's schema besides number bounds
 * (`add-bounds.ts`): the condition the store checks in the same write, or why the change can
 * never keep it (refused before anything is sent). A missing attribute counts as 0 for `add`
 * and as an empty list for `append`, as the store applies them.
 */
export type Guard =
  | { readonly condition: Condition; readonly keyword: string; readonly description: string }
  | { readonly refused: string; readonly keyword: string };

// DynamoDB takes at most 100 values in one IN.
const maxInValues = 100;

/**
 * What adding `delta` to a number property must keep: its `multipleOf`, `enum` or `const`, and
 * those of its allOf parts (a wrapper's are its target's).
 */
export function guardsOfAdd(name: string, delta: number | bigint, node: SchemaNode): Guard[] {
  return allOfParts(node).flatMap((part) => ownGuardsOfAdd(name, delta, part));
}

function ownGuardsOfAdd(name: string, delta: number | bigint, node: SchemaNode): Guard[] {
  const guards: Guard[] = [];
  // A stored multiple plus a delta that is not one is never a multiple.
  if (node.multipleOf !== undefined && !isExactMultiple(delta, node.multipleOf))
    guards.push({
      refused: `adding ${String(delta)} cannot keep a multiple of ${node.multipleOf}`,
      keyword: 'multipleOf',
    });
  const allowed = node.const ? [node.const.value] : node.enum;
  if (allowed) {
    const keyword = node.const ? 'const' : 'enum';
    // stored + delta ∈ allowed  ⇔  stored ∈ { a − delta : a ∈ allowed }.
    const before: (number | bigint)[] = [];
    for (const value of allowed) {
      if (typeof value !== 'number' && typeof value !== 'bigint') continue;
      const difference = exactSum(value, negate(delta));
      if (difference !== undefined) before.push(difference);
    }
    const missingAllowed = allowed.some((value) => valuesEqual(value as StoredValue, delta));
    if (before.length === 0)
      guards.push({ refused: `adding ${String(delta)} cannot keep its ${keyword}`, keyword });
    else if (before.length > maxInValues)
      guards.push({
        refused: `adding to a property of more than ${maxInValues} allowed numbers cannot be checked by the store`,
        keyword,
      });
    else {
      const held: Condition = { attr: name, in: before };
      guards.push({
        condition: missingAllowed ? { or: [{ attr: name, exists: false }, held] } : held,
        keyword,
        description: `its ${keyword}`,
      });
    }
  }
  return guards;
}

/**
 * What appending `items` to a list property must keep: its `maxItems` (the list must hold at
 * most `maxItems − items.length` before) and its `uniqueItems` (no item there already, none
 * twice among them). Items the store cannot look for in a list are refused on a list of
 * unique items: only strings, numbers and booleans.
 */
export function guardsOfAppend(
  name: string,
  items: readonly StoredValue[],
  node: SchemaNode,
): Guard[] {
  const guards: Guard[] = [];
  const maxItems = maxItemsOf(node);
  if (maxItems !== undefined && items.length <= maxItems)
    guards.push({
      condition: { attr: [name, maxItems - items.length], exists: false },
      keyword: 'maxItems',
      description: `its maxItems ${maxItems}`,
    });
  if (allOfParts(node).some((part) => part.uniqueItems === true)) {
    const searchable = items.every(
      (item) =>
        typeof item === 'string' ||
        typeof item === 'number' ||
        typeof item === 'bigint' ||
        typeof item === 'boolean',
    );
    if (!searchable)
      guards.push({
        refused:
          'append() to a list of unique items takes strings, numbers and booleans, which the store can look for: save() the object instead',
        keyword: 'uniqueItems',
      });
    // In linear time: a 1 MB body appends about 150,000 items, which each-with-each took hours.
    else if (repeatedItems(items, 1).length > 0)
      guards.push({
        refused: 'appends one item twice to a list of unique items',
        keyword: 'uniqueItems',
      });
    else
      for (const item of items)
        guards.push({
          condition: { not: { attr: name, contains: item } },
          keyword: 'uniqueItems',
          description: 'its uniqueItems',
        });
  }
  return guards;
}

/** The most items a list property may hold: the least `maxItems` of it and its allOf parts. */
export function maxItemsOf(node: SchemaNode): number | undefined {
  let least: number | undefined;
  for (const part of allOfParts(node))
    if (part.maxItems !== undefined && (least === undefined || part.maxItems < least))
      least = part.maxItems;
  return least;
}
