import { describe, expect, it } from 'vitest';
import { loadApi } from '../api/load-api.js';
import { checkItemKey, toItemKey } from '../persist/item-key.js';
import { checkItemKeys } from '../persist/item-to-write.js';
import { prepareObjectDelete } from '../persist/object-delete.js';
import { prepareObjectWrite } from '../persist/object-write.js';
import { checkQueryRequest } from '../persist/read-request.js';
import { checkStartKey } from '../persist/start-key.js';
import { checkUpdatePaths } from './update-paths.js';

// Key and index key names come from the spec, which may hold any character: a message shows
// them escaped (no raw line break, bidi control or NUL), as it shows the names a caller sent.
const partition = 'p\nk\u202e';
const indexKey = 'i\nx\u202e\u0000';
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
const unsafe = /[\u0000-\u001f\u2028\u202e\u2066]/u;

async function table() {
  const api = await loadApi({
    openapi: '3.0.3',
    info: { title: 'names', version: '1' },
    paths: {},
    components: {
      schemas: {
        T: {
          type: 'object',
          required: [partition],
          'x-persist': { table: 'things', key: partition, indexes: { byIx: { key: indexKey } } },
          properties: { [partition]: { type: 'string' }, [indexKey]: { type: 'string' } },
        },
      },
    },
  });
  return api.persistent('T').descriptor.table;
}

describe('key attribute names in messages are escaped', () => {
  it('an update path that appends to or adds to an index key attribute', async () => {
    const things = await table();
    for (const operation of [
      { action: 'append', path: [indexKey], value: ['x'] },
      { action: 'add', path: [indexKey], value: 1 },
    ] as const) {
      let message = '';
      try {
        checkUpdatePaths([operation], { [partition]: 'a' }, things);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain('is a key of an index of table');
      expect(message).not.toMatch(unsafe);
    }
  });

  it('an item or a key missing a key attribute, or holding one of another type', async () => {
    const things = await table();
    const messages: string[] = [];
    for (const check of [
      () => checkItemKeys({}, things, 'putItem'),
      () => checkItemKeys({ [partition]: 1 }, things, 'putItem'),
      () => checkItemKeys({ [partition]: 'a', [indexKey]: 1 }, things, 'putItem'),
      () => checkItemKey(things, {}, 'getItem'),
      () => checkItemKey(things, { [partition]: 1 }, 'getItem'),
    ])
      try {
        check();
        messages.push('no error');
      } catch (error) {
        messages.push((error as Error).message);
      }
    expect(messages.filter((message) => unsafe.test(message))).toEqual([]);
    expect(messages).not.toContain('no error');
  });
});

// The spec's key, sort key and version names, as the model's own calls name them (P-88).
const sortKey = 's\u2028k\u202e';
const version = 'r\nev\u2066';

async function sortedModel() {
  const api = await loadApi({
    openapi: '3.0.3',
    info: { title: 'names', version: '1' },
    paths: {},
    components: {
      schemas: {
        S: {
          type: 'object',
          required: [partition, sortKey],
          'x-persist': { table: 'sorted', key: partition, sort: sortKey, version },
          properties: {
            [partition]: { type: 'string' },
            [sortKey]: { type: 'number' },
            [version]: { type: 'integer' },
          },
        },
      },
    },
  });
  return api.persistent('S').descriptor;
}

function messageOf(check: () => unknown): string {
  try {
    check();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe("a model's key, sort key and version names in its messages are escaped", () => {
  it('a key given without, or with the wrong type of, a key attribute', async () => {
    const model = await sortedModel();
    const messages = [
      messageOf(() => toItemKey(model, 'a')),
      messageOf(() => toItemKey(model, { [partition]: 'a' })),
      messageOf(() => toItemKey(model, { [partition]: 1, [sortKey]: 1 })),
      messageOf(() => toItemKey(model, { [partition]: 'a', [sortKey]: 'b' })),
    ];
    expect(messages).not.toContain('no error');
    expect(messages.filter((message) => unsafe.test(message))).toEqual([]);
    expect(messages[1]).toContain('"s\\u2028k\\u202e"');
  });

  it('a query whose partition or sort condition does not fit the keys, or whose start key is not of the read', async () => {
    const model = await sortedModel();
    const messages = [
      messageOf(() => checkQueryRequest({ model, partition: 1 }, undefined)),
      messageOf(() =>
        checkQueryRequest({ model, partition: 'a', sort: { beginsWith: 'x' } }, undefined),
      ),
      messageOf(() => checkQueryRequest({ model, partition: 'a', sort: { eq: 'x' } }, undefined)),
      messageOf(() => checkStartKey(model, undefined, { [partition]: 'b', [sortKey]: 1 }, 'a')),
      messageOf(() =>
        checkStartKey(model, undefined, { [partition]: 'a', [sortKey]: 1 }, 'a', { gt: 5 }),
      ),
    ];
    expect(messages).not.toContain('no error');
    expect(messages.filter((message) => unsafe.test(message))).toEqual([]);
  });

  it("an object's delete or save refused for its version property", async () => {
    const model = await sortedModel();
    const messages = [
      messageOf(() =>
        prepareObjectDelete(model, { [partition]: 'a', [sortKey]: 1, [version]: 'x' }),
      ),
      messageOf(() =>
        prepareObjectWrite(
          model,
          Object.freeze({ [partition]: 'a', [sortKey]: 1 }),
          'save',
          400_000,
        ),
      ),
    ];
    expect(messages).not.toContain('no error');
    expect(messages.filter((message) => unsafe.test(message))).toEqual([]);
  });
});
