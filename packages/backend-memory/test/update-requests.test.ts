import { ConditionFailedError, InvalidRequestError, loadApi, ValidationError } from '@macaron/core';
import type { StoredValue, UpdateOperation } from '@macaron/core/backend';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend, type MemoryBackend } from '../src/index.js';

// What an update request holds, checked before anything is read: its own values against the
// item limit (P-15), and its operations as they read once (P-105).
const spec = {
  openapi: '3.0.3',
  info: { title: 'update-requests', version: '1' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'notes', key: 'id' },
        properties: {
          id: { type: 'string' },
          text: { type: 'string' },
          more: { type: 'string' },
          tags: { type: 'array', items: { type: 'string' } },
          n: { type: 'number' },
        },
      },
    },
  },
};

type Note = { id: string; text?: string; more?: string; tags?: string[]; n?: number };

// Every updateItem the backend is given, counted.
async function open() {
  const backend = createMemoryBackend();
  const calls = { updateItem: 0 };
  const counted = new Proxy(backend, {
    get(target, name) {
      const value = Reflect.get(target, name, target);
      if (name === 'updateItem') calls.updateItem++;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as MemoryBackend;
  const api = await loadApi(spec, { backend: counted });
  await backend.ensureTables(api.tables());
  const Note = api.persistent<Note>('Note');
  return { api, backend, Note, calls, model: Note.descriptor };
}

const limit = 400 * 1024;

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('[P-15] an update whose own values pass the item limit', () => {
  it('is refused by update() before the backend is called, as save() refuses an item too large', async () => {
    const { Note, calls } = await open();
    await Note.create({ id: 'a', text: 'short' });
    // "id" + "a", "text" and "more": 2 + 1 + 4 + 4 bytes beside the values.
    const half = 'x'.repeat(limit / 2);
    const error = await refusal(Note.update('a', { set: { text: half, more: half } }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('VALIDATION_ERROR');
    expect((error as ValidationError).status).toBe(400);
    expect((error as ValidationError).problems).toEqual([
      {
        pointer: '',
        keyword: 'maxItemBytes',
        message: `would be at least ${limit + 11} bytes, above the ${limit}-byte item limit`,
      },
    ]);
    expect((error as Error).message).toBe(
      `Invalid update of Note: / would be at least ${limit + 11} bytes, above the ${limit}-byte item limit`,
    );
    // save() of such an item: the same error, code and problem shape.
    const saved = await refusal(new Note({ id: 'a', text: half, more: half }).save());
    expect(saved).toBeInstanceOf(ValidationError);
    expect((saved as ValidationError).problems.map((problem) => problem.keyword)).toEqual([
      'maxItemBytes',
    ]);
    expect(calls.updateItem).toBe(0);
    // Appended items count too, as the list they land in holds them; so do names and the key.
    const appended = await refusal(
      Note.update('missing', { set: { text: half }, append: { tags: [half] } }),
    );
    expect((appended as ValidationError).problems[0]?.message).toBe(
      `would be at least ${2 + 7 + 4 + limit / 2 + 4 + 3 + 1 + limit / 2} bytes, above the ${limit}-byte item limit`,
    );
    expect(calls.updateItem).toBe(0);
    expect((await Note.get('a'))?.toJSON()).toEqual({ id: 'a', text: 'short' });
  });

  it('is not refused where it could be stored: at the limit exactly, an add counted as its least number, a remove', async () => {
    const { Note, calls } = await open();
    await Note.create({ id: 'a', text: 'short', more: 'y'.repeat(limit / 2) });
    // Within the limit on its own: refused by the backend, which counts the item it makes.
    const grown = await refusal(Note.update('a', { set: { text: 'x'.repeat(limit / 2) } }));
    expect(grown).toBeInstanceOf(ValidationError);
    expect((grown as Error).message).toMatch(/^Update: item too large: \/ is \d+ bytes/);
    expect(calls.updateItem).toBe(1);
    // "id", "a" and "text": 7 bytes; the item the update leaves is the limit exactly.
    await Note.update('a', { set: { text: 'x'.repeat(limit - 7) }, remove: ['more'] });
    expect((await Note.get('a'))?.text).toHaveLength(limit - 7);
    expect(calls.updateItem).toBe(2);
    // "id", "b", "text" and "n", and 1 byte for n's number (0 takes 1): the limit exactly, not
    // refused by update(). Adding 1 (2 bytes) leaves 1 byte more, which the backend refuses.
    await Note.create({ id: 'b' });
    const digits = await refusal(
      Note.update('b', { set: { text: 'x'.repeat(limit - 9) }, add: { n: 1 } }),
    );
    expect((digits as Error).message).toMatch(/^Update: item too large: \/ is 409601 bytes/);
    expect(calls.updateItem).toBe(3);
    await Note.update('b', { set: { text: 'x'.repeat(limit - 10) }, add: { n: 1 } });
    expect(calls.updateItem).toBe(4);
  });

  it('is refused by backend.updateItem and a transaction update before the item is read, with one message', async () => {
    const { backend, model } = await open();
    const half = 'x'.repeat(limit / 2);
    const operations: UpdateOperation[] = [
      { action: 'set', path: 'text', value: half },
      { action: 'set', path: ['m', 'k'], value: half },
    ];
    const expected = `Update: item too large: / would be at least ${2 + 1 + 4 + 1 + limit} bytes, above the ${limit}-byte item limit`;
    // The condition would fail (no item): the request itself is refused first.
    const alone = await refusal(
      backend.updateItem({
        model,
        key: { id: 'a' },
        operations,
        condition: { attr: 'id', exists: true },
      }),
    );
    expect(alone).toBeInstanceOf(ValidationError);
    expect((alone as Error).message).toBe(expected);
    const inTransaction = await refusal(
      backend.transactWrite([{ kind: 'update', model, key: { id: 'a' }, operations }]),
    );
    expect(inTransaction).toBeInstanceOf(ValidationError);
    expect((inTransaction as Error).message).toBe(expected);
    // Within the limit, the condition decides.
    expect(
      await refusal(
        backend.updateItem({
          model,
          key: { id: 'a' },
          operations: [{ action: 'set', path: 'text', value: half }],
          condition: { attr: 'id', exists: true },
        }),
      ),
    ).toBeInstanceOf(ConditionFailedError);
  });
});

describe('[P-105] operations given to backend.updateItem are read once', () => {
  it('takes a Proxy list by the length it first read: what is checked is what is run', async () => {
    const { backend, model } = await open();
    const operations = Array.from({ length: 1000 }, (_, index) => ({
      action: 'set' as const,
      path: `a${index}`,
      value: index,
    }));
    let lengthReads = 0;
    let entryReads = 0;
    // One operation when first asked, a thousand afterwards (more than an update holds).
    const growing = new Proxy(operations, {
      get(target, name, receiver) {
        if (name === 'length') return lengthReads++ === 0 ? 1 : target.length;
        if (typeof name === 'string' && /^\d+$/.test(name)) entryReads++;
        return Reflect.get(target, name, receiver);
      },
    });
    const item = await backend.updateItem({ model, key: { id: 'p' }, operations: growing });
    expect(item).toEqual({ id: 'p', a0: 0 });
    expect(lengthReads).toBe(1);
    expect(entryReads).toBe(1);
  });

  it('reads each operation once: a getter answering otherwise later cannot change the key', async () => {
    const { backend, model } = await open();
    for (const kind of ['update', 'transaction'] as const) {
      let reads = 0;
      // A valid path when first read, the key attribute afterwards.
      const operation = {
        action: 'set' as const,
        get path() {
          reads++;
          return reads === 1 ? 'text' : 'id';
        },
        value: 'other',
      };
      const request = { model, key: { id: `g-${kind}` }, operations: [operation] };
      if (kind === 'update') await backend.updateItem(request);
      else await backend.transactWrite([{ kind: 'update', ...request }]);
      expect(reads).toBe(1);
      expect(await backend.getItem({ model, key: { id: `g-${kind}` } })).toEqual({
        id: `g-${kind}`,
        text: 'other',
      });
      expect(await backend.getItem({ model, key: { id: 'other' } })).toBeUndefined();
    }
  });

  it('refuses a Proxy path by the length it first read', async () => {
    const { backend, model } = await open();
    let reads = 0;
    const path = new Proxy(['m'], {
      get(target, name, receiver) {
        if (name === 'length') return reads++ === 0 ? 40 : 1;
        return Reflect.get(target, name, receiver);
      },
    });
    const error = await refusal(
      backend.updateItem({
        model,
        key: { id: 'q' },
        operations: [{ action: 'set', path: path as string[], value: 1 }],
      }),
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toBe(
      'An update path of 40 steps reaches deeper than the 32 levels DynamoDB nests',
    );
    expect(reads).toBe(1);
  });

  it('reads a value once, however deep: a getter answering otherwise later cannot store what was not checked', async () => {
    const { backend, model } = await open();
    let nested: StoredValue = 'leaf';
    for (let level = 0; level < 40; level++) nested = { d: nested };
    for (const kind of ['update', 'transaction'] as const) {
      let reads = 0;
      // A string when first read (as checked), then a function, then 40 levels of maps.
      const inner = {
        get x(): unknown {
          reads++;
          return reads === 1 ? 'checked' : reads === 2 ? () => 1 : nested;
        },
      };
      // And a list that holds one string when first read, a function afterwards.
      let listReads = 0;
      const list = new Proxy(['first'], {
        get(target, name, receiver) {
          if (name === '0') return listReads++ === 0 ? 'first' : () => 2;
          return Reflect.get(target, name, receiver);
        },
      });
      const request = {
        model,
        key: { id: `v-${kind}` },
        operations: [
          { action: 'set', path: 'm', value: { inner } },
          { action: 'append', path: 'tags', value: list },
        ] as unknown as UpdateOperation[],
      };
      if (kind === 'update') {
        await backend.updateItem(request);
        expect(reads).toBe(1);
        expect(listReads).toBe(1);
        expect(await backend.getItem({ model, key: { id: `v-${kind}` } })).toEqual({
          id: `v-${kind}`,
          m: { inner: { x: 'checked' } },
          tags: ['first'],
        });
      } else {
        // checkTransactionRequest measured the values first: the snapshot, checked, holds the
        // function read next, and is refused, with nothing stored.
        const error = await refusal(backend.transactWrite([{ kind: 'update', ...request }]));
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect((error as Error).message).toBe('The value of set m is not a JSON value');
        expect(await backend.getItem({ model, key: { id: `v-${kind}` } })).toBeUndefined();
      }
    }
  });

  it("holds a transaction's items together to 4 MB as they were taken, not as first measured", async () => {
    const { backend, model } = await open();
    const large = 'y'.repeat(390 * 1024);
    // Eleven updates of a value small when first measured, 390 KB each (in the item limit)
    // afterwards: 4.2 MB together, which DynamoDB refuses.
    const actions = Array.from({ length: 11 }, (_, index) => {
      let reads = 0;
      const value = {
        get x() {
          return reads++ === 0 ? 'x' : large;
        },
      };
      return {
        kind: 'update' as const,
        model,
        key: { id: `t${index}` },
        operations: [{ action: 'set', path: 'm', value }] as unknown as UpdateOperation[],
      };
    });
    const error = await refusal(backend.transactWrite(actions));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toMatch(
      /^A transaction's items hold at most 4194304 bytes together, not \d+ or more$/,
    );
    expect(await backend.getItem({ model, key: { id: 't0' } })).toBeUndefined();
  });
});
