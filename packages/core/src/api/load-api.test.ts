import { readFileSync } from 'node:fs';
import { parseYaml } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import {
  fixturePath,
  openapi30,
  openapi31,
  problemKeys,
  rejection,
  swagger2,
  thrown,
} from '../../test/support/specs.js';
import { backendContractVersion } from '../backend.js';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { SpecError } from '../errors/spec-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { compileSpec, loadApi } from '../index.js';
import type { StorageBackend } from '../persist/storage-backend.js';
import type { SchemaNode } from '../schema/schema-node.js';

const profileSpecs = [
  { dialect: 'swagger2', file: 'profile/swagger2.yaml' },
  { dialect: 'oas3.0', file: 'profile/openapi30.yaml' },
  { dialect: 'oas3.1', file: 'profile/openapi31.json' },
] as const;

function readSpec(file: string): object {
  const text = readFileSync(fixturePath(file), 'utf8');
  return (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as object;
}

const sources = profileSpecs.flatMap(({ dialect, file }) => [
  { label: `${dialect} from a path`, dialect, source: () => fixturePath(file) },
  { label: `${dialect} from an object`, dialect, source: () => readSpec(file) },
]);

const validProfile = {
  profile_id: 'p-1',
  name: 'Ada',
  nickname: null,
  view_count: 3,
  tags: ['admin'],
  address: { city: 'Paris', zip: '75001' },
};

const invalidProfile = {
  name: '',
  nickname: 3,
  view_count: -1,
  tags: ['admin', 2],
  address: { zip: 'abc' },
};

const invalidProfileProblems = problemKeys([
  { pointer: '/profile_id', keyword: 'required', message: '' },
  { pointer: '/name', keyword: 'minLength', message: '' },
  { pointer: '/nickname', keyword: 'type', message: '' },
  { pointer: '/view_count', keyword: 'minimum', message: '' },
  { pointer: '/tags/1', keyword: 'type', message: '' },
  { pointer: '/address/city', keyword: 'required', message: '' },
  { pointer: '/address/zip', keyword: 'pattern', message: '' },
]);

// A dialect-free picture of a schema graph (no pointers, patterns as source), for comparing
// what the three dialects normalise to.
function shape(node: SchemaNode): unknown {
  const picture: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pointer' || value === undefined) continue;
    if (value instanceof RegExp) picture[key] = value.source;
    else if (key === 'properties')
      picture[key] = Object.fromEntries(
        Object.entries(value as Record<string, SchemaNode>).map(([name, child]) => [
          name,
          shape(child),
        ]),
      );
    else if (key === 'items' || key === 'not' || key === 'additionalProperties')
      picture[key] = value === false ? false : shape(value as SchemaNode);
    else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf')
      picture[key] = (value as SchemaNode[]).map(shape);
    else picture[key] = value;
  }
  return picture;
}

describe('loadApi: one Profile API in three dialects', () => {
  describe.each(sources)('$label', ({ dialect, source }) => {
    it('detects the dialect and lists the named schemas', async () => {
      const api = await loadApi(source());
      expect(api.dialect).toBe(dialect);
      expect(api.modelNames().sort()).toEqual(['Address', 'Profile']);
    });

    it('accepts a valid profile, null included where the schema allows it', async () => {
      const api = await loadApi(source());
      expect(api.validate('Profile', validProfile)).toEqual([]);
    });

    it('validates a model object as its values, nested in a plain value too', async () => {
      const api = await loadApi(source());
      const profile = api.model('Profile').fromJSON(validProfile);
      expect(api.validate('Profile', profile)).toEqual([]);
      (profile as unknown as Record<string, unknown>).view_count = -1;
      expect(problemKeys(api.validate('Profile', profile))).toEqual([
        { pointer: '/view_count', keyword: 'minimum' },
      ]);
      const address = api.model('Address').fromJSON(validProfile.address);
      expect(api.validate('Profile', { ...validProfile, address })).toEqual([]);
    });

    it('reports every problem of an invalid profile with its pointer and keyword', async () => {
      const api = await loadApi(source());
      expect(problemKeys(api.validate('Profile', invalidProfile))).toEqual(invalidProfileProblems);
    });

    it('checks the int32 range of view_count', async () => {
      const api = await loadApi(source());
      expect(
        problemKeys(api.validate('Profile', { ...validProfile, view_count: 2 ** 31 })),
      ).toEqual([{ pointer: '/view_count', keyword: 'format' }]);
    });

    it('makes model classes whose fromJSON validates', async () => {
      const api = await loadApi(source());
      const Profile = api.model('Profile');
      expect(Profile.fromJSON(validProfile).toJSON()).toEqual(validProfile);
      const error = thrown(() => Profile.fromJSON(invalidProfile));
      expect(error).toBeInstanceOf(ValidationError);
      expect(problemKeys((error as ValidationError).problems)).toEqual(invalidProfileProblems);
    });
  });

  it('normalises the three dialects to the same schemas', async () => {
    const shapes = await Promise.all(
      profileSpecs.map(async ({ file }) => {
        const api = await loadApi(fixturePath(file));
        return { profile: shape(api.schema('Profile')), address: shape(api.schema('Address')) };
      }),
    );
    expect(shapes[1]).toEqual(shapes[0]);
    expect(shapes[2]).toEqual(shapes[0]);
    expect(
      (shapes[0]!.profile as { properties: { nickname: unknown } }).properties.nickname,
    ).toEqual({ types: ['string', 'null'], properties: {}, required: [] });
  });

  it('gives the same result from a path and from the parsed object', async () => {
    for (const { file } of profileSpecs) {
      const fromPath = await loadApi(fixturePath(file));
      const fromObject = await loadApi(readSpec(file));
      expect(fromObject.document).toEqual(fromPath.document);
    }
  });

  it('exposes the bundled document and no backend when none is given', async () => {
    const api = await loadApi(fixturePath('profile/openapi30.yaml'));
    expect(api.backend).toBeUndefined();
    expect(api.document).toMatchObject({ openapi: '3.0.3' });
  });

  it('throws InvalidRequestError for a schema the spec does not have', async () => {
    const api = await loadApi(fixturePath('profile/openapi30.yaml'));
    expect(thrown(() => api.model('Nobody'))).toBeInstanceOf(InvalidRequestError);
    expect(thrown(() => api.schema('Nobody'))).toBeInstanceOf(InvalidRequestError);
    expect(thrown(() => api.validate('Nobody', {}))).toBeInstanceOf(InvalidRequestError);
  });

  it('has no model class for a schema typed other than object: InvalidRequestError naming validate', async () => {
    const api = await loadApi(
      openapi30({
        Ecosystem: { type: 'string', enum: ['npm', 'pip'] },
        Tags: { type: 'array', items: { type: 'string' } },
        Maybe: { type: 'object', nullable: true, properties: { a: { type: 'string' } } },
        Any: {},
      }),
    );
    for (const name of ['Ecosystem', 'Tags']) {
      const error = thrown(() => api.model(name));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toContain(`api.validate('${name}', value)`);
    }
    expect(api.validate('Ecosystem', 'npm')).toEqual([]);
    expect(api.model('Maybe').fromJSON({ a: 'x' }).toJSON()).toEqual({ a: 'x' });
    expect(api.model('Any').fromJSON({ b: 1 }).toJSON()).toEqual({ b: 1 });
  });

  it('returns the same model class for the same name', async () => {
    const api = await loadApi(fixturePath('profile/openapi30.yaml'));
    expect(api.model('Profile')).toBe(api.model('Profile'));
    expect(api.model('Profile').modelName).toBe('Profile');
    expect(api.model('Profile').name).toBe('Profile');
  });
});

describe('loadApi: $ref across files', () => {
  it('bundles a schema from a second file and a relative ref nested under it', async () => {
    const api = await loadApi(fixturePath('multi-file/api.yaml'));
    expect(
      api.validate('Profile', { profile_id: 'p', address: { city: 'Lund', country: 'SE' } }),
    ).toEqual([]);
    expect(
      problemKeys(api.validate('Profile', { profile_id: 'p', address: { country: 'XX' } })),
    ).toEqual([
      { pointer: '/address/city', keyword: 'required' },
      { pointer: '/address/country', keyword: 'enum' },
    ]);
  });

  it('a component defined by a $ref to another file validates as that file’s schema', async () => {
    const api = await loadApi(fixturePath('multi-file/components.yaml'));
    expect(api.validate('Address', { city: 'Lund', country: 'SE' })).toEqual([]);
    expect(problemKeys(api.validate('Address', { country: 'XX' }))).toEqual([
      { pointer: '/city', keyword: 'required' },
      { pointer: '/country', keyword: 'enum' },
    ]);
  });

  it('leaves no external $ref in the bundled document', async () => {
    const api = await loadApi(fixturePath('multi-file/api.yaml'));
    const refs = JSON.stringify(api.document).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/"\$ref":"#\//);
  });
});

describe('loadApi: recursive schemas', () => {
  const tree = {
    type: 'object',
    required: ['label'],
    properties: {
      label: { type: 'string' },
      children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
    },
  };
  const swaggerTree = {
    ...tree,
    properties: {
      ...tree.properties,
      children: { type: 'array', items: { $ref: '#/definitions/Node' } },
    },
  };
  const specs = [
    { label: 'OpenAPI 3.0 file', source: () => fixturePath('recursive/tree.yaml') },
    { label: 'Swagger 2.0 object', source: () => swagger2({ Node: swaggerTree }) },
    { label: 'OpenAPI 3.1 object', source: () => openapi31({ Node: tree }) },
  ];
  const node = (label: unknown, children?: unknown[]) => ({
    label,
    ...(children ? { children } : {}),
  });

  it.each(specs)('validates a tree without looping ($label)', async ({ source }) => {
    const api = await loadApi(source());
    const value = node('root', [node('a', [node('a1'), node('a2', [node('deep')])]), node('b')]);
    expect(api.validate('Node', value)).toEqual([]);
    const broken = node('root', [node('a', [node('a1'), node(7)]), { children: [] }]);
    expect(problemKeys(api.validate('Node', broken))).toEqual([
      { pointer: '/children/0/children/1/label', keyword: 'type' },
      { pointer: '/children/1/label', keyword: 'required' },
    ]);
  });

  it('shares one node for the recursive reference', async () => {
    const api = await loadApi(fixturePath('recursive/tree.yaml'));
    const schema = api.schema('Node');
    expect(schema.properties.children?.items).toBe(schema);
    expect(schema.properties.parent).toBe(schema);
  });

  it('copies and serialises a recursive model', async () => {
    const api = await loadApi(fixturePath('recursive/tree.yaml'));
    const Node = api.model('Node');
    const json = node('root', [node('a', [node('a1')])]);
    expect(Node.fromJSON(json).toJSON()).toEqual(json);
  });
});

describe('loadApi: cursor key options', () => {
  const spec = () => fixturePath('profile/openapi30.yaml');
  const longKey = 'a-cursor-key-of-at-least-32-characters';

  it.each([
    ['cursorKey', { cursorKey: 'too short' }],
    ['cursorSecret', { cursorSecret: 'too short' }],
    ['previousCursorKeys[0]', { cursorKey: longKey, previousCursorKeys: ['too short'] }],
  ])(
    'rejects a key shorter than 32 characters with a TypeError naming %s',
    async (option, options) => {
      const error = await rejection(loadApi(spec(), options));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toContain(option);
      expect((error as TypeError).message).not.toContain('too short');
    },
  );

  it('takes cursorKey, previousCursorKeys and the deprecated cursorSecret', async () => {
    await expect(
      loadApi(spec(), { cursorKey: longKey, previousCursorKeys: [`${longKey}-old`] }),
    ).resolves.toBeDefined();
    await expect(loadApi(spec(), { cursorSecret: longKey })).resolves.toBeDefined();
    await expect(loadApi(spec(), {})).resolves.toBeDefined();
  });
});

describe('loadApi: tablePrefix', () => {
  const spec = () => fixturePath('profile/openapi30.yaml');

  it.each(['dev:', 'a#b-', 'x~', 'sp ace-', 'é-'])(
    'refuses %j with a TypeError: table names hold A-Z a-z 0-9 _ - . only',
    async (tablePrefix) => {
      const error = await rejection(loadApi(spec(), { tablePrefix }));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toContain('tablePrefix');
    },
  );

  it('escapes the line breaks and bidi controls of the prefix it quotes', async () => {
    const error = await rejection(loadApi(spec(), { tablePrefix: 'dev\u202e\n-' }));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain('not "dev\\u202e\\n-"');
    expect((error as TypeError).message).not.toMatch(/[\n\u202e]/u);
  });

  it('escapes them in the compat value and the schema name it quotes', async () => {
    const compat = await rejection(loadApi(spec(), { compat: 'py\u202e' as 'pymacaron' }));
    expect((compat as Error).message).toContain('not "py\\u202e"');
    const api = await loadApi(spec());
    for (const call of [() => api.model('No\u202epe'), () => api.persistent('No\u202epe')]) {
      expect(call).toThrow('The spec has no schema "No\\u202epe" (schemas:');
    }
  });

  it('[P-88] escapes the name of a schema it has in every message naming it (Swagger 2.0 does not restrict names)', async () => {
    const bad = 'Evil\nLINE\u202eX';
    const api = await loadApi({
      swagger: '2.0',
      info: { title: 'names', version: '1' },
      paths: {},
      definitions: {
        [bad]: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        [`${bad}S`]: { type: 'string' },
        [`${bad}P`]: {
          type: 'object',
          required: ['id'],
          'x-persist': { table: 'evil', key: 'id' },
          properties: { id: { type: 'string' } },
        },
      },
    });
    const shown = '"Evil\\nLINE\\u202eX';
    const messages = [
      () => api.persistent(bad),
      () => api.model(`${bad}S`),
      () => api.persistent(`${bad}P`, { table: 'other', key: 'id' }),
    ].map((call) => {
      const error = thrown(call);
      expect(error).toBeInstanceOf(InvalidRequestError);
      return (error as Error).message;
    });
    expect(messages).toEqual([
      `${shown}" has no x-persist in the spec`,
      `${shown}S" is a schema of string values, not of objects: it has no model class; check its values with api.validate(${shown}S", value)`,
      `${shown}P" has its x-persist in the spec already; call persistent(${shown}P") without options`,
    ]);
    for (const message of messages) expect(message).not.toMatch(/[\n\u202e]/u);
  });

  it('takes a prefix of those characters, and refuses one that makes a name longer than 255', async () => {
    const persisted = {
      openapi: '3.0.3',
      info: { title: 'prefix', version: '1' },
      paths: {},
      components: {
        schemas: {
          Item: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'items', key: 'id' },
            properties: { id: { type: 'string' } },
          },
        },
      },
    };
    const api = await loadApi(persisted, { tablePrefix: 'staging_v2.' });
    api.persistent('Item');
    expect(api.tables().map((table) => table.name)).toEqual(['staging_v2.items']);
    await expect(loadApi(persisted, { tablePrefix: 'p'.repeat(251) })).rejects.toMatchObject({
      code: 'SPEC_INVALID',
    });
  });
});

describe('loadApi: the backend contract version', () => {
  const spec = () => fixturePath('profile/openapi30.yaml');
  const capabilities = {
    transactions: true,
    ttl: false,
    maxBatchGet: 100,
    maxBatchWrite: 25,
    maxTransactionActions: 100,
    maxItemBytes: 409600,
  };
  const backendOf = (contractVersion: unknown, declared: object = capabilities) =>
    ({ name: 'elsewhere', contractVersion, capabilities: declared }) as unknown as StorageBackend;

  it.each([
    ['declares none', undefined, 'declares no contractVersion'],
    ['was built for another', 2, 'implements backend contract 2'],
  ])('refuses a backend that %s, naming it', async (_label, version, message) => {
    const error = await rejection(loadApi(spec(), { backend: backendOf(version) }));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain('elsewhere');
    expect((error as TypeError).message).toContain(message);
  });

  it.each([
    ['capabilities that are null', null, 'capabilities must be an object'],
    ['a batch limit of 0', { ...capabilities, maxBatchGet: 0 }, 'maxBatchGet must be a whole'],
    [
      'a fractional limit',
      { ...capabilities, maxBatchWrite: 0.5 },
      'maxBatchWrite must be a whole',
    ],
    ['no item size', { ...capabilities, maxItemBytes: undefined }, 'maxItemBytes must be a whole'],
    ['a flag that is no boolean', { ...capabilities, transactions: 'yes' }, 'transactions must be'],
  ])('refuses a backend declaring %s, naming it', async (_label, declared, message) => {
    const backend = backendOf(backendContractVersion, declared as object);
    const error = await rejection(loadApi(spec(), { backend }));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toContain("The elsewhere backend's capabilities");
    expect((error as TypeError).message).toContain(message);
  });

  it(`takes a backend built for contract ${backendContractVersion}`, async () => {
    await expect(
      loadApi(spec(), { backend: backendOf(backendContractVersion) }),
    ).resolves.toBeDefined();
  });
});

describe('a schema in a file of its own', () => {
  it("keeps the spec's name; the component bundling names after the file says which to use", async () => {
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const directory = await mkdtemp(join(tmpdir(), 'macaron-alias-'));
    try {
      await writeFile(
        join(directory, 'api.yaml'),
        "openapi: 3.0.3\ninfo: {title: alias, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Widget: {$ref: './widget.yaml'}\n",
      );
      await writeFile(
        join(directory, 'widget.yaml'),
        'type: object\nrequired: [widget_id]\nx-persist: {table: widgets, key: widget_id}\nproperties:\n  widget_id: {type: string}\n',
      );
      const api = await loadApi(join(directory, 'api.yaml'));
      expect(api.persistent('Widget').descriptor.table.specName).toBe('widgets');
      const error = thrown(() => api.persistent('widget'));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toContain("call persistent('Widget')");
      // A schema of the root that refers to the file's schema through the spec's own name stays
      // what it is; compiled, the same.
      await writeFile(
        join(directory, 'api.yaml'),
        "openapi: 3.0.3\ninfo: {title: alias, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Widget: {$ref: './widget.yaml'}\n    Picked: {$ref: '#/components/schemas/Widget'}\n",
      );
      for (const source of [
        join(directory, 'api.yaml'),
        await compileSpec(join(directory, 'api.yaml')),
      ]) {
        const both = await loadApi(source);
        expect(both.persistent('Widget').descriptor.table.specName).toBe('widgets');
        expect(thrown(() => both.persistent('Picked'))).toBeInstanceOf(InvalidRequestError);
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  // The name the root gives a variant in a file of its own stands for it: the value the file
  // declares selects it (its name did too), and the model sharing a table by that discriminator
  // stores the value (it stored the name); without a declared value, it stores its name (the
  // spec was refused: the mapping named the file's component, not the model).
  it('a variant in a file of its own is selected by the value it declares, which its model stores', async () => {
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const directory = await mkdtemp(join(tmpdir(), 'macaron-variant-'));
    try {
      await writeFile(
        join(directory, 'api.yaml'),
        [
          "swagger: '2.0'",
          "info: {title: variants, version: '1'}",
          'paths: {}',
          'definitions:',
          '  Pet:',
          '    type: object',
          '    discriminator: kind',
          '    required: [kind, owner]',
          '    properties: {kind: {type: string}, owner: {type: string}}',
          "  Cat: {$ref: './cat.yaml'}",
          '',
        ].join('\n'),
      );
      for (const [declared, stored] of [
        ['x-ms-discriminator-value: cat\n', 'cat'],
        ['', 'Cat'],
      ] as const) {
        await writeFile(
          join(directory, 'cat.yaml'),
          `${declared}x-persist: {table: pets, key: owner, discriminator: kind}\nallOf:\n  - $ref: './api.yaml#/definitions/Pet'\n  - type: object\n    properties: {purr: {type: boolean}}\n`,
        );
        for (const source of [
          join(directory, 'api.yaml'),
          await compileSpec(join(directory, 'api.yaml')),
        ]) {
          const api = await loadApi(source);
          expect(api.validate('Pet', { kind: stored, owner: 'o', purr: 1 })).toMatchObject([
            { pointer: '/purr', keyword: 'type' },
          ]);
          if (declared)
            expect(api.validate('Pet', { kind: 'Cat', owner: 'o' })).toMatchObject([
              { pointer: '/kind', keyword: 'discriminator' },
            ]);
          expect(api.persistent('Cat').descriptor.discriminatorValue).toBe(stored);
        }
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('an alias of a persistent schema in the same document does not take its annotation', async () => {
    const spec = {
      openapi: '3.0.3',
      info: { title: 'aliases', version: '1' },
      paths: {},
      components: {
        schemas: {
          Address: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'addresses', key: 'id' },
            properties: { id: { type: 'string' }, street: { type: 'string' } },
          },
          SelectedAddress: { $ref: '#/components/schemas/Address' },
          ShippingAddress: { $ref: '#/components/schemas/Address' },
        },
      },
    };
    for (const source of [spec, await compileSpec(spec)]) {
      const api = await loadApi(source);
      expect(api.tables().map((table) => table.specName)).toEqual(['addresses']);
      expect(api.persistent('Address').descriptor.table.specName).toBe('addresses');
      expect(thrown(() => api.persistent('SelectedAddress'))).toBeInstanceOf(InvalidRequestError);
      expect(api.validate('ShippingAddress', { id: 'a2' })).toEqual([]);
    }
  });
});

describe('loadApi: boolean schemas as named schemas', () => {
  const spec = (openapi: string) => ({
    openapi,
    info: { title: 'booleans', version: '1' },
    paths: {},
    components: {
      schemas: {
        Any: true,
        Never: false,
        Holder: {
          type: 'object',
          properties: {
            any: { $ref: '#/components/schemas/Any' },
            never: { $ref: '#/components/schemas/Never' },
          },
        },
      },
    },
  });

  it('OpenAPI 3.1 takes true and false (JSON Schema boolean schemas) where a schema is named', async () => {
    const api = await loadApi(spec('3.1.0'));
    expect(api.validate('Holder', { any: { deep: [1, 'two'] } })).toEqual([]);
    expect(problemKeys(api.validate('Holder', { never: 1 }))).toEqual([
      { pointer: '/never', keyword: 'false' },
    ]);
    expect(api.validate('Any', 'anything')).toEqual([]);
  });

  it('before 3.1, a boolean where a schema is named is reported as such, not as a $ref that resolves nowhere', async () => {
    const error = await loadApi(spec('3.0.3')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SpecError);
    const messages = (error as SpecError).problems.map(
      ({ pointer, message }) => `${pointer} ${message}`,
    );
    expect(messages).toContain('/components/schemas/Any a schema must be an object');
    expect(messages).toContain('/components/schemas/Never a schema must be an object');
    expect(messages.join('\n')).not.toContain('unresolved');
  });
});

describe('loadApi: persist shared by the specs of a project', () => {
  it('skips the entries naming schemas the spec does not have', async () => {
    const persist = { Item: { table: 'items', key: 'item_id' } };
    const ping = {
      swagger: '2.0',
      info: { title: 'ping', version: '1' },
      paths: {},
      definitions: { Ok: { type: 'object', properties: {} } },
    };
    const service = {
      ...ping,
      definitions: {
        Item: {
          type: 'object',
          required: ['item_id'],
          'x-persist': 'service.db.PersistentItem',
          properties: { item_id: { type: 'string' } },
        },
      },
    };
    expect((await loadApi(ping, { persist })).tables()).toEqual([]);
    expect((await loadApi(service, { persist })).tables().map(({ name }) => name)).toEqual([
      'items',
    ]);
  });
});
