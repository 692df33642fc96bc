import { InvalidRequestError, loadApi, type MacaronError, ValidationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

// A table `things` keyed by `id`; the current spec has an index byG on a string `g`, the older
// one (still running during a rolling deploy) neither the index nor a type for `g`.
function spec(withIndex: boolean) {
  return {
    openapi: '3.0.3',
    info: { title: 'index keys', version: '1' },
    paths: {},
    components: {
      schemas: {
        Thing: {
          type: 'object',
          required: ['id'],
          'x-persist': {
            table: 'things',
            key: 'id',
            ...(withIndex ? { indexes: { byG: { key: 'g' } } } : {}),
          },
          properties: { id: { type: 'string' }, g: withIndex ? { type: 'string' } : {} },
        },
      },
    },
  };
}

async function deployed() {
  const backend = createMemoryBackend();
  const current = await loadApi(spec(true), { backend });
  await backend.ensureTables(current.tables());
  const older = await loadApi(spec(false), { backend });
  return {
    backend,
    Current: current.persistent<Record<string, unknown>>('Thing'),
    Older: older.persistent<Record<string, unknown>>('Thing'),
  };
}

const refusal = (attempt: () => Promise<unknown>) =>
  attempt().then(
    () => undefined,
    (caught: unknown) => caught as MacaronError,
  );

describe('[P-84] the key values of an index the table has', () => {
  it('are checked on every write of a spec that does not declare the index, as DynamoDB refuses them: InvalidRequestError naming the attribute and the index, nothing written', async () => {
    const { backend, Current, Older } = await deployed();
    const model = Older.descriptor;
    const long = 'x'.repeat(2049);
    for (const [id, attempt] of [
      ['x', () => Older.create({ id: 'x', g: 7 })],
      ['y', () => Older.create({ id: 'y', g: '' })],
      ['l', () => Older.create({ id: 'l', g: long })],
      ['m', () => Older.saveMany([{ id: 'm', g: true }])],
      ['b', () => backend.batchWrite([{ model, put: { id: 'b', g: 7 } }])],
      ['t', () => backend.transactWrite([{ kind: 'put', model, item: { id: 't', g: 7 } }])],
      [
        'u',
        () =>
          backend.updateItem({
            model,
            key: { id: 'u' },
            operations: [{ action: 'set', path: ['g'], value: 7 }],
          }),
      ],
    ] as const) {
      const error = await refusal(attempt);
      expect(error, id).toBeInstanceOf(InvalidRequestError);
      expect(error?.code).toBe('INVALID_REQUEST');
      expect(error?.message).toContain("the item's g ");
      expect(error?.message).toContain('index byG');
      expect(error?.message).toContain('(an index the spec does not declare)');
      expect(backend.readItem('things', { id }), id).toBeUndefined();
    }
    // A value the index takes, or none (the item is left out of the index), is written.
    await Older.create({ id: 'ok', g: 'text' });
    await Older.create({ id: 'none' });
    expect((await Current.query({ index: 'byG', partition: 'text' })).items).toEqual([
      { id: 'ok', g: 'text' },
    ]);
    expect(backend.readItem('things', { id: 'none' })).toEqual({ id: 'none' });
  });

  it('name the attribute escaped (P-88): the newer spec named it, with any character', async () => {
    const attribute = 'g\u202e\nx';
    const named = (withIndex: boolean) => ({
      openapi: '3.0.3',
      info: { title: 'index key names', version: '1' },
      paths: {},
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: ['id'],
            'x-persist': {
              table: 'things',
              key: 'id',
              ...(withIndex ? { indexes: { byG: { key: attribute } } } : {}),
            },
            properties: {
              id: { type: 'string' },
              [attribute]: withIndex ? { type: 'string' } : {},
            },
          },
        },
      },
    });
    const backend = createMemoryBackend();
    const current = await loadApi(named(true), { backend });
    await backend.ensureTables(current.tables());
    const older = await loadApi(named(false), { backend });
    const Older = older.persistent<Record<string, unknown>>('Thing');
    for (const attempt of [
      () => Older.create({ id: 'x', [attribute]: 7 }),
      () =>
        backend.updateItem({
          model: Older.descriptor,
          key: { id: 'u' },
          operations: [{ action: 'set', path: [attribute], value: 7 }],
        }),
    ]) {
      const error = await refusal(attempt);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error?.message).toContain('index byG');
      expect(error?.message).not.toMatch(/[\n\u202e]/u);
      expect(error?.message).toContain('"g\\u202e\\nx"');
    }
  });

  it('set by updateItem (alone or in a transaction) are checked against the indexes the spec declares too, as DynamoDB refuses them', async () => {
    const { backend, Current } = await deployed();
    const model = Current.descriptor;
    const set = (id: string, value: unknown) => ({
      model,
      key: { id },
      operations: [{ action: 'set' as const, path: ['g'], value: value as string }],
    });
    // Refused before anything is read (core's checkUpdatePaths), as on every backend.
    const mistyped = await refusal(() => backend.updateItem(set('n', 5)));
    expect(mistyped).toBeInstanceOf(InvalidRequestError);
    expect(mistyped?.message).toContain('The value of set g ');
    const empty = await refusal(() => backend.updateItem(set('e', '')));
    expect(empty).toBeInstanceOf(InvalidRequestError);
    expect(empty?.message).toContain('The value of set g ');
    // In a transaction, DynamoDB cancels it as invalid: nothing of it is applied.
    for (const value of [5, '']) {
      const error = await refusal(() =>
        backend.transactWrite([
          { kind: 'put', model, item: { id: 'other', g: 'fine' } },
          { kind: 'update', ...set('t', value) },
        ]),
      );
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error?.message).toContain('The value of set g ');
    }
    for (const id of ['n', 'e', 't', 'other'])
      expect(backend.readItem('things', { id }), id).toBeUndefined();
    // Through the model, update() validates the value first, as on every backend.
    await Current.create({ id: 'a', g: 'one' });
    await expect(Current.update('a', { set: { g: '' } })).rejects.toThrow(ValidationError);
    // What the index takes is written; removing the key leaves the item out of the index.
    await backend.updateItem(set('a', 'two'));
    expect((await Current.query({ index: 'byG', partition: 'two' })).items).toHaveLength(1);
    await backend.updateItem({
      model,
      key: { id: 'a' },
      operations: [{ action: 'remove', path: ['g'] }],
    });
    expect(backend.readItem('things', { id: 'a' })).toEqual({ id: 'a' });
  });
});

describe('[P-84] an index added over items another client stored', () => {
  it("leaves out the items whose key attribute holds another type than the index's, as DynamoDB does", async () => {
    // The older spec has no index and no type for score; the newer indexes it as a number.
    const thing = (indexes: object | undefined) => ({
      openapi: '3.0.3',
      info: { title: 'later index', version: '1' },
      paths: {},
      components: {
        schemas: {
          Thing: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'things', key: 'id', ...(indexes && { indexes }) },
            properties: {
              id: { type: 'string' },
              p: { type: 'string' },
              score: indexes ? { type: 'number' } : {},
            },
          },
        },
      },
    });
    const backend = createMemoryBackend();
    await backend.ensureTables((await loadApi(thing(undefined), { backend })).tables());
    backend.writeItem('things', { id: 'a', p: 'x', score: 'high' });
    backend.writeItem('things', { id: 'b', p: 'x', score: 2 });
    backend.writeItem('things', { id: 'c', p: 7, score: 3 });
    const later = await loadApi(thing({ byScore: { key: 'p', sort: 'score' } }), { backend });
    await backend.ensureTables(later.tables());
    const Thing = later.persistent<Record<string, unknown>>('Thing');
    expect((await Thing.query({ index: 'byScore', partition: 'x' })).items).toEqual([
      { id: 'b', p: 'x', score: 2 },
    ]);
    expect((await Thing.scan({ index: 'byScore' })).items).toEqual([{ id: 'b', p: 'x', score: 2 }]);
  });
});

describe('index key values set by an update of a spec that does not declare the index', () => {
  // A name of more than one letter: an update's path is the attribute's name, whole.
  const spec = (withIndex: boolean) => ({
    openapi: '3.0.3',
    info: { title: 'groups', version: '1' },
    paths: {},
    components: {
      schemas: {
        Thing: {
          type: 'object',
          required: ['id'],
          'x-persist': {
            table: 'things',
            key: 'id',
            ...(withIndex ? { indexes: { byGroup: { key: 'group' } } } : {}),
          },
          properties: { id: { type: 'string' }, group: withIndex ? { type: 'string' } : {} },
        },
      },
    },
  });

  it('refuses a value of another type for the index a newer spec declares (a rolling deploy), whatever the length of its name', async () => {
    const backend = createMemoryBackend();
    const current = await loadApi(spec(true), { backend });
    await backend.ensureTables(current.tables());
    const Older = (await loadApi(spec(false), { backend })).persistent<Record<string, unknown>>(
      'Thing',
    );
    await Older.create({ id: 'x' });
    await expect(Older.update('x', { set: { group: 7 } })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect(backend.readItem('things', { id: 'x' })).toEqual({ id: 'x' });
  });
});

describe('a query of an index the model does not have', () => {
  it('is InvalidRequestError listing the first 50 of its indexes and their count', async () => {
    const names = Array.from({ length: 51 }, (_, index) => `by${index}`);
    const api = await loadApi(
      {
        openapi: '3.0.3',
        info: { title: 'many indexes', version: '1' },
        paths: {},
        components: {
          schemas: {
            Thing: {
              type: 'object',
              required: ['id'],
              'x-persist': {
                table: 'things',
                key: 'id',
                indexes: Object.fromEntries(names.map((name) => [name, { key: 'g' }])),
              },
              properties: { id: { type: 'string' }, g: { type: 'string' } },
            },
          },
        },
      },
      { backend: createMemoryBackend() },
    );
    const Thing = api.persistent('Thing');
    const refusal = await Thing.query({ index: 'byNone', partition: 'x' }).catch((error) => error);
    expect(refusal).toBeInstanceOf(InvalidRequestError);
    expect(refusal.message).toBe(
      `Thing has no index byNone (indexes: ${names.slice(0, 50).join(', ')}, … (51 in all))`,
    );
  });
});
