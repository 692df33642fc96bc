import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  AlreadyExistsError,
  BatchIncompleteError,
  ItemNotFoundError,
  loadApi,
  MacaronError,
  type StoredItem,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { counterSchema } from '../counter-schema.js';
import { useLocalEngine } from '../local-engine.js';
import { createRawAccess } from '../raw-document-client.js';
import {
  createRandom,
  type FaultKind,
  type FaultProxy,
  type FaultWeights,
  startFaultProxy,
} from './fault-proxy.js';
import { canonical, PossibleStates } from './possible-states.js';

// A workload runs through a fault-injecting proxy in front of dynalite; a model tracks, for
// every key, the states the store may be in given what each call answered. Afterwards the
// engine is read directly (not through the proxy) and each item must be one the model allows.

const spec = {
  openapi: '3.0.3',
  info: { title: 'fault-proxy', version: '1' },
  paths: {},
  components: {
    schemas: {
      Counter: counterSchema,
    },
  },
};

/** The SDK's socket timeout; `slow-after` holds answers longer than this. */
const requestTimeoutMs = 400;

/** Mostly passing, every kind of fault now and then: the SDK's retries absorb most. */
const mixed = {
  pass: 70,
  'server-error': 5,
  throttling: 3,
  'throughput-exceeded': 3,
  'reset-before': 5,
  'reset-after': 6,
  'slow-after': 2,
  unprocessed: 12,
} satisfies Partial<Record<FaultKind, number>>;

/** A storm: more faults than passes, so retries run out (THROTTLED, BATCH_INCOMPLETE, ...). */
const storm = {
  pass: 35,
  'server-error': 8,
  throttling: 14,
  'throughput-exceeded': 14,
  'reset-before': 8,
  'reset-after': 8,
  'slow-after': 1,
  unprocessed: 20,
} satisfies Partial<Record<FaultKind, number>>;

const schedules: [string, number, FaultWeights][] = [
  ['mixed', 1, mixed],
  ['mixed', 2, mixed],
  ['mixed', 3, mixed],
  ['mixed', 42, mixed],
  ['storm', 7, storm],
  ['storm', 2026, storm],
  // A long run: FAULT_PROXY_SEEDS=200 adds 200 seeds from FAULT_PROXY_FIRST_SEED (10000) on.
  ...Array.from({ length: Number(process.env.FAULT_PROXY_SEEDS ?? 0) }, (_, index) => {
    const seed = Number(process.env.FAULT_PROXY_FIRST_SEED ?? 10_000) + index;
    return (index % 3 === 2 ? ['storm', seed, storm] : ['mixed', seed, mixed]) as [
      string,
      number,
      FaultWeights,
    ];
  }),
];
/** Calls a seed makes; storms make fewer, their throttling back-off (the SDK's) is slow. */
const operationsPerSeed = { mixed: 60, storm: 40 } as Record<string, number>;
const keys = Array.from({ length: 24 }, (_, index) => `k${index}`);

const local = useLocalEngine();
let proxy: FaultProxy | undefined;
let client: DynamoDBClient | undefined;
let tableCounter = 0;
afterEach(async () => {
  client?.destroy();
  await proxy?.stop();
});

async function setUp(seed: number, weights: FaultWeights) {
  const engine = local().engine;
  proxy = await startFaultProxy({
    target: engine.endpoint,
    seed,
    weights,
    slowMs: requestTimeoutMs * 2,
  });
  client = new DynamoDBClient({
    endpoint: proxy.endpoint,
    region: engine.region,
    credentials: engine.credentials,
    maxAttempts: 3,
    requestHandler: { requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true },
  });
  const api = await loadApi(spec, {
    backend: createDynamoDbBackend({
      client,
      capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
    }),
    tablePrefix: `proxy${++tableCounter}-`,
    batchRetry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  });
  const tables = api.tables();
  await createDynamoDbBackend({ client: local().rawClient }).ensureTables(tables);
  return {
    Counter: api.persistent('Counter'),
    raw: createRawAccess(local().rawClient),
    table: tables.find((table) => table.specName === 'counters')!.name,
    proxy,
  };
}

interface Outcome {
  operation: string;
  result: 'ok' | string;
}

async function runSeed(seed: number, weights: FaultWeights, operations: number) {
  const { Counter, raw, table, proxy } = await setUp(seed, weights);
  const random = createRandom(seed ^ 0x5eed);
  const choose = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const model = new PossibleStates();
  const outcomes: Outcome[] = [];
  const failures: unknown[] = [];
  const readMismatches: string[] = [];

  const item = (id: string): StoredItem => ({
    id,
    count: Math.floor(random() * 100),
    label: `l${Math.floor(random() * 1000)}`,
  });

  for (let step = 0; step < operations; step++) {
    const draw = random();
    const key = choose(keys);
    const before = model.possible(key);
    let operation = '';
    try {
      if (draw < 0.25) {
        operation = 'save';
        const value = item(key);
        try {
          await new Counter(value).save();
          model.set(key, [value]);
        } catch (error) {
          // The SDK retried the put (it is idempotent); when an attempt may have landed before
          // the retries ran out, the answer is WRITE_OUTCOME_UNKNOWN. Any other error: nothing written.
          model.set(key, error instanceof WriteOutcomeUnknownError ? [...before, value] : before);
          throw error;
        }
      } else if (draw < 0.45) {
        operation = 'create';
        const value = item(key);
        try {
          await Counter.create(value);
          expect(before.some((state) => state === undefined)).toBe(true);
          model.set(key, [value]);
        } catch (error) {
          if (error instanceof AlreadyExistsError) {
            model.set(
              key,
              before.filter((state) => state !== undefined),
            );
          } else if (error instanceof WriteOutcomeUnknownError) {
            model.set(
              key,
              before.some((state) => state === undefined) ? [...before, value] : before,
            );
          }
          throw error;
        }
      } else if (draw < 0.7) {
        operation = 'update';
        const amount = 1 + Math.floor(random() * 5);
        try {
          const updated = (await Counter.update(key, {
            add: { count: amount },
          })) as unknown as StoredItem;
          const stored = { ...updated };
          const allowed = before.some(
            (state) =>
              state !== undefined &&
              canonical({ ...state, count: Number(state.count ?? 0) + amount }) ===
                canonical(stored),
          );
          expect(allowed, `update result ${canonical(stored)} from ${before.map(canonical)}`).toBe(
            true,
          );
          model.set(key, [stored]);
        } catch (error) {
          if (error instanceof ItemNotFoundError) {
            expect(before.some((state) => state === undefined)).toBe(true);
            model.set(key, [undefined]);
          } else if (error instanceof WriteOutcomeUnknownError) {
            const applied = before
              .filter((state) => state !== undefined)
              .map((state) => ({ ...state, count: Number(state.count ?? 0) + amount }));
            model.set(key, [...before, ...applied]);
          }
          throw error;
        }
      } else if (draw < 0.88) {
        operation = 'saveMany';
        const size = 2 + Math.floor(random() * 29);
        const chosen = [...keys].sort(() => random() - 0.5).slice(0, Math.min(size, keys.length));
        const values = chosen.map(item);
        const previous = new Map(chosen.map((id) => [id, model.possible(id)]));
        try {
          await Counter.saveMany(values);
          for (const value of values) model.set(String(value.id), [value]);
        } catch (error) {
          const listed = new Set(
            error instanceof BatchIncompleteError
              ? [...error.unprocessed, ...error.unconfirmed].map((entry) => String(entry.key.id))
              : chosen,
          );
          for (const value of values) {
            const id = String(value.id);
            // Puts are idempotent and retried: a listed entry may have landed on an earlier attempt.
            model.set(id, listed.has(id) ? [...previous.get(id)!, value] : [value]);
          }
          throw error;
        }
      } else {
        operation = 'getMany';
        const chosen = [...keys].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * 12));
        const found = await Counter.getMany(chosen);
        chosen.forEach((id, index) => {
          const state = found[index] ? ({ ...found[index] } as StoredItem) : undefined;
          if (!model.allows(id, state)) readMismatches.push(`${id}: read ${canonical(state)}`);
          else model.set(id, [state]);
        });
      }
      outcomes.push({ operation, result: 'ok' });
    } catch (error) {
      failures.push(error);
      outcomes.push({
        operation,
        result: MacaronError.isInstance(error)
          ? (error as MacaronError).code
          : `untyped ${String(error)}`,
      });
    }
  }

  proxy.setEnabled(false);
  const mismatches: string[] = [];
  for (const key of keys) {
    const stored = await raw.get(table, { id: key });
    if (!model.allows(key, stored)) {
      mismatches.push(
        `${key}: stored ${canonical(stored)}, model ${model.possible(key).map(canonical).join(' | ')}`,
      );
    }
  }
  return { outcomes, failures, mismatches, readMismatches, log: proxy.log };
}

describe('fault proxy: a seeded schedule of faults in front of dynalite', () => {
  const seen = new Map<string, number>();
  const errorCodes = new Map<string, number>();

  it.each(schedules)(
    '%s schedule, seed %i: the engine holds exactly what the model allows, every failure typed',
    async (name, seed, weights) => {
      const { outcomes, failures, mismatches, readMismatches, log } = await runSeed(
        seed,
        weights,
        operationsPerSeed[name]!,
      );
      for (const record of log) seen.set(record.fault, (seen.get(record.fault) ?? 0) + 1);
      for (const outcome of outcomes)
        if (outcome.result !== 'ok')
          errorCodes.set(outcome.result, (errorCodes.get(outcome.result) ?? 0) + 1);
      for (const failure of failures)
        expect(MacaronError.isInstance(failure), String(failure)).toBe(true);
      expect(readMismatches).toEqual([]);
      expect(mismatches).toEqual([]);
      expect(outcomes.filter((outcome) => outcome.result === 'ok').length).toBeGreaterThan(
        operationsPerSeed[name]! / 4,
      );
    },
    60_000,
  );

  it('the seeds together injected every kind of fault', () => {
    for (const kind of Object.keys(mixed)) expect(seen.get(kind) ?? 0, kind).toBeGreaterThan(0);
    for (const code of ['WRITE_OUTCOME_UNKNOWN', 'THROTTLED', 'BATCH_INCOMPLETE'])
      expect(errorCodes.get(code) ?? 0, code).toBeGreaterThan(0);
    // For the record, in the test output: what the callers saw.
    console.info(
      'faults injected',
      Object.fromEntries(seen),
      'errors seen',
      Object.fromEntries(errorCodes),
    );
  });
});
