import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { compileUsesOfGeneratedTypes } from './typescript-project.js';

// A schema that also allows null, persisted in PyMacaron's form (table and key given in code):
// its class persists objects, as the full form's does. The generated overload passed the
// schema's type, null included, to a class that takes objects only: the file did not compile.
const spec = {
  openapi: '3.0.3',
  info: { title: 'pymacaron form', version: '1' },
  paths: {},
  components: {
    schemas: {
      Profile: {
        type: 'object',
        nullable: true,
        required: ['id'],
        'x-persist': 'myserver.db.PersistentProfile',
        properties: { id: { type: 'string' }, name: { type: 'string' } },
      },
    },
  },
};

const uses = `import type { TypedApi } from './api.generated.js';
declare const api: TypedApi;
const Profiles = api.persistent('Profile', { table: 'profiles', key: 'id' });
export const name = async (): Promise<string | undefined> => (await Profiles.load('a')).name;
// @ts-expect-error a persistent object is no null
export const created = () => Profiles.create(null);
`;

describe('generate: a nullable schema in PyMacaron form', () => {
  it('compiles, its class typed by the schema’s objects', async () => {
    const compiled = await compileUsesOfGeneratedTypes(JSON.stringify(spec), uses);
    expect(compiled).toEqual({ generated: 0, code: 0, output: '' });
  });

  it('is a class of objects at run time', async () => {
    const api = await loadApi(spec, { backend: createMemoryBackend() });
    const Profiles = api.persistent('Profile', { table: 'profiles', key: 'id' });
    await Profiles.create({ id: 'a', name: 'Ann' });
    expect((await Profiles.load('a')).toJSON()).toEqual({ id: 'a', name: 'Ann' });
  });
});
