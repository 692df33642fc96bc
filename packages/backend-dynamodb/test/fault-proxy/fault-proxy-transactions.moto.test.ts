import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  AlreadyExistsError,
  ItemNotFoundError,
  loadApi,
  MacaronError,
  type PersistentModelClass,
  type StoredItem,
  TransactionCanceledError,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import { afterEach, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { counterSchema } from '../counter-schema.js';
import { describeOnMoto, type MotoEngine, useMotoEngine } from '../moto-engine.js';
import { createRawAccess } from '../raw-document-client.js';
import {
  createRandom,
  type FaultKind,
  type FaultProxy,
  type FaultWeights,
  startFaultProxy,
} from './fault-proxy.js';
import { canonical, PossibleStates, type State } from './possible-states.js';

// Transactions under wire faults, on moto (dynalite has none): a seeded workload of
// transactions and single writes runs through the fault proxy; a model keeps the states each
// key may be in given what every call answered, and the engine, read directly afterwards,
// must hold one of them. The check is strict: a success applied everything, a cancellation
// nothing, any other typed error nothing, and only WRITE_OUTCOME_UNKNOWN leaves both open.
// The proxy answers a retried transaction whose token was applied, as DynamoDB does and
// moto does not (docs/engines.md); without that, moto applies an SDK retry twice.

const spec = {
  openapi: '3.0.3',
  info: { title: 'fault-proxy-transactions', version: '1' },
  paths: {},
  components: { schemas: { Counter: counterSchema } },
};

/** The SDK's socket timeout; `slow-after` holds answers twice as long. */
const requestTimeoutMs = 1000;

const mixed = {
  pass: 70,
  'server-error': 5,
  throttling: 3,
  'throughput-exceeded': 3,
  'reset-before': 5,
  'reset-after': 8,
  'slow-after': 2,
  unprocessed: 4,
} satisfies Partial<Record<FaultKind, number>>;

const storm = {
  pass: 40,
  'server-error': 10,
  throttling: 8,
  'throughput-exceeded': 8,
  'reset-before': 10,
  'reset-after': 12,
  'slow-after': 1,
  unprocessed: 5,
} satisfies Partial<Record<FaultKind, number>>;

const schedules: [string, number, FaultWeights, number][] = [
  ['mixed', 1, mixed, 50],
  ['mixed', 2, mixed, 50],
  ['mixed', 3, mixed, 50],
  ['storm', 4, storm, 30],
];
const keys = Array.from({ length: 10 }, (_, index) => `k${index}`);

/** One write of a transaction (or a single call), and what it does to its key's state. */
type Action =
  | { kind: 'create' | 'save'; key: string; value: StoredItem }
  | { kind: 'add'; key: string; amount: number }
  | { kind: 'delete'; key: string }
  | { kind: 'check'; key: string };

/** Whether the action's own condition holds in a state (create: absent; add, check: present). */
function holds(action: Action, state: State): boolean {
  if (action.kind === 'create') return state === undefined;
  if (action.kind === 'add' || action.kind === 'check') return state !== undefined;
  return true;
}

function after(action: Action, state: State): State {
  switch (action.kind) {
    case 'create':
    case 'save':
      return action.value;
    case 'add':
      return { ...state, count: Number(state?.count ?? 0) + action.amount };
    case 'delete':
      return undefined;
    case 'check':
      return state;
  }
}

const cancellationCodes = new Set(['CONDITION_FAILED', 'ALREADY_EXISTS', 'ITEM_NOT_FOUND']);

let proxy: FaultProxy | undefined;
let client: DynamoDBClient | undefined;
let tableCounter = 0;
afterEach(async () => {
  client?.destroy();
  await proxy?.stop();
});

async function setUp(moto: () => MotoEngine, seed: number, weights: FaultWeights) {
  const server = moto().server;
  proxy = await startFaultProxy({
    target: server.endpoint,
    seed,
    weights,
    slowMs: requestTimeoutMs * 2,
    idempotentTransactions: true,
  });
  client = new DynamoDBClient({
    endpoint: proxy.endpoint,
    region: server.region,
    credentials: server.credentials,
    maxAttempts: 3,
    requestHandler: { requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true },
  });
  const capabilities = { ...dynamoDbCapabilities, transactions: true, ttl: false };
  const api = await loadApi(spec, {
    backend: createDynamoDbBackend({ client, capabilities }),
    tablePrefix: `txproxy${++tableCounter}-`,
    batchRetry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  });
  const tables = api.tables();
  await createDynamoDbBackend({ client: moto().rawClient }).ensureTables(tables);
  return {
    api,
    Counter: api.persistent('Counter') as PersistentModelClass<StoredItem>,
    raw: createRawAccess(moto().rawClient),
    table: tables[0]!.name,
    proxy,
  };
}

async function runSeed(
  moto: () => MotoEngine,
  seed: number,
  weights: FaultWeights,
  operations: number,
) {
  const { api, Counter, raw, table, proxy } = await setUp(moto, seed, weights);
  const random = createRandom(seed ^ 0x7a11);
  const choose = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const model = new PossibleStates();
  const outcomes: { operation: string; result: string }[] = [];
  const violations: string[] = [];

  const value = (id: string): StoredItem => ({
    id,
    count: Math.floor(random() * 100),
    label: `l${Math.floor(random() * 1000)}`,
  });
  const drawAction = (key: string): Action => {
    const draw = random();
    if (draw < 0.25) return { kind: 'create', key, value: value(key) };
    if (draw < 0.4) return { kind: 'save', key, value: value(key) };
    if (draw < 0.7) return { kind: 'add', key, amount: 1 + Math.floor(random() * 5) };
    if (draw < 0.85) return { kind: 'delete', key };
    return { kind: 'check', key };
  };

  /** Applies what the answer says to the model: all, nothing, or unknown. */
  function record(actions: readonly Action[], outcome: 'applied' | 'not-applied' | 'unknown') {
    for (const action of actions) {
      const before = model.possible(action.key);
      const applied = before
        .filter((state) => holds(action, state))
        .map((state) => after(action, state));
      if (outcome === 'applied') {
        if (applied.length === 0)
          violations.push(`${action.kind} ${action.key} succeeded from ${before.map(canonical)}`);
        else model.set(action.key, applied);
      } else if (outcome === 'unknown') model.set(action.key, [...before, ...applied]);
    }
  }

  for (let step = 0; step < operations; step++) {
    const draw = random();
    let operation = '';
    try {
      if (draw < 0.5) {
        operation = 'transaction';
        const size = 1 + Math.floor(random() * 4);
        const chosen = [...keys].sort(() => random() - 0.5).slice(0, size);
        const actions = chosen.map(drawAction);
        try {
          await api.transaction((transaction) => {
            for (const action of actions) {
              if (action.kind === 'create') transaction.create(new Counter(action.value));
              else if (action.kind === 'save') transaction.save(new Counter(action.value));
              else if (action.kind === 'add')
                transaction.update(Counter, action.key, { add: { count: action.amount } });
              else if (action.kind === 'delete') transaction.delete(Counter, action.key);
              else transaction.check(Counter, action.key, { attr: 'id', exists: true });
            }
          });
          record(actions, 'applied');
        } catch (error) {
          if (error instanceof TransactionCanceledError) {
            for (const reason of error.reasons) {
              const action = actions[reason.index];
              const couldFail =
                action && model.possible(action.key).some((state) => !holds(action, state));
              if (cancellationCodes.has(reason.code) && !couldFail)
                violations.push(`${action?.kind} ${action?.key} cancelled by ${reason.code}`);
            }
            record(actions, 'not-applied');
          } else
            record(actions, error instanceof WriteOutcomeUnknownError ? 'unknown' : 'not-applied');
          throw error;
        }
      } else if (draw < 0.65) {
        operation = 'create';
        const action: Action = { kind: 'create', key: choose(keys), value: value('') };
        action.value.id = action.key;
        try {
          await Counter.create(action.value);
          record([action], 'applied');
        } catch (error) {
          if (error instanceof AlreadyExistsError) {
            const present = model.possible(action.key).filter((state) => state !== undefined);
            if (present.length === 0) violations.push(`create ${action.key}: ALREADY_EXISTS`);
            else model.set(action.key, present);
          } else
            record([action], error instanceof WriteOutcomeUnknownError ? 'unknown' : 'not-applied');
          throw error;
        }
      } else if (draw < 0.78) {
        operation = 'update';
        const action: Action = {
          kind: 'add',
          key: choose(keys),
          amount: 1 + Math.floor(random() * 5),
        };
        try {
          const updated = {
            ...(await Counter.update(action.key, { add: { count: action.amount } })),
          };
          const before = model.possible(action.key);
          if (
            !before.some(
              (state) =>
                holds(action, state) && canonical(after(action, state)) === canonical(updated),
            )
          )
            violations.push(
              `update ${action.key} answered ${canonical(updated)} from ${before.map(canonical)}`,
            );
          model.set(action.key, [updated]);
        } catch (error) {
          if (error instanceof ItemNotFoundError) {
            if (!model.allows(action.key, undefined))
              violations.push(`update ${action.key}: ITEM_NOT_FOUND`);
            model.set(action.key, [undefined]);
          } else
            record([action], error instanceof WriteOutcomeUnknownError ? 'unknown' : 'not-applied');
          throw error;
        }
      } else if (draw < 0.88) {
        operation = 'delete';
        const action: Action = { kind: 'delete', key: choose(keys) };
        try {
          const existed = await Counter.delete(action.key);
          const before = model.possible(action.key);
          if (!before.some((state) => (state !== undefined) === existed))
            violations.push(
              `delete ${action.key} answered ${existed} from ${before.map(canonical)}`,
            );
          model.set(action.key, [undefined]);
        } catch (error) {
          record([action], error instanceof WriteOutcomeUnknownError ? 'unknown' : 'not-applied');
          throw error;
        }
      } else {
        operation = 'getMany';
        const chosen = [...keys].sort(() => random() - 0.5).slice(0, 1 + Math.floor(random() * 6));
        const found = await Counter.getMany(chosen);
        chosen.forEach((id, index) => {
          const state = found[index] ? ({ ...found[index] } as StoredItem) : undefined;
          if (!model.allows(id, state)) violations.push(`getMany ${id}: read ${canonical(state)}`);
          else model.set(id, [state]);
        });
      }
      outcomes.push({ operation, result: 'ok' });
    } catch (error) {
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
    if (!model.allows(key, stored))
      mismatches.push(
        `${key}: stored ${canonical(stored)}, model ${model.possible(key).map(canonical).join(' | ')}`,
      );
  }
  return { outcomes, violations, mismatches, log: proxy.log, replays: proxy.replayedTransactions };
}

describeOnMoto(
  'fault proxy: transactions under a seeded schedule of faults in front of moto',
  () => {
    const moto = useMotoEngine();
    const seen = new Map<string, number>();
    const transactionResults = new Map<string, number>();
    let replays = 0;

    it.each(schedules)(
      '%s schedule, seed %i: the engine holds exactly what the answers allow, every failure typed',
      async (_name, seed, weights, operations) => {
        const result = await runSeed(moto, seed, weights, operations);
        for (const entry of result.log) seen.set(entry.fault, (seen.get(entry.fault) ?? 0) + 1);
        for (const outcome of result.outcomes)
          if (outcome.operation === 'transaction')
            transactionResults.set(
              outcome.result,
              (transactionResults.get(outcome.result) ?? 0) + 1,
            );
        replays += result.replays;
        expect(result.outcomes.filter((outcome) => outcome.result.startsWith('untyped'))).toEqual(
          [],
        );
        expect(result.violations).toEqual([]);
        expect(result.mismatches).toEqual([]);
        expect(result.outcomes.filter((outcome) => outcome.result === 'ok').length).toBeGreaterThan(
          operations / 4,
        );
      },
      60_000,
    );

    it('the seeds together met every outcome of a transaction, and retried applied ones', () => {
      for (const kind of [
        'reset-after',
        'reset-before',
        'server-error',
        'throttling',
        'slow-after',
      ])
        expect(seen.get(kind) ?? 0, kind).toBeGreaterThan(0);
      for (const result of ['ok', 'TRANSACTION_CANCELED', 'WRITE_OUTCOME_UNKNOWN'])
        expect(transactionResults.get(result) ?? 0, result).toBeGreaterThan(0);
      // An SDK retry of a transaction that had been applied: answered as DynamoDB does.
      expect(replays).toBeGreaterThan(0);
      console.info(
        'faults injected',
        Object.fromEntries(seen),
        'transactions',
        Object.fromEntries(transactionResults),
        'replayed',
        replays,
      );
    });
  },
);
