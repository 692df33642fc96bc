import { inspect } from 'node:util';
import { InvalidCursorError, loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

// A table `items` with an index byCat on `cat`, sorted by `n` of the given type (or with the
// two swapped: byCat keyed by `n`, sorted by `cat`).
function spec(n: 'integer' | 'string', index = { key: 'cat', sort: 'n' }) {
  return {
    openapi: '3.0.3',
    info: { title: 'cursors', version: '1' },
    paths: {},
    components: {
      schemas: {
        Item: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'items', key: 'id', indexes: { byCat: index } },
          properties: { id: { type: 'string' }, cat: { type: 'string' }, n: { type: n } },
        },
      },
    },
  };
}

const cursorKey = 'cursor-key-of-every-instance-0123456789';

describe('[P-56] a cursor made before a deploy', () => {
  it('whose index key the spec has retyped since is InvalidCursorError, with the message every cursor that does not open gets', async () => {
    const before = await loadApi(spec('integer'), { backend: createMemoryBackend(), cursorKey });
    const Before = before.persistent<Record<string, unknown>>('Item');
    await Before.create({ id: 'a', cat: 'c', n: 1 });
    await Before.create({ id: 'b', cat: 'c', n: 2 });
    const { cursor } = await Before.query({ index: 'byCat', partition: 'c', limit: 1 });
    expect(cursor).toBeDefined();

    const after = await loadApi(spec('string'), { backend: createMemoryBackend(), cursorKey });
    const After = after.persistent<Record<string, unknown>>('Item');
    await After.create({ id: 'b', cat: 'c', n: '2' });
    const error = await After.query({ index: 'byCat', partition: 'c', cursor }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InvalidCursorError);
    expect((error as Error).message).toBe('The cursor is invalid, or belongs to another query');
    // The same cursor still opens where the spec is unchanged.
    expect((await Before.query({ index: 'byCat', partition: 'c', cursor })).items).toHaveLength(1);
  });

  it('whose index the spec has keyed by its sort attribute since (the key and sort swapped) is InvalidCursorError, with the same message', async () => {
    const before = await loadApi(spec('string'), { backend: createMemoryBackend(), cursorKey });
    const Before = before.persistent<Record<string, unknown>>('Item');
    await Before.create({ id: 'a', cat: 'c', n: 'x' });
    await Before.create({ id: 'b', cat: 'c', n: 'y' });
    const { cursor } = await Before.query({ index: 'byCat', partition: 'c', limit: 1 });
    const swapped = { key: 'n', sort: 'cat' };
    const after = await loadApi(spec('string', swapped), {
      backend: createMemoryBackend(),
      cursorKey,
    });
    const After = after.persistent<Record<string, unknown>>('Item');
    const error = await After.query({ index: 'byCat', partition: 'c', cursor }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InvalidCursorError);
    expect((error as Error).message).toBe('The cursor is invalid, or belongs to another query');
  });
});

describe("a page's cursor, encrypted when first read", () => {
  const bytesSpec = {
    openapi: '3.0.3',
    info: { title: 'cursors', version: '1' },
    paths: {},
    components: {
      schemas: {
        Event: {
          type: 'object',
          required: ['stream', 'at'],
          'x-persist': { table: 'events', key: 'stream', sort: 'at' },
          properties: { stream: { type: 'string' }, at: { type: 'string', format: 'binary' } },
        },
      },
    },
  };

  async function events() {
    const api = await loadApi(bytesSpec, { backend: createMemoryBackend(), cursorKey });
    const Event = api.persistent<{ stream: string; at: Uint8Array }>('Event');
    for (const at of [1, 2, 3]) await Event.create({ stream: 's', at: new Uint8Array([at]) });
    return Event;
  }

  it('is an own enumerable string, the same at every read, that spreads, serializes and opens the next page', async () => {
    const Event = await events();
    const page = await Event.query({ partition: 's', limit: 2 });
    expect(Object.keys(page)).toEqual(['items', 'cursor']);
    const cursor = page.cursor;
    expect(typeof cursor).toBe('string');
    expect(page.cursor).toBe(cursor);
    expect({ ...page }.cursor).toBe(cursor);
    expect(JSON.parse(JSON.stringify({ cursor: page.cursor, ...page })).cursor).toBe(cursor);
    const next = await Event.query({ partition: 's', cursor });
    expect(next.items.map((event) => [...event.at])).toEqual([[3]]);
    expect('cursor' in next).toBe(false);
  });

  it('is a plain data property once read, shown by util.inspect, and kept by Object.freeze', async () => {
    const Event = await events();
    const page = await Event.query({ partition: 's', limit: 2 });
    expect(inspect(page)).toMatch(/cursor: '[\w-]+'/);
    expect(Object.getOwnPropertyDescriptor(page, 'cursor')).toMatchObject({
      value: expect.any(String),
      writable: true,
      enumerable: true,
    });
    const frozen = Object.freeze(await Event.query({ partition: 's', limit: 2 }));
    const cursor = frozen.cursor;
    expect(typeof cursor).toBe('string');
    expect(() => {
      (frozen as { cursor?: string }).cursor = 'mine';
    }).toThrow(TypeError);
    expect(frozen.cursor).toBe(cursor);
    // Sealed, it can be read and assigned (its property stays writable), and keeps what it was given.
    const sealed = Object.seal(await Event.query({ partition: 's', limit: 2 }));
    expect(typeof sealed.cursor).toBe('string');
    sealed.cursor = 'mine';
    expect(sealed.cursor).toBe('mine');
  });

  it('can be assigned and deleted, as a plain property', async () => {
    const Event = await events();
    const page = await Event.query({ partition: 's', limit: 2 });
    page.cursor = 'mine';
    expect(page.cursor).toBe('mine');
    delete page.cursor;
    expect('cursor' in page).toBe(false);
  });
});
