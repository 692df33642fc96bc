import { describe, expect, it } from 'vitest';
import { schemaNode } from '../../test/support/specs.js';
import { guardsOfAdd, guardsOfAppend } from './update-guards.js';

describe('what an add or an append must keep besides number bounds', () => {
  it('refuses a delta no multiple can absorb, exactly in decimal', () => {
    const node = schemaNode({ type: 'number', multipleOf: 0.1 });
    expect(guardsOfAdd('n', 0.3, node)).toEqual([]);
    expect(guardsOfAdd('n', 0.05, node)).toMatchObject([{ keyword: 'multipleOf' }]);
  });

  it('keeps const and enum by the values the store may hold before the add', () => {
    expect(guardsOfAdd('n', 2, schemaNode({ type: 'integer', const: 5 }))).toEqual([
      { condition: { attr: 'n', in: [3] }, keyword: 'const', description: 'its const' },
    ]);
    // 0 + 2 is allowed: a missing attribute may stay missing until the add.
    expect(guardsOfAdd('n', 2, schemaNode({ enum: [2, 'two', null, 10n] }))).toEqual([
      {
        condition: {
          or: [
            { attr: 'n', exists: false },
            { attr: 'n', in: [0, 8] },
          ],
        },
        keyword: 'enum',
        description: 'its enum',
      },
    ]);
    expect(guardsOfAdd('n', 1, schemaNode({ enum: ['a'] }))).toMatchObject([{ keyword: 'enum' }]);
    expect('refused' in guardsOfAdd('n', 1, schemaNode({ enum: ['a'] }))[0]!).toBe(true);
  });

  it('keeps maxItems by the list holding no item at the last place left', () => {
    expect(guardsOfAppend('l', ['a', 'b'], schemaNode({ type: 'array', maxItems: 3 }))).toEqual([
      {
        condition: { attr: ['l', 1], exists: false },
        keyword: 'maxItems',
        description: 'its maxItems 3',
      },
    ]);
  });

  it('keeps uniqueItems for items the store can look for, and refuses others', () => {
    const node = schemaNode({ type: 'array', uniqueItems: true });
    expect(guardsOfAppend('l', ['a', 1], node).map((guard) => guard.keyword)).toEqual([
      'uniqueItems',
      'uniqueItems',
    ]);
    expect(guardsOfAppend('l', [1, 1n], node)).toMatchObject([{ refused: expect.any(String) }]);
    expect(guardsOfAppend('l', [{ a: 1 }], node)).toMatchObject([
      { refused: expect.stringContaining('save()') },
    ]);
  });
});
