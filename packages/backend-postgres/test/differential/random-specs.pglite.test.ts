import { createMemoryBackend } from '@macaron/backend-memory';
import {
  type Api,
  type ItemKey,
  loadApi,
  MacaronError,
  type PersistentModelClass,
  SpecError,
  type StorageBackend,
} from '@macaron/core';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createPostgresBackend } from '../../src/index.js';
import { usePGliteEngine } from '../engines/pglite-engine.js';

// Random specs, not only random operations: users bring schemas we never wrote. Each drawn spec
// either loads or is a SpecError; one that loads stores random objects of it on the memory
// backend and on PostgreSQL alike, and every value reads back as it was given.

const engine = usePGliteEngine();

type Schema = Record<string, unknown>;
type Values = Record<string, unknown>;

// Names that are data: reserved words, JSON pointer escapes, Object.prototype's members.
const names = [
  'id',
  'name',
  'status',
  'size',
  'count',
  'a.b',
  'with space',
  '$x',
  'x-y',
  'a/b',
  'x~y',
  'ünï',
  '🎉',
  'constructor',
  'toString',
  '__proto__',
  'valueOf',
  'length',
  '0',
] as const;
const keyKinds = ['string', 'date', 'date-time', 'enum', 'integer', 'int64', 'number', 'binary'];
const leafKinds = [...keyKinds, 'boolean'];

function leaf(kind: string): Schema {
  switch (kind) {
    case 'date':
    case 'date-time':
      return { type: 'string', format: kind };
    case 'binary':
      return { type: 'string', format: 'binary' };
    case 'enum':
      return { type: 'string', enum: ['a', 'é', 'status'] };
    case 'int64':
      return { type: 'integer', format: 'int64' };
    default:
      return { type: kind };
  }
}

function nullable(openapi: string, schema: Schema): Schema {
  return openapi === '3.0.3'
    ? { ...schema, nullable: true }
    : {
        ...schema,
        type: [schema.type, 'null'],
        ...(schema.enum ? { enum: [...(schema.enum as unknown[]), null] } : {}),
      };
}

// Own properties only: `__proto__` and `constructor` are names here, never prototypes.
function define(target: Values, name: string, value: unknown): void {
  Object.defineProperty(target, name, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function propertySchemaArb(openapi: string, depth: number): fc.Arbitrary<Schema> {
  const leafArb = fc
    .tuple(fc.constantFrom(...leafKinds), fc.boolean())
    .map(([kind, isNullable]) => (isNullable ? nullable(openapi, leaf(kind)) : leaf(kind)));
  if (depth === 0) return leafArb;
  const inner = propertySchemaArb(openapi, depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leafArb },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.uniqueArray(fc.tuple(fc.constantFrom(...names), inner), {
            maxLength: 3,
            selector: ([name]) => name,
          }),
          fc.constantFrom(true, false, undefined),
        )
        .map(([entries, additional]) => {
          const properties: Values = {};
          for (const [name, schema] of entries) define(properties, name, schema);
          return {
            type: 'object',
            properties,
            ...(additional === undefined ? {} : { additionalProperties: additional }),
          };
        }),
    },
    { weight: 1, arbitrary: inner.map((items) => ({ type: 'array', items, maxItems: 3 })) },
  );
}

interface DrawnSpec {
  spec: Schema;
  model: Schema;
  persist: {
    table: string;
    key: string;
    sort?: string;
    version?: string;
    indexes?: Record<string, { key: string; sort?: string }>;
  };
}

const specArb: fc.Arbitrary<DrawnSpec> = fc
  .record({
    openapi: fc.constantFrom('3.0.3', '3.1.0'),
    key: fc.tuple(fc.constantFrom(...names), fc.constantFrom(...keyKinds)),
    sort: fc.option(fc.tuple(fc.constantFrom(...names), fc.constantFrom(...keyKinds)), {
      nil: undefined,
    }),
    index: fc.option(fc.tuple(fc.constantFrom(...names), fc.constantFrom(...keyKinds)), {
      nil: undefined,
    }),
    // The version is drawn among every name, the keys' too: a spec may name any property.
    version: fc.option(
      fc.tuple(
        fc.constantFrom('the key', 'the sort key', ...names),
        fc.constantFrom('integer', 'int64'),
      ),
      { nil: undefined },
    ),
    // A key's schema as specs write it: inline, or an allOf of two members (`[{ $ref: Id },
    // { type: integer }]`), which may disagree on its type.
    // A member that only types it, which each value of the first of the same type meets.
    keyMember: fc.option(fc.constantFrom('string', 'number', 'boolean'), {
      nil: undefined,
      freq: 3,
    }),
    depth: fc.integer({ min: 0, max: 3 }),
  })
  .chain((drawn) =>
    fc
      .uniqueArray(
        fc.tuple(fc.constantFrom(...names), propertySchemaArb(drawn.openapi, drawn.depth)),
        { maxLength: 4, selector: ([name]) => name },
      )
      .map((others) => {
        const properties: Values = {};
        const required: string[] = [];
        const persist: DrawnSpec['persist'] = { table: 'things', key: drawn.key[0] };
        define(
          properties,
          drawn.key[0],
          // Not for bytes: validation refuses bytes under a `{ type: string }` member, so such a
          // key loads and takes no value at all (an open problem, not drawn here).
          drawn.keyMember === undefined || drawn.key[1] === 'binary'
            ? leaf(drawn.key[1])
            : { allOf: [leaf(drawn.key[1]), { type: drawn.keyMember }] },
        );
        required.push(drawn.key[0]);
        if (drawn.sort && drawn.sort[0] !== drawn.key[0]) {
          define(properties, drawn.sort[0], leaf(drawn.sort[1]));
          required.push(drawn.sort[0]);
          persist.sort = drawn.sort[0];
        }
        if (drawn.index && !Object.hasOwn(properties, drawn.index[0])) {
          define(properties, drawn.index[0], leaf(drawn.index[1]));
          persist.indexes = { byOther: { key: drawn.index[0] } };
        }
        if (drawn.version) {
          const [drawnName, kind] = drawn.version;
          const name =
            drawnName === 'the key'
              ? persist.key
              : drawnName === 'the sort key'
                ? (persist.sort ?? persist.key)
                : drawnName;
          if (!Object.hasOwn(properties, name)) define(properties, name, leaf(kind));
          persist.version = name;
        }
        for (const [name, schema] of others)
          if (!Object.hasOwn(properties, name)) define(properties, name, schema);
        const model = { type: 'object', required, properties, 'x-persist': persist };
        return {
          model,
          persist,
          spec: {
            openapi: drawn.openapi,
            info: { title: 'random', version: '1' },
            paths: {},
            components: { schemas: { Thing: model } },
          },
        };
      }),
  );

// ---- values of a schema ----

const numberArb = fc
  .double({ noNaN: true, noDefaultInfinity: true, min: -1e120, max: 1e120 })
  .filter(
    (x) =>
      !Object.is(x, -0) &&
      (x === 0 || Math.abs(x) >= 1e-120) &&
      !(Number.isInteger(x) && Math.abs(x) >= 2 ** 53),
  );
const dateArb = fc.date({
  min: new Date('0001-01-01T00:00:00Z'),
  max: new Date('9999-12-31T00:00:00Z'),
  noInvalidDate: true,
});

function valueArb(schema: Schema, asKey = false): fc.Arbitrary<unknown> {
  // A key of two allOf members: values of the first (a spec that loads takes them all).
  if (Array.isArray(schema.allOf)) return valueArb(schema.allOf[0] as Schema, asKey);
  const types = ([] as unknown[]).concat(schema.type);
  const base = baseValueArb(schema, types.find((type) => type !== 'null') as string, asKey);
  return !asKey && (schema.nullable === true || types.includes('null'))
    ? fc.option(base, { nil: null, freq: 4 })
    : base;
}

function baseValueArb(schema: Schema, type: string, asKey: boolean): fc.Arbitrary<unknown> {
  if (schema.enum)
    return fc.constantFrom(...(schema.enum as unknown[]).filter((value) => value !== null));
  switch (type) {
    case 'string':
      if (schema.format === 'date') return dateArb.map((date) => date.toISOString().slice(0, 10));
      if (schema.format === 'date-time')
        return fc
          .tuple(dateArb, fc.constantFrom('Z', '+05:30', '.5-01:00'))
          .map(([date, end]) => date.toISOString().slice(0, 19) + end);
      if (schema.format === 'binary')
        return fc.uint8Array({ minLength: asKey ? 1 : 0, maxLength: 6 });
      return fc.string({
        minLength: asKey ? 1 : 0,
        maxLength: 8,
        unit: fc.constantFrom('a', 'é', '\u0000', '𝄞', ' ', '/', '~'),
      });
    case 'integer':
      return schema.format === 'int64'
        ? fc.oneof(fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n), fc.maxSafeInteger())
        : fc.maxSafeInteger();
    case 'number':
      return numberArb;
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueArb(schema.items as Schema), { maxLength: 3 });
    default:
      return objectArb(schema);
  }
}

function objectArb(schema: Schema, keys: ReadonlySet<string> = new Set()): fc.Arbitrary<Values> {
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const entries = Object.entries((schema.properties as Values | undefined) ?? {}) as [
    string,
    Schema,
  ][];
  // Each property drawn, then defined as an own property (`__proto__` is a name here).
  return fc
    .tuple(
      ...entries.map(([name, inner]) =>
        (required.has(name)
          ? valueArb(inner, keys.has(name))
          : fc.option(valueArb(inner, keys.has(name)), { nil: undefined })
        ).map((value) => [name, value] as const),
      ),
    )
    .map((pairs) => {
      const object: Values = {};
      for (const [name, value] of pairs) if (value !== undefined) define(object, name, value);
      return object;
    });
}

// ---- the script, run on each backend ----

interface Script {
  objects: Values[];
  change: { name: string; value: unknown } | undefined;
}

function scriptArb({ model, persist }: DrawnSpec): fc.Arbitrary<Script> {
  const properties = model.properties as Record<string, Schema>;
  const changeable = Object.keys(properties).filter(
    (name) => ![persist.key, persist.sort, persist.version].includes(name),
  );
  const keyPool = (name: string) =>
    fc.uniqueArray(valueArb(properties[name]!, true), {
      minLength: 1,
      maxLength: 2,
      selector: comparable,
    });
  // Index keys are drawn as keys are (never empty), and the version left to the writes.
  const keys = new Set(Object.values(persist.indexes ?? {}).map(({ key }) => key));
  return fc
    .record({
      objects: fc.array(objectArb(model, keys), { minLength: 1, maxLength: 4 }),
      partitions: keyPool(persist.key),
      sorts: persist.sort === undefined ? fc.constant([]) : keyPool(persist.sort),
      picks: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
      change:
        changeable.length === 0
          ? fc.constant(undefined)
          : fc
              .constantFrom(...changeable)
              .chain((name) =>
                valueArb(properties[name]!, keys.has(name)).map((value) => ({ name, value })),
              ),
    })
    .map(({ objects, partitions, sorts, picks, change }) => ({
      change,
      // Objects share partitions (and keys), so that queries and creates meet each other.
      objects: objects.map((object, index) => {
        const copy = { ...object };
        if (persist.version !== undefined) delete copy[persist.version];
        define(copy, persist.key, partitions[picks[index]! % partitions.length]);
        if (persist.sort !== undefined)
          define(copy, persist.sort, sorts[picks[index + 4]! % sorts.length]);
        return copy;
      }),
    }));
}

/** A value as comparable text: bigints within 2^53 as the numbers DynamoDB reads, bytes as hex, names sorted. */
function comparable(value: unknown): string {
  return JSON.stringify(value, (_name, inner: unknown) => {
    if (typeof inner === 'bigint')
      return Number.isSafeInteger(Number(inner)) ? Number(inner) : `${inner}n`;
    if (inner instanceof Uint8Array) return `bytes:${Buffer.from(inner).toString('hex')}`;
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      const sorted: Values = {};
      for (const name of Object.keys(inner).sort()) define(sorted, name, (inner as Values)[name]);
      return sorted;
    }
    return inner;
  });
}

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    return comparable({ value: (await run()) ?? null });
  } catch (error) {
    if (!(error instanceof MacaronError)) throw error;
    return `${error.constructor.name} ${error.code}`;
  }
}

function keyOf(persist: DrawnSpec['persist'], object: Values): ItemKey {
  const key: Values = {};
  define(key, persist.key, object[persist.key]);
  if (persist.sort !== undefined) define(key, persist.sort, object[persist.sort]);
  return key as ItemKey;
}

let tables = 0;

async function run(backend: StorageBackend, drawn: DrawnSpec, script: Script): Promise<string[]> {
  tables += 1;
  const api: Api = await loadApi(drawn.spec, { backend, tablePrefix: `rs${tables}-` });
  const Thing = api.persistent('Thing') as PersistentModelClass<Values>;
  await backend.ensureTables?.(api.tables());
  const { persist } = drawn;
  const results: string[] = [];
  const stored = new Set<string>();
  for (const object of script.objects) {
    const key = keyOf(persist, object);
    const created = await outcome(async () => (await Thing.create(object)).toJSON());
    results.push(created);
    // The objects are valid by construction: a spec that loads takes them, unless their key
    // is taken by an earlier one.
    expect(created, 'the create of a valid object').not.toMatch(
      /^(?!AlreadyExistsError)[A-Z]\w+Error /,
    );
    const read = await Thing.get(key, { consistent: true });
    results.push(await outcome(async () => read && { ...read }));
    // Round trip: the first object stored under a key reads back as given (at version 1).
    if (!stored.has(comparable(key))) {
      const expected = { ...object };
      if (persist.version !== undefined) define(expected, persist.version, 1);
      expect(read && comparable({ ...read }), 'the object read back').toBe(comparable(expected));
      stored.add(comparable(key));
    }
  }
  for (const object of script.objects) {
    results.push(
      await outcome(async () =>
        (
          await Thing.query({ partition: object[persist.key] as string, consistent: true })
        ).items.map((item) => item.toJSON()),
      ),
    );
    const indexKey = persist.indexes?.byOther?.key;
    const indexValue = indexKey === undefined ? undefined : object[indexKey];
    if (indexValue !== undefined && indexValue !== null)
      results.push(
        await outcome(async () =>
          // Items of equal index keys come in each engine's order (P-51).
          (await Thing.query({ index: 'byOther', partition: indexValue as string })).items
            .map((item) => comparable(item.toJSON()))
            .sort(),
        ),
      );
  }
  const { change } = script;
  if (change) {
    const set: Values = {};
    define(set, change.name, change.value);
    results.push(
      await outcome(async () => ({
        ...(await Thing.update(keyOf(persist, script.objects[0]!), { set })),
      })),
    );
  }
  results.push(
    await outcome(async () =>
      (
        await Thing.getMany(
          script.objects.map((object) => keyOf(persist, object)),
          { consistent: true },
        )
      ).map((item) => item?.toJSON()),
    ),
  );
  for (const object of script.objects)
    results.push(await outcome(() => Thing.delete(keyOf(persist, object))));
  return results;
}

it('random specs load or are a SpecError; those that load store and read random objects alike on memory and PostgreSQL, exactly', async () => {
  let loaded = 0;
  await fc.assert(
    fc.asyncProperty(specArb, fc.gen(), async (drawn, gen) => {
      try {
        await loadApi(drawn.spec);
      } catch (error) {
        expect(error, 'a spec refused at load').toBeInstanceOf(SpecError);
        return;
      }
      loaded += 1;
      const script = gen(() => scriptArb(drawn));
      const expected = await run(createMemoryBackend(), drawn, script);
      const actual = await run(createPostgresBackend({ pglite: engine().database }), drawn, script);
      expect(actual).toEqual(expected);
    }),
    // No shrinking: each step makes tables on both backends, and a shrink ran for minutes.
    // The counterexample is the drawn spec and script, as drawn.
    { seed: 431, numRuns: 60, includeErrorInReport: true, endOnFailure: true },
  );
  // The run is worth something only where specs load.
  expect(loaded).toBeGreaterThan(20);
}, 120_000);
