import { type Api, type ItemKey, loadApi, type PersistentModelClass } from '@macaron/core';
import { sameNumbers } from './comparable-value.js';
import type { DifferentialHarness } from './differential-harness.js';
import type { DifferentialOperation } from './differential-operation.js';
import type { DifferentialOutcome } from './differential-outcome.js';
import { allKeys, createDifferentialSpec } from './differential-spec.js';
import { outcomeOf } from './perform-operation.js';

/** The results of one sequence on one backend, and what it stored. */
export interface SequenceRun {
  /** One outcome per operation. */
  outcomes: DifferentialOutcome[];
  /** The stored items at the end, read raw, by model and key. */
  stored: Record<string, unknown>;
}

let prefixCounter = 0;

/** Loads the differential spec on tables of its own. */
async function openDifferentialApi(harness: DifferentialHarness): Promise<Api> {
  prefixCounter += 1;
  const prefix = `df${prefixCounter}${Math.random().toString(36).slice(2, 8)}-`;
  const api = await loadApi(createDifferentialSpec(), {
    backend: harness.backend,
    tablePrefix: prefix,
    batchRetry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
  });
  api.persistent('Item');
  api.persistent('Doc');
  await harness.backend.ensureTables?.(api.tables());
  return api;
}

/** What both tables hold at the end, read under every key the generator can produce. */
async function storedState(
  api: Api,
  harness: DifferentialHarness,
): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const name of ['Item', 'Doc'] as const) {
    const model = api.persistent(name) as PersistentModelClass<Record<string, unknown>>;
    for (const key of allKeys[name]) {
      const item = harness.raw
        ? await harness.raw.get(model.descriptor.table.name, key as ItemKey)
        : await harness.backend.getItem({
            model: model.descriptor,
            key: key as ItemKey,
            consistent: true,
          });
      if (item) state[`${name} ${JSON.stringify(key)}`] = sameNumbers(item);
    }
  }
  return state;
}

/** Runs a sequence on fresh tables of a harness. */
export async function runSequence(
  harness: DifferentialHarness,
  operations: readonly DifferentialOperation[],
): Promise<SequenceRun> {
  const api = await openDifferentialApi(harness);
  const outcomes: DifferentialOutcome[] = [];
  for (const operation of operations) outcomes.push(await outcomeOf(api, operation));
  return { outcomes, stored: await storedState(api, harness) };
}
