import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadApi } from '../index.js';

describe('components that only point at another file', () => {
  it('keep their own name and the x-persist of the schema they point at', async () => {
    const api = await loadApi(
      fileURLToPath(new URL('../../test/fixtures/alias/api.yaml', import.meta.url)),
    );
    expect(api.tables().map((table) => table.name)).toEqual(['profiles']);
    expect(api.persistent('Profile').descriptor.name).toBe('Profile');
    expect(api.validate('Profile', { name: 'x' }).map((problem) => problem.pointer)).toEqual([
      '/profile_id',
    ]);
  });
});

describe('a component that is nothing but a $ref to another', () => {
  it('is an alias of it even where the name holds a bare % (not percent-encoding), in a compiled spec of an earlier version (no fileAliases) too', async () => {
    const document = {
      openapi: '3.0.3',
      info: { title: 'percent', version: '1' },
      paths: {},
      components: {
        schemas: {
          'A%ZZ': {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'percents', key: 'id' },
            properties: { id: { type: 'string' } },
          },
          Alias: { $ref: '#/components/schemas/A%ZZ' },
        },
      },
    };
    for (const spec of [document, { 'x-macaron-compiled': 1, dialect: 'oas3.0', document }]) {
      const api = await loadApi(spec);
      expect(api.tables().map((table) => table.name)).toEqual(['percents']);
    }
  });
});
