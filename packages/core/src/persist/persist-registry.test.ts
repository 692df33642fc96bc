import { describe, expect, it } from 'vitest';
import {
  fixturePath,
  openapi30,
  openapi31,
  rejection,
  swagger2,
  thrown,
} from '../../test/support/specs.js';
import { InvalidRequestError } from '../errors/persistence-errors.js';
import { SpecError } from '../errors/spec-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { loadApi } from '../index.js';
import { belongsToModel, toStoredItem } from './stored-form.js';

const properties = {
  profile_id: { type: 'string' },
  created_at: { type: 'integer' },
  email: { type: 'string' },
  nickname: { type: 'string', nullable: true },
  flags: { type: 'object' },
  active: { type: 'boolean' },
  revision: { type: 'integer' },
  expires_at: { type: 'integer' },
  score: { type: 'number' },
  label: { type: 'string' },
  avatar: { type: 'string', format: 'binary' },
};
const required = ['profile_id', 'created_at', 'nickname', 'flags', 'active', 'avatar'];

function profile(persist: unknown): Record<string, unknown> {
  return { type: 'object', required, properties, 'x-persist': persist };
}

const at = '/components/schemas/Profile/x-persist';

async function persistError(persist: unknown): Promise<SpecError> {
  const error = await rejection(loadApi(openapi30({ Profile: profile(persist) })));
  expect(error).toBeInstanceOf(SpecError);
  return error as SpecError;
}

/** The problems of one malformed x-persist, as schema and pointer. */
async function persistProblems(persist: unknown) {
  const error = await persistError(persist);
  return error.problems.map(({ schema, pointer }) => ({ schema, pointer }));
}

const one = (pointer: string) => [{ schema: 'Profile', pointer }];

describe('x-persist, full form', () => {
  it('needs a schema of objects: an array or a string could store nothing', async () => {
    for (const type of ['array', 'string']) {
      const error = await rejection(
        loadApi(
          openapi30({ Profile: { ...profile({ table: 'profiles', key: 'profile_id' }), type } }),
        ),
      );
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).problems).toEqual([
        expect.objectContaining({
          schema: 'Profile',
          pointer: at,
          message: `x-persist needs a schema of objects (items are maps of attributes), but Profile has type ${type}`,
        }),
      ]);
    }
  });

  it('describes the table for provisioning', async () => {
    const api = await loadApi(
      openapi30({
        Profile: profile({
          table: 'profiles',
          key: 'profile_id',
          sort: 'created_at',
          indexes: { byEmail: { key: 'email' }, byLabel: { key: 'label', sort: 'expires_at' } },
          version: 'revision',
          ttl: 'expires_at',
        }),
      }),
    );
    expect(api.tables()).toEqual([
      {
        name: 'profiles',
        specName: 'profiles',
        partitionKey: { name: 'profile_id', type: 'string' },
        sortKey: { name: 'created_at', type: 'number' },
        indexes: [
          { name: 'byEmail', partitionKey: { name: 'email', type: 'string' } },
          {
            name: 'byLabel',
            partitionKey: { name: 'label', type: 'string' },
            sortKey: { name: 'expires_at', type: 'number' },
          },
        ],
        ttlAttribute: 'expires_at',
      },
    ]);
    const Profile = api.persistent('Profile');
    expect(Profile.descriptor).toMatchObject({ name: 'Profile', versionAttribute: 'revision' });
    expect(Profile.descriptor.table).toBe(api.tables()[0]);
  });

  it('types keys as string, number or binary from the schema', async () => {
    const api = await loadApi(
      openapi30({
        Profile: profile({ table: 'by_bytes', key: 'avatar', sort: 'created_at' }),
      }),
    );
    expect(api.tables()[0]?.partitionKey).toEqual({ name: 'avatar', type: 'binary' });
    expect(api.tables()[0]?.sortKey).toEqual({ name: 'created_at', type: 'number' });
  });

  it('types keys and index keys written without a type by the values they list (enum, const)', async () => {
    const api = await loadApi(
      openapi31({
        Pet: {
          type: 'object',
          required: ['kind', 'id', 'size', 'tag'],
          'x-persist': {
            table: 'pets',
            key: 'kind',
            sort: 'id',
            indexes: { bySize: { key: 'size', sort: 'tag' } },
          },
          properties: {
            kind: { const: 'cat' },
            id: { enum: ['a', 'b'] },
            size: { enum: [1, 2.5, 3] },
            tag: { allOf: [{ description: 'a tag' }, { enum: ['x'] }] },
          },
        },
      }),
    );
    const [table] = api.tables();
    expect(table?.partitionKey).toEqual({ name: 'kind', type: 'string' });
    expect(table?.sortKey).toEqual({ name: 'id', type: 'string' });
    expect(table?.indexes[0]?.partitionKey).toEqual({ name: 'size', type: 'number' });
    expect(table?.indexes[0]?.sortKey).toEqual({ name: 'tag', type: 'string' });
    // Values of several types, or null among them, give a key no one type.
    for (const [kind, message] of [
      [{ enum: ['cat', 1] }, 'key property "kind" must be a string or a number'],
      [{ enum: ['cat', null] }, 'key property "kind" must be a string or a number'],
      [{ const: true }, 'key property "kind" must be a string or a number'],
    ] as const) {
      const error = await rejection(
        loadApi(
          openapi31({
            Pet: {
              type: 'object',
              required: ['kind'],
              'x-persist': { table: 'pets', key: 'kind' },
              properties: { kind },
            },
          }),
        ),
      );
      expect((error as SpecError).problems.map((problem) => problem.message)).toEqual([message]);
    }
    // OpenAPI 3.0's nullable allows null beside the listed values: no key.
    const nullable = await rejection(
      loadApi(
        openapi30({
          Pet: {
            type: 'object',
            required: ['kind'],
            'x-persist': { table: 'pets', key: 'kind' },
            properties: { kind: { enum: ['cat'], nullable: true } },
          },
        }),
      ),
    );
    expect((nullable as SpecError).problems.map((problem) => problem.message)).toContain(
      'key property "kind" must not be nullable',
    );
  });

  it('accepts a key that allOf makes required', async () => {
    const api = await loadApi(
      openapi30({
        Base: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
        Thing: {
          allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object' }],
          'x-persist': { table: 'things', key: 'id' },
        },
      }),
    );
    expect(api.tables()[0]?.partitionKey).toEqual({ name: 'id', type: 'string' });
  });

  it('applies tablePrefix to the physical name only', async () => {
    const api = await loadApi(
      openapi30({ Profile: profile({ table: 'profiles', key: 'profile_id' }) }),
      { tablePrefix: 'staging-' },
    );
    expect(api.tables().map(({ name, specName }) => ({ name, specName }))).toEqual([
      { name: 'staging-profiles', specName: 'profiles' },
    ]);
    expect(api.persistent('Profile').descriptor.table.name).toBe('staging-profiles');
  });

  it('returns the same class each time, and refuses options that differ from the spec', async () => {
    const api = await loadApi(
      openapi30({ Profile: profile({ table: 'profiles', key: 'profile_id' }) }),
    );
    expect(api.persistent('Profile')).toBe(api.persistent('Profile'));
    expect(api.persistent('Profile', { table: 'profiles', key: 'profile_id' })).toBe(
      api.persistent('Profile'),
    );
    expect(
      thrown(() => api.persistent('Profile', { table: 'other', key: 'profile_id' })),
    ).toBeInstanceOf(InvalidRequestError);
  });

  it('refuses persistent() for a schema without x-persist', async () => {
    const api = await loadApi(openapi30({ Profile: { type: 'object', properties } }));
    expect(thrown(() => api.persistent('Profile'))).toBeInstanceOf(InvalidRequestError);
    expect(
      thrown(() => api.persistent('Profile', { table: 'profiles', key: 'profile_id' })),
    ).toBeInstanceOf(InvalidRequestError);
    expect(thrown(() => api.persistent('Nobody'))).toBeInstanceOf(InvalidRequestError);
    expect(api.tables()).toEqual([]);
  });
});

describe('[P-9] x-persist, PyMacaron form (a class path)', () => {
  const spec = () => openapi30({ Profile: profile('myserver.db.profile.PersistentProfile') });

  it('loads, and adds the table when the code gives table and key', async () => {
    const api = await loadApi(spec(), { tablePrefix: 'test-' });
    expect(api.tables()).toEqual([]);
    const Profile = api.persistent('Profile', { table: 'some-table', key: 'profile_id' });
    expect(Profile.descriptor.table).toMatchObject({
      name: 'test-some-table',
      specName: 'some-table',
      partitionKey: { name: 'profile_id', type: 'string' },
    });
    expect(api.tables().map((table) => table.name)).toEqual(['test-some-table']);
    expect(api.persistent('Profile', { table: 'some-table', key: 'profile_id' })).toBe(Profile);
  });

  it('needs table and key from the code', async () => {
    const api = await loadApi(spec());
    expect(thrown(() => api.persistent('Profile'))).toBeInstanceOf(InvalidRequestError);
  });

  it('refuses other options once made persistent', async () => {
    const api = await loadApi(spec());
    api.persistent('Profile', { table: 'some-table', key: 'profile_id' });
    expect(
      thrown(() => api.persistent('Profile', { table: 'another-table', key: 'profile_id' })),
    ).toBeInstanceOf(InvalidRequestError);
  });

  it.each([
    ['a key that is not a property', { table: 'profiles', key: 'user_id' }, '/key'],
    ['an optional key', { table: 'profiles', key: 'email' }, '/key'],
    ['an unknown option', { table: 'profiles', key: 'profile_id', tabel: 'x' }, '/tabel'],
    ['a bad table name', { table: 'p', key: 'profile_id' }, '/table'],
  ])('reports %s as a SpecError naming the schema', async (_label, options, pointer) => {
    const api = await loadApi(spec());
    const error = thrown(() => api.persistent('Profile', options as never));
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems).toEqual([
      expect.objectContaining({ schema: 'Profile', pointer }),
    ]);
  });
});

describe('malformed x-persist is a SpecError naming schema and pointer', () => {
  it.each([
    ['a number instead of an annotation', 42, at],
    ['an empty class path', '', at],
    ['a list', ['profiles'], at],
    ['an unknown field', { table: 'profiles', key: 'profile_id', tabel: 'x' }, `${at}/tabel`],
    ['a missing table', { key: 'profile_id' }, `${at}/table`],
    ['a missing key', { table: 'profiles' }, `${at}/key`],
    ['a table that is not a string', { table: 3, key: 'profile_id' }, `${at}/table`],
    ['a table name too short', { table: 'ab', key: 'profile_id' }, `${at}/table`],
    ['a table name with a space', { table: 'my table', key: 'profile_id' }, `${at}/table`],
    ['a key that is not a property', { table: 'profiles', key: 'user_id' }, `${at}/key`],
    ['an optional key', { table: 'profiles', key: 'email' }, `${at}/key`],
    ['a nullable key', { table: 'profiles', key: 'nickname' }, `${at}/key`],
    ['an object key', { table: 'profiles', key: 'flags' }, `${at}/key`],
    ['a boolean key', { table: 'profiles', key: 'active' }, `${at}/key`],
    [
      'a sort key that is not a property',
      { table: 'profiles', key: 'profile_id', sort: 'when' },
      `${at}/sort`,
    ],
    ['an optional sort key', { table: 'profiles', key: 'profile_id', sort: 'label' }, `${at}/sort`],
    [
      'a nullable sort key',
      { table: 'profiles', key: 'profile_id', sort: 'nickname' },
      `${at}/sort`,
    ],
    ['a boolean sort key', { table: 'profiles', key: 'profile_id', sort: 'active' }, `${at}/sort`],
    [
      'a sort key that is the partition key',
      { table: 'profiles', key: 'profile_id', sort: 'profile_id' },
      `${at}/sort`,
    ],
    [
      'indexes that are not a map',
      { table: 'profiles', key: 'profile_id', indexes: ['byEmail'] },
      `${at}/indexes`,
    ],
    [
      'an index without a key',
      { table: 'profiles', key: 'profile_id', indexes: { byEmail: { sort: 'email' } } },
      `${at}/indexes/byEmail`,
    ],
    [
      'a bad index name',
      { table: 'profiles', key: 'profile_id', indexes: { by: { key: 'email' } } },
      `${at}/indexes/by`,
    ],
    [
      'an unknown index field',
      {
        table: 'profiles',
        key: 'profile_id',
        indexes: { byEmail: { key: 'email', projection: 'ALL' } },
      },
      `${at}/indexes/byEmail/projection`,
    ],
    [
      'an index key that is not a property',
      { table: 'profiles', key: 'profile_id', indexes: { byEmail: { key: 'mail' } } },
      `${at}/indexes/byEmail/key`,
    ],
    [
      'an index sort key of type object',
      {
        table: 'profiles',
        key: 'profile_id',
        indexes: { byEmail: { key: 'email', sort: 'flags' } },
      },
      `${at}/indexes/byEmail/sort`,
    ],
    [
      'an index whose sort key is its partition key',
      {
        table: 'profiles',
        key: 'profile_id',
        indexes: { byEmail: { key: 'email', sort: 'email' } },
      },
      `${at}/indexes/byEmail/sort`,
    ],
    [
      'a version that is not a property',
      { table: 'profiles', key: 'profile_id', version: 'rev' },
      `${at}/version`,
    ],
    [
      'a version that is not an integer',
      { table: 'profiles', key: 'profile_id', version: 'score' },
      `${at}/version`,
    ],
    [
      'a version that is a string',
      { table: 'profiles', key: 'profile_id', version: 'label' },
      `${at}/version`,
    ],
    // Found by random specs: each save moved the key (create() stored the item under version
    // 1, whatever key it was given), or set an expiry in 1970.
    [
      'a version that is the partition key',
      { table: 'profiles', key: 'created_at', version: 'created_at' },
      `${at}/version`,
    ],
    [
      'a version that is the sort key',
      { table: 'profiles', key: 'profile_id', sort: 'created_at', version: 'created_at' },
      `${at}/version`,
    ],
    [
      'a version that is the ttl',
      { table: 'profiles', key: 'profile_id', version: 'revision', ttl: 'revision' },
      `${at}/version`,
    ],
    [
      'a ttl that is not a number',
      { table: 'profiles', key: 'profile_id', ttl: 'label' },
      `${at}/ttl`,
    ],
    [
      'a ttl that is not a property',
      { table: 'profiles', key: 'profile_id', ttl: 'expiry' },
      `${at}/ttl`,
    ],
    [
      'a discriminator that is not a string',
      { table: 'profiles', key: 'profile_id', discriminator: true },
      `${at}/discriminator`,
    ],
  ])('%s', async (_label, persist, pointer) => {
    expect(await persistProblems(persist)).toEqual(one(pointer));
  });

  it('accepts a number ttl and an integer version', async () => {
    const api = await loadApi(
      openapi30({
        Profile: profile({
          table: 'profiles',
          key: 'profile_id',
          ttl: 'score',
          version: 'revision',
        }),
      }),
    );
    expect(api.tables()[0]?.ttlAttribute).toBe('score');
  });

  it('lists every problem at once, across schemas', async () => {
    const error = await rejection(
      loadApi(
        openapi30({
          Profile: profile({ table: 'ab', key: 'email', version: 'label' }),
          Other: {
            type: 'object',
            properties: { id: { type: 'string' } },
            'x-persist': { key: 'id' },
          },
        }),
      ),
    );
    expect(error).toBeInstanceOf(SpecError);
    const problems = (error as SpecError).problems.map(({ schema, pointer }) => ({
      schema,
      pointer,
    }));
    expect(problems).toEqual(
      expect.arrayContaining([
        { schema: 'Profile', pointer: `${at}/table` },
        { schema: 'Other', pointer: '/components/schemas/Other/x-persist/table' },
      ]),
    );
  });

  it('names the file when the spec was loaded from one', async () => {
    const error = await rejection(loadApi(fixturePath('persist/bad-key.yaml')));
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems).toEqual([
      expect.objectContaining({
        file: fixturePath('persist/bad-key.yaml'),
        schema: 'Profile',
        pointer: `${at}/key`,
      }),
    ]);
  });
});

it("escapes the line breaks and bidi controls of the spec's names in its problems and its message", async () => {
  // Property names (and Swagger 2.0 definition names) may hold any character.
  const key = 'id\u202eevil\nX';
  const model = 'Th\u202eing\nY';
  const error = await rejection(
    loadApi(
      openapi30({
        [model]: {
          type: 'object',
          properties: { [key]: { type: 'string' }, label: { type: 'string' } },
          'x-persist': {
            table: 'things',
            key,
            version: `v\u2066\r`,
            indexes: { byLabel: { key: 'label', sort: 'no\u2028pe' } },
          },
        },
      }),
    ),
  );
  expect(error).toBeInstanceOf(SpecError);
  const { problems, message } = error as SpecError;
  expect(problems.map((problem) => problem.message)).toEqual([
    'key property "id\\u202eevil\\nX" must be required',
    '"no\\u2028pe" is not a property of the schema',
    '"v\\u2066\\r" is not a property of "Th\\u202eing\\nY"',
  ]);
  // The pointer and schema of a problem stay data; the message shows them escaped.
  expect(problems[0]).toMatchObject({
    schema: model,
    pointer: `/components/schemas/${model}/x-persist/key`,
  });
  const unsafe = /[\n\r\u2028\u202e\u2066]/u;
  const lines = message.split('\n');
  expect(lines).toHaveLength(1 + problems.length);
  for (const line of lines) expect(line).not.toMatch(unsafe);
  expect(lines[1]).toBe(
    '  #/components/schemas/Th\\u202eing\\u000aY/x-persist/key (Th\\u202eing\\u000aY) key property "id\\u202eevil\\nX" must be required',
  );
});

describe('models sharing a table', () => {
  const user = (persist: Record<string, unknown>) => ({
    type: 'object',
    required: ['pk', 'sk'],
    properties: { pk: { type: 'string' }, sk: { type: 'string' }, name: { type: 'string' } },
    'x-persist': persist,
  });
  const order = (persist: Record<string, unknown>) => ({
    type: 'object',
    required: ['pk', 'sk', 'number'],
    properties: {
      pk: { type: 'string' },
      sk: { type: 'string' },
      number: { type: 'integer' },
      total: { type: 'number' },
    },
    'x-persist': persist,
  });
  const shared = { table: 'app', key: 'pk', sort: 'sk', discriminator: 'entity' };

  it('share one table with a discriminator, indexes merged', async () => {
    const api = await loadApi(
      openapi30({
        User: user({ ...shared, indexes: { byName: { key: 'name' } } }),
        Order: order({ ...shared, indexes: { byNumber: { key: 'number' } } }),
      }),
      { tablePrefix: 'dev-' },
    );
    const tables = api.tables();
    expect(tables).toHaveLength(1);
    expect(tables[0]).toMatchObject({ name: 'dev-app', discriminatorAttribute: 'entity' });
    expect(tables[0]?.indexes.map((index) => index.name).sort()).toEqual(['byName', 'byNumber']);
    const User = api.persistent('User');
    const Order = api.persistent('Order');
    expect(User.descriptor.table).toBe(Order.descriptor.table);
    expect(User.descriptor.discriminatorValue).toBe('User');
    expect(Order.descriptor.discriminatorValue).toBe('Order');
  });

  it.each([
    ['different partition keys', { ...shared, key: 'sk', sort: 'pk' }],
    ['different sort keys', { ...shared, sort: undefined }],
    ['no discriminator', { table: 'app', key: 'pk', sort: 'sk' }],
    ['another discriminator', { ...shared, discriminator: 'kind' }],
    ['a different ttl', { ...shared, ttl: 'total' }],
    [
      'an index of the same name with another key',
      { ...shared, indexes: { byName: { key: 'sk' } } },
    ],
  ])('refuse %s, naming the second schema', async (_label, persist) => {
    const error = await rejection(
      loadApi(
        openapi30({
          User: user({ ...shared, indexes: { byName: { key: 'name' } } }),
          Order: order(JSON.parse(JSON.stringify(persist))),
        }),
      ),
    );
    expect(error).toBeInstanceOf(SpecError);
    expect(
      (error as SpecError).problems.map(({ schema, pointer }) => ({ schema, pointer })),
    ).toEqual(
      expect.arrayContaining([{ schema: 'Order', pointer: '/components/schemas/Order/x-persist' }]),
    );
  });

  it('refuse two models on one table when neither has a discriminator', async () => {
    const error = await rejection(
      loadApi(
        openapi30({
          User: user({ table: 'app', key: 'pk', sort: 'sk' }),
          Order: order({ table: 'app', key: 'pk', sort: 'sk' }),
        }),
      ),
    );
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems).toEqual([
      expect.objectContaining({ schema: 'Order', pointer: '/components/schemas/Order/x-persist' }),
    ]);
  });
});

describe('the discriminator attribute', () => {
  const pet = (kind: Record<string, unknown> | undefined, persist: Record<string, unknown>) => ({
    type: 'object',
    required: ['pk'],
    properties: { pk: { type: 'string' }, name: { type: 'string' }, ...(kind ? { kind } : {}) },
    'x-persist': { table: 'pets', key: 'pk', discriminator: 'kind', ...persist },
  });

  it('stores the one value a declared property allows, and the model name otherwise', async () => {
    const api = await loadApi(
      openapi30({
        Cat: pet({ type: 'string', enum: ['cat'] }, {}),
        Dog: {
          ...pet(undefined, {}),
          'x-persist': { table: 'pets', key: 'pk', discriminator: 'kind' },
        },
        Bird: pet({ type: 'string' }, {}),
      }),
    );
    expect(api.persistent('Cat').descriptor.discriminatorValue).toBe('cat');
    expect(api.persistent('Dog').descriptor.discriminatorValue).toBe('Dog');
    expect(api.persistent('Bird').descriptor.discriminatorValue).toBe('Bird');
  });

  it.each([
    ['the partition key', { discriminator: 'pk' }],
    ['an index key', { indexes: { byKind: { key: 'kind' } } }],
    ['an index sort key', { indexes: { byName: { key: 'name', sort: 'kind' } } }],
    ['a declared property allowing several values', {}, { type: 'string', enum: ['cat', 'dog'] }],
    ['a declared property that is no string', {}, { type: 'integer' }],
  ])('refuses %s as the discriminator', async (_label, persist, kind = { type: 'string' }) => {
    const error = await rejection(loadApi(openapi30({ Cat: pet(kind, persist) })));
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems.map(({ pointer }) => pointer)).toContain(
      '/components/schemas/Cat/x-persist/discriminator',
    );
  });

  it('refuses two models of one table that would store the same value', async () => {
    const error = await rejection(
      loadApi(
        openapi30({
          Cat: pet({ type: 'string', enum: ['pet'] }, {}),
          Dog: pet({ type: 'string', const: 'pet' }, {}),
        }),
      ),
    );
    expect((error as SpecError).problems[0]?.message).toContain('would both store "pet"');
  });
});

describe('an x-persist discriminator that is an OpenAPI discriminator', () => {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const persist = { table: 'pets', key: 'id', discriminator: 'kind' };
  const animal = (extra: Record<string, unknown> = {}) => ({
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string' }, kind: { type: 'string' }, ...extra },
  });
  const loadError = async (spec: Record<string, unknown>) => {
    const error = await rejection(loadApi(spec));
    expect(error).toBeInstanceOf(SpecError);
    return (error as SpecError).problems.map(({ pointer, message }) => ({ pointer, message }));
  };

  it("stores the value an allOf ancestor's mapping gives each model, as its objects hold it", async () => {
    const api = await loadApi(fixturePath('persist/mapped-discriminator.yaml'));
    const electric = api.persistent('ElectricVehicle').descriptor;
    expect(electric.discriminatorValue).toBe('electricity');
    expect(api.persistent('FueledVehicle').descriptor.discriminatorValue).toBe('gasoline');
    const limit = 400 * 1024;
    expect(toStoredItem(electric, { vin: 'e1', powerSource: 'electricity' }, limit)).toEqual({
      vin: 'e1',
      powerSource: 'electricity',
    });
    expect(toStoredItem(electric, { vin: 'e2' }, limit)).toEqual({
      vin: 'e2',
      powerSource: 'electricity',
    });
    // Items another client wrote with the OpenAPI value are the model's.
    expect(belongsToModel(electric, { vin: 'e3', powerSource: 'electricity' })).toBe(true);
    expect(belongsToModel(electric, { vin: 'e4', powerSource: 'ElectricVehicle' })).toBe(false);
    // Another model's value: the problem says which one the object must hold.
    const error = thrown(() =>
      toStoredItem(electric, { vin: 'e5', powerSource: 'gasoline' }, limit),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      {
        pointer: '/powerSource',
        keyword: 'discriminator',
        message: 'must be "electricity", the value that marks ElectricVehicle in table vehicles',
      },
    ]);
  });

  it('validate() of a persistent object reports what save() would refuse: the value that marks the model', async () => {
    const api = await loadApi(fixturePath('persist/mapped-discriminator.yaml'));
    const ElectricVehicle = api.persistent('ElectricVehicle');
    // A valid FueledVehicle through BaseVehicle: the schema alone took it, save() refused it.
    expect(new ElectricVehicle({ vin: 'x', powerSource: 'gasoline' }).validate()).toEqual([
      {
        pointer: '/powerSource',
        keyword: 'discriminator',
        message: 'must be "electricity", the value that marks ElectricVehicle in table vehicles',
      },
    ]);
    expect(new ElectricVehicle({ vin: 'x', powerSource: 'electricity' }).validate()).toEqual([]);
    // The key's values too, as the table takes them.
    expect(
      new ElectricVehicle({ vin: '', powerSource: 'electricity' }).validate().map((p) => p.pointer),
    ).toEqual(['/vin']);
  });

  it("keeps the model name where a oneOf parent's mapping gives another value (the parent's, not the model's, objects it checks)", async () => {
    // Dog's objects were saved under "Dog" before mappings counted: they stay Dog's.
    const api = await loadApi(
      openapi30({
        Pet: {
          oneOf: [ref('Dog'), ref('Cat')],
          discriminator: {
            propertyName: 'kind',
            mapping: { dog: '#/components/schemas/Dog', cat: '#/components/schemas/Cat' },
          },
        },
        Dog: { ...animal({ bark: { type: 'boolean' } }), 'x-persist': persist },
        Cat: { ...animal({ lives: { type: 'integer' } }), 'x-persist': persist },
      }),
    );
    expect(api.persistent('Dog').descriptor.discriminatorValue).toBe('Dog');
    expect(api.persistent('Cat').descriptor.discriminatorValue).toBe('Cat');
  });

  it('keeps the model name where its own discriminator selects it by name too', async () => {
    // The mapping's `pet` and the name `Pet` both select Pet: items saved under the name stay its.
    const api = await loadApi(
      openapi30({
        Pet: {
          ...animal(),
          discriminator: { propertyName: 'kind', mapping: { pet: '#/components/schemas/Pet' } },
          'x-persist': persist,
        },
      }),
    );
    expect(api.persistent('Pet').descriptor.discriminatorValue).toBe('Pet');
  });

  it('stores the schema name in Swagger 2.0, where the base declares every value in an enum', async () => {
    const api = await loadApi(
      swagger2({
        Pet: {
          type: 'object',
          discriminator: 'kind',
          required: ['id', 'kind'],
          properties: { id: { type: 'string' }, kind: { type: 'string', enum: ['Cat', 'Dog'] } },
        },
        Cat: { allOf: [{ $ref: '#/definitions/Pet' }], 'x-persist': persist },
        Dog: { allOf: [{ $ref: '#/definitions/Pet' }], 'x-persist': persist },
      }),
    );
    expect(api.persistent('Cat').descriptor.discriminatorValue).toBe('Cat');
    expect(api.persistent('Dog').descriptor.discriminatorValue).toBe('Dog');
  });

  it('refuses a model its own oneOf mapping gives no value (its objects are its members)', async () => {
    expect(
      await loadError(
        openapi30({
          Pet: {
            ...animal(),
            oneOf: [ref('Dog'), ref('Cat')],
            discriminator: {
              propertyName: 'kind',
              mapping: { dog: '#/components/schemas/Dog', cat: '#/components/schemas/Cat' },
            },
            'x-persist': persist,
          },
          Dog: animal({ bark: { type: 'boolean' } }),
          Cat: animal({ lives: { type: 'integer' } }),
        }),
      ),
    ).toEqual([
      {
        pointer: '/components/schemas/Pet/x-persist/discriminator',
        message:
          '"kind" is an OpenAPI discriminator whose mapping gives Pet no value ("dog", "cat" name other schemas): map one value to Pet, or store it on another attribute',
      },
    ]);
  });

  it('refuses a model the mapping gives several values', async () => {
    expect(
      await loadError(
        openapi30({
          Pet: {
            ...animal(),
            discriminator: {
              propertyName: 'kind',
              mapping: { dog: '#/components/schemas/Dog', hound: '#/components/schemas/Dog' },
            },
          },
          Dog: { allOf: [ref('Pet')], 'x-persist': persist },
        }),
      ),
    ).toEqual([
      {
        pointer: '/components/schemas/Dog/x-persist/discriminator',
        message:
          '"kind" is an OpenAPI discriminator whose mapping gives Dog several values ("dog", "hound"): a model stores one, so map one value to Dog',
      },
    ]);
  });

  it('refuses a model whose schema does not allow the value the mapping gives it', async () => {
    const problems = await loadError(
      openapi30({
        Pet: {
          ...animal({ kind: { type: 'string', enum: ['dog'] } }),
          discriminator: { propertyName: 'kind', mapping: { doggy: '#/components/schemas/Dog' } },
        },
        Dog: { allOf: [ref('Pet')], 'x-persist': persist },
      }),
    );
    expect(problems).toEqual([
      {
        pointer: '/components/schemas/Dog/x-persist/discriminator',
        message:
          '"kind" is an OpenAPI discriminator mapping "doggy" to Dog, but Dog\'s schema does not allow that value there',
      },
    ]);
  });
});

describe('a key declared again in an allOf member', () => {
  const spec = (again: unknown) =>
    openapi30({
      Base: { type: 'object', properties: { id: { type: 'string' } } },
      Item: {
        type: 'object',
        required: ['id'],
        allOf: [{ $ref: '#/components/schemas/Base' }, { properties: { id: again } }],
        properties: { id: { type: 'string' } },
        'x-persist': { table: 'items', key: 'id' },
      },
    });

  it('refuses another type there, which no value could meet with the first', async () => {
    const error = await rejection(loadApi(spec({ type: 'integer' })));
    expect((error as SpecError).problems[0]?.message).toBe(
      'key property "id" is declared as a string and, in an allOf member, as a number',
    );
  });

  it('takes the same type there, constraints added', async () => {
    const api = await loadApi(spec({ type: 'string', maxLength: 8 }));
    expect(api.persistent('Item').descriptor.table.partitionKey).toEqual({
      name: 'id',
      type: 'string',
    });
  });
});

describe("a key whose own schema's allOf members give it two types", () => {
  // Found by random specs: `allOf: [{ $ref: Id }, { type: integer }]` where Id is a string
  // loaded, typed as the first member says, and every write of the model was then refused.
  const spec = (id: unknown, persist: Record<string, unknown> = {}) =>
    openapi30({
      Id: { type: 'string' },
      Item: {
        type: 'object',
        required: ['id', 'at'],
        properties: { id, at: { type: 'string' }, tag: id },
        'x-persist': { table: 'items', key: 'id', ...persist },
      },
    });
  const problemsOf = async (id: unknown, persist?: Record<string, unknown>) =>
    ((await rejection(loadApi(spec(id, persist)))) as SpecError).problems.map(
      ({ pointer, message }) => ({ pointer, message }),
    );

  it('refuses it for the table key, the sort key and an index key, at each', async () => {
    const id = { allOf: [{ $ref: '#/components/schemas/Id' }, { type: 'integer' }] };
    expect(await problemsOf(id)).toEqual([
      {
        pointer: '/components/schemas/Item/x-persist/key',
        message: 'key property "id" is declared as a string and, in an allOf member, as a number',
      },
    ]);
    const problems = await problemsOf(id, {
      key: 'at',
      sort: 'id',
      indexes: { byTag: { key: 'tag' } },
    });
    expect(problems.map(({ pointer }) => pointer)).toEqual([
      '/components/schemas/Item/x-persist/sort',
      '/components/schemas/Item/x-persist/indexes/byTag/key',
    ]);
  });

  it('refuses a type beside the allOf that a member contradicts, and a boolean member', async () => {
    expect(await problemsOf({ type: 'number', allOf: [{ type: 'string' }] })).toEqual([
      {
        pointer: '/components/schemas/Item/x-persist/key',
        message: 'key property "id" is declared as a number and, in an allOf member, as a string',
      },
    ]);
    expect((await problemsOf({ allOf: [{ type: 'string' }, { type: 'boolean' }] }))[0]).toEqual({
      pointer: '/components/schemas/Item/x-persist/key',
      message: 'key property "id" is declared as a string and, in an allOf member, as a boolean',
    });
  });

  it('takes members that agree: a wrapped $ref with constraints, integer beside number, bytes', async () => {
    for (const [id, type] of [
      [{ allOf: [{ $ref: '#/components/schemas/Id' }, { maxLength: 8 }] }, 'string'],
      [{ type: 'number', allOf: [{ type: 'integer', minimum: 1 }] }, 'number'],
      [{ allOf: [{ type: 'string' }, { type: 'string', format: 'binary' }] }, 'binary'],
      [{ allOf: [{ enum: ['a', 'b'] }, { type: 'string', nullable: false }] }, 'string'],
    ] as const) {
      const api = await loadApi(spec(id));
      expect(api.persistent('Item').descriptor.table.partitionKey).toEqual({ name: 'id', type });
    }
  });
});

describe("compat: 'pymacaron' accepts keys outside required, and checks them when storing", () => {
  // pymacaron-core's own test spec: the key is a property, not a required one.
  const spec = (persist: unknown) =>
    openapi30({
      Item: {
        type: 'object',
        properties: { item_id: { type: 'string' }, label: { type: 'string' } },
        'x-persist': persist,
      },
    });

  it('refuses such a key without the mode, as before', async () => {
    const error = await rejection(loadApi(spec({ table: 'items', key: 'item_id' })));
    expect((error as SpecError).problems[0]?.message).toBe(
      'key property "item_id" must be required',
    );
  });

  it('loads it in the mode; the model accepts objects without the key, storing needs it', async () => {
    const api = await loadApi(spec({ table: 'items', key: 'item_id' }), { compat: 'pymacaron' });
    expect(api.persistent('Item').descriptor.table.partitionKey.name).toBe('item_id');
    expect(api.validate('Item', { label: 'B' })).toEqual([]);
  });

  // Storing an object without its key (a ValidationError naming it) is proven over HTTP on a
  // real backend in @macaron/fastify's test/pymacaron-compat.test.ts.

  it("the stored model (the key made required) keeps OpenAPI 3.1's additionalProperties: true, which unevaluatedProperties: false then leaves alone", async () => {
    const api = await loadApi(
      openapi31({
        Open: {
          type: 'object',
          properties: { id: { type: 'string' } },
          additionalProperties: true,
          unevaluatedProperties: false,
          'x-persist': { table: 'opens', key: 'id' },
        },
      }),
      { compat: 'pymacaron' },
    );
    expect(api.validate('Open', { id: 'a', extra: 1 })).toEqual([]);
    const model = api.persistent('Open').descriptor;
    expect(toStoredItem(model, { id: 'a', extra: 1 }, 400 * 1024)).toEqual({ id: 'a', extra: 1 });
  });

  it('refuses another mode by name', async () => {
    const error = await rejection(loadApi(spec('a.B'), { compat: 'pymacron' as never }));
    expect(error).toBeInstanceOf(TypeError);
  });
});

describe('persist: tables of the PyMacaron form given with the spec, known from the start', () => {
  const spec = () => openapi30({ Profile: profile('myserver.db.profile.PersistentProfile') });
  const persist = { Profile: { table: 'some-table', key: 'profile_id' } };

  it('registers them at load time: api.tables() lists them, persistent() needs no options', async () => {
    const api = await loadApi(spec(), { persist, tablePrefix: 'dev-' });
    expect(api.tables().map((table) => table.name)).toEqual(['dev-some-table']);
    const Profile = api.persistent('Profile');
    expect(Profile.descriptor.table.specName).toBe('some-table');
    // The code that still passes the same options gets the same class.
    expect(api.persistent('Profile', { table: 'some-table', key: 'profile_id' })).toBe(Profile);
    expect(
      thrown(() => api.persistent('Profile', { table: 'other-table', key: 'profile_id' })),
    ).toBeInstanceOf(InvalidRequestError);
  });

  it('hands out descriptors no caller can change: api.tables(), Model.descriptor', async () => {
    const api = await loadApi(
      openapi30({
        Profile: profile({
          table: 'profiles',
          key: 'profile_id',
          sort: 'created_at',
          indexes: { byEmail: { key: 'email' } },
        }),
      }),
      { tablePrefix: 'dev-' },
    );
    const Profile = api.persistent('Profile');
    const [table] = api.tables();
    const attempts: [string, () => unknown][] = [
      ['name', () => ((table as { name: string }).name = 'other')],
      ['partitionKey', () => ((table!.partitionKey as { name: string }).name = 'nickname')],
      ['sortKey', () => ((table!.sortKey as { type: string }).type = 'string')],
      ['indexes', () => (table!.indexes as unknown[]).push({ name: 'x' })],
      ['index', () => ((table!.indexes[0] as { name: string }).name = 'other')],
      ['index key', () => ((table!.indexes[0]!.partitionKey as { name: string }).name = 'id')],
      ['the array', () => api.tables().pop()],
      ['descriptor', () => ((Profile.descriptor as { table: unknown }).table = {})],
      ['descriptor table', () => ((Profile.descriptor.table as { name: string }).name = 'x')],
    ];
    for (const [what, attempt] of attempts) {
      try {
        attempt();
      } catch (error) {
        expect(error, what).toBeInstanceOf(TypeError);
      }
    }
    expect(api.tables()).toEqual([
      {
        name: 'dev-profiles',
        specName: 'profiles',
        partitionKey: { name: 'profile_id', type: 'string' },
        sortKey: { name: 'created_at', type: 'number' },
        indexes: [{ name: 'byEmail', partitionKey: { name: 'email', type: 'string' } }],
      },
    ]);
    expect(Profile.descriptor.table).toBe(api.tables()[0]);
  });

  it('reports a bad annotation as a SpecError at load time', async () => {
    const given = { Profile: { table: 'some-table', key: 'email' } };
    const error = await rejection(loadApi(spec(), { persist: given }));
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems).toEqual([
      expect.objectContaining({ pointer: '/persist/Profile/key' }),
    ]);
  });

  it("skips a schema the spec lacks: one persist serves a project's specs", async () => {
    const api = await loadApi(spec(), {
      persist: { ...persist, Nobody: { table: 'people', key: 'id' } },
    });
    expect(api.tables().map((table) => table.name)).toEqual(['some-table']);
  });

  it("names the entries it skipped where a schema in PyMacaron's form finds none (a misspelt name)", async () => {
    const api = await loadApi(spec(), { persist: { Profle: persist.Profile } });
    expect(api.tables()).toEqual([]);
    const error = thrown(() => api.persistent('Profile'));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toBe(
      "Profile uses PyMacaron's x-persist form: pass { table, key } to persistent('Profile', …) or to loadApi's persist, whose \"Profle\" this spec has no schema of",
    );
  });

  it('refuses schemas whose x-persist is in the full form already', async () => {
    const full = openapi30({ Profile: profile({ table: 'profiles', key: 'profile_id' }) });
    const error = await rejection(loadApi(full, { persist }));
    expect((error as SpecError).problems[0]?.message).toMatch(/full x-persist in the spec/);
  });
});

describe('names from the spec are data, never prototype lookups', () => {
  // JSON.parse keeps `__proto__` as an own property, as YAML and JSON spec files do; an object
  // literal would set the prototype instead.
  const spec = (schemas: string) =>
    JSON.parse(
      `{"openapi":"3.0.3","info":{"title":"Test","version":"1.0"},"paths":{},"components":{"schemas":${schemas}}}`,
    ) as Record<string, unknown>;

  it('keeps an index named __proto__ next to the others', async () => {
    const api = await loadApi(
      spec(`{"Profile":{"type":"object","required":["profile_id"],
        "properties":{"profile_id":{"type":"string"},"email":{"type":"string"},"label":{"type":"string"}},
        "x-persist":{"table":"profiles","key":"profile_id",
          "indexes":{"__proto__":{"key":"email"},"byOther":{"key":"label"}}}}}`),
    );
    expect(api.tables()[0]!.indexes).toEqual([
      { name: '__proto__', partitionKey: { name: 'email', type: 'string' } },
      { name: 'byOther', partitionKey: { name: 'label', type: 'string' } },
    ]);
    expect(Object.getPrototypeOf(api.persistent('Profile').descriptor.table)).toBe(
      Object.prototype,
    );
  });

  it('selects a discriminator variant named __proto__ (by mapping value and by model name)', async () => {
    const variant =
      '{"type":"object","required":["kind"],"properties":{"kind":{"type":"string"},"size":{"type":"integer"}}}';
    for (const mapping of ['"mapping":{"__proto__":"#/components/schemas/__proto__"}', '']) {
      const api = await loadApi(
        spec(`{"__proto__":${variant},"Dog":${variant},
          "Pet":{"oneOf":[{"$ref":"#/components/schemas/__proto__"},{"$ref":"#/components/schemas/Dog"}],
            "discriminator":{"propertyName":"kind"${mapping ? `,${mapping}` : ''}}}}`),
      );
      expect(api.validate('Pet', { kind: '__proto__', size: 1 })).toEqual([]);
      expect(api.validate('Pet', { kind: '__proto__', size: 'big' })).not.toEqual([]);
    }
  });

  it('finds no schema at a pointer through __proto__', async () => {
    const api = await loadApi(openapi30({ Profile: { type: 'object' } }));
    expect(() => api.schemaAt('/components/schemas/__proto__')).toThrow(InvalidRequestError);
  });
});

describe('a refused persistent() on a shared table', () => {
  // A by-code model refused for its discriminator value (after its table was merged) must leave the
  // shared table as it was: a refused persistent() changes nothing.
  it('a persistent() refused for a repeated discriminator value adds none of its indexes to the shared table', async () => {
    const model = (name: string) => ({
      type: 'object',
      'x-persist': `app.models.${name}`,
      required: ['id'],
      properties: {
        id: { type: 'string' },
        kind: { type: 'string', enum: ['thing'] },
        x: { type: 'string' },
      },
    });
    const api = await loadApi(
      {
        swagger: '2.0',
        info: { title: 'refused', version: '1' },
        paths: {},
        definitions: { A: model('A'), B: model('B') },
      },
      { compat: 'pymacaron' },
    );
    const shared = { table: 'things', key: 'id', discriminator: 'kind' };
    const A = api.persistent('A', shared);
    let error: unknown;
    try {
      api.persistent('B', { ...shared, indexes: { byX: { key: 'x' } } });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect(A.descriptor.table.indexes).toEqual([]);
    expect(api.tables()[0]?.indexes).toEqual([]);
  });
});
