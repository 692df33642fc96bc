import { runInNewContext } from 'node:vm';
import { ConditionFailedError, loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

// Test runners hand code values of another realm: Vitest's `jsdom` environment makes
// `Uint8Array` jsdom's while `Buffer` and `TextEncoder` stay Node's, so `Buffer.from(…)` and
// `new TextEncoder().encode(…)` are not `instanceof Uint8Array` there; its `vmThreads` pool and
// every Jest environment run a test file in a vm context, whose `structuredClone` gives objects
// of Node's realm. Such bytes, sets and plain objects are values like any other.

const spec = {
  openapi: '3.0.3',
  info: { title: 'other realms', version: '1' },
  paths: {},
  components: {
    schemas: {
      File: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'files', key: 'id', indexes: { byHash: { key: 'hash' } } },
        properties: {
          id: { type: 'string' },
          hash: { type: 'string', format: 'binary' },
          body: { type: 'string', format: 'binary' },
          data: { type: 'string', format: 'byte' },
          meta: { type: 'object', properties: { name: { type: 'string' } } },
          tags: { type: 'array', items: { type: 'string' } },
          size: { type: 'integer' },
        },
      },
    },
  },
};

// A value made in a new vm context: its Uint8Array, Set and Object are another realm's.
function foreign<T>(source: string): T {
  return runInNewContext(`(${source})`) as T;
}

async function files() {
  const backend = createMemoryBackend();
  const api = await loadApi(spec, { backend });
  return { backend, File: api.persistent<Record<string, unknown>>('File') };
}

describe('values of another realm', () => {
  it('bytes of another realm are stored, loaded, matched and updated as bytes', async () => {
    const { File } = await files();
    const bytes = foreign<Uint8Array>('new Uint8Array([1, 2, 255])');
    expect(bytes instanceof Uint8Array).toBe(false);
    await File.create({ id: 'a', hash: bytes, body: foreign('new Uint8Array([7])'), data: bytes });
    const loaded = await File.load('a');
    expect(loaded.hash).toBeInstanceOf(Uint8Array);
    expect({ ...loaded }).toStrictEqual({
      id: 'a',
      hash: new Uint8Array([1, 2, 255]),
      body: new Uint8Array([7]),
      data: new Uint8Array([1, 2, 255]),
    });
    const page = await File.query({
      index: 'byHash',
      partition: foreign('new Uint8Array([1, 2, 255])'),
    });
    expect(page.items.map((file) => file.id)).toEqual(['a']);
    await File.update(
      'a',
      { set: { body: foreign('new Uint8Array([8, 9])') } },
      { condition: { attr: 'hash', eq: foreign('new Uint8Array([1, 2, 255])') } },
    );
    expect((await File.load('a')).body).toStrictEqual(new Uint8Array([8, 9]));
    const copy = new File({ id: 'b', body: foreign('new Uint8Array([3])') });
    expect(copy.validate()).toEqual([]);
    await copy.save();
    expect((await File.load('b')).body).toStrictEqual(new Uint8Array([3]));
    expect(File.fromJSON({ id: 'c', body: 'AQI=' }).body).toStrictEqual(new Uint8Array([1, 2]));
  });

  it('bytes of another realm given to writeItem are stored as bytes', async () => {
    const { backend, File } = await files();
    await backend.ensureTables([...(await loadApi(spec)).tables()]);
    backend.writeItem('files', { id: 'w', body: foreign('new Uint8Array([5, 6])') });
    expect(backend.readItem('files', { id: 'w' })).toStrictEqual({
      id: 'w',
      body: new Uint8Array([5, 6]),
    });
    expect((await File.load('w')).body).toStrictEqual(new Uint8Array([5, 6]));
  });

  it('plain objects and lists of another realm are values, changes and conditions', async () => {
    const { File } = await files();
    await File.create(foreign("{ id: 'a', meta: { name: 'x' }, tags: ['t'], size: 1 }"));
    const parsed = File.fromJSON(
      foreign("{ id: 'b', meta: { name: 'y' }, tags: [], data: 'AQI=' }"),
    );
    await parsed.save();
    expect({ ...(await File.load('b')) }).toStrictEqual({
      id: 'b',
      meta: { name: 'y' },
      tags: [],
      data: 'AQI=',
    });
    await File.update('a', foreign("{ set: { meta: { name: 'z' } }, add: { size: 2 } }"), {
      condition: foreign("{ attr: 'size', eq: 1 }"),
    });

    expect({ ...(await File.load('a')) }).toStrictEqual({
      id: 'a',
      meta: { name: 'z' },
      tags: ['t'],
      size: 3,
    });
    await expect(
      File.delete('a', { condition: foreign("{ attr: 'meta', eq: { name: 'y' } }") }),
    ).rejects.toThrow(ConditionFailedError);
    expect(
      await File.delete('a', { condition: foreign("{ attr: 'meta', eq: { name: 'z' } }") }),
    ).toBe(true);
  });
});
