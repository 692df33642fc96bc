import { describe, expect, it } from 'vitest';
import { openapi30 } from '../../test/support/specs.js';
import { loadApi } from '../index.js';
import { toUpdateOperations } from './update-changes.js';

// update()'s `set` takes a model object's own properties; a schema property named
// `constructor` is data like any other (as update-changes.ts says), so it must not hide what
// the object is (probe 303).
describe('update() with a model object as set', () => {
  it('takes one whose schema has a property named constructor', async () => {
    const api = await loadApi(
      openapi30({
        Note: {
          type: 'object',
          required: ['id'],
          properties: {
            id: { type: 'string' },
            constructor: { type: 'string' },
            toString: { type: 'string' },
          },
          'x-persist': { table: 'notes', key: 'id' },
        },
        Changes: {
          type: 'object',
          properties: { constructor: { type: 'string' }, toString: { type: 'string' } },
        },
      }),
    );
    const note = api.persistent('Note').descriptor;
    const Changes = api.model('Changes');
    expect(toUpdateOperations(note, { set: new Changes({ toString: 'a' }) })).toEqual([
      { action: 'set', path: 'toString', value: 'a' },
    ]);
    expect(toUpdateOperations(note, { set: new Changes({ constructor: 'b' }) })).toEqual([
      { action: 'set', path: 'constructor', value: 'b' },
    ]);
  });
});
