import type { DifferentialOperation } from './differential-operation.js';

/** A fixed sequence with the rule it exercises. */
export interface KnownSequence {
  /** The test name: the rules it exercises, then what it does. */
  readonly name: string;
  /** The operations, as a shrunk counterexample printed them. */
  readonly operations: readonly DifferentialOperation[];
}

/**
 * Shrunk counterexamples of earlier runs (on dynalite and moto), kept as fixed sequences that
 * every backend runs: each found a place where the comparison or an engine needed care.
 */
export const knownSequences: readonly KnownSequence[] = [
  {
    name: '[P-51] index items with equal index sort values, reversed with a filter (order of ties is unspecified)',
    operations: [
      { op: 'create', model: 'Item', data: { pk: 'a', sk: 1, tag: 't1', rank: 3 } },
      { op: 'create', model: 'Item', data: { pk: 'b', sk: 0, tag: 't1', rank: 3 } },
      { op: 'query', partition: 't1', index: 'byTag', filter: { attr: 'n', ne: 3 }, reverse: true },
    ],
  },
  {
    name: '[P-50][P-51] index pages of limit 1 over tied sort values with a filter',
    operations: [
      { op: 'create', model: 'Item', data: { pk: 'b', sk: 0, tag: 't2', rank: 0, n: 0 } },
      {
        op: 'saveMany',
        items: [
          { pk: 'b', sk: 3, tag: 't2', rank: 0 },
          { pk: 'a', sk: 0 },
        ],
      },
      { op: 'query', partition: 't2', index: 'byTag', filter: { attr: 'n', gte: 0 }, limit: 1 },
      { op: 'update', model: 'Item', key: { pk: 'a', sk: 0 }, changes: { set: { list: [] } } },
    ],
  },
  {
    name: '[P-53] an index page of limit 1 ending exactly at the end, with a filter matching nothing',
    operations: [
      { op: 'saveMany', items: [{ pk: 'a', sk: 0, tag: 't1', rank: 0 }] },
      {
        op: 'query',
        partition: 't1',
        index: 'byTag',
        filter: { attr: 's', eq: 'b' },
        limit: 1,
        reverse: true,
      },
      { op: 'deleteMany', keys: [{ pk: 'a', sk: 0 }] },
    ],
  },
  {
    name: '[P-51] index pages of limit 1, reversed, over tied sort values with a filter',
    operations: [
      {
        op: 'saveMany',
        items: [
          { pk: 'a', sk: 0, tag: 't2', rank: 0, list: [] },
          { pk: 'a', sk: 2, tag: 't2', rank: 0 },
          { pk: 'a', sk: 1 },
        ],
      },
      {
        op: 'query',
        partition: 't2',
        index: 'byTag',
        filter: { attr: 'list', exists: false },
        limit: 1,
        reverse: true,
      },
      { op: 'create', model: 'Item', data: { pk: 'a', sk: 0 } },
    ],
  },
  {
    name: '[P-53] table pages of limit 1 within a sort range, a filter matching nothing',
    operations: [
      {
        op: 'saveMany',
        items: [
          { pk: 'b', sk: 1 },
          { pk: 'b', sk: 0 },
          { pk: 'a', sk: 0 },
        ],
      },
      { op: 'query', partition: 'b', sort: { lte: 1 }, filter: { attr: 'n', eq: -1 }, limit: 1 },
      { op: 'create', model: 'Item', data: { pk: 'a', sk: 0 } },
    ],
  },
];
