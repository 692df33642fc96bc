import { describe, expect, it } from 'vitest';
import { openapi30, openapi31, rejection, thrown } from '../../test/support/specs.js';
import { SpecError } from '../errors/spec-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { loadApi } from '../index.js';
import { numberBounds } from '../persist/add-bounds.js';
import { toStoredItem } from '../persist/stored-form.js';
import { toUpdateOperations } from '../persist/update-changes.js';
import { guardsOfAdd, guardsOfAppend } from '../persist/update-guards.js';
import { propertySchema } from './copy-value.js';

// A property written as the 3.0 wrapper of a $ref, or as 3.1's $ref beside a description.
const wrapped30 = (name: string) => ({
  allOf: [{ $ref: `#/components/schemas/${name}` }],
  description: `a ${name}`,
});
const wrapped31 = (name: string) => ({
  $ref: `#/components/schemas/${name}`,
  description: `a ${name}`,
});

const targets = {
  Count: { type: 'integer', minimum: 0, maximum: 10, multipleOf: 1 },
  Tags: { type: 'array', items: { type: 'string' }, maxItems: 2, uniqueItems: true },
  BigId: { type: 'integer', format: 'int64' },
  Blob: { type: 'string', format: 'binary' },
  Place: { type: 'object', properties: { city: { type: 'string' } } },
  FishKind: { type: 'string', enum: ['fish'] },
};

for (const [form, wrap, document] of [
  ['allOf: [{ $ref }] (3.0)', wrapped30, openapi30],
  ['$ref beside a description (3.1)', wrapped31, openapi31],
] as const) {
  describe(`a property written as ${form} reads as the $ref it wraps`, async () => {
    const api = await loadApi(
      document({
        ...targets,
        Fish: {
          type: 'object',
          required: ['id', 'sk'],
          'x-persist': { table: 'animals', key: 'id', sort: 'sk', discriminator: 'kind' },
          properties: {
            id: { type: 'string' },
            sk: wrap('Blob'),
            kind: wrap('FishKind'),
            count: wrap('Count'),
            tags: wrap('Tags'),
            big: wrap('BigId'),
            data: wrap('Blob'),
            place: wrap('Place'),
          },
        },
        Bird: {
          type: 'object',
          required: ['id', 'sk'],
          'x-persist': { table: 'animals', key: 'id', sort: 'sk', discriminator: 'kind' },
          properties: { id: { type: 'string' }, sk: wrap('Blob') },
        },
      }),
    );
    const Fish = api.persistent('Fish');
    const model = Fish.descriptor;

    it('its key type (bytes) and its discriminator value (the enum its target allows)', () => {
      expect(model.table.sortKey).toMatchObject({ name: 'sk', type: 'binary' });
      expect(model.discriminatorValue).toBe('fish');
      const item = toStoredItem(model, { id: 'a', sk: new Uint8Array([1]) }, 400 * 1024);
      expect(item).toEqual({ id: 'a', sk: new Uint8Array([1]), kind: 'fish' });
    });

    it('int64 and bytes come back from toJSON() through fromJSON()', () => {
      const fish = new Fish({
        id: 'a',
        sk: new Uint8Array([1]),
        big: 2n ** 60n + 1n,
        data: new Uint8Array([0, 255]),
      });
      const json = JSON.parse(JSON.stringify(fish));
      expect(json).toMatchObject({ big: '1152921504606846977', data: 'AP8=' });
      expect(Fish.fromJSON(json)).toEqual(fish);
    });

    it('a NULL its target does not allow is left out of the object, as for a plain $ref', () => {
      const fish = new Fish({ id: 'a', sk: new Uint8Array([1]), place: null } as never);
      expect(Object.hasOwn(fish, 'place')).toBe(false);
      expect(fish.validate()).toEqual([]);
    });

    it("update() keeps its target's bounds, multipleOf, maxItems and uniqueItems", () => {
      const count = propertySchema(model.schema, 'count')!;
      expect(numberBounds(count).map((bound) => bound.keyword)).toEqual(['minimum', 'maximum']);
      expect(guardsOfAdd('count', 0.5, count)).toMatchObject([{ keyword: 'multipleOf' }]);
      const tags = propertySchema(model.schema, 'tags')!;
      expect(guardsOfAppend('tags', ['a'], tags).map((guard) => guard.keyword)).toEqual([
        'maxItems',
        'uniqueItems',
      ]);
    });
  });
}

describe('allOf parts beside a wrapper', () => {
  it('every part narrows the range, the items and the nulls: the tightest bound of each side, the least maxItems', async () => {
    const api = await loadApi(
      openapi30({
        Count: { type: 'integer', minimum: 0, maximum: 10 },
        T: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'things', key: 'id' },
          properties: {
            id: { type: 'string' },
            narrowed: { allOf: [{ $ref: '#/components/schemas/Count' }, { maximum: 5 }] },
            short: {
              allOf: [{ type: 'array', maxItems: 4 }, { maxItems: 2 }, { uniqueItems: true }],
            },
            // nullable beside the wrapper (3.0's idiom for a nullable reference) allows null.
            maybe: { allOf: [{ $ref: '#/components/schemas/Count' }], nullable: true },
          },
        },
      }),
    );
    const model = api.persistent('T').descriptor;
    const narrowed = numberBounds(propertySchema(model.schema, 'narrowed'));
    expect(narrowed.map((bound) => [bound.keyword, bound.value])).toEqual([
      ['minimum', 0],
      ['maximum', 5],
    ]);
    const short = propertySchema(model.schema, 'short')!;
    expect(guardsOfAppend('short', ['a'], short)).toMatchObject([
      { keyword: 'maxItems', condition: { attr: ['short', 1], exists: false } },
      { keyword: 'uniqueItems' },
    ]);
    const T = api.persistent('T');
    expect(new T({ id: 'a', maybe: null } as never)).toEqual({ id: 'a', maybe: null });
    expect(() => toStoredItem(model, { id: 'a', narrowed: 7 }, 400 * 1024)).toThrow(
      ValidationError,
    );
  });
});

describe('a property whose allOf parts say integer and number', () => {
  it('is an integer, whatever the order of its parts: a version, and update() refuses a fraction', async () => {
    for (const parts of [
      [{ type: 'integer' }, { $ref: '#/components/schemas/Percentage' }],
      [{ $ref: '#/components/schemas/Percentage' }, { type: 'integer' }],
    ]) {
      const api = await loadApi(
        openapi30({
          Percentage: { type: 'number', minimum: 0, maximum: 100 },
          T: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'things', key: 'id', version: 'revision' },
            properties: {
              id: { type: 'string' },
              revision: { allOf: parts },
              score: { allOf: parts },
            },
          },
        }),
      );
      const model = api.persistent('T').descriptor;
      const error = thrown(() => toUpdateOperations(model, { add: { score: 0.5 } } as never));
      expect(error).toBeInstanceOf(ValidationError);
    }
  });
});

describe('a key written as a wrapper', () => {
  it('is refused when what it wraps allows null, or it says nullable, as a nullable key is', async () => {
    for (const id of [
      { allOf: [{ $ref: '#/components/schemas/MaybeText' }], description: 'the id' },
      { allOf: [{ $ref: '#/components/schemas/Text' }], nullable: true },
    ]) {
      const error = await rejection(
        loadApi(
          openapi30({
            Text: { type: 'string' },
            MaybeText: { type: 'string', nullable: true },
            P: {
              type: 'object',
              required: ['id'],
              'x-persist': { table: 'parts', key: 'id' },
              properties: { id },
            },
          }),
        ),
      );
      expect((error as SpecError).problems.map((problem) => problem.message)).toEqual([
        'key property "id" must not be nullable',
      ]);
    }
  });
});

describe('allOf cycles in a persistent schema', () => {
  it('are a SpecError, when the spec loads or when the model is used, never a stack overflow: the model itself, or its key through two schemas', async () => {
    for (const schemas of [
      {
        P: {
          allOf: [
            { $ref: '#/components/schemas/P' },
            { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
          ],
          'x-persist': { table: 'parts', key: 'id' },
        },
      },
      {
        A: { allOf: [{ $ref: '#/components/schemas/B' }] },
        B: { allOf: [{ $ref: '#/components/schemas/A' }] },
        P: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'parts', key: 'id' },
          properties: { id: { $ref: '#/components/schemas/A' } },
        },
      },
    ]) {
      const error = await loadApi(openapi30(schemas)).then(
        (api) => thrown(() => api.validate('P', { id: 'a' })),
        (refused: unknown) => refused,
      );
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).message).not.toContain('table names');
    }
  });
});
