import { describe, expect, it } from 'vitest';
import { openapi30, thrown } from '../../test/support/specs.js';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { ValidationError } from '../errors/validation-error.js';
import { loadApi } from '../index.js';
import { checkItemToWrite } from './item-to-write.js';
import { checkJsonItemToWrite } from './json-item-to-write.js';
import { prepareObjectWrite } from './object-write.js';
import type { StoredItem } from './stored-value.js';

const api = await loadApi(
  openapi30({
    Note: {
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      'x-persist': { table: 'notes', key: 'id', version: 'version' },
      properties: {
        id: { type: 'string' },
        text: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        version: { type: 'integer', format: 'int64' },
      },
    },
  }),
);
const Note = api.persistent('Note');
const model = Note.descriptor;
const table = model.table;
const limit = 400 * 1024;

// A save's item as a backend receives it, after a wrapper around that backend (a TTL, an
// audit field, a test double) changed it in place: what it holds is checked, not trusted.
function savedItem(): StoredItem {
  return prepareObjectWrite(model, new Note({ id: 'n', text: 'a', tags: ['t'] }), 'save', limit)
    .item;
}

const changes: [string, (item: StoredItem) => void][] = [
  ['a NaN', (item) => Object.assign(item, { score: Number.NaN })],
  ['an empty set', (item) => Object.assign(item, { marks: new Set() })],
  ['a lone surrogate in a list', (item) => (item.tags as unknown[]).push('\uD800')],
  ['a name DynamoDB refuses', (item) => Object.assign(item, { '': 1 })],
];

describe("a save's item changed in place before a backend checks it", () => {
  for (const [what, change] of changes) {
    it(`is refused when it holds ${what} (checkItemToWrite)`, () => {
      const item = savedItem();
      change(item);
      expect(thrown(() => checkItemToWrite(item, table, 'putItem', limit))).toBeInstanceOf(
        InvalidRequestError,
      );
    });

    it(`is refused when it holds ${what} (checkJsonItemToWrite)`, () => {
      const item = savedItem();
      change(item);
      expect(thrown(() => checkJsonItemToWrite(item, table, 'putItem', limit))).toBeInstanceOf(
        InvalidRequestError,
      );
    });
  }

  it('is not called JSON alone when it holds bytes, which JSON would write as a map', () => {
    const item = savedItem();
    item.data = new Uint8Array([1, 2]);
    expect(checkJsonItemToWrite(item, table, 'putItem', limit)).toBe(false);
  });

  it('is measured when it grew past the limit', () => {
    for (const check of [checkItemToWrite, checkJsonItemToWrite]) {
      const item = savedItem();
      item.text = 'é'.repeat(limit / 2 + 1);
      expect(thrown(() => check(item, table, 'putItem', limit))).toBeInstanceOf(ValidationError);
    }
  });
});
