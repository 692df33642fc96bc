import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as core from '@macaron/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryBackend } from '../src/index.js';

// An application may end up with two copies of core: its own, newer one, and the one a
// backend was installed with. The second copy here is core's build, copied under core's own
// node_modules/.cache so that it resolves core's dependencies, and imported as a new module.
const coreDir = dirname(createRequire(import.meta.url).resolve('@macaron/core/package.json'));
const copyDir = join(coreDir, 'node_modules', '.cache', `second-core-${process.pid}`);

let second: typeof core;

beforeAll(async () => {
  await rm(copyDir, { recursive: true, force: true });
  await mkdir(copyDir, { recursive: true });
  await cp(join(coreDir, 'dist'), join(copyDir, 'dist'), { recursive: true });
  await writeFile(join(copyDir, 'package.json'), JSON.stringify({ type: 'module' }));
  second = (await import(pathToFileURL(join(copyDir, 'dist', 'index.js')).href)) as typeof core;
});

afterAll(async () => {
  await rm(copyDir, { recursive: true, force: true });
});

const spec = {
  openapi: '3.0.3',
  info: { title: 'two cores', version: '1' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'notes', key: 'id', version: 'revision' },
        properties: {
          id: { type: 'string' },
          text: { type: 'string' },
          revision: { type: 'integer' },
        },
      },
    },
  },
};

describe('two installed copies of core', () => {
  it('are two copies: their error classes differ', () => {
    expect(second.ConditionFailedError).not.toBe(core.ConditionFailedError);
  });

  it('map the backend’s errors by identity, not instanceof: create on a taken key is AlreadyExistsError', async () => {
    // The backend was built against `core`; the application loads its API with `second`.
    const backend = createMemoryBackend();
    const api = await second.loadApi(spec, { backend });
    const Note = api.persistent<{ id: string; text?: string; revision?: number }>('Note');
    await backend.ensureTables?.(api.tables());
    await Note.create({ id: 'n1' });
    const taken = await Note.create({ id: 'n1' }).catch((error: unknown) => error);
    expect(second.AlreadyExistsError.isInstance(taken)).toBe(true);
    expect(core.AlreadyExistsError.isInstance(taken)).toBe(true);
    expect(core.ConditionFailedError.isInstance(taken)).toBe(false);

    const stale = new Note({ id: 'n1', revision: 7 });
    const conflict = await stale.save().catch((error: unknown) => error);
    expect(core.ConflictError.isInstance(conflict)).toBe(true);
    expect(core.ItemNotFoundError.isInstance(conflict)).toBe(false);

    const missing = await Note.update('nobody', { set: { text: 'x' } }).catch(
      (error: unknown) => error,
    );
    expect(core.ItemNotFoundError.isInstance(missing)).toBe(true);
  });
});
