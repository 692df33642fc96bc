import { loadApi, TableMismatchError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

// One table `things`, keyed as given, with an index byG on `g` of the given type.
function spec(key: Record<string, string>, g: string, sort?: string) {
  return {
    openapi: '3.0.3',
    info: { title: 'tables', version: '1' },
    paths: {},
    components: {
      schemas: {
        Thing: {
          type: 'object',
          required: ['id', ...(sort ? [sort] : [])],
          'x-persist': {
            table: 'things',
            key: 'id',
            ...(sort ? { sort } : {}),
            indexes: { byG: { key: 'g' } },
          },
          properties: {
            id: { type: key.id },
            g: { type: g },
            ...(sort ? { [sort]: { type: 'string' } } : {}),
          },
        },
      },
    },
  };
}

describe('the memory backend and a spec that changed', () => {
  it('refuses, as DynamoDB and PostgreSQL do, a key or index key of another type or another sort key', async () => {
    const backend = createMemoryBackend();
    const first = await loadApi(spec({ id: 'string' }, 'string'), { backend });
    await backend.ensureTables!(first.tables());
    await first.persistent('Thing').create({ id: 'a', g: 'x' });
    for (const [changed, difference, item] of [
      [
        spec({ id: 'integer' }, 'string'),
        'partition key: table has id (string), spec has id (number)',
        { id: 7 },
      ],
      [
        spec({ id: 'string' }, 'integer'),
        'index byG partition key: table has g (string), spec has g (number)',
        { id: 'b', g: 7 },
      ],
      [
        spec({ id: 'string' }, 'string', 'at'),
        'sort key: table has none, spec has at (string)',
        { id: 'b', at: 'z' },
      ],
    ] as const) {
      const api = await loadApi(changed, { backend });
      const error = await backend.ensureTables!(api.tables()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TableMismatchError);
      expect((error as TableMismatchError).differences).toEqual([difference]);
      // Every request through the changed spec is refused the same way, and writes nothing.
      await expect(api.persistent('Thing').create(item)).rejects.toThrow(TableMismatchError);
    }
    // The same spec through another API instance fits (checked once, then remembered).
    const again = await loadApi(spec({ id: 'string' }, 'string'), { backend });
    await backend.ensureTables!(again.tables());
    expect((await again.persistent('Thing').scan()).items.map((thing) => thing.id)).toEqual(['a']);
  });
});
