// Copied from packages/backend-dynamodb/test/differential/differential-model.ts (the same model and checks for every engine);
// a shared differential harness in @macaron/backend-conformance would remove the copy.
import {
  type Api,
  type Condition,
  type ItemKey,
  loadApi,
  MacaronError,
  type PersistentModelClass,
  type SortKeyCondition,
  type StorageBackend,
  type StoredItem,
  TransactionCanceledError,
  ValidationError,
} from '@macaron/core';
import fc from 'fast-check';

/** The spec of the differential runs: a sorted model with an index, and a versioned one. */
export function createDifferentialSpec(): Record<string, unknown> {
  const string = { type: 'string' };
  const integer = { type: 'integer' };
  return {
    openapi: '3.0.3',
    info: { title: 'Macaron differential runs', version: '1.0.0' },
    paths: {},
    components: {
      schemas: {
        Item: {
          type: 'object',
          required: ['pk', 'sk'],
          'x-persist': {
            table: 'items',
            key: 'pk',
            sort: 'sk',
            indexes: { byTag: { key: 'tag', sort: 'rank' } },
          },
          properties: {
            pk: string,
            sk: integer,
            tag: string,
            rank: integer,
            n: integer,
            s: string,
            list: { type: 'array', items: string },
            dec: { type: 'number' },
            big: { type: 'integer', format: 'int64' },
          },
        },
        Doc: {
          type: 'object',
          required: ['id', 'name'],
          'x-persist': { table: 'docs', key: 'id', sort: 'name', version: 'rev' },
          properties: { id: string, name: string, n: integer, s: string, rev: integer },
        },
      },
    },
  };
}

/** The two models of the differential spec. */
export type ModelName = 'Item' | 'Doc';

/** A key of either model, as plain data. */
export type KeyData = { pk: string; sk: number } | { id: string; name: string };

/** A transaction action, as plain data. */
export type ActionData =
  | { kind: 'create' | 'save'; model: ModelName; data: Record<string, unknown> }
  | {
      kind: 'update';
      model: ModelName;
      key: KeyData;
      changes: Record<string, unknown>;
      condition?: Condition;
    }
  | { kind: 'delete'; model: ModelName; key: KeyData; condition?: Condition }
  | { kind: 'check'; model: ModelName; key: KeyData; condition: Condition };

/** One operation of a sequence, as plain data (a shrunk counterexample pastes into a test). */
export type Operation =
  | { op: 'create'; model: ModelName; data: Record<string, unknown> }
  | { op: 'save'; model: ModelName; data: Record<string, unknown>; condition?: Condition }
  | {
      op: 'update';
      model: ModelName;
      key: KeyData;
      changes: Record<string, unknown>;
      condition?: Condition;
    }
  | { op: 'delete'; model: ModelName; key: KeyData; condition?: Condition }
  | { op: 'get'; model: ModelName; key: KeyData }
  | { op: 'exists'; model: ModelName; key: KeyData }
  | { op: 'loadMany'; keys: KeyData[] }
  | {
      op: 'query';
      index?: 'byTag';
      partition: string;
      sort?: SortKeyCondition;
      filter?: Condition;
      limit?: number;
      reverse?: boolean;
    }
  | { op: 'scan'; model: ModelName; index?: 'byTag'; filter?: Condition; limit?: number }
  | { op: 'saveMany'; items: Record<string, unknown>[] }
  | { op: 'deleteMany'; keys: KeyData[] }
  | { op: 'getMany'; keys: KeyData[] }
  | { op: 'transaction'; actions: ActionData[] };

/** What an engine lets the generator use (documented engine differences are avoided). */
export interface GeneratorOptions {
  /** Whether transactions are generated (moto and memory only). */
  transactions: boolean;
  /** Whether conditions may order strings (dynalite orders them by UTF-16: not generated there). */
  stringOrdering: boolean;
}

const partitions = ['a', 'b'] as const;
const sortKeys = [0, 1, 2, 3] as const;
const docIds = ['x', 'y'] as const;
const docNames = ['m', 'n'] as const;

const smallInt = fc.integer({ min: -2, max: 3 });
const text = fc.constantFrom('a', 'ab', 'b', 'ba', '');
const list = fc.array(fc.constantFrom('x', 'y'), { maxLength: 2 });
// Decimals that binary floating point cannot add exactly, and bigints beyond 2^53 (P-18, P-31).
const decimal = fc.constantFrom(0.1, 0.2, 0.3, -1.5, 0.001, 12345678.9);
const bigInteger = fc.constantFrom(2n ** 60n, -(2n ** 55n) + 1n, 7n, 10n ** 30n);

const itemKey = fc.record({ pk: fc.constantFrom(...partitions), sk: fc.constantFrom(...sortKeys) });
const docKey = fc.record({ id: fc.constantFrom(...docIds), name: fc.constantFrom(...docNames) });

const itemData = fc
  .tuple(
    itemKey,
    fc.record(
      {
        tag: fc.constantFrom('t1', 't2'),
        rank: fc.integer({ min: 0, max: 3 }),
        n: smallInt,
        s: text,
        list,
        dec: decimal,
        big: bigInteger,
      },
      { requiredKeys: [] },
    ),
  )
  .map(([key, rest]) => ({ ...key, ...rest }) as Record<string, unknown>);

const docData = fc
  .tuple(
    docKey,
    fc.record({ n: smallInt, s: text, rev: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: [] }),
  )
  .map(([key, rest]) => ({ ...key, ...rest }) as Record<string, unknown>);

function conditionArbitrary(model: ModelName, options: GeneratorOptions): fc.Arbitrary<Condition> {
  const leaves: fc.Arbitrary<Condition>[] = [
    smallInt.map((value) => ({ attr: 'n', eq: value })),
    smallInt.map((value) => ({ attr: 'n', ne: value })),
    smallInt.map((value) => ({ attr: 'n', lt: value })),
    smallInt.map((value) => ({ attr: 'n', gte: value })),
    fc.tuple(smallInt, smallInt).map(([low, high]) => ({
      attr: 'n',
      between: [Math.min(low, high), Math.max(low, high)] as const,
    })),
    fc.array(smallInt, { minLength: 1, maxLength: 3 }).map((values) => ({ attr: 'n', in: values })),
    fc.boolean().map((exists) => ({ attr: 'n', exists })),
    fc.boolean().map((exists) => ({ attr: 's', exists })),
    text.map((value) => ({ attr: 's', eq: value })),
    fc.constantFrom('a', 'b').map((prefix) => ({ attr: 's', beginsWith: prefix })),
    fc.constantFrom('a', 'b').map((part) => ({ attr: 's', contains: part })),
  ];
  if (options.stringOrdering) leaves.push(text.map((value) => ({ attr: 's', gt: value })));
  if (model === 'Item') {
    leaves.push(decimal.map((value) => ({ attr: 'dec', lt: value })));
    leaves.push(decimal.map((value) => ({ attr: 'dec', eq: value })));
    leaves.push(bigInteger.map((value) => ({ attr: 'big', gte: value })));
    leaves.push(fc.constantFrom('x', 'y').map((value) => ({ attr: 'list', contains: value })));
    leaves.push(fc.boolean().map((exists) => ({ attr: 'list', exists })));
  }
  const leaf = fc.oneof(...leaves);
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: leaf.map((inner) => ({ not: inner })) },
    { weight: 1, arbitrary: fc.tuple(leaf, leaf).map((both) => ({ and: both })) },
    { weight: 1, arbitrary: fc.tuple(leaf, leaf).map((both) => ({ or: both })) },
  );
}

function changesArbitrary(model: ModelName): fc.Arbitrary<Record<string, unknown>> {
  const names = model === 'Item' ? ['tag', 'rank', 'n', 's', 'list', 'dec', 'big'] : ['n', 's'];
  const kinds: Record<string, readonly string[]> = {
    tag: ['set', 'remove'],
    rank: ['set', 'remove', 'add'],
    n: ['set', 'remove', 'add'],
    s: ['set', 'remove'],
    list: ['set', 'remove', 'append'],
    dec: ['set', 'remove', 'add'],
    big: ['set', 'remove', 'add'],
  };
  const change = (name: string) =>
    fc.tuple(
      fc.constantFrom(...kinds[name]!),
      {
        tag: fc.constantFrom('t1', 't2'),
        rank: fc.integer({ min: 0, max: 3 }),
        n: smallInt,
        s: text,
        list,
        dec: decimal,
        big: bigInteger,
      }[name]!,
    );
  return fc
    .subarray(names, { minLength: 1, maxLength: Math.min(3, names.length) })
    .chain((picked) => fc.tuple(...picked.map(change)).map((values) => [picked, values] as const))
    .map(([picked, values]) => {
      const changes: Record<string, unknown> = {};
      picked.forEach((name, index) => {
        const [kind, value] = values[index]!;
        if (kind === 'remove') changes.remove = [...((changes.remove as string[]) ?? []), name];
        else changes[kind] = { ...((changes[kind] as object) ?? {}), [name]: value };
      });
      return changes;
    });
}

function modelArbitraries(model: ModelName) {
  return model === 'Item'
    ? { key: itemKey as fc.Arbitrary<KeyData>, data: itemData }
    : { key: docKey as fc.Arbitrary<KeyData>, data: docData };
}

function optional<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arbitrary, { nil: undefined, freq: 2 });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
}

function sortConditionArbitrary(): fc.Arbitrary<SortKeyCondition> {
  const bound = fc.integer({ min: 0, max: 4 });
  return fc.oneof(
    bound.map((value) => ({ eq: value })),
    bound.map((value) => ({ lt: value })),
    bound.map((value) => ({ lte: value })),
    bound.map((value) => ({ gt: value })),
    bound.map((value) => ({ gte: value })),
    fc
      .tuple(bound, bound)
      .map(([low, high]) => ({ between: [Math.min(low, high), Math.max(low, high)] as const })),
  );
}

function actionArbitrary(options: GeneratorOptions): fc.Arbitrary<ActionData> {
  return fc.constantFrom<ModelName>('Item', 'Doc').chain((model) => {
    const { key, data } = modelArbitraries(model);
    const condition = conditionArbitrary(model, options);
    return fc.oneof(
      data.map((value) => ({ kind: 'create' as const, model, data: value })),
      data.map((value) => ({ kind: 'save' as const, model, data: value })),
      fc
        .record({ key, changes: changesArbitrary(model), condition: optional(condition) })
        .map((value) => withoutUndefined({ kind: 'update' as const, model, ...value })),
      fc
        .record({ key, condition: optional(condition) })
        .map((value) => withoutUndefined({ kind: 'delete' as const, model, ...value })),
      fc.record({ key, condition }).map((value) => ({ kind: 'check' as const, model, ...value })),
    );
  });
}

/** One random operation, avoiding what the engine is documented to do differently. */
export function operationArbitrary(options: GeneratorOptions): fc.Arbitrary<Operation> {
  const perModel = fc.constantFrom<ModelName>('Item', 'Doc').chain((model) => {
    const { key, data } = modelArbitraries(model);
    const condition = conditionArbitrary(model, options);
    return fc.oneof(
      {
        weight: 3,
        arbitrary: data.map((value) => ({ op: 'create' as const, model, data: value })),
      },
      {
        weight: 4,
        arbitrary: fc
          .record({ data, condition: optional(condition) })
          .map((value) => withoutUndefined({ op: 'save' as const, model, ...value })),
      },
      {
        weight: 4,
        arbitrary: fc
          .record({ key, changes: changesArbitrary(model), condition: optional(condition) })
          .map((value) => withoutUndefined({ op: 'update' as const, model, ...value })),
      },
      {
        weight: 2,
        arbitrary: fc
          .record({ key, condition: optional(condition) })
          .map((value) => withoutUndefined({ op: 'delete' as const, model, ...value })),
      },
      { weight: 2, arbitrary: key.map((value) => ({ op: 'get' as const, model, key: value })) },
      { weight: 1, arbitrary: key.map((value) => ({ op: 'exists' as const, model, key: value })) },
      {
        weight: 2,
        arbitrary: fc
          .record({ filter: optional(condition), limit: optional(fc.integer({ min: 1, max: 3 })) })
          .map((value) => withoutUndefined({ op: 'scan' as const, model, ...value })),
      },
    );
  });
  const query = fc
    .record({
      index: optional(fc.constant('byTag' as const)),
      sort: optional(sortConditionArbitrary()),
      filter: optional(conditionArbitrary('Item', options).filter((c) => !mentions(c, 'tag'))),
      limit: optional(fc.integer({ min: 1, max: 3 })),
      reverse: optional(fc.boolean()),
    })
    .chain((value) =>
      fc
        .constantFrom(...(value.index ? ['t1', 't2'] : partitions))
        .map((partition) => withoutUndefined({ op: 'query' as const, partition, ...value })),
    );
  const batches = [
    {
      weight: 2,
      arbitrary: fc
        .array(itemData, { minLength: 1, maxLength: 4 })
        .map((items) => ({ op: 'saveMany' as const, items })),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(itemKey, { minLength: 1, maxLength: 4 })
        .map((keys) => ({ op: 'deleteMany' as const, keys })),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(itemKey, { minLength: 1, maxLength: 4 })
        .map((keys) => ({ op: 'getMany' as const, keys })),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(itemKey, { minLength: 1, maxLength: 3 })
        .map((keys) => ({ op: 'loadMany' as const, keys })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          filter: optional(conditionArbitrary('Item', options)),
          limit: optional(fc.integer({ min: 1, max: 3 })),
        })
        .map((value) =>
          withoutUndefined({
            op: 'scan' as const,
            model: 'Item' as const,
            index: 'byTag' as const,
            ...value,
          }),
        ),
    },
  ];
  const transaction = options.transactions
    ? [
        {
          weight: 3,
          arbitrary: fc
            .array(actionArbitrary(options), { minLength: 1, maxLength: 3 })
            .map((actions) => ({ op: 'transaction' as const, actions })),
        },
      ]
    : [];
  return fc.oneof(
    { weight: 17, arbitrary: perModel },
    { weight: 4, arbitrary: query },
    ...batches,
    ...transaction,
  ) as fc.Arbitrary<Operation>;
}

function mentions(condition: Condition, name: string): boolean {
  if ('and' in condition) return condition.and.some((inner) => mentions(inner, name));
  if ('or' in condition) return condition.or.some((inner) => mentions(inner, name));
  if ('not' in condition) return mentions(condition.not, name);
  return condition.attr === name;
}

/** A backend to run sequences on, with the raw reads of its tables. */
export interface DifferentialTarget {
  /** The backend under test, fresh or shared. */
  backend: StorageBackend;
  /** The item under a key of a physical table, read without core. */
  readRaw(table: string, key: ItemKey): Promise<StoredItem | undefined>;
}

/** The observable outcome of one operation. */
export type Outcome = { value: unknown } | { error: string; detail?: unknown };

let prefixCounter = 0;

/** Loads the differential spec on fresh tables of a backend. */
export async function openDifferentialApi(backend: StorageBackend): Promise<Api> {
  prefixCounter += 1;
  const prefix = `df${prefixCounter}${Math.random().toString(36).slice(2, 8)}-`;
  const api = await loadApi(createDifferentialSpec(), {
    backend,
    tablePrefix: prefix,
    batchRetry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
  });
  api.persistent('Item');
  api.persistent('Doc');
  await backend.ensureTables?.(api.tables());
  return api;
}

type AnyModel = PersistentModelClass<Record<string, unknown>>;

function plain(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object' && 'toJSON' in value)
    return (value as { toJSON(): unknown }).toJSON();
  return value;
}

function describeError(error: unknown): Outcome {
  if (!MacaronError.isInstance(error)) {
    return { error: `not a MacaronError: ${String(error)}` };
  }
  const typed = error as MacaronError;
  const name = `${typed.constructor.name}:${typed.code}`;
  if (error instanceof TransactionCanceledError)
    return { error: name, detail: error.reasons.map((reason) => [reason.index, reason.code]) };
  if (error instanceof ValidationError)
    return { error: name, detail: error.problems.map((problem) => problem.pointer).sort() };
  return { error: name };
}

function byJson(left: unknown, right: unknown): number {
  // Names in sorted order: engines need not keep an item's attribute order (PostgreSQL's
  // jsonb orders keys its own way, DynamoDB too), only its attributes. (Changed in this copy.)
  const bigints = (_name: string, value: unknown) =>
    typeof value === 'bigint'
      ? `${value}n`
      : value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : value;
  const a = JSON.stringify(left, bigints);
  const b = JSON.stringify(right, bigints);
  return a < b ? -1 : a > b ? 1 : 0;
}

async function perform(api: Api, operation: Operation): Promise<unknown> {
  const model = (name: ModelName) => api.persistent(name) as AnyModel;
  switch (operation.op) {
    case 'create':
      return plain(await model(operation.model).create(operation.data));
    case 'save': {
      const Type = model(operation.model);
      const object = new Type(operation.data);
      await object.save(operation.condition ? { condition: operation.condition } : {});
      return plain(object);
    }
    case 'update':
      return plain(
        await model(operation.model).update(
          operation.key,
          operation.changes,
          operation.condition ? { condition: operation.condition } : {},
        ),
      );
    case 'delete':
      return model(operation.model).delete(
        operation.key,
        operation.condition ? { condition: operation.condition } : {},
      );
    case 'get':
      return plain(await model(operation.model).get(operation.key, { consistent: true }));
    case 'exists':
      return model(operation.model).exists(operation.key, { consistent: true });
    case 'loadMany':
      return plain(await model('Item').loadMany(operation.keys, { consistent: true }));
    case 'query': {
      // Walks every page: the pages (sizes and whether a cursor came back) must agree too.
      const pages: unknown[] = [];
      let cursor: string | undefined;
      do {
        const page = await model('Item').query({
          partition: operation.partition,
          ...(operation.index ? { index: operation.index } : {}),
          ...(operation.sort ? { sort: operation.sort } : {}),
          ...(operation.filter ? { filter: operation.filter } : {}),
          ...(operation.limit ? { limit: operation.limit } : {}),
          ...(operation.reverse ? { reverse: true } : {}),
          ...(cursor ? { cursor } : {}),
        });
        pages.push(plain(page.items));
        cursor = page.cursor;
      } while (cursor && pages.length < 50);
      // A page that ends exactly at the end may carry a cursor (P-53): dynalite's does, moto's
      // does not always; the empty page after it is not compared.
      if (pages.length > 1 && (pages.at(-1) as unknown[]).length === 0) pages.pop();
      // With a filter, that page cannot be told from pages the filter emptied: drop them all.
      while (operation.filter && pages.length > 0 && (pages.at(-1) as unknown[]).length === 0)
        pages.pop();
      if (!operation.index) return pages;
      // DynamoDB leaves the order of index items with equal index keys unspecified (P-51):
      // compare the items with each run of equal sort values sorted, and the page sizes
      // without a filter (with one, which items a page drops depends on the order of ties).
      const items = (pages as Record<string, unknown>[][]).flat();
      const runs = new Map<unknown, unknown[]>();
      for (const item of items) runs.set(item.rank, [...(runs.get(item.rank) ?? []), item]);
      return {
        ...(operation.filter ? {} : { pages: pages.map((page) => (page as unknown[]).length) }),
        items: [...runs.values()].flatMap((run) => run.sort(byJson)),
      };
    }
    case 'scan': {
      // Scan order differs by engine: compare the set of items read, not the pages.
      const items: unknown[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await model(operation.model).scan({
          ...(operation.index ? { index: operation.index } : {}),
          ...(operation.filter ? { filter: operation.filter } : {}),
          ...(operation.limit ? { limit: operation.limit } : {}),
          ...(cursor ? { cursor } : {}),
        });
        items.push(...(plain(page.items) as unknown[]));
        cursor = page.cursor;
        pages += 1;
      } while (cursor && pages < 50);
      return items.sort(byJson);
    }
    case 'saveMany':
      await model('Item').saveMany(operation.items);
      return null;
    case 'deleteMany':
      await model('Item').deleteMany(operation.keys);
      return null;
    case 'getMany':
      return plain(await model('Item').getMany(operation.keys, { consistent: true }));
    case 'transaction':
      await api.transaction((transaction) => {
        for (const action of operation.actions) {
          const Type = model(action.model);
          const withCondition = (condition?: Condition) => (condition ? { condition } : undefined);
          switch (action.kind) {
            case 'create':
              transaction.create(new Type(action.data));
              break;
            case 'save':
              transaction.save(new Type(action.data));
              break;
            case 'update':
              transaction.update(Type, action.key, action.changes, withCondition(action.condition));
              break;
            case 'delete':
              transaction.delete(Type, action.key, withCondition(action.condition));
              break;
            case 'check':
              transaction.check(Type, action.key, action.condition);
              break;
          }
        }
      });
      return null;
  }
}

/** Runs an operation and records its result or its error's class, code and details. */
export async function outcomeOf(api: Api, operation: Operation): Promise<Outcome> {
  try {
    return { value: await perform(api, operation) };
  } catch (error) {
    return describeError(error);
  }
}

/** Every key the generator can produce, per model. */
export const allKeys: Readonly<Record<ModelName, readonly KeyData[]>> = {
  Item: partitions.flatMap((pk) => sortKeys.map((sk) => ({ pk, sk }))),
  Doc: docIds.flatMap((id) => docNames.map((name) => ({ id, name }))),
};

/** What both tables hold at the end, read raw under every key the generator can produce. */
export async function storedState(
  api: Api,
  readRaw: (table: string, key: ItemKey) => Promise<StoredItem | undefined>,
): Promise<Record<string, unknown>> {
  const state: Record<string, unknown> = {};
  for (const name of ['Item', 'Doc'] as const) {
    const table = (api.persistent(name) as AnyModel).descriptor.table.name;
    for (const key of allKeys[name]) {
      const item = await readRaw(table, key as ItemKey);
      if (item) state[`${name} ${JSON.stringify(key)}`] = sameNumbers(item);
    }
  }
  return state;
}

// DynamoDB stores numbers, not JavaScript types: a bigint within 2^53 reads back as a number.
function sameNumbers(value: unknown): unknown {
  if (typeof value === 'bigint')
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  if (Array.isArray(value)) return value.map(sameNumbers);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array))
    return Object.fromEntries(
      Object.entries(value).map(([name, inner]) => [name, sameNumbers(inner)]),
    );
  return value;
}

/** The results of one sequence on one backend, and what it stored. */
export interface SequenceRun {
  /** One outcome per operation. */
  outcomes: Outcome[];
  /** The stored items at the end, read raw. */
  stored: Record<string, unknown>;
}

/** Runs a sequence on fresh tables of a target. */
export async function runSequence(
  target: DifferentialTarget,
  operations: readonly Operation[],
): Promise<SequenceRun> {
  const api = await openDifferentialApi(target.backend);
  const outcomes: Outcome[] = [];
  for (const operation of operations) outcomes.push(await outcomeOf(api, operation));
  return { outcomes, stored: await storedState(api, target.readRaw) };
}

/** The test timeout: bounded runs must end within two minutes, long runs take as long as they need. */
export function differentialTimeoutMs(environment: NodeJS.ProcessEnv): number {
  return environment.DIFFERENTIAL_RUNS === undefined ? 120_000 : 24 * 60 * 60 * 1000;
}

/** Run size: bounded in CI, long with `DIFFERENTIAL_RUNS` (and a random seed unless `DIFFERENTIAL_SEED`). */
export function differentialSettings(
  defaults: { runs: number; seed: number },
  environment: NodeJS.ProcessEnv,
): { runs: number; seed: number; maxOperations: number } {
  const runs = Number(environment.DIFFERENTIAL_RUNS ?? defaults.runs);
  const seed =
    environment.DIFFERENTIAL_SEED !== undefined
      ? Number(environment.DIFFERENTIAL_SEED)
      : environment.DIFFERENTIAL_RUNS !== undefined
        ? Math.floor(Math.random() * 2 ** 31)
        : defaults.seed;
  return { runs, seed, maxOperations: Number(environment.DIFFERENTIAL_MAX_OPERATIONS ?? 15) };
}
