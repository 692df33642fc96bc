import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSpec, loadApi } from '../index.js';

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

describe('discriminator variants in files named otherwise than their definitions', () => {
  it('are selected by the names the spec gives them (Cat, not the file-named cat), loaded whole or compiled', async () => {
    const file = fileURLToPath(
      new URL('../../test/fixtures/file-variants/api.yaml', import.meta.url),
    );
    for (const api of [await loadApi(file), await loadApi(await compileSpec(file))]) {
      for (const petType of ['Pet', 'Cat', 'Lion'])
        expect(api.validate('Pet', { petType, name: 'x' }), petType).toEqual([]);
      expect(api.validate('Pet', { petType: 'Lion', name: 'x', mane: 1 })).toMatchObject([
        { pointer: '/mane', keyword: 'type' },
      ]);
      expect(api.validate('Cat', { petType: 'cat', name: 'x' })).toMatchObject([
        { pointer: '/petType', message: 'must be one of "Pet", "Cat", "Lion"' },
      ]);
    }
  });
});

describe('references into another file through escaped pointer tokens (~1, ~0)', () => {
  it('load, and name the schema the pointer names', async () => {
    const file = fileURLToPath(
      new URL('../../test/fixtures/escaped-pointers/api.yaml', import.meta.url),
    );
    for (const api of [await loadApi(file), await loadApi(await compileSpec(file))]) {
      expect(api.validate('Slash', { x: 'a' })).toEqual([]);
      expect(api.validate('Slash', {}).map((problem) => problem.pointer)).toEqual(['/x']);
      expect(api.validate('Tilde', { y: 'no' }).map((problem) => problem.pointer)).toEqual(['/y']);
      expect(api.validate('Holder', { slash: {} }).map((problem) => problem.pointer)).toEqual([
        '/slash/x',
      ]);
    }
  });

  it("load in an OpenAPI 3 spec's parameters, responses and a discriminator's mapping too", async () => {
    const file = fileURLToPath(
      new URL('../../test/fixtures/escaped-pointers-3/api.yaml', import.meta.url),
    );
    const api = await loadApi(file);
    expect(api.validate('Pet', { kind: 'cat', lives: 9 })).toEqual([]);
    expect(api.validate('Pet', { kind: 'cat' }).map((problem) => problem.pointer)).toEqual([
      '/lives',
    ]);
  });
});

describe('two names for one schema of another file', () => {
  const fixture = (name: string) =>
    fileURLToPath(new URL(`../../test/fixtures/${name}/api.yaml`, import.meta.url));

  it('the name the root writes keeps the annotation (User), the other is an alias (Person)', async () => {
    const api = await loadApi(fixture('shared-file-schema'));
    expect(api.tables().map((table) => table.name)).toEqual(['users']);
    expect(api.persistent('User').descriptor.name).toBe('User');
    expect(api.validate('Person', {}).map((problem) => problem.pointer)).toEqual(['/id']);
  });

  it('of two aliases, neither the file component, the first takes the annotation: the spec loads', async () => {
    const api = await loadApi(fixture('two-aliases'));
    expect(api.tables().map((table) => table.name)).toEqual(['users']);
    expect(api.persistent('Person').descriptor.name).toBe('Person');
    expect(api.validate('Member', {}).map((problem) => problem.pointer)).toEqual(['/id']);
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

describe('oneOf variants through escaped pointer tokens into another file, without a mapping', () => {
  it("are selected by the definition's own name (c/at, not c~1at), or by the name the root gives it (Dog), loaded whole or compiled", async () => {
    const file = fileURLToPath(
      new URL('../../test/fixtures/escaped-variants/api.yaml', import.meta.url),
    );
    for (const api of [await loadApi(file), await loadApi(await compileSpec(file))]) {
      expect(api.validate('Pet', { kind: 'c/at', lives: 9 })).toEqual([]);
      expect(api.validate('Pet', { kind: 'c/at' }).map((problem) => problem.pointer)).toEqual([
        '/lives',
      ]);
      expect(api.validate('Pet', { kind: 'Dog', bark: true })).toEqual([]);
      expect(api.validate('Pet', { kind: 'c~1at', lives: 9 })).toMatchObject([
        { pointer: '/kind', message: 'must be one of "c/at", "Dog"' },
      ]);
    }
  });
});
