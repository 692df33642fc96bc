import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawSchema, value } from '../../test/support/schema-arbitraries.js';
import { fixturePath } from '../../test/support/specs.js';
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
      // The marker's name may be written with escapes, as any JSON name may.
      const escaped = join(folder, 'escaped.json');
      const text = JSON.stringify(compiled).replace(
        '"x-macaron-compiled"',
        '"\\u0078-macaron-compiled"',
      );
      expect(text).not.toContain('x-macaron-compiled');
      await writeFile(escaped, text);
      for (const source of [compiled, file, escaped]) {
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
    // A schema's own problem does not hide the others.
    broken.components.schemas.Address.properties.city.type = 'strnig';
    expect((await checkSpec(broken)).map((problem) => problem.pointer).sort()).toEqual([
      '/components/schemas/Address/properties/city/type',
      '/components/schemas/Profile/x-persist/key',
    ]);
  });

  it('refuse a compiled form of another version', async () => {
    for (const marker of [0, 3, '2'])
      await expect(
        loadApi({ 'x-macaron-compiled': marker, document: {} } as never),
      ).rejects.toBeInstanceOf(SpecError);
  });

  // Versions before exactNumbers read a compiled spec's document alone, and accept nothing but
  // format 1: a spec whose numbers the document holds rounded is format 2, which they refuse
  // (recompile) rather than validate against the rounded bound.
  it('are format 2 when they list exact numbers, format 1 otherwise', async () => {
    const bounded = structuredClone(spec) as any;
    bounded.components.schemas.Profile.properties.count = { type: 'integer', format: 'int64' };
    expect((await compileSpec(bounded))['x-macaron-compiled']).toBe(1);
    const yaml = join(await mkdtemp(join(tmpdir(), 'macaron-compiled-')), 'api.yaml');
    try {
      bounded.components.schemas.Profile.properties.count.maximum = 1;
      await writeFile(
        yaml,
        JSON.stringify(bounded).replace('"maximum":1', '"maximum":9007199254740993'),
      );
      const compiled = await compileSpec(yaml);
      expect(compiled['x-macaron-compiled']).toBe(2);
      expect(compiled.exactNumbers).toEqual({
        '/components/schemas/Profile/properties/count/maximum': '9007199254740993',
      });
      const api = await loadApi(JSON.parse(JSON.stringify(compiled)));
      expect(api.validate('Profile', { id: 'a', count: 9007199254740993n })).toEqual([]);
      expect(api.validate('Profile', { id: 'a', count: 9007199254740994n })).not.toEqual([]);
    } finally {
      await rm(dirname(yaml), { recursive: true, force: true });
    }
  });

  it('load as their version compiled them', async () => {
    const count = (maximum: number) => ({
      ...spec,
      components: {
        schemas: {
          Profile: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'profiles', key: 'id' },
            properties: {
              id: { type: 'string' },
              count: { type: 'integer', format: 'int64', maximum },
            },
          },
        },
      },
    });
    const pointer = '/components/schemas/Profile/properties/count/maximum';
    // Format 1 as versions before exactNumbers wrote it: the bound as the document holds it.
    const rounded = await loadApi({
      'x-macaron-compiled': 1,
      dialect: 'oas3.0',
      document: count(2 ** 53),
    });
    expect(rounded.validate('Profile', { id: 'a', count: 9007199254740993n })).not.toEqual([]);
    // Format 1 with exactNumbers, as versions of 2026-12-07 before format 2 wrote it.
    const listed = await loadApi({
      'x-macaron-compiled': 1,
      dialect: 'oas3.0',
      document: count(2 ** 53),
      exactNumbers: { [pointer]: '9007199254740993' },
    });
    expect(listed.validate('Profile', { id: 'a', count: 9007199254740993n })).toEqual([]);
  });

  it('give the schemas, tables and models of the spec loaded whole', async () => {
    for (const file of [
      'profile/openapi30.yaml',
      'profile/swagger2.yaml',
      'profile/openapi31.json',
      'recursive/tree.yaml',
      'alias/api.yaml',
      'multi-file/api.yaml',
      'broken/split-pattern/api.yaml',
    ]) {
      const whole = await loadApi(fixturePath(file));
      const compiled = await loadApi(await compileSpec(fixturePath(file)));
      expect(compiled.modelNames(), file).toEqual(whole.modelNames());
      expect(compiled.tables(), file).toEqual(whole.tables());
      // Asked for last to first: a schema normalised when used is the same whatever the order.
      for (const name of whole.modelNames().reverse()) {
        expect(compiled.schema(name), `${file} ${name}`).toEqual(whole.schema(name));
        // The same refusal (the compiled spec was given as an object: its problems name no file,
        // and a place in another file is the bundled one; the spec loaded whole names that file).
        const error = (api: typeof whole, otherFiles: boolean[] = []) => {
          try {
            api.model(name);
            return undefined;
          } catch (thrown) {
            // A SpecError lists problems; a schema typed other than object has no model class.
            const { code, problems, message } = thrown as SpecError;
            return {
              code,
              problems:
                problems?.map(({ pointer, message }, index) =>
                  otherFiles[index] ? { message } : { pointer, message },
                ) ?? message,
            };
          }
        };
        let otherFiles: boolean[] = [];
        try {
          whole.model(name);
        } catch (thrown) {
          otherFiles = ((thrown as SpecError).problems ?? []).map(
            (problem) => problem.file !== fixturePath(file),
          );
        }
        expect(error(compiled, otherFiles), `${file} ${name}`).toEqual(error(whole, otherFiles));
      }
    }
  });

  it('keep every variant of a discriminator, in the order of the spec loaded whole', async () => {
    const pets = {
      openapi: '3.0.3',
      info: { title: 'pets', version: '1' },
      paths: {},
      components: {
        schemas: {
          // Normalising Owner first reaches Dog before Cat: the order the mapping lists them in.
          Owner: { type: 'object', properties: { dog: { $ref: '#/components/schemas/Dog' } } },
          Pet: {
            type: 'object',
            required: ['petType'],
            discriminator: { propertyName: 'petType' },
            properties: { petType: { type: 'string' } },
          },
          Cat: { allOf: [{ $ref: '#/components/schemas/Pet' }] },
          Dog: { allOf: [{ $ref: '#/components/schemas/Pet' }] },
        },
      },
    };
    const whole = await loadApi(pets);
    const compiled = await loadApi(await compileSpec(pets));
    const messages = (api: typeof whole) =>
      api.validate('Pet', { petType: 'Bird' }).map((problem) => problem.message);
    expect(messages(whole)).toEqual(['must be one of "Pet", "Dog", "Cat"']);
    expect(messages(compiled)).toEqual(messages(whole));
  });

  it('report a schema broken after compiling when it is first used, every time', async () => {
    const compiled = (await compileSpec(spec)) as any;
    compiled.document.components.schemas.Broken = {
      type: 'object',
      properties: { owner: { $ref: '#/components/schemas/Missing' } },
    };
    await expect(loadApi(compiled.document)).rejects.toBeInstanceOf(SpecError);
    const api = await loadApi(compiled);
    expect(api.modelNames()).toEqual(['Profile', 'Address', 'Broken']);
    expect(api.validate('Profile', { id: 'a' })).toEqual([]);
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = (() => {
        try {
          api.validate('Broken', {});
        } catch (thrown) {
          return thrown as SpecError;
        }
      })();
      expect(error).toBeInstanceOf(SpecError);
      expect(error!.message).toContain('compile it again');
      expect(error!.problems.map((problem) => problem.pointer)).toEqual([
        '/components/schemas/Broken/properties/owner/$ref',
      ]);
    }
    // The spec is broken: no schema is given out any more, however sound on its own.
    expect(() => api.validate('Address', {})).toThrow(SpecError);
    // A persistent schema broken so is refused when the spec loads, as it is normalised then.
    compiled.document.components.schemas.Profile.properties.owner = {
      $ref: '#/components/schemas/Missing',
    };
    await expect(loadApi(compiled)).rejects.toBeInstanceOf(SpecError);
  });

  it('keep a schema broken after compiling broken however it is first reached', async () => {
    const body = '/paths/~1x/post/requestBody/content/application~1json/schema';
    const source = {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/x': {
          post: {
            requestBody: {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/X' } } },
            },
            parameters: [{ name: 'n', in: 'query', schema: { type: 'integr' } }],
            responses: { 200: { description: 'ok' } },
          },
        },
      },
      components: {
        schemas: {
          X: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
          Z: { type: 'string' },
        },
      },
    };
    const parameter = '/paths/~1x/post/parameters/0/schema';
    // An inline schema of a path is not checked by loading: refused each time it is asked
    // for, compiled or not, and the rest of the spec works.
    for (const loaded of [await loadApi(source), await loadApi(await compileSpec(source))]) {
      expect(() => loaded.schemaAt(parameter)).toThrow(SpecError);
      expect(() => loaded.schemaAt(parameter)).toThrow(SpecError);
      // So is what is no schema inside a named one (its `required`).
      expect(() => loaded.schemaAt('/components/schemas/X/required')).toThrow(SpecError);
      expect(() => loaded.schemaAt('/components/schemas/X/required')).toThrow(SpecError);
      expect(loaded.validate('Z', 'z')).toEqual([]);
      expect(loaded.validate('X', { n: 1 })).toEqual([]);
    }
    for (const first of ['schemaAt', 'validate'] as const) {
      const compiled = (await compileSpec(source)) as any;
      compiled.document.components.schemas.X.properties.n.type = 'integr';
      const api = await loadApi(compiled);
      const uses = {
        schemaAt: () => api.schemaAt(body),
        validate: () => api.validate('X', { n: 'a' }),
      };
      const second: keyof typeof uses = first === 'schemaAt' ? 'validate' : 'schemaAt';
      for (const use of [first, first, second, second] as const)
        expect(uses[use], `${first} first, then ${use}`).toThrow(/compile it again/);
    }
  });

  it('validate as the spec loaded whole, whichever schema is used first (random specs)', async () => {
    const outcome = (
      api: Awaited<ReturnType<typeof loadApi>>,
      name: string,
      candidate: unknown,
    ) => {
      try {
        return api.validate(name, candidate);
      } catch (thrown) {
        return (thrown as SpecError).code;
      }
    };
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(rawSchema, rawSchema, rawSchema),
        fc.shuffledSubarray(['T', 'U', 'V'], { minLength: 1 }),
        fc.array(value, { minLength: 1, maxLength: 3 }),
        async ([t, u, v], order, candidates) => {
          const random = {
            openapi: '3.1.0',
            info: { title: 'random', version: '1' },
            paths: {},
            components: { schemas: { T: t, U: u, V: v } },
          };
          const whole = await loadApi(random);
          const compiled = await loadApi(await compileSpec(random));
          for (const name of order)
            for (const candidate of candidates)
              expect(outcome(compiled, name, candidate)).toEqual(outcome(whole, name, candidate));
        },
      ),
      { numRuns: 60 },
    );
  });
});
