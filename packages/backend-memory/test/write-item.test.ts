import { InvalidRequestError, loadApi, ValidationError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend, type MemoryBackend } from '../src/index.js';

// One table `things`: a string partition key `id`, a number sort key `at`, and an index byG on
// a string `g`. A second spec of the same table adds byH, on a number `h`, that the first lacks.
function spec(withH = false) {
  return {
    openapi: '3.0.3',
    info: { title: 'write-item', version: '1' },
    paths: {},
    components: {
      schemas: {
        Thing: {
          type: 'object',
          additionalProperties: false,
          required: ['id', 'at', 'name'],
          'x-persist': {
            table: 'things',
            key: 'id',
            sort: 'at',
            indexes: { byG: { key: 'g' }, ...(withH ? { byH: { key: 'h' } } : {}) },
          },
          properties: {
            id: { type: 'string' },
            at: { type: 'integer' },
            name: { type: 'string' },
            g: { type: 'string' },
            h: { type: 'integer' },
          },
        },
      },
    },
  };
}

async function seeded(): Promise<MemoryBackend> {
  const backend = createMemoryBackend();
  const api = await loadApi(spec(), { backend });
  await backend.ensureTables(api.tables());
  backend.writeItem('things', { id: 'a', at: 1, name: 'before' });
  return backend;
}

const kept = { id: 'a', at: 1, name: 'before' };

describe('writeItem: what another client could store, no more', () => {
  it('refuses what DynamoDB refuses from any client, with the errors putItem gives, changing nothing', async () => {
    const refused: [string, Record<string, unknown>][] = [
      ['an empty string partition key', { id: '', at: 1 }],
      ['a partition key of another type', { id: 7, at: 1 }],
      ['a sort key of another type', { id: 'a', at: '1' }],
      ['a missing sort key', { id: 'a' }],
      ['an empty index key', { id: 'a', at: 1, g: '' }],
      ['an index key of another type', { id: 'a', at: 1, g: 5 }],
      ['NaN', { id: 'a', at: 1, name: Number.NaN }],
      ['Infinity', { id: 'a', at: 1, name: Number.POSITIVE_INFINITY }],
      ['-Infinity in a list', { id: 'a', at: 1, list: [Number.NEGATIVE_INFINITY] }],
      ['an empty set', { id: 'a', at: 1, tags: new Set() }],
      ['a set of mixed types', { id: 'a', at: 1, tags: new Set(['x', 1]) }],
      ['an empty attribute name', { id: 'a', at: 1, '': 'x' }],
      ['an integer beyond 2^53 held in a number', { id: 'a', at: 1, big: 2 ** 60 }],
    ];
    for (const [what, item] of refused) {
      const backend = await seeded();
      let error: unknown;
      try {
        backend.writeItem('things', item as never);
      } catch (caught) {
        error = caught;
      }
      expect(error, what).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).code, what).toBe('INVALID_REQUEST');
      expect(backend.readItem('things', { id: 'a', at: 1 }), what).toEqual(kept);
    }
  });

  it('refuses an item over 400 KB with the ValidationError putItem gives', async () => {
    const backend = await seeded();
    const item = { id: 'a', at: 1, name: 'x'.repeat(400 * 1024) };
    expect(() => backend.writeItem('things', item)).toThrow(ValidationError);
    expect(backend.readItem('things', { id: 'a', at: 1 })).toEqual(kept);
  });

  it('refuses a key value of an index another spec added to the table, as DynamoDB does', async () => {
    const backend = await seeded();
    const newer = await loadApi(spec(true), { backend });
    await backend.ensureTables(newer.tables());
    expect(() => backend.writeItem('things', { id: 'a', at: 1, h: 'not a number' })).toThrow(
      InvalidRequestError,
    );
    expect(backend.readItem('things', { id: 'a', at: 1 })).toEqual(kept);
  });

  it('stores what another client could store that Macaron would not write, read back exactly', async () => {
    const backend = await seeded();
    const foreign = {
      id: 'a',
      at: 1,
      // The schema requires a string `name` and is closed: another client may store neither.
      name: 42,
      unknown: { nested: [true, null, new Uint8Array([1, 2])] },
      tags: new Set(['x', 'y']),
      big: 12345678901234567890n,
    };
    backend.writeItem('things', foreign);
    expect(backend.readItem('things', { id: 'a', at: 1 })).toEqual(foreign);
    // And one without the required `name` at all.
    backend.writeItem('things', { id: 'b', at: 2 });
    expect(backend.readItem('things', { id: 'b', at: 2 })).toEqual({ id: 'b', at: 2 });
  });
});

describe('readItem', () => {
  it('refuses a key value of another type than the table key, as getItem does, not reading another item', async () => {
    const backend = await seeded();
    backend.writeItem('things', { id: 'n1', at: 1, name: 'string n1' });
    expect(backend.readItem('things', { id: 'a', at: 1 })).toEqual(kept);
    expect(backend.readItem('things', { id: 'a', at: 1n })).toEqual(kept);
    expect(backend.readItem('things', { id: 'a', at: 2 })).toBeUndefined();
    expect(backend.readItem('nothing', { id: 'a', at: 1 })).toBeUndefined();
    for (const key of [
      { id: 'a', at: 'n1' },
      { id: Uint8Array.of(1), at: 1 },
      { id: 1, at: 1 },
    ])
      expect(() => backend.readItem('things', key as never)).toThrow(InvalidRequestError);
  });

  it('gives a copy: changing what it returned, however deep, changes nothing stored', async () => {
    const backend = await seeded();
    backend.writeItem('things', {
      id: 'd',
      at: 1,
      name: 'deep',
      nested: { list: [{ n: 1 }], bytes: Uint8Array.of(1), set: new Set(['x']) },
    });
    const read = backend.readItem('things', { id: 'd', at: 1 }) as unknown as {
      name: string;
      nested: { list: [{ n: number }]; bytes: Uint8Array; set: Set<string> };
    };
    read.name = 'changed';
    read.nested.list[0].n = 2;
    read.nested.bytes[0] = 9;
    read.nested.set.add('y');
    expect(backend.readItem('things', { id: 'd', at: 1 })).toEqual({
      id: 'd',
      at: 1,
      name: 'deep',
      nested: { list: [{ n: 1 }], bytes: Uint8Array.of(1), set: new Set(['x']) },
    });
  });
});

describe('readItem: the key read once', () => {
  it('looks the item up under the key it checked, whatever the key answers on a later read', async () => {
    const backend = await seeded();
    let reads = 0;
    const key = Object.defineProperty({ id: 'a' }, 'at', {
      enumerable: true,
      get: () => (reads++ === 0 ? 1 : 2),
    });
    expect(backend.readItem('things', key)).toEqual(kept);
  });
});
