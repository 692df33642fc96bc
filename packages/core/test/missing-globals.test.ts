import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSpec, loadApi, MissingDependencyError } from '../src/index.js';

// Jest's jsdom environment (jest-environment-jsdom 30) defines neither `structuredClone` nor
// `TextEncoder`/`TextDecoder`; the spec parser needs the first. Each test takes a global away
// as that environment leaves it out (deleted, not undefined) and puts it back.
async function without<T>(name: string, run: () => Promise<T>): Promise<T> {
  const global = globalThis as Record<string, unknown>;
  const descriptor = Object.getOwnPropertyDescriptor(global, name);
  delete global[name];
  try {
    return await run();
  } finally {
    if (descriptor) Object.defineProperty(global, name, descriptor);
  }
}

const spec = {
  openapi: '3.0.3',
  info: { title: 'globals', version: '1' },
  paths: {},
  components: {
    schemas: {
      User: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    },
  },
};

describe('a global the environment leaves out', () => {
  it('the spec parser without structuredClone: a MissingDependencyError that names it and says what loads', async () => {
    const error = await without('structuredClone', () => loadApi(spec)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error).toMatchObject({ code: 'DEPENDENCY_MISSING', status: 500 });
    expect((error as Error).message).toMatch(
      /^Loading a spec that is not compiled needs the global structuredClone, .*load a compiled spec \(compileSpec, or macaron compile\)/,
    );
    expect((error as Error).cause).toBeInstanceOf(ReferenceError);
  });

  it('a compiled spec loads without structuredClone, and validates', async () => {
    const compiled = await compileSpec(spec);
    const api = await without('structuredClone', () => loadApi(compiled));
    expect(api.model('User').fromJSON({ id: 'ann' })).toEqual({ id: 'ann' });
  });

  it('a spec file in UTF-16 is read without the global TextDecoder', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'macaron-globals-'));
    try {
      const file = join(directory, 'spec.json');
      await writeFile(file, Buffer.from(`\uFEFF${JSON.stringify(spec)}`, 'utf16le'));
      const compiled = await compileSpec(file);
      // Read by core itself, with Node's TextDecoder: the same document as compiled.
      const read = await without('TextDecoder', () => compileSpec(file));
      expect(read.document).toEqual(compiled.document);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
