import { describe, expect, it } from 'vitest';
import { openapi30, openapi31, problemKeys, thrown } from '../../test/support/specs.js';
import { ValidationError } from '../errors/validation-error.js';
import { loadApi } from '../index.js';
import { belongsToModel, fromStoredItem, toStoredItem } from './stored-form.js';

const shared = (properties: Record<string, unknown>, additionalProperties?: false) => ({
  type: 'object',
  required: ['pk'],
  properties: { pk: { type: 'string' }, ...properties },
  ...(additionalProperties === false ? { additionalProperties } : {}),
  'x-persist': { table: 'pets', key: 'pk', discriminator: 'kind' },
});

const api = await loadApi(
  openapi30({
    Note: {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string' },
        body: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        count: { type: 'integer', minimum: 0 },
      },
      'x-persist': { table: 'notes', key: 'id' },
    },
    Cat: shared({ lives: { type: 'integer' } }),
    Dog: shared({ bark: { type: 'string' } }, false),
    Fox: shared({ kind: { type: 'string' } }),
  }),
);
const note = api.persistent('Note').descriptor;
const cat = api.persistent('Cat').descriptor;
const dog = api.persistent('Dog').descriptor;
const fox = api.persistent('Fox').descriptor;
const limit = 400 * 1024;

describe('toStoredItem', () => {
  it('[P-16] is the own properties as plain attributes, undefined ones absent', () => {
    expect(toStoredItem(note, { id: 'n', body: 'hi', tags: undefined }, limit)).toStrictEqual({
      id: 'n',
      body: 'hi',
    });
  });

  it('[P-74] copies the object, so later changes do not reach the item', () => {
    const object = { id: 'n', tags: ['a'] };
    const item = toStoredItem(note, object, limit);
    object.tags.push('b');
    expect(item.tags).toEqual(['a']);
  });

  it('[P-11] throws ValidationError with every problem before anything is written', () => {
    const error = thrown(() => toStoredItem(note, { body: 3, count: -1 }, limit));
    expect(error).toBeInstanceOf(ValidationError);
    expect(problemKeys((error as ValidationError).problems)).toEqual([
      { pointer: '/body', keyword: 'type' },
      { pointer: '/count', keyword: 'minimum' },
      { pointer: '/id', keyword: 'required' },
    ]);
  });

  it('[P-15] refuses an item above the size limit, at pointer "" with keyword maxItemBytes', () => {
    const item = { id: 'n', body: 'x'.repeat(100) };
    const size = 2 + 1 + 4 + 100;
    expect(toStoredItem(note, item, size)).toEqual(item);
    const error = thrown(() => toStoredItem(note, item, size - 1));
    expect(error).toBeInstanceOf(ValidationError);
    expect(problemKeys((error as ValidationError).problems)).toEqual([
      { pointer: '', keyword: 'maxItemBytes' },
    ]);
  });

  it('[P-76] adds the discriminator attribute with the model name', () => {
    expect(toStoredItem(cat, { pk: 'c1', lives: 9 }, limit)).toEqual({
      pk: 'c1',
      lives: 9,
      kind: 'Cat',
    });
  });

  it('[P-76] refuses a declared discriminator the object sets to another value, never losing it', () => {
    expect(toStoredItem(fox, { pk: 'f1' }, limit)).toEqual({ pk: 'f1', kind: 'Fox' });
    expect(toStoredItem(fox, { pk: 'f1', kind: 'Fox' }, limit)).toEqual({ pk: 'f1', kind: 'Fox' });
    const error = thrown(() => toStoredItem(fox, { pk: 'f1', kind: 'arctic' }, limit));
    expect(error).toBeInstanceOf(ValidationError);
    expect(problemKeys((error as ValidationError).problems)).toEqual([
      { pointer: '/kind', keyword: 'discriminator' },
    ]);
  });

  it('[P-76] lets a schema with additionalProperties: false share a table', () => {
    expect(toStoredItem(dog, { pk: 'd1', bark: 'woof' }, limit)).toEqual({
      pk: 'd1',
      bark: 'woof',
      kind: 'Dog',
    });
  });
});

describe('fromStoredItem and belongsToModel', () => {
  it('[P-76] drops the discriminator, which is not a model property', () => {
    expect(fromStoredItem(cat, { pk: 'c1', lives: 9, kind: 'Cat' })).toEqual({
      values: { pk: 'c1', lives: 9 },
      undeclared: undefined,
    });
  });

  it('[P-10] keeps attributes the schema does not declare', () => {
    expect(fromStoredItem(note, { id: 'n', legacy: true })).toEqual({
      values: { id: 'n', legacy: true },
      undeclared: undefined,
    });
  });

  it('[P-91] sets aside what a closed schema does not declare, dropping the discriminator', () => {
    expect(fromStoredItem(dog, { pk: 'd1', bark: 'woof', kind: 'Dog', legacy: 1 })).toEqual({
      values: { pk: 'd1', bark: 'woof' },
      undeclared: { legacy: 1 },
    });
  });

  it('[P-91] sets aside what nothing could evaluate under unevaluatedProperties: false (3.1)', async () => {
    const closed = await loadApi(
      openapi31({
        Thing: {
          allOf: [{ type: 'object', properties: { id: { type: 'string' } } }],
          anyOf: [{ properties: { card: { type: 'string' } } }, {}],
          required: ['id'],
          unevaluatedProperties: false,
          'x-persist': { table: 'things', key: 'id' },
        },
      }),
    );
    const thing = closed.persistent('Thing').descriptor;
    // card may be evaluated (the anyOf member that declares it matches): a value, checked on save.
    expect(fromStoredItem(thing, { id: 't', card: 'c', legacy: 1 })).toEqual({
      values: { id: 't', card: 'c' },
      undeclared: { legacy: 1 },
    });
  });

  it('[P-91] sets aside, under additionalProperties: false, what only then or else declares, as validation refuses it', async () => {
    const closed = await loadApi(
      openapi31({
        Thing: {
          type: 'object',
          allOf: [{ properties: { id: { type: 'string' } } }],
          if: { required: ['id'] },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's keyword, never awaited
          then: { properties: { card: { type: 'string' } } },
          required: ['id'],
          additionalProperties: false,
          'x-persist': { table: 'things', key: 'id' },
        },
      }),
    );
    const Thing = closed.persistent('Thing');
    expect(new Thing({ id: 't', card: 'c' } as never).validate()).toMatchObject([
      { pointer: '/card', keyword: 'additionalProperties' },
    ]);
    expect(fromStoredItem(Thing.descriptor, { id: 't', card: 'c' })).toEqual({
      values: { id: 't' },
      undeclared: { card: 'c' },
    });
  });

  it('[P-91] sets aside what a closed schema in the model’s allOf refuses (the 3.0 wrapper idiom)', async () => {
    const wrapped = await loadApi(
      openapi30({
        Closed: {
          type: 'object',
          properties: { id: { type: 'string' }, name: { type: 'string' } },
          additionalProperties: false,
        },
        Thing: {
          allOf: [{ $ref: '#/components/schemas/Closed' }],
          description: 'a thing',
          required: ['id'],
          'x-persist': { table: 'things', key: 'id' },
        },
      }),
    );
    expect(fromStoredItem(wrapped.persistent('Thing').descriptor, { id: 't', legacy: 1 })).toEqual({
      values: { id: 't' },
      undeclared: { legacy: 1 },
    });
  });

  it('[P-91] sets aside, under a oneOf or anyOf of closed members, what every member the item may be of refuses', async () => {
    const closed = (kind: string, properties: Record<string, unknown>) => ({
      type: 'object',
      required: ['id', 'kind'],
      properties: { id: { type: 'string' }, kind: { type: 'string', enum: [kind] }, ...properties },
      additionalProperties: false,
    });
    const persisted = (table: string, union: Record<string, unknown>) => ({
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string' } },
      'x-persist': { table, key: 'id' },
      ...union,
    });
    const refs = [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }];
    const unions = await loadApi(
      openapi30({
        Cat: closed('cat', { meow: { type: 'boolean' } }),
        Dog: closed('dog', { bark: { type: 'integer' } }),
        Open: { type: 'object', properties: { id: { type: 'string' } } },
        Pet: persisted('pets', { oneOf: refs }),
        Tagged: persisted('tagged', {
          oneOf: refs,
          discriminator: {
            propertyName: 'kind',
            mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' },
          },
        }),
        Either: persisted('either', { anyOf: [...refs, { $ref: '#/components/schemas/Open' }] }),
        Union: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string' } },
          oneOf: refs,
        },
        // The 3.0 wrapper idiom: the union behind an allOf of one part.
        Wrapped: {
          allOf: [{ $ref: '#/components/schemas/Union' }],
          description: 'a pet',
          'x-persist': { table: 'wrapped', key: 'id' },
        },
      }),
    );
    const pet = unions.persistent('Pet');
    // `bark` is Dog's, but the item is a cat: Cat, the one member it may be of, refuses it.
    for (const model of [
      pet.descriptor,
      unions.persistent('Tagged').descriptor,
      unions.persistent('Wrapped').descriptor,
    ])
      expect(
        fromStoredItem(model, { id: 'p', kind: 'cat', meow: true, bark: 1, old: 'x' }),
      ).toEqual({
        values: { id: 'p', kind: 'cat', meow: true },
        undeclared: { bark: 1, old: 'x' },
      });
    expect(new pet({ id: 'p', kind: 'cat', meow: true } as never).validate()).toEqual([]);
    // A member that is open takes anything: nothing is refused by every member.
    expect(
      fromStoredItem(unions.persistent('Either').descriptor, { id: 'p', kind: 'cat', old: 'x' }),
    ).toEqual({ values: { id: 'p', kind: 'cat', old: 'x' }, undeclared: undefined });
    // No member the item may be of (no kind): nothing is set aside, validation judges it.
    expect(fromStoredItem(pet.descriptor, { id: 'p', old: 'x' })).toEqual({
      values: { id: 'p', old: 'x' },
      undeclared: undefined,
    });
  });

  it('[P-91] tells the members of a union apart without the shared table’s discriminator, which the object never holds', async () => {
    const closed = (properties: Record<string, unknown>) => ({
      type: 'object',
      properties: { id: { type: 'string' }, ...properties },
      additionalProperties: false,
    });
    const persisted = (union: Record<string, unknown>) => ({
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string' } },
      'x-persist': { table: 'animals', key: 'id', discriminator: 'kind' },
      ...union,
    });
    const sharing = await loadApi(
      openapi30({
        // Cat's own `kind` tag would be contradicted by the table's `kind: 'Pet'`.
        Cat: closed({ kind: { type: 'string', enum: ['cat'] }, meow: { type: 'boolean' } }),
        Bird: closed({ wings: { type: 'integer' } }),
        Pet: persisted({
          oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Bird' }],
        }),
        Toy: persisted({}),
      }),
    );
    const Pet = sharing.persistent('Pet');
    expect(new Pet({ id: 'p', meow: true } as never).validate()).toEqual([]);
    expect(fromStoredItem(Pet.descriptor, { id: 'p', meow: true, kind: 'Pet', old: 1 })).toEqual({
      values: { id: 'p', meow: true },
      undeclared: { old: 1 },
    });
  });

  it('[P-77] tells the own model’s items from another model’s', () => {
    expect(belongsToModel(cat, { pk: 'c1', kind: 'Cat' })).toBe(true);
    expect(belongsToModel(cat, { pk: 'd1', kind: 'Dog' })).toBe(false);
    expect(belongsToModel(cat, { pk: 'x1' })).toBe(false);
    expect(belongsToModel(note, { id: 'n' })).toBe(true);
  });
});
