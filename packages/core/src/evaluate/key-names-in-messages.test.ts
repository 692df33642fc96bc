import { describe, expect, it } from 'vitest';
import { loadApi } from '../api/load-api.js';
import { checkItemKey } from '../persist/item-key.js';
import { checkItemKeys } from '../persist/item-to-write.js';
import { checkUpdatePaths } from './update-paths.js';

// Key and index key names come from the spec, which may hold any character: a message shows
// them escaped (no raw line break, bidi control or NUL), as it shows the names a caller sent.
const partition = 'p\nk\u202e';
const indexKey = 'i\nx\u202e\u0000';
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose
const unsafe = /[\u0000-\u001f\u202e]/u;

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
