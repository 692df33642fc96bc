import type { AttributePath, Condition, StoredValue, UpdateOperation } from '@macaron/core';
import fc from 'fast-check';
import type { EngineDifference } from '../harness.js';
import type { PathOperation } from './path-operation.js';

/** The partition and sort keys path sequences use: few, so that calls meet each other's items. */
export const pathKeys = ['a', 'b'].flatMap((pk) => ['x', 'y'].map((sk) => ({ pk, sk })));

/**
 * What the generator leaves out for an engine's declared differences, and for what DynamoDB
 * itself stores where memory and PostgreSQL refuse (P-98: a sum no JavaScript number holds).
 */
interface PathGeneratorOptions {
  /** No fractional numbers: a sum of them may need more digits than a double holds. */
  wholeNumbers: boolean;
  /** The engine's declared differences, whose cases are not drawn. */
  differences: ReadonlySet<EngineDifference>;
}

/** The generator's options from a run's declared differences and `paths.wholeNumbers`. */
export function pathGeneratorOptions(
  differences: readonly EngineDifference[],
  wholeNumbers: boolean,
): PathGeneratorOptions {
  return { wholeNumbers, differences: new Set(differences) };
}

const bytes = (...values: number[]) => new Uint8Array(values);

/** Random `put`, `update` and `delete` calls on nested paths of four keys. */
export function pathOperationArbitrary(options: PathGeneratorOptions): fc.Arbitrary<PathOperation> {
  const has = (difference: EngineDifference) => options.differences.has(difference);
  const skipsEmpty = has('conditions-between-and-in-skip-empty-values');
  const text = fc.constantFrom(
    ...(skipsEmpty ? [] : ['']),
    'a',
    'ab',
    '\u0000',
    '\uFFFF',
    '😀',
    'e\u0301',
  );
  const number = options.wholeNumbers
    ? fc.constantFrom(0, 1, -1, 7)
    : fc.constantFrom(0, 1, -1, 0.1, 1.5, 1e-130);
  const big = fc.constantFrom(2n ** 60n, -(2n ** 60n), 5n);
  const binary = fc.constantFrom(...(skipsEmpty ? [] : [bytes()]), bytes(0), bytes(1, 2));
  // Lists hold no null or boolean where `contains` cannot find them.
  const member = has('conditions-contains-finds-strings-numbers-bytes-only')
    ? fc.oneof(text, number, binary)
    : fc.oneof(text, number, binary, fc.constantFrom(null, true));
  const set: fc.Arbitrary<StoredValue> = fc.oneof(
    fc
      .uniqueArray(fc.constantFrom('a', 'b', '😀'), { minLength: 1, maxLength: 2 })
      .map((members) => new Set(members)),
    fc
      .uniqueArray(fc.constantFrom<number | bigint>(1, -1, 2n ** 60n), {
        minLength: 1,
        maxLength: 2,
      })
      .map((members) => new Set(members)),
  );
  const value: fc.Arbitrary<StoredValue> = fc.letrec<{ value: StoredValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      { weight: 5, arbitrary: fc.oneof(text, number, big, binary) },
      { weight: 1, arbitrary: set },
      { weight: 2, arbitrary: fc.array(fc.oneof(member, tie('value')), { maxLength: 3 }) },
      {
        weight: 2,
        arbitrary: fc.dictionary(fc.constantFrom('a', 'b'), tie('value'), { maxKeys: 2 }),
      },
    ),
  })).value;

  const key = fc.constantFrom(...pathKeys);
  const item = fc
    .tuple(
      key,
      fc.record(
        { n: number, l: fc.array(member, { maxLength: 3 }), m: value },
        { requiredKeys: [] },
      ),
    )
    .map(([itemKey, rest]) => ({ ...itemKey, ...rest }));
  // Paths whose parents items usually hold, and paths through lists, scalars and absences.
  const path = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<AttributePath>('n', 'l', 'm', 'absent') },
    {
      weight: 3,
      arbitrary: fc.constantFrom<AttributePath>(
        ['m', 'a'],
        ['m', 'b'],
        ['l', 0],
        ['l', 1],
        ['l', 5],
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<AttributePath>(
        ['m', 'a', 'b'],
        ['m', 'a', 0],
        ['l', 0, 'a'],
        ['n', 'a'],
        ['absent', 0],
      ),
    },
  );
  const operation: fc.Arbitrary<UpdateOperation> = fc.oneof(
    fc.record({ action: fc.constant('set' as const), path, value }),
    fc.record({ action: fc.constant('remove' as const), path }),
    fc.record({ action: fc.constant('add' as const), path, value: fc.oneof(number, big) }),
    fc.record({
      action: fc.constant('append' as const),
      path,
      value: fc.array(member, { maxLength: 2 }),
    }),
  );
  const positions = (operations: readonly UpdateOperation[]) =>
    operations.filter((one) => typeof one.path !== 'string' && typeof one.path[1] === 'number');
  const operations = fc
    .array(operation, { minLength: 1, maxLength: 3 })
    .filter((all) => !has('update-list-positions-applied-in-turn') || positions(all).length <= 1);

  // Equality with lists and maps, and ordering of strings, only where the engine compares so.
  const equal = has('conditions-compare-lists-and-maps-by-reference')
    ? fc.oneof(text, number, big, binary, set)
    : value;
  const ordered = has('conditions-compare-strings-by-utf16')
    ? fc.oneof(number, binary)
    : fc.oneof(text, number, binary);
  const prefix = has('conditions-compare-bytes-as-utf8-text') ? text : fc.oneof(text, binary);
  const comparison: fc.Arbitrary<Condition> = fc.oneof(
    fc.record({ attr: path, eq: equal }),
    fc.record({ attr: path, ne: equal }),
    fc.record({ attr: path, lt: ordered }),
    fc.record({ attr: path, gte: ordered }),
    fc
      .tuple(path, ordered, ordered)
      .map(([attr, low, high]) => ({ attr, between: [low, high] as const })),
    fc.record({ attr: path, beginsWith: prefix }),
    fc.record({ attr: path, contains: fc.oneof(text, number) }),
    fc.record({ attr: path, in: fc.array(fc.oneof(text, number), { minLength: 1, maxLength: 2 }) }),
    fc.record({ attr: path, exists: fc.boolean() }),
  );
  const condition: fc.Arbitrary<Condition> = fc.oneof(
    { weight: 3, arbitrary: comparison },
    { weight: 1, arbitrary: comparison.map((inner) => ({ not: inner })) },
    { weight: 1, arbitrary: fc.tuple(comparison, comparison).map((both) => ({ or: both })) },
  );
  const withCondition = <T extends object>(arbitrary: fc.Arbitrary<T>) =>
    fc
      .tuple(arbitrary, fc.option(condition, { nil: undefined, freq: 2 }))
      .map(([call, drawn]) => (drawn ? { ...call, condition: drawn } : call));
  return fc.oneof(
    {
      weight: 2,
      arbitrary: withCondition(item.map((drawn) => ({ op: 'put' as const, item: drawn }))),
    },
    {
      weight: 5,
      arbitrary: withCondition(
        fc.record({ key, operations }).map((drawn) => ({ op: 'update' as const, ...drawn })),
      ),
    },
    {
      weight: 1,
      arbitrary: withCondition(key.map((drawn) => ({ op: 'delete' as const, key: drawn }))),
    },
  );
}
