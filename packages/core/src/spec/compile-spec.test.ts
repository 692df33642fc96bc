import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSpec, compileSpec, loadApi, SpecError } from '../index.js';

const spec = {
  openapi: '3.0.3',
  info: { title: 'compiled', version: '1' },
  paths: {},
  components: {
    schemas: {
      Profile: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'profiles', key: 'id' },
        properties: { id: { type: 'string' }, address: { $ref: '#/components/schemas/Address' } },
      },
      Address: { type: 'object', properties: { city: { type: 'string', minLength: 2 } } },
    },
  },
};

describe('compiled specs', () => {
  it('load as an object or a JSON file and give the same API', async () => {
    const compiled = await compileSpec(spec);
    const folder = await mkdtemp(join(tmpdir(), 'macaron-compiled-'));
    try {
      const file = join(folder, 'api.json');
      await writeFile(file, JSON.stringify(compiled));
      for (const source of [compiled, file]) {
        const api = await loadApi(source);
        expect(api.dialect).toBe('oas3.0');
        expect(api.modelNames()).toEqual(['Profile', 'Address']);
        expect(
          api
            .validate('Profile', { id: 'a', address: { city: 'X' } })
            .map((problem) => problem.pointer),
        ).toEqual(['/address/city']);
        expect(api.tables().map((table) => table.name)).toEqual(['profiles']);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuse a broken spec at compile time, and checkSpec lists its problems', async () => {
    const broken = structuredClone(spec) as any;
    broken.components.schemas.Profile['x-persist'].key = 'missing';
    await expect(compileSpec(broken)).rejects.toBeInstanceOf(SpecError);
    expect((await checkSpec(broken)).map((problem) => problem.pointer)).toEqual([
      '/components/schemas/Profile/x-persist/key',
    ]);
    expect(await checkSpec(spec)).toEqual([]);
  });

  it('refuse a compiled form of another version', async () => {
    await expect(loadApi({ 'x-macaron-compiled': 2, document: {} })).rejects.toBeInstanceOf(
      SpecError,
    );
  });
});
