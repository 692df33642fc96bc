import type { Condition, SortKeyCondition } from '@macaron/core';
import type { DifferentialKey, DifferentialModelName } from './differential-spec.js';

/** The changes of an update, on its own or in a transaction. */
export interface DifferentialUpdate {
  /** The model whose item changes. */
  model: DifferentialModelName;
  /** The item's key. */
  key: DifferentialKey;
  /** The changes, as `Model.update` takes them (`set`, `remove`, `add`, `append`). */
  changes: Record<string, unknown>;
  /** The condition the item must meet. */
  condition?: Condition;
}

/** A transaction action, as plain data. */
export type DifferentialAction =
  | { kind: 'create' | 'save'; model: DifferentialModelName; data: Record<string, unknown> }
  | ({ kind: 'update' } & DifferentialUpdate)
  | { kind: 'delete'; model: DifferentialModelName; key: DifferentialKey; condition?: Condition }
  | { kind: 'check'; model: DifferentialModelName; key: DifferentialKey; condition: Condition };

/**
 * One operation of a differential sequence, as plain data: a shrunk counterexample prints as
 * an array of these, which pastes into `checkDifferentialSequence` as a fixed test.
 */
export type DifferentialOperation =
  | { op: 'create'; model: DifferentialModelName; data: Record<string, unknown> }
  | {
      op: 'save';
      model: DifferentialModelName;
      data: Record<string, unknown>;
      condition?: Condition;
    }
  | ({ op: 'update' } & DifferentialUpdate)
  | { op: 'delete'; model: DifferentialModelName; key: DifferentialKey; condition?: Condition }
  | { op: 'get'; model: DifferentialModelName; key: DifferentialKey }
  | { op: 'exists'; model: DifferentialModelName; key: DifferentialKey }
  | { op: 'loadMany'; keys: DifferentialKey[] }
  | {
      op: 'query';
      index?: 'byTag';
      partition: string;
      sort?: SortKeyCondition;
      filter?: Condition;
      limit?: number;
      reverse?: boolean;
    }
  | {
      op: 'scan';
      model: DifferentialModelName;
      index?: 'byTag';
      filter?: Condition;
      limit?: number;
    }
  | { op: 'saveMany'; items: Record<string, unknown>[] }
  | { op: 'deleteMany'; keys: DifferentialKey[] }
  | { op: 'getMany'; keys: DifferentialKey[] }
  | { op: 'transaction'; actions: DifferentialAction[] };
