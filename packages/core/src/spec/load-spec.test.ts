import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  fixturePath,
  openapi30,
  openapi31,
  rejection,
  swagger2,
  thrown,
} from '../../test/support/specs.js';
import { MacaronError } from '../errors/macaron-error.js';
import { SpecError } from '../errors/spec-error.js';
import { checkSpec, compileSpec, loadApi } from '../index.js';
import { detectDialect, loadSpec } from './load-spec.js';

async function specError(source: string | object): Promise<SpecError> {
  const error = await rejection(loadApi(source));
  expect(error).toBeInstanceOf(SpecError);
  expect((error as SpecError).code).toBe('SPEC_INVALID');
  return error as SpecError;
}

describe('loadSpec', () => {
  it('returns the bundled document, its dialect and the absolute root file', async () => {
    const spec = await loadSpec(fixturePath('profile/openapi30.yaml'));
    expect(spec.dialect).toBe('oas3.0');
    expect(spec.file).toBe(fixturePath('profile/openapi30.yaml'));
    expect(spec.document).toMatchObject({ openapi: '3.0.3' });
  });

  it("loads a spec whose example's externalValue cannot be fetched; a $ref that cannot is still an error", async () => {
    const server = createServer((_request, response) => {
      response.writeHead(500);
      response.end('no');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const folder = await mkdtemp(join(tmpdir(), 'macaron-external-'));
    try {
      const spec = (example: string) =>
        JSON.stringify({
          openapi: '3.0.3',
          info: { title: 't', version: '1' },
          paths: {
            '/config': {
              get: {
                responses: {
                  '200': {
                    description: 'ok',
                    content: {
                      'application/json': {
                        schema: { type: 'object' },
                        examples: { nightly: JSON.parse(example) },
                      },
                    },
                  },
                },
              },
            },
          },
        });
      const url = `http://127.0.0.1:${port}/example.json`;
      await writeFile(join(folder, 'external.json'), spec(JSON.stringify({ externalValue: url })));
      await writeFile(join(folder, 'referred.json'), spec(JSON.stringify({ $ref: url })));
      expect((await loadSpec(join(folder, 'external.json'))).dialect).toBe('oas3.0');
      await specError(join(folder, 'referred.json'));
    } finally {
      server.close();
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('has no file when the spec is an object', async () => {
    const spec = await loadSpec(openapi31({ A: { type: 'string' } }));
    expect(spec.dialect).toBe('oas3.1');
    expect(spec.file).toBeUndefined();
  });

  it('does not change the object it was given', async () => {
    const source = openapi30({
      A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B' } } },
      B: { type: 'string' },
    });
    const before = structuredClone(source);
    await loadSpec(source);
    expect(source).toEqual(before);
  });
});

describe('detectDialect', () => {
  it.each([
    [{ swagger: '2.0' }, 'swagger2'],
    [{ openapi: '3.0.0' }, 'oas3.0'],
    [{ openapi: '3.0.3' }, 'oas3.0'],
    [{ openapi: '3.1.0' }, 'oas3.1'],
    [{ openapi: '3.1.1' }, 'oas3.1'],
  ] as const)('reads %j as %s', (document, dialect) => {
    expect(detectDialect(document)).toBe(dialect);
  });

  it.each([[{ swagger: '1.2' }], [{ openapi: '2.0' }], [{ openapi: 3 }], [{}]])(
    'rejects %j with a SpecError naming the file',
    (document) => {
      const error = thrown(() => detectDialect(document, '/specs/api.yaml'));
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).problems).toEqual([
        expect.objectContaining({ file: '/specs/api.yaml', pointer: '' }),
      ]);
    },
  );
});

describe('broken specs are SpecErrors with file and pointer', () => {
  it("a spec whose $refs lead the bundler past Node's stack: a SpecError saying to compile it with more stack", async () => {
    const schemas: Record<string, unknown> = { M5000: { type: 'object' } };
    for (let index = 0; index < 5_000; index++)
      schemas[`M${index}`] = {
        type: 'object',
        properties: { next: { $ref: `#/components/schemas/M${index + 1}` } },
      };
    const error = await specError(openapi30(schemas));
    expect(error.problems).toEqual([
      expect.objectContaining({
        pointer: '',
        message: expect.stringContaining('--stack-size=7000'),
      }),
    ]);
  });

  it('an unresolved $ref, from a path', async () => {
    const error = await specError(fixturePath('broken/unresolved-ref.yaml'));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: fixturePath('broken/unresolved-ref.yaml') });
    expect(error.problems[0]!.pointer).toMatch(
      /^\/components\/schemas\/Profile\/properties\/address(\/\$ref)?$/,
    );
  });

  it('an unresolved $ref, from an object (pointer, no file)', async () => {
    const error = await specError(
      openapi30({
        Profile: { type: 'object', properties: { a: { $ref: '#/components/schemas/Gone' } } },
      }),
    );
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]!.file).toBeUndefined();
    expect(error.problems[0]!.pointer).toMatch(
      /^\/components\/schemas\/Profile\/properties\/a(\/\$ref)?$/,
    );
  });

  it('an unresolved $ref in a Swagger 2.0 object', async () => {
    const error = await specError(swagger2({ Profile: { $ref: '#/definitions/Gone' } }));
    expect(error.problems[0]!.pointer).toMatch(/^\/definitions\/Profile(\/\$ref)?$/);
  });

  it('every unresolved $ref at once', async () => {
    const error = await specError(fixturePath('broken/two-unresolved-refs.yaml'));
    expect(error.problems.map((problem) => problem.pointer).sort()).toEqual([
      expect.stringMatching(/^\/components\/schemas\/Profile\/properties\/address(\/\$ref)?$/),
      expect.stringMatching(/^\/components\/schemas\/Profile\/properties\/company(\/\$ref)?$/),
    ]);
  });

  it("follows a $ref whose pointer has empty tokens (a name '', RFC 6901), from an object and a file; one naming nothing is still an error", async () => {
    // redocly drops empty tokens: it read `…/$defs//$defs/` as `…/$defs/$defs` (no such schema:
    // the spec was refused) and `…/$defs//n` as `…/$defs/n` (another schema).
    const schemas = {
      S: {
        $defs: {
          '': { $defs: { '': { type: 'number', $defs: { '': { type: 'boolean' } } } }, n: {} },
          n: { type: 'string' },
        },
        properties: {
          a: { $ref: '#/components/schemas/S/$defs//$defs/' },
          b: { $ref: '#/components/schemas/S/$defs//$defs//$defs/' },
          c: { $ref: '#/components/schemas/S/$defs//n' },
        },
      },
    };
    const directory = await mkdtemp(join(tmpdir(), 'macaron-empty-token-'));
    try {
      const file = join(directory, 'openapi.json');
      await writeFile(file, JSON.stringify(openapi31(schemas)));
      for (const source of [openapi31(schemas), file]) {
        const api = await loadApi(source);
        expect(api.validate('S', { a: 1, b: true, c: 2 })).toEqual([]);
        expect(api.validate('S', { a: 'x', b: 1 }).map((problem) => problem.pointer)).toEqual([
          '/a',
          '/b',
        ]);
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
    const error = await specError(
      openapi31({ ...schemas, T: { $ref: '#/components/schemas/S/$defs//none' } }),
    );
    expect(error.problems.map((problem) => problem.pointer)).toEqual([
      expect.stringMatching(/^\/components\/schemas\/T(\/\$ref)?$/),
    ]);
  });

  it('refuses a $ref the bundler follows by a pointer with empty tokens (into another file, or written in one), at its place: it read another schema, or none', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'macaron-empty-token-file-'));
    try {
      // `models.yaml#/defs//n` is the integer; the bundler read `#/defs/n`, the string, and
      // values were validated by it, with no error.
      await writeFile(
        join(directory, 'models.yaml'),
        [
          'defs:',
          "  '': { n: { type: integer }, m: { type: boolean } }",
          '  n: { type: string }',
        ].join('\n'),
      );
      await writeFile(
        join(directory, 'inner.yaml'),
        [
          'defs:',
          "  '': { m: { type: boolean } }",
          '  m: {}',
          '  inner: { $ref: "#/defs//m" }',
        ].join('\n'),
      );
      const spec = (properties: Record<string, unknown>) =>
        openapi31({ S: { type: 'object', properties } });
      const root = join(directory, 'openapi.json');
      const cases: [Record<string, unknown>, string, string][] = [
        [{ c: { $ref: 'models.yaml#/defs//n' } }, root, '/components/schemas/S/properties/c'],
        [{ d: { $ref: 'models.yaml#/defs//m' } }, root, '/components/schemas/S/properties/d'],
        [{ e: { $ref: 'inner.yaml#/defs/inner' } }, join(directory, 'inner.yaml'), '/defs/inner'],
      ];
      for (const [properties, file, pointer] of cases) {
        await writeFile(root, JSON.stringify(spec(properties)));
        const error = await specError(root);
        expect(error.problems).toEqual([
          { file, pointer, message: expect.stringContaining('has an empty token in its pointer') },
        ]);
      }
      // From a spec given as an object, its file relative to the working directory.
      const cwd = process.cwd();
      process.chdir(directory);
      try {
        const error = await specError(spec({ c: { $ref: 'models.yaml#/defs//n' } }));
        expect(error.problems).toEqual([
          {
            pointer: '/components/schemas/S/properties/c',
            message: expect.stringContaining('"models.yaml#/defs//n" has an empty token'),
          },
        ]);
      } finally {
        process.chdir(cwd);
      }
      // A pointer without empty tokens into the same file is followed.
      await writeFile(root, JSON.stringify(spec({ f: { $ref: 'models.yaml#/defs/n' } })));
      expect((await loadApi(root)).validate('S', { f: 'x' })).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses such a $ref where a name is a keyword of data (a property or response named default) and where JSON escapes its slashes (\\/, as PHP writes them)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'macaron-empty-token-named-'));
    try {
      await writeFile(
        join(directory, 'models.yaml'),
        ['defs:', "  '': { n: { type: integer } }", '  n: { type: string }'].join('\n'),
      );
      const root = join(directory, 'openapi.json');
      const ref = { $ref: 'models.yaml#/defs//n' };
      const cases: [string, string][] = [
        // Names that are keywords whose values are data elsewhere (`default`, `enum`, …).
        [
          JSON.stringify(openapi31({ S: { type: 'object', properties: { default: ref } } })),
          '/components/schemas/S/properties/default',
        ],
        [JSON.stringify(openapi31({ enum: ref })), '/components/schemas/enum'],
        [
          JSON.stringify({
            ...openapi31({}),
            paths: {
              '/s': {
                get: {
                  responses: {
                    default: {
                      description: 'd',
                      content: { 'application/json': { schema: ref } },
                    },
                  },
                },
              },
            },
          }),
          '/paths/~1s/get/responses/default/content/application~1json/schema',
        ],
        // A multipart property named `default`, its encoding's header schema by such a $ref.
        [
          JSON.stringify({
            ...openapi31({}),
            paths: {
              '/u': {
                post: {
                  requestBody: {
                    content: {
                      'multipart/form-data': {
                        schema: { type: 'object', properties: { default: { type: 'string' } } },
                        encoding: { default: { headers: { 'X-A': { schema: ref } } } },
                      },
                    },
                  },
                  responses: { '204': { description: 'd' } },
                },
              },
            },
          }),
          '/paths/~1u/post/requestBody/content/multipart~1form-data/encoding/default/headers/X-A/schema',
        ],
        // Every `/` escaped, as PHP's json_encode writes them, or one as \u002F.
        [
          JSON.stringify(openapi31({ S: { type: 'object', properties: { c: ref } } })).replaceAll(
            '/',
            '\\/',
          ),
          '/components/schemas/S/properties/c',
        ],
        [
          JSON.stringify(openapi31({ S: { type: 'object', properties: { c: ref } } })).replace(
            '#/defs//n',
            '#/defs/\\u002Fn',
          ),
          '/components/schemas/S/properties/c',
        ],
      ];
      for (const [text, pointer] of cases) {
        await writeFile(root, text);
        const error = await specError(root);
        expect(error.problems).toEqual([
          {
            file: root,
            pointer,
            message: expect.stringContaining('has an empty token in its pointer'),
          },
        ]);
      }
      // A `$ref` in an example's data is a value, not a reference.
      await writeFile(
        root,
        JSON.stringify(openapi31({ S: { type: 'object', default: ref, examples: [ref] } })),
      );
      await expect(loadApi(root)).resolves.toBeDefined();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('a $ref to a file that does not exist', async () => {
    const error = await specError(fixturePath('broken/missing-file-ref.yaml'));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: fixturePath('broken/missing-file-ref.yaml') });
    expect(error.problems[0]!.pointer).toMatch(
      /^\/components\/schemas\/Profile\/properties\/address(\/\$ref)?$/,
    );
  });

  it('an unresolved $ref inside a referenced file names that file', async () => {
    const error = await specError(fixturePath('broken/split-ref/api.yaml'));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file: fixturePath('broken/split-ref/address.yaml') });
    expect(error.problems[0]!.pointer).toMatch(/^\/properties\/country(\/\$ref)?$/);
  });

  it('a schema problem inside a referenced file names that file and the pointer within it', async () => {
    // A pattern JavaScript cannot run stops only the schemas that use it, when they are used.
    const api = await loadApi(fixturePath('broken/split-pattern/api.yaml'));
    const error = thrown(() => api.model('Profile'));
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems).toEqual([
      expect.objectContaining({
        file: fixturePath('broken/split-pattern/address.yaml'),
        pointer: '/properties/zip/pattern',
      }),
    ]);
  });

  it('a YAML syntax error', async () => {
    // Written at test time: biome parses the YAML files of the tree and rejects broken ones.
    const directory = await mkdtemp(join(tmpdir(), 'macaron-core-'));
    const file = join(directory, 'broken.yaml');
    await writeFile(
      file,
      'openapi: 3.0.3\ninfo:\n  title: Broken\n  version: "1.0"\npaths: {}\ncomponents:\n  schemas:\n    Profile:\n      type: object\n      properties: {profile_id: [unclosed\n',
    );
    try {
      const error = await specError(file);
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatchObject({ file });
      expect(typeof error.problems[0]!.pointer).toBe('string');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('a missing root file', async () => {
    const error = await specError(fixturePath('broken/no-such-file.yaml'));
    expect(error.problems).toEqual([
      expect.objectContaining({ file: fixturePath('broken/no-such-file.yaml'), pointer: '' }),
    ]);
  });

  it('an unsupported version, from a path', async () => {
    const error = await specError(fixturePath('broken/unsupported-version.yaml'));
    expect(error.problems).toEqual([
      expect.objectContaining({
        file: fixturePath('broken/unsupported-version.yaml'),
        pointer: '',
      }),
    ]);
  });

  it.each([
    ['openapi 4.0.0', { openapi: '4.0.0', info: { title: 't', version: '1' }, paths: {} }],
    ['swagger 1.2', { swagger: '1.2', info: { title: 't', version: '1' }, paths: {} }],
    ['no version field', { info: { title: 't', version: '1' }, paths: {} }],
  ])('an unsupported version, from an object (%s)', async (_label, source) => {
    const error = await specError(source);
    expect(error.problems.length).toBeGreaterThan(0);
    expect(error.problems[0]!.pointer).toBe('');
  });

  it('an invalid regular expression in a pattern, when its schema is used', async () => {
    const api = await loadApi(
      openapi30({
        Profile: { type: 'object', properties: { zip: { type: 'string', pattern: '[0-9' } } },
      }),
    );
    const error = thrown(() => api.validate('Profile', { zip: '1' }));
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems).toEqual([
      expect.objectContaining({ pointer: '/components/schemas/Profile/properties/zip/pattern' }),
    ]);
  });

  it('an unknown type, with the file of the spec', async () => {
    const error = await specError(fixturePath('broken/unknown-type.yaml'));
    expect(error.problems).toEqual([
      expect.objectContaining({
        file: fixturePath('broken/unknown-type.yaml'),
        pointer: '/components/schemas/Profile/properties/name/type',
      }),
    ]);
  });

  it('is a MacaronError with status 500', async () => {
    const error = await specError(openapi30({ A: { $ref: '#/components/schemas/B' } }));
    expect(error).toBeInstanceOf(MacaronError);
    expect(error.status).toBe(500);
    expect(MacaronError.isInstance(error)).toBe(true);
  });
});

describe('a $ref to another file by a percent-encoded path (RFC 3986)', () => {
  it('names the decoded file (a space, a #, a non-ASCII name), from inside such a folder too, and leaves the fragment as written', async () => {
    const file = fixturePath('percent-paths/api.yaml');
    for (const api of [await loadApi(file), await loadApi(await compileSpec(file))]) {
      expect(api.validate('User', {}).map((problem) => problem.pointer)).toEqual(['/id']);
      // my models/user.yaml refers to ../caf%C3%A9.yaml.
      expect(api.validate('User', { id: 'u', address: { c: 'x' } })).toMatchObject([
        { pointer: '/address/c', keyword: 'type' },
      ]);
      expect(api.validate('Hash', { h: 'x' })).toMatchObject([{ pointer: '/h' }]);
      expect(api.validate('Cafe', { c: 'x' })).toMatchObject([{ pointer: '/c' }]);
      // defs.yaml#/definitions/a~1b%2520c is the definition `a/b%20c`.
      expect(api.validate('Deep', {}).map((problem) => problem.pointer)).toEqual(['/z']);
      expect(api.validate('Percent', { p: 'x' })).toMatchObject([{ pointer: '/p' }]);
      expect(api.validate('Mixed', { m: 'x' })).toMatchObject([{ pointer: '/m' }]);
    }
  });

  it('names the file of that very name first, where one has a real % in its name (x%41.yaml, not xA.yaml), also when the spec refers to both', async () => {
    const file = fixturePath('percent-paths/api.yaml');
    for (const api of [await loadApi(file), await loadApi(await compileSpec(file))]) {
      for (const name of ['Literal', 'Encoded'])
        expect(api.validate(name, { literal: 'x', decoded: 'x' }), name).toMatchObject([
          { pointer: '/literal', keyword: 'type' },
        ]);
      expect(api.validate('Decoded', { literal: 'x', decoded: 'x' })).toMatchObject([
        { pointer: '/decoded', keyword: 'type' },
      ]);
    }
  });

  it('that names no file is an error naming the decoded path', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'macaron-core-'));
    const file = join(directory, 'api.yaml');
    await writeFile(file, JSON.stringify(swagger2({ User: { $ref: 'no%20such/user.yaml' } })));
    try {
      const error = await specError(file);
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]!.message).toContain(join(directory, 'no such/user.yaml'));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('a discriminator mapping naming no schema', () => {
  it('is reported at the mapping entry that names it (the value, not a $ref under it)', async () => {
    const error = await specError({
      openapi: '3.2.0',
      info: { title: 't', version: '1' },
      paths: {},
      components: {
        schemas: {
          Pet: {
            type: 'object',
            properties: { kind: { type: 'string' } },
            discriminator: {
              propertyName: 'kind',
              mapping: { cat: 'Gone' },
              defaultMapping: 'Lost',
            },
          },
        },
      },
    });
    expect(error.problems.map((problem) => [problem.pointer, problem.message])).toEqual([
      [
        '/components/schemas/Pet/discriminator/mapping/cat',
        'unresolved $ref #/components/schemas/Gone',
      ],
      [
        '/components/schemas/Pet/discriminator/defaultMapping',
        'unresolved $ref #/components/schemas/Lost',
      ],
    ]);
  });
});

describe('problems of schemas written in other files', () => {
  it('name that file and the pointer within it, as loadApi and compileSpec report them (x-persist, a discriminator, a type)', async () => {
    const file = fixturePath('errors-in-files/api.yaml');
    const models = (name: string) => fixturePath(`errors-in-files/models/${name}`);
    const expected = [
      {
        file: models('pets.yaml'),
        pointer: '/components/schemas/Pet/discriminator/mapping/cat',
        message: 'unresolved $ref #/components/schemas/Gone',
      },
      {
        file: models('pets.yaml'),
        pointer: '/components/schemas/Item/properties/count/type',
        message: 'unknown type integr',
      },
      {
        file: models('user.yaml'),
        pointer: '/x-persist/key',
        schema: 'User',
        message: '"nope" is not a property of the schema',
      },
    ];
    expect((await specError(file)).problems).toEqual(expected);
    const compiling = await rejection(compileSpec(file));
    expect((compiling as SpecError).problems).toEqual(expected);
  });

  it('name a schema a YAML alias repeats once, where its anchor is written', async () => {
    const file = fixturePath('anchored-schemas/api.yaml');
    const expected = [
      {
        file: fixturePath('anchored-schemas/models.yaml'),
        pointer: '/A/properties/n/type',
        message: 'unknown type integr',
      },
    ];
    expect((await specError(file)).problems).toEqual(expected);
    expect(((await rejection(compileSpec(file))) as SpecError).problems).toEqual(expected);
  });

  it('keep the pointers of the bundled document for checkSpec, which macaron lint locates itself', async () => {
    const problems = await checkSpec(fixturePath('errors-in-files/api.yaml'));
    expect(problems.map((problem) => [problem.file, problem.pointer])).toEqual([
      [
        fixturePath('errors-in-files/api.yaml'),
        '/components/schemas/Pet/discriminator/mapping/cat',
      ],
      [fixturePath('errors-in-files/api.yaml'), '/components/schemas/Item/properties/count/type'],
      [fixturePath('errors-in-files/api.yaml'), '/components/schemas/User/x-persist/key'],
    ]);
  });
});

describe('spec files as Windows tools and other editors write them', () => {
  // A spec in two files: the root refers to schemas/user.yaml, which refers to ../address.yaml.
  const root = [
    'openapi: 3.0.3',
    'info: { title: users, version: "1" }',
    'paths: {}',
    'components:',
    '  schemas:',
    '    User: { $ref: "REF" }',
    '',
  ].join('\n');
  const user = [
    'type: object',
    'required: [id]',
    'properties:',
    '  id: { type: string }',
    '  address: { $ref: "ADDRESS" }',
    '',
  ].join('\n');
  const address = ['type: object', 'properties:', '  c: { type: integer }', ''].join('\n');
  const utf16 = (text: string, endian: 'le' | 'be', mark = '\uFEFF') => {
    const bytes = Buffer.from(`${mark}${text}`, 'utf16le');
    if (endian === 'be') bytes.swap16();
    return bytes;
  };

  async function usersSpec(
    write: (text: string) => string | Buffer,
    ref = 'schemas/user.yaml',
    addressRef = '../address.yaml',
  ) {
    const directory = await mkdtemp(join(tmpdir(), 'macaron-core-'));
    await mkdir(join(directory, 'schemas'));
    const file = join(directory, 'api.yaml');
    await writeFile(file, write(root.replace('REF', ref)));
    await writeFile(
      join(directory, 'schemas', 'user.yaml'),
      write(user.replace('ADDRESS', addressRef)),
    );
    await writeFile(join(directory, 'address.yaml'), write(address));
    return { directory, file };
  }

  async function expectUsers(file: string) {
    for (const api of [await loadApi(file), await loadApi(await compileSpec(file))]) {
      expect(api.modelNames()).toEqual(['User', 'address', 'user']);
      expect(api.validate('User', { address: { c: 'x' } })).toMatchObject([
        { pointer: '/id' },
        { pointer: '/address/c', keyword: 'type' },
      ]);
    }
  }

  it('reads every file the same with a UTF-8 byte order mark, CRLF, lone CR, or in UTF-16 with or without its byte order mark', async () => {
    const writes: Record<string, (text: string) => string | Buffer> = {
      bom: (text) => `\uFEFF${text}`,
      'bom and CRLF': (text) => `\uFEFF${text.replaceAll('\n', '\r\n')}`,
      'lone CR': (text) => text.replaceAll('\n', '\r'),
      'UTF-16 LE': (text) => utf16(text.replaceAll('\n', '\r\n'), 'le'),
      'UTF-16 BE': (text) => utf16(text, 'be'),
      // YAML 1.2 §5.2: the zero byte beside the first (ASCII) character tells UTF-16.
      'UTF-16 LE without a byte order mark': (text) => utf16(text, 'le', ''),
      'UTF-16 BE without a byte order mark': (text) => utf16(text, 'be', ''),
    };
    for (const [name, write] of Object.entries(writes)) {
      const { directory, file } = await usersSpec(write);
      try {
        await expect(expectUsers(file), name).resolves.toBeUndefined();
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    }
  });

  it('refuses bytes that are not UTF-8 at their line and column, in the root file and in a file a $ref names (read, each was a U+FFFD)', async () => {
    // café written in Latin-1: the é is the byte 0xE9, no UTF-8.
    const latin1 = (text: string) => Buffer.from(`x-note: "caf\u00e9"\n${text}`, 'latin1');
    for (const [name, writeRoot, writeOthers] of [
      ['root', latin1, (text: string) => text],
      ['referenced file', (text: string) => text, latin1],
    ] as const) {
      const { directory, file } = await usersSpec((text) =>
        text.startsWith('openapi') ? writeRoot(text) : writeOthers(text),
      );
      try {
        const error = await specError(file);
        const bad = name === 'root' ? file : join(directory, 'schemas', 'user.yaml');
        expect(error.message, name).toContain(
          `${bad} is not valid UTF-8 at line 1, column 13 (byte 0xE9)`,
        );
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    }
  });

  it('loads a compiled spec saved again with a byte order mark (JSON.parse refuses it)', async () => {
    const { directory, file } = await usersSpec((text) => text);
    try {
      const compiled = join(directory, 'api.compiled.json');
      await writeFile(compiled, `\uFEFF${JSON.stringify(await compileSpec(file))}\r\n`);
      const api = await loadApi(compiled);
      expect(api.modelNames()).toEqual(['User', 'address', 'user']);
      expect(api.validate('User', {})).toMatchObject([{ pointer: '/id' }]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('reads a relative $ref written with backslashes, as Windows writes paths (schemas\\user.yaml)', async () => {
    const { directory, file } = await usersSpec(
      (text) => text,
      'schemas\\\\user.yaml',
      '..\\\\address.yaml',
    );
    try {
      await expectUsers(file);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('reads a $ref by a file: URL as the local file it names (redocly fetched it, and failed)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'macaron core é '));
    try {
      await mkdir(join(directory, 'schemas'));
      const file = join(directory, 'api.yaml');
      await writeFile(join(directory, 'address.yaml'), address);
      await writeFile(
        join(directory, 'schemas', 'user.yaml'),
        user.replace('ADDRESS', pathToFileURL(join(directory, 'address.yaml')).href),
      );
      await writeFile(
        file,
        root.replace('REF', pathToFileURL(join(directory, 'schemas', 'user.yaml')).href),
      );
      await expectUsers(file);
      // A file: URL of a file that is not there is an error naming that file.
      await writeFile(file, root.replace('REF', 'file:///C:/specs/user.yaml'));
      const error = await specError(file);
      expect(error.problems[0]!.message).toContain(
        "no such file or directory '/C:/specs/user.yaml'",
      );
      // One on another machine is refused as such (redocly fetched it: "fetch failed").
      await writeFile(file, root.replace('REF', 'file://otherhost/specs/user.yaml'));
      expect((await specError(file)).problems[0]!.message).toBe(
        "Can't resolve $ref: file://otherhost/specs/user.yaml names a file on another machine (host otherhost): a file: URL is read on this machine only (file:///path, or file://localhost/path)",
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('reads a relative file: URL from the folder of the file it is written in, as URL parsers do', async () => {
    const { directory, file } = await usersSpec(
      (text) => text,
      'file:schemas/user.yaml',
      'file:../address.yaml',
    );
    try {
      await expectUsers(file);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('reads no local file for a file: URL in a document fetched from a server', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'macaron-core-'));
    const secret = join(directory, 'secret.yaml');
    const served = `type: object\nproperties:\n  s: { $ref: "${pathToFileURL(secret).href}" }\n`;
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/yaml' });
      response.end(served);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    try {
      await writeFile(secret, 'type: string\nenum: [a local secret]\n');
      const file = join(directory, 'api.yaml');
      await writeFile(file, root.replace('REF', `http://127.0.0.1:${port}/user.yaml`));
      // As a browser does: a page from a server does not load the files of its reader's disk.
      const error = await specError(file);
      expect(error.problems).toMatchObject([
        { file: `http://127.0.0.1:${port}/user.yaml`, pointer: '/properties/s' },
      ]);
      expect(JSON.stringify(error)).not.toContain('a local secret');
    } finally {
      server.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
