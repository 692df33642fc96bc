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
