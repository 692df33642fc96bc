import type { Condition, SortKeyCondition } from '@macaron/core';
import fc from 'fast-check';
import type { DifferentialAction, DifferentialOperation } from './differential-operation.js';
import {
  type DifferentialKey,
  type DifferentialModelName,
  docIds,
  docNames,
  mentions,
  partitions,
  sortKeys,
} from './differential-spec.js';

/** What the engine under test lets the generator draw (documented engine differences are avoided). */
export interface GeneratorOptions {
  /** Whether transactions are drawn (the backend declares the capability). */
  transactions: boolean;
  /** Whether conditions may order strings (not drawn where strings compare by UTF-16 units). */
  stringOrdering: boolean;
}

const smallInt = fc.integer({ min: -2, max: 3 });
const text = fc.constantFrom('a', 'ab', 'b', 'ba', '');
const list = fc.array(fc.constantFrom('x', 'y'), { maxLength: 2 });
// Decimals that binary floating point cannot add exactly, and bigints beyond 2^53 (P-18, P-31).
const decimal = fc.constantFrom(0.1, 0.2, 0.3, -1.5, 0.001, 12345678.9);
const bigInteger = fc.constantFrom(2n ** 60n, -(2n ** 55n) + 1n, 7n, 10n ** 30n);

/** The values of each non-key attribute of Item. */
const itemValues = {
  tag: fc.constantFrom('t1', 't2'),
  rank: fc.integer({ min: 0, max: 3 }),
  n: smallInt,
  s: text,
  list,
  dec: decimal,
  big: bigInteger,
};

const itemKey = fc.record({ pk: fc.constantFrom(...partitions), sk: fc.constantFrom(...sortKeys) });
const docKey = fc.record({ id: fc.constantFrom(...docIds), name: fc.constantFrom(...docNames) });

const itemData = fc
  .tuple(itemKey, fc.record(itemValues, { requiredKeys: [] }))
  .map(([key, rest]) => ({ ...key, ...rest }) as Record<string, unknown>);

const docData = fc
  .tuple(
    docKey,
    fc.record({ n: smallInt, s: text, rev: fc.integer({ min: 1, max: 3 }) }, { requiredKeys: [] }),
  )
  .map(([key, rest]) => ({ ...key, ...rest }) as Record<string, unknown>);

// No `eq: null`, no `beginsWith` on bytes and no `eq` on lists are drawn: the engine
// differences about those (moto's, dynalite's) need no exclusion here.
function conditionArbitrary(
  model: DifferentialModelName,
  options: GeneratorOptions,
): fc.Arbitrary<Condition> {
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

function changesArbitrary(model: DifferentialModelName): fc.Arbitrary<Record<string, unknown>> {
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
    fc.tuple(fc.constantFrom(...kinds[name]!), itemValues[name as keyof typeof itemValues]);
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

function modelArbitraries(model: DifferentialModelName) {
  return model === 'Item'
    ? { key: itemKey as fc.Arbitrary<DifferentialKey>, data: itemData }
    : { key: docKey as fc.Arbitrary<DifferentialKey>, data: docData };
}

function optional<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arbitrary, { nil: undefined, freq: 2 });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
}

/** A batch operation on up to `maxLength` item keys. */
function keyBatch<Op extends 'deleteMany' | 'getMany' | 'loadMany'>(op: Op, maxLength: number) {
  return fc.array(itemKey, { minLength: 1, maxLength }).map((keys) => ({ op, keys }));
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

function actionArbitrary(options: GeneratorOptions): fc.Arbitrary<DifferentialAction> {
  return fc.constantFrom<DifferentialModelName>('Item', 'Doc').chain((model) => {
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
export function operationArbitrary(options: GeneratorOptions): fc.Arbitrary<DifferentialOperation> {
  const perModel = fc.constantFrom<DifferentialModelName>('Item', 'Doc').chain((model) => {
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
    { weight: 1, arbitrary: keyBatch('deleteMany', 4) },
    { weight: 1, arbitrary: keyBatch('getMany', 4) },
    { weight: 1, arbitrary: keyBatch('loadMany', 3) },
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
  ) as fc.Arbitrary<DifferentialOperation>;
}
