import { describe, expect, it } from 'vitest';
import { openapi30, thrown } from '../../test/support/specs.js';
import { ValidationError } from '../errors/validation-error.js';
import { loadApi } from '../index.js';
import { itemSize } from './item-size.js';
import { checkItemToWrite } from './item-to-write.js';
import { checkJsonItemToWrite } from './json-item-to-write.js';
import { markRead } from './loaded-objects.js';
import { prepareObjectWrite } from './object-write.js';
import { takeVouchedBound, vouchForItem } from './vouched-items.js';

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
const limit = 400 * 1024;

describe("the items core vouches for, which a backend's check takes without walking them", () => {
  it("a saved object's item, its version included, its size bounded", () => {
    const { item } = prepareObjectWrite(
      model,
      new Note({ id: 'n', text: '日'.repeat(50) }),
      'save',
      limit,
    );
    expect(item.version).toBe(1);
    const bound = takeVouchedBound(item);
    expect(bound).toBeGreaterThanOrEqual(itemSize(item));
    // Once: a second check walks the item.
    expect(takeVouchedBound(item)).toBeUndefined();
  });

  it('not an item holding what another client stored beside the object', () => {
    const note = new Note({ id: 'n' });
    markRead(note, { legacy: new Set(['a']) } as never, undefined, 'n', undefined, false);
    const { item } = prepareObjectWrite(model, note, 'save', limit);
    expect(item.legacy).toEqual(new Set(['a']));
    expect(takeVouchedBound(item)).toBeUndefined();
  });

  it('not an item whose next version is a bigint (JSON holds none)', () => {
    // A safe integer, copied and vouched for, whose next is not.
    const note = new Note({ id: 'n', version: Number.MAX_SAFE_INTEGER });
    markRead(note, undefined, undefined, 'n', undefined, true);
    const { item } = prepareObjectWrite(model, note, 'save', limit);
    expect(item.version).toBe(2n ** 53n);
    expect(takeVouchedBound(item)).toBeUndefined();
  });

  it('an item its bound puts over the limit is measured, and refused when it is over', () => {
    const table = model.table;
    const big = { id: 'n', text: 'a'.repeat(limit) };
    vouchForItem(big, 3 * limit);
    const refused = thrown(() => checkItemToWrite(big, table, 'putItem', limit));
    expect(refused).toBeInstanceOf(ValidationError);
    vouchForItem(big, 3 * limit);
    expect(thrown(() => checkJsonItemToWrite(big, table, 'putItem', limit))).toBeInstanceOf(
      ValidationError,
    );
    const fits = { id: 'n', text: 'é'.repeat(1000) };
    vouchForItem(fits, 3 * limit);
    expect(checkJsonItemToWrite(fits, table, 'putItem', limit)).toBe(true);
  });

  it('an item no one vouched for is walked: what it holds is refused', () => {
    const table = model.table;
    const item = { id: 'n', text: '\uD800' };
    expect(thrown(() => checkItemToWrite(item, table, 'putItem', limit))).toBeDefined();
    expect(thrown(() => checkJsonItemToWrite(item, table, 'putItem', limit))).toBeDefined();
  });
});
