import { test } from 'vitest';
import type { TypedCondition } from './typed-persistent-class.js';

// A model as `macaron generate` types it, with lists of every kind.
interface Basket {
  id: string;
  tags?: string[];
  sizes?: ('s' | 'm')[];
  scores?: number[];
  totals?: (number | bigint)[];
  blobs?: Uint8Array[];
  flags?: boolean[];
  lines?: { sku: string; qty?: number }[];
  grid?: number[][];
  // `type: array` without `items`, and a list of items of two kinds (`oneOf` string or number).
  anything?: unknown[];
  mixed?: (string | number)[];
  maybeFlags?: (string | boolean)[];
}

test('a list compares with a Set only of what a set holds: strings, numbers or bytes (P-90)', () => {
  const conditions: TypedCondition<Basket>[] = [
    { attr: 'tags', eq: new Set(['a']) },
    { attr: 'sizes', ne: new Set(['s' as const]) },
    { attr: 'scores', eq: new Set([1, 2]) },
    { attr: 'totals', in: [new Set([1n]), [1, 2n]] },
    { attr: 'blobs', eq: new Set([new Uint8Array([1])]) },
    { attr: 'flags', eq: [true] },
    { attr: 'lines', eq: [{ sku: 'a' }] },
    { attr: 'grid', in: [[[1]]] },
    // @ts-expect-error no set holds booleans (refused at run time: "a set that is not of strings, of numbers or of binaries alone")
    { attr: 'flags', eq: new Set([true]) },
    // @ts-expect-error nor objects
    { attr: 'lines', eq: new Set([{ sku: 'a' }]) },
    // @ts-expect-error nor lists
    { attr: 'grid', ne: new Set([[1]]) },
    // @ts-expect-error as in a list of values
    { attr: 'lines', in: [new Set([{ sku: 'a' }])] },
  ];
  void conditions;
});

test('a list of any items, or of items of several kinds, compares with a Set of one kind a set holds', () => {
  const conditions: TypedCondition<Basket>[] = [
    { attr: 'anything', eq: new Set(['a']) },
    { attr: 'anything', ne: new Set([1, 2n]) },
    { attr: 'anything', in: [new Set([new Uint8Array([1])])] },
    { attr: 'mixed', eq: new Set(['a']) },
    { attr: 'mixed', eq: new Set([1]) },
    { attr: 'maybeFlags', eq: new Set(['a']) },
    // @ts-expect-error a set holds one kind: strings or numbers, not both
    { attr: 'mixed', eq: new Set<string | number>(['a', 1]) },
    // @ts-expect-error no set holds booleans
    { attr: 'maybeFlags', eq: new Set([true]) },
    // @ts-expect-error nor objects, whatever the list holds
    { attr: 'anything', eq: new Set([{ sku: 'a' }]) },
    // @ts-expect-error nor strings beside numbers
    { attr: 'anything', eq: new Set<string | number>(['a', 1]) },
  ];
  void conditions;
});
