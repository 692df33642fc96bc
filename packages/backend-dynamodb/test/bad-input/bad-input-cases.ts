import {
  InvalidCursorError,
  InvalidKeyError,
  InvalidRequestError,
  loadApi,
  SpecError,
  UnsupportedOperationError,
  ValidationError,
} from '@macaron/core';
import type { CatalogueContext, TypedErrorClass } from './bad-input-fixture.js';
import { createBadInputSpec } from './bad-input-fixture.js';

/** One bad input: what is attempted, the rule it proves and the typed error it must give. */
export interface BadInputCase {
  /** What the input is. */
  name: string;
  /** The rule of docs/persistence-semantics.md it proves (`spec`: a SpecError at load; `depth-32`: docs/engines.md). */
  rule: string;
  /** The error class expected. */
  error: TypedErrorClass;
  /** Its stable code, spelled out. */
  code: string;
  /** The attempt, on a catalogue holding the seed items. */
  attempt(context: CatalogueContext): Promise<unknown>;
}

const validation = { error: ValidationError, code: 'VALIDATION_ERROR' } as const;
const invalidKey = { error: InvalidKeyError, code: 'INVALID_KEY' } as const;
const invalidRequest = { error: InvalidRequestError, code: 'INVALID_REQUEST' } as const;
const invalidCursor = { error: InvalidCursorError, code: 'INVALID_CURSOR' } as const;
const specInvalid = { error: SpecError, code: 'SPEC_INVALID' } as const;

/** Writes over the seed item `seed` of Thing (so "unchanged" means the seed survived). */
const overSeed = (values: Record<string, unknown>) => ({ id: 'seed', label: 'changed', ...values });

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: 1 };
  for (let level = 1; level < depth; level++) value = { inner: value };
  return value;
}

async function firstCursor(context: CatalogueContext): Promise<string> {
  const page = await context.Pair.query({ partition: 'a', limit: 1 });
  if (!page.cursor) throw new Error('expected a cursor after one item of four');
  return page.cursor;
}

function loadSpecWith(mutate: (schemas: Record<string, Record<string, unknown>>) => void) {
  const spec = createBadInputSpec();
  mutate((spec.components as { schemas: Record<string, Record<string, unknown>> }).schemas);
  return async (context: CatalogueContext) => {
    const api = await loadApi(spec, { backend: context.api.backend!, tablePrefix: context.prefix });
    // Malformed annotations may only surface when the persistent class is first asked for.
    for (const name of api.modelNames()) {
      const schema = (spec.components as { schemas: Record<string, Record<string, unknown>> })
        .schemas[name];
      if (schema?.['x-persist'] !== undefined) api.persistent(name);
    }
    await context.api.backend!.ensureTables?.(api.tables());
    return api;
  };
}

/** The catalogue (transactions are in `transactionCases`: they need an engine with them). */
export const badInputCases: readonly BadInputCase[] = [
  // Wrong types.
  {
    name: 'a string property given a number',
    rule: 'P-11',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ label: 5 })).save(),
  },
  {
    name: 'an integer property given a string',
    rule: 'P-11',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ count: '3' })).save(),
  },
  {
    name: 'an integer property given a fraction',
    rule: 'P-12',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ count: 1.5 })).save(),
  },
  {
    name: 'a list property given a string',
    rule: 'P-11',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ tags: 'a' })).save(),
  },
  {
    name: 'a list of strings holding a number',
    rule: 'P-11',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ tags: ['a', 2] })).save(),
  },
  {
    name: 'a uniqueItems list (a set) holding a duplicate',
    rule: 'P-12',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ unique: ['a', 'a'] })).save(),
  },
  {
    name: 'a binary property given a number',
    rule: 'P-11',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ blob: 7 })).save(),
  },
  {
    name: 'a map of strings holding a boolean',
    rule: 'P-11',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ meta: { on: true } })).save(),
  },
  {
    name: 'update set of a wrong type',
    rule: 'P-36',
    ...validation,
    attempt: ({ Thing }) => Thing.update('seed', { set: { count: 'many' } }),
  },
  {
    name: 'update add to a string property',
    rule: 'P-36',
    ...validation,
    attempt: ({ Thing }) => Thing.update('seed', { add: { label: 1 } }),
  },
  {
    name: 'update append to a number property',
    rule: 'P-36',
    ...validation,
    attempt: ({ Thing }) => Thing.update('seed', { append: { count: [1] } }),
  },
  {
    name: 'update remove of a key attribute',
    rule: 'P-37',
    ...invalidRequest,
    attempt: ({ Pair }) => Pair.update({ p: 'a', s: 1 }, { remove: ['s'] }),
  },
  // Keys: missing, of the wrong type, empty.
  {
    name: 'save without the partition key',
    rule: 'P-12',
    ...validation,
    attempt: ({ Thing }) => new Thing({ label: 'no key' }).save(),
  },
  {
    name: 'save of a composite key without its sort key',
    rule: 'P-12',
    ...validation,
    attempt: ({ Pair }) => new Pair({ p: 'a', note: 'no sort' }).save(),
  },
  {
    name: 'get with a composite key missing its sort key',
    rule: 'P-7',
    ...invalidKey,
    attempt: ({ Pair }) => Pair.get({ p: 'a' }),
  },
  {
    name: 'delete with an extra key attribute',
    rule: 'P-7',
    ...invalidKey,
    attempt: ({ Pair }) => Pair.delete({ p: 'a', s: 1, note: 'n1' }),
  },
  {
    name: 'delete with a number for a string partition key',
    rule: 'P-7',
    ...invalidKey,
    attempt: ({ Thing }) => Thing.delete(5 as unknown as string),
  },
  {
    name: 'update with a string for a number sort key',
    rule: 'P-7',
    ...invalidKey,
    attempt: ({ Pair }) => Pair.update({ p: 'a', s: '1' }, { set: { note: 'x' } }),
  },
  {
    name: 'save with a string for a number sort key',
    rule: 'P-11',
    ...validation,
    attempt: ({ Pair }) => new Pair({ p: 'a', s: '1', note: 'x' }).save(),
  },
  {
    name: 'delete with an integer beyond 2^53 as a number sort key',
    rule: 'P-7',
    ...invalidKey,
    attempt: ({ Pair }) => Pair.delete({ p: 'a', s: 2 ** 53 + 2 }),
  },
  {
    name: 'save with an empty-string partition key',
    rule: 'P-84',
    ...validation,
    attempt: ({ Thing }) => new Thing({ id: '', label: 'empty' }).save(),
  },
  {
    name: 'delete with an empty-string partition key',
    rule: 'P-84',
    ...invalidKey,
    attempt: ({ Thing }) => Thing.delete(''),
  },
  {
    name: 'save with a partition key over 2048 bytes',
    rule: 'P-84',
    ...validation,
    attempt: ({ Thing }) => new Thing({ id: 'é'.repeat(1025) }).save(),
  },
  {
    name: 'update of a key attribute',
    rule: 'P-37',
    ...invalidRequest,
    attempt: ({ Pair }) => Pair.update({ p: 'a', s: 1 }, { set: { s: 9 } }),
  },
  // Numbers that cannot be stored exactly.
  {
    name: 'NaN',
    rule: 'P-13',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ score: Number.NaN })).save(),
  },
  {
    name: 'Infinity',
    rule: 'P-13',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ score: Number.POSITIVE_INFINITY })).save(),
  },
  {
    name: '-Infinity in an update',
    rule: 'P-13',
    ...validation,
    attempt: ({ Thing }) => Thing.update('seed', { set: { score: Number.NEGATIVE_INFINITY } }),
  },
  {
    name: '-0',
    rule: 'P-13',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ score: -0 })).save(),
  },
  {
    name: 'an integer beyond 2^53 given as a number',
    rule: 'P-13',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ big: 2 ** 53 + 2 })).save(),
  },
  {
    name: 'a bigint of more than 38 digits',
    rule: 'P-13',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ big: 10n ** 40n })).save(),
  },
  {
    name: 'a magnitude below 1e-130',
    rule: 'P-13',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ score: 1e-131 })).save(),
  },
  {
    name: 'update add of NaN',
    rule: 'P-36',
    ...validation,
    attempt: ({ Thing }) => Thing.update('seed', { add: { count: Number.NaN } }),
  },
  // Strings that are not Unicode.
  {
    name: 'a lone high surrogate in a string',
    rule: 'P-14',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ label: 'a\uD800b' })).save(),
  },
  {
    name: 'a lone low surrogate in a list item',
    rule: 'P-14',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ tags: ['\uDC00'] })).save(),
  },
  {
    name: 'a lone surrogate in a map key',
    rule: 'P-14',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ meta: { '\uD800': 'x' } })).save(),
  },
  {
    name: 'a lone surrogate in a key value, on read',
    rule: 'P-7',
    ...invalidKey,
    attempt: ({ Thing }) => Thing.delete('\uD800'),
  },
  // Size and depth.
  {
    name: 'an item over 400 KB',
    rule: 'P-15',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ label: 'x'.repeat(410 * 1024) })).save(),
  },
  {
    name: 'nesting deeper than 32 levels',
    rule: 'depth-32',
    ...validation,
    attempt: ({ Thing }) => new Thing(overSeed({ free: nested(40) })).save(),
  },
  // Unknown properties.
  {
    name: 'an unknown property with additionalProperties false',
    rule: 'P-11',
    ...validation,
    attempt: ({ Strict }) => new Strict({ id: 'strict', label: 'changed', extra: 1 }).save(),
  },
  {
    name: 'update set of an unknown property with additionalProperties false',
    rule: 'P-36',
    ...validation,
    attempt: ({ Strict }) => Strict.update('strict', { set: { extra: 1 } }),
  },
  {
    name: 'an update with an unknown kind of change',
    rule: 'P-37',
    ...invalidRequest,
    attempt: ({ Thing }) => Thing.update('seed', { rename: { label: 'x' } } as never),
  },
  {
    name: 'an update with no change',
    rule: 'P-37',
    ...invalidRequest,
    attempt: ({ Thing }) => Thing.update('seed', {}),
  },
  {
    name: 'an update changing one attribute twice',
    rule: 'P-37',
    ...invalidRequest,
    attempt: ({ Thing }) => Thing.update('seed', { set: { count: 2 }, add: { count: 1 } }),
  },
  {
    name: 'an update of the version attribute',
    rule: 'P-37',
    ...invalidRequest,
    attempt: ({ Versioned }) => Versioned.update('v', { set: { revision: 9 } }),
  },
  // Cursors.
  {
    name: 'a tampered cursor (one character changed)',
    rule: 'P-56',
    ...invalidCursor,
    attempt: async (context) => {
      const cursor = await firstCursor(context);
      const flipped = `${cursor[0] === 'A' ? 'B' : 'A'}${cursor.slice(1)}`;
      return context.Pair.query({ partition: 'a', cursor: flipped });
    },
  },
  {
    name: 'a truncated cursor',
    rule: 'P-56',
    ...invalidCursor,
    attempt: async (context) =>
      context.Pair.query({ partition: 'a', cursor: (await firstCursor(context)).slice(0, -3) }),
  },
  {
    name: 'a cursor that is not a cursor at all',
    rule: 'P-56',
    ...invalidCursor,
    attempt: ({ Pair }) => Pair.query({ partition: 'a', cursor: '{"p":"a","s":1}' }),
  },
  {
    name: 'a cursor of another partition',
    rule: 'P-56',
    ...invalidCursor,
    attempt: async (context) =>
      context.Pair.query({ partition: 'b', cursor: await firstCursor(context) }),
  },
  {
    name: 'a query cursor given to a scan',
    rule: 'P-56',
    ...invalidCursor,
    attempt: async (context) => context.Pair.scan({ cursor: await firstCursor(context) }),
  },
  {
    name: 'a cursor of another table',
    rule: 'P-56',
    ...invalidCursor,
    attempt: async (context) => context.Thing.scan({ cursor: await firstCursor(context) }),
  },
  {
    name: 'a cursor signed with another cursorSecret (foreign)',
    rule: 'P-56',
    ...invalidCursor,
    attempt: async (context) => {
      const cursor = await firstCursor(context);
      const other = await context.reopen({
        cursorSecret: 'another secret, of the 32 characters a key needs at least',
      });
      return other.persistent('Pair').query({ partition: 'a', cursor });
    },
  },
  // Queries.
  {
    name: 'a query limit of 0',
    rule: 'P-52',
    ...invalidRequest,
    attempt: ({ Pair }) => Pair.query({ partition: 'a', limit: 0 }),
  },
  {
    name: 'a fractional query limit',
    rule: 'P-52',
    ...invalidRequest,
    attempt: ({ Pair }) => Pair.query({ partition: 'a', limit: 1.5 }),
  },
  {
    name: 'a query of an unknown index',
    rule: 'P-52',
    ...invalidRequest,
    attempt: ({ Pair }) => Pair.query({ partition: 'a', index: 'nope' }),
  },
  {
    name: 'a query sort condition of the wrong type',
    rule: 'P-52',
    ...invalidRequest,
    attempt: ({ Pair }) => Pair.query({ partition: 'a', sort: { gt: 'x' } }),
  },
  {
    name: 'a query sort between with its bounds reversed',
    rule: 'P-52',
    ...invalidRequest,
    attempt: ({ Pair }) => Pair.query({ partition: 'a', sort: { between: [3, 1] } }),
  },
  {
    name: 'a query filter naming a key attribute',
    rule: 'P-52',
    ...invalidRequest,
    attempt: ({ Pair }) => Pair.query({ partition: 'a', filter: { attr: 's', eq: 1 } }),
  },
  {
    name: 'a query partition value of the wrong type',
    rule: 'P-52',
    ...invalidRequest,
    attempt: ({ Pair }) => Pair.query({ partition: 1 }),
  },
  // Batches.
  {
    name: 'duplicate keys inside one saveMany',
    rule: 'P-64',
    ...invalidRequest,
    attempt: ({ Pair }) =>
      Pair.saveMany([
        { p: 'c', s: 1, note: 'first' },
        { p: 'c', s: 1, note: 'second' },
      ]),
  },
  {
    name: 'duplicate keys inside one deleteMany',
    rule: 'P-64',
    ...invalidRequest,
    attempt: ({ Pair }) =>
      Pair.deleteMany([
        { p: 'a', s: 1 },
        { p: 'a', s: 1 },
      ]),
  },
  {
    name: 'one invalid item among 30 in a saveMany (nothing of the other 29 written)',
    rule: 'P-64',
    ...validation,
    attempt: ({ Pair }) =>
      Pair.saveMany(
        Array.from({ length: 30 }, (_, index) => ({
          p: 'c',
          s: index,
          note: index === 27 ? 5 : 'x',
        })),
      ),
  },
  {
    name: 'one invalid key among 30 in a deleteMany (nothing deleted)',
    rule: 'P-7',
    ...invalidKey,
    attempt: ({ Pair }) =>
      Pair.deleteMany([
        ...[1, 2, 3, 4].map((s) => ({ p: 'a', s })),
        ...Array.from({ length: 25 }, (_, index) => ({ p: 'z', s: index })),
        { p: 'a', s: 'x' },
      ]),
  },
  {
    name: 'saveMany of a versioned model',
    rule: 'P-64',
    ...invalidRequest,
    attempt: ({ Versioned }) => Versioned.saveMany([{ id: 'v', balance: 0 }]),
  },
  {
    name: 'saveMany of something that is not a list',
    rule: 'P-64',
    ...invalidRequest,
    attempt: ({ Pair }) => Pair.saveMany({ p: 'a', s: 1 } as never),
  },
  // Conditions.
  {
    name: 'a condition with an unknown operator',
    rule: 'P-79',
    ...invalidRequest,
    attempt: ({ Thing }) =>
      new Thing(overSeed({})).save({ condition: { attr: 'count', like: 1 } as never }),
  },
  {
    name: 'a condition with two operators in one comparison',
    rule: 'P-79',
    ...invalidRequest,
    attempt: ({ Thing }) =>
      Thing.delete('seed', { condition: { attr: 'count', eq: 1, ne: 2 } as never }),
  },
  // Transactions without an engine that has them.
  {
    name: 'a transaction on an engine without transactions',
    rule: 'P-72',
    error: UnsupportedOperationError,
    code: 'NOT_SUPPORTED',
    attempt: ({ api, Thing }) =>
      api.transaction((transaction) => transaction.update(Thing, 'seed', { set: { count: 9 } })),
  },
  // Specs.
  {
    name: 'x-persist naming a key that is not a property',
    rule: 'spec',
    ...specInvalid,
    attempt: loadSpecWith((schemas) => {
      schemas.Thing!['x-persist'] = { table: 'things', key: 'missing' };
    }),
  },
  {
    name: 'x-persist of the wrong shape (a number)',
    rule: 'spec',
    ...specInvalid,
    attempt: loadSpecWith((schemas) => {
      schemas.Thing!['x-persist'] = 42;
    }),
  },
  {
    name: 'x-persist with an unknown field',
    rule: 'spec',
    ...specInvalid,
    attempt: loadSpecWith((schemas) => {
      schemas.Thing!['x-persist'] = { table: 'things', key: 'id', sortKey: 'label' };
    }),
  },
  {
    name: 'x-persist keyed on a list property',
    rule: 'spec',
    ...specInvalid,
    attempt: loadSpecWith((schemas) => {
      schemas.Thing!['x-persist'] = { table: 'things', key: 'tags' };
    }),
  },
  {
    name: 'a broken $ref',
    rule: 'spec',
    ...specInvalid,
    attempt: loadSpecWith((schemas) => {
      (schemas.Thing!.properties as Record<string, unknown>).label = {
        $ref: '#/components/schemas/Nowhere',
      };
    }),
  },
];
