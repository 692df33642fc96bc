import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  AlreadyExistsError,
  BackendError,
  ConflictError,
  InvalidRequestError,
  ItemNotFoundError,
  loadApi,
  UnsupportedOperationError,
} from '@macaron/core';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { EntityParser } from 'dynamodb-toolbox/entity/actions/parse';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { EntityRepository } from 'dynamodb-toolbox/entity/actions/repository';
import { $add, UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';
import { createRawAccess } from './raw-document-client.js';

// The derived toolbox entities, sent with `.send()` against dynalite: what they write loads
// with Macaron exactly, and what Macaron writes reads through them exactly.

const spec = {
  openapi: '3.0.3',
  info: { title: 'toolbox entities', version: '1' },
  paths: {},
  components: {
    schemas: {
      Account: {
        type: 'object',
        required: ['id', 'owner'],
        additionalProperties: false,
        'x-persist': { table: 'accounts', key: 'id', version: 'revision' },
        properties: {
          id: { type: 'string' },
          owner: { type: 'string' },
          revision: { type: 'integer' },
          balance: { type: 'number' },
          big: { type: 'integer', format: 'int64' },
          active: { type: 'boolean' },
          plan: { type: 'string', enum: ['free', 'pro'] },
          avatar: { type: 'string', format: 'binary' },
          note: { type: 'string', nullable: true },
          address: {
            type: 'object',
            additionalProperties: false,
            properties: {
              city: { type: 'string' },
              lines: { type: 'array', items: { type: 'string' } },
            },
          },
          tags: { type: 'array', items: { type: 'string' } },
          scores: { type: 'array', items: { type: 'number' } },
          keys: { type: 'array', items: { type: 'string', format: 'binary' } },
          limits: { type: 'object', additionalProperties: { type: 'integer', format: 'int64' } },
          extra: { type: 'object' },
        },
      },
      Profile: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'profiles', key: 'id' },
        properties: { id: { type: 'string' }, name: { type: 'string' } },
      },
      Cat: {
        type: 'object',
        required: ['owner', 'name'],
        additionalProperties: false,
        'x-persist': { table: 'pets', key: 'owner', sort: 'name', discriminator: 'kind' },
        properties: {
          owner: { type: 'string' },
          name: { type: 'string' },
          lives: { type: 'integer' },
        },
      },
      Dog: {
        type: 'object',
        required: ['owner', 'name'],
        additionalProperties: false,
        'x-persist': { table: 'pets', key: 'owner', sort: 'name', discriminator: 'kind' },
        properties: {
          owner: { type: 'string' },
          name: { type: 'string' },
          breed: { type: 'string' },
          // Declared: Macaron keeps it as a property (and always writes the model name).
          kind: { type: 'string' },
        },
      },
    },
  },
};

const local = useLocalEngine();
let counter = 0;

async function setUp() {
  const backend = createDynamoDbBackend({
    client: local().engine.client,
    capabilities: { transactions: false, ttl: false },
  });
  const api = await loadApi(spec, { backend, tablePrefix: `toolbox${++counter}-` });
  await backend.ensureTables(api.tables());
  const Account = api.persistent('Account');
  const Cat = api.persistent('Cat');
  const Dog = api.persistent('Dog');
  const Profile = api.persistent('Profile');
  const raw = createRawAccess(local().rawClient);
  return { backend, Account, Cat, Dog, Profile, raw };
}

// Every value type Macaron stores that the derived schema carries.
const account = {
  owner: 'ann',
  balance: 0.1,
  big: 2n ** 60n + 1n,
  active: true,
  plan: 'pro',
  avatar: Uint8Array.of(0, 1, 255),
  note: null,
  address: { city: 'Paris', lines: ['1 rue', 'B'] },
  tags: new Set(['a', 'b']),
  scores: [1.5, -2, 12345678901234567n],
  keys: new Set([Uint8Array.of(1), Uint8Array.of(2, 3)]),
  limits: { daily: 5, monthly: 9_007_199_254_740_993n },
  extra: { anything: ['goes', { deep: 1 }], bytes: Uint8Array.of(7), set: new Set([1, 2]) },
};

describe('toolbox entities derived from the spec', () => {
  it('a closed model written through the entity loads with Macaron, stored exactly as Macaron stores it', async () => {
    const { backend, Account, raw } = await setUp();
    const entity = await backend.entity(Account.descriptor);
    await entity
      .build(PutItemCommand)
      .item({ id: 'tb', revision: 1, ...account } as never)
      .send();
    await Account.create({ id: 'mc', ...account });
    const table = Account.descriptor.table.name;
    const viaToolbox = await raw.get(table, { id: 'tb' });
    const viaMacaron = await raw.get(table, { id: 'mc' });
    expect(viaToolbox).toEqual({ ...viaMacaron, id: 'tb' });
    const loaded = await Account.load('tb');
    expect({ ...loaded }).toEqual({ id: 'tb', revision: 1, ...account });
    // The version attribute works on from there: a save with the loaded version succeeds.
    loaded.balance = 0.2;
    await loaded.save();
    expect((await raw.get(table, { id: 'tb' }))?.revision).toBe(2);
    // A number beyond 2^53 that is not a bigint is refused, as Macaron refuses it.
    const inexact = entity
      .build(PutItemCommand)
      .item({ id: 'huge', owner: 'ann', balance: 2 ** 60 } as never);
    await expect(inexact.send()).rejects.toThrow('greater than Number.MAX_SAFE_INTEGER');
    await expect(Account.create({ id: 'huge', owner: 'ann', balance: 2 ** 60 })).rejects.toThrow(
      'use a bigint',
    );
    expect(await raw.get(table, { id: 'huge' })).toBeUndefined();
  });

  it("the entity neither checks nor moves the model's version: an update that moves it ($add(1)) makes an object loaded before it a ConflictError, one that does not is saved over (README)", async () => {
    const { backend, Account, raw } = await setUp();
    const table = Account.descriptor.table.name;
    const entity = await backend.entity(Account.descriptor);
    await Account.create({ id: 'v1', owner: 'ann', balance: 10 });
    // Without the version moved, the object loaded before the entity's update saves over it.
    const stale = await Account.load('v1');
    await entity
      .build(UpdateItemCommand)
      .item({ id: 'v1', balance: $add(5) } as never)
      .send();
    expect((await raw.get(table, { id: 'v1' }))?.revision).toBe(1);
    stale.owner = 'bob';
    await stale.save();
    expect(await raw.get(table, { id: 'v1' })).toMatchObject({ balance: 10, revision: 2 });
    // The README's way: the update moves the version, under a condition on it as save() has.
    const loaded = await Account.load('v1');
    await entity
      .build(UpdateItemCommand)
      .item({ id: 'v1', balance: $add(5), revision: $add(1) } as never)
      .options({ condition: { attr: 'revision', eq: 2 } } as never)
      .send();
    loaded.owner = 'cid';
    await expect(loaded.save()).rejects.toBeInstanceOf(ConflictError);
    expect(await raw.get(table, { id: 'v1' })).toMatchObject({
      owner: 'bob',
      balance: 15,
      revision: 3,
    });
    // A put without the version: every object loaded before it conflicts too (P-26).
    const beforePut = await Account.load('v1');
    await entity
      .build(PutItemCommand)
      .item({ id: 'v1', owner: 'dan' } as never)
      .send();
    await expect(beforePut.save()).rejects.toBeInstanceOf(ConflictError);
  });

  it('a put without a version over an item that had none is saved over by an object loaded before it; a put at version 1 makes it a ConflictError (README)', async () => {
    const { backend, Account, raw } = await setUp();
    const table = Account.descriptor.table.name;
    const entity = await backend.entity(Account.descriptor);
    await entity
      .build(PutItemCommand)
      .item({ id: 'u1', owner: 'ann' } as never)
      .send();
    const before = await Account.load('u1');
    await entity
      .build(PutItemCommand)
      .item({ id: 'u1', owner: 'dan', balance: 99 } as never)
      .send();
    before.owner = 'eve';
    await before.save();
    // P-92: the save asked only that the item still held no version; the put is gone.
    expect(await raw.get(table, { id: 'u1' })).toEqual({ id: 'u1', owner: 'eve', revision: 1 });
    await entity
      .build(PutItemCommand)
      .item({ id: 'u2', owner: 'ann' } as never)
      .send();
    const stale = await Account.load('u2');
    await entity
      .build(PutItemCommand)
      .item({ id: 'u2', owner: 'dan', balance: 99, revision: 1 } as never)
      .send();
    stale.owner = 'eve';
    await expect(stale.save()).rejects.toBeInstanceOf(ConflictError);
    expect(await raw.get(table, { id: 'u2' })).toEqual({
      id: 'u2',
      owner: 'dan',
      balance: 99,
      revision: 1,
    });
  });

  it('a closed model written by Macaron reads through the entity exactly', async () => {
    const { backend, Account } = await setUp();
    await Account.create({ id: 'a1', ...account });
    const entity = await backend.entity(Account.descriptor);
    const { Item } = await entity
      .build(GetItemCommand)
      .key({ id: 'a1' } as never)
      .options({ consistent: true })
      .send();
    expect(Item).toEqual({ id: 'a1', revision: 1, ...account });
  });

  it('a number set read through the entity with members past 2^53 writes back through it, whatever their order', async () => {
    const { backend, Account, raw } = await setUp();
    const table = Account.descriptor.table.name;
    // `scores` holds numbers: a set another client stored as NS is read as a Set.
    await Account.create({
      id: 'ns',
      owner: 'ann',
      scores: new Set([1, 9_007_199_254_740_993n]) as never,
    });
    const before = await raw.get(table, { id: 'ns' });
    const entity = await backend.entity(Account.descriptor);
    const { Item } = await entity
      .build(GetItemCommand)
      .key({ id: 'ns' } as never)
      .options({ consistent: true })
      .send();
    expect((Item as { scores?: unknown }).scores).toEqual(new Set([1, 9_007_199_254_740_993n]));
    await entity
      .build(PutItemCommand)
      .item(Item as never)
      .send();
    expect(await raw.get(table, { id: 'ns' })).toEqual(before);
  });

  it('the entity refuses what the closed schema does not declare, instead of dropping it', async () => {
    const { backend, Account, raw } = await setUp();
    const entity = await backend.entity(Account.descriptor);
    const put = entity
      .build(PutItemCommand)
      .item({ id: 'x', owner: 'ann', undeclared: 1 } as never);
    await expect(put.send()).rejects.toThrow("'undeclared' is not defined");
    const nested = entity
      .build(PutItemCommand)
      .item({ id: 'x', owner: 'ann', address: { city: 'Oslo', zip: '0150' } } as never);
    await expect(nested.send()).rejects.toThrow("'address.zip' is not defined");
    expect(await raw.get(Account.descriptor.table.name, { id: 'x' })).toBeUndefined();
  });

  it('a member named __proto__ or an undeclared toString (at any depth) is an InvalidRequestError, nothing sent, never lost nor turned into other attributes', async () => {
    const { backend, Account, raw } = await setUp();
    const table = Account.descriptor.table.name;
    const entity = await backend.entity(Account.descriptor);
    // JSON.parse makes own members named __proto__, as a request body parsed by a server does.
    const cases: [string, Record<string, unknown>][] = [
      ['top', JSON.parse('{"__proto__": "x"}')],
      ['any', { extra: JSON.parse('{"a": 2, "__proto__": {"M": {}}}') }],
      ['deep', { extra: { list: [JSON.parse('{"__proto__": 1}')] } }],
      ['record', { limits: JSON.parse('{"daily": 1, "__proto__": 5}') }],
      ['toString', { toString: 'x' }],
      ['constructor', { constructor: 'x' }],
      ['nested', { address: { city: 'Paris', toString: 'x' } }],
    ];
    for (const [id, fields] of cases) {
      const put = () =>
        entity
          .build(PutItemCommand)
          .item({ id, owner: 'ann', ...fields } as never)
          .send();
      const update = () =>
        entity
          .build(UpdateItemCommand)
          .item({ id, owner: 'ann', ...fields } as never)
          .send();
      for (const write of [put, update]) {
        // Refused when the item is given (synchronously) or sent: either way, nothing sent.
        const error = await Promise.resolve()
          .then(write)
          .then(
            () => undefined,
            (thrown: unknown) => thrown,
          );
        expect(error, `${id} ${write === put ? 'put' : 'update'}`).toBeInstanceOf(
          InvalidRequestError,
        );
        expect(await raw.get(table, { id })).toBeUndefined();
      }
    }
    // A key holding one is refused too; what holds none is sent as before.
    const get = entity.build(GetItemCommand);
    expect(() => get.key(JSON.parse('{"id": "a", "__proto__": {}}'))).toThrow(InvalidRequestError);
    await entity
      .build(PutItemCommand)
      .item({ id: 'fine', owner: 'ann', extra: { proto: '__proto__' } } as never)
      .send();
    expect(await raw.get(table, { id: 'fine' })).toEqual({
      id: 'fine',
      owner: 'ann',
      extra: { proto: '__proto__' },
    });
  });

  it("an undeclared toString given through the entity's repository or parser is refused too, nothing sent", async () => {
    const { backend, Account, raw } = await setUp();
    const table = Account.descriptor.table.name;
    const entity = await backend.entity(Account.descriptor);
    const repository = entity.build(EntityRepository);
    // Every write of an entity parses its item with the entity's EntityParser: the repository's
    // put and update, its batch and transaction requests, and the parser called directly.
    const writes: [string, () => unknown][] = [
      ['put', () => repository.put({ id: 'r1', owner: 'ann', toString: 'x' } as never)],
      [
        'put nested',
        () => repository.put({ id: 'r2', owner: 'ann', address: { constructor: 'c' } } as never),
      ],
      ['update', () => repository.update({ id: 'r3', owner: 'ann', valueOf: 'v' } as never)],
      [
        'updateAttributes',
        () => repository.updateAttributes({ id: 'r4', owner: 'ann', valueOf: 'v' } as never),
      ],
      [
        'batchPut',
        () => repository.batchPut({ id: 'r5', owner: 'ann', toString: 'x' } as never).params(),
      ],
      [
        'transactPut',
        () => repository.transactPut({ id: 'r6', owner: 'ann', toString: 'x' } as never).params(),
      ],
      [
        'parse',
        () => entity.build(EntityParser).parse({ id: 'r7', owner: 'ann', toString: 'x' } as never),
      ],
    ];
    for (const [name, write] of writes) {
      const error = await Promise.resolve()
        .then(write)
        .then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
      expect(error, name).toBeInstanceOf(InvalidRequestError);
    }
    for (const id of ['r1', 'r2', 'r3', 'r4']) expect(await raw.get(table, { id })).toBeUndefined();
    // What declares every attribute goes through, and a key is only a key.
    await repository.put({ id: 'r8', owner: 'ann', address: { city: 'Oslo' } } as never);
    expect(await raw.get(table, { id: 'r8' })).toEqual({
      id: 'r8',
      owner: 'ann',
      address: { city: 'Oslo' },
    });
    expect((await repository.get({ id: 'r8' } as never)).Item).toMatchObject({ id: 'r8' });
  });

  it('reading a number no JavaScript number holds is a BackendError, not a rounding', async () => {
    const { backend, Account } = await setUp();
    const table = Account.descriptor.table.name;
    await local().engine.client.send(
      new (await import('@aws-sdk/client-dynamodb')).PutItemCommand({
        TableName: table,
        Item: { id: { S: 'n' }, owner: { S: 'ann' }, balance: { N: '0.123456789012345678901' } },
      }),
    );
    const entity = await backend.entity(Account.descriptor);
    const read = entity
      .build(GetItemCommand)
      .key({ id: 'n' } as never)
      .send();
    await expect(read).rejects.toBeInstanceOf(BackendError);
  });

  it('an open model has no entity: a typed error says why and what to do; its table still works', async () => {
    const { backend, Profile } = await setUp();
    const error = await backend.entity(Profile.descriptor).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnsupportedOperationError);
    expect(error).toMatchObject({ code: 'NOT_SUPPORTED', status: 501 });
    expect((error as Error).message).toContain('additionalProperties: false');
    expect((error as Error).message).toContain('Profile');
    const table = await backend.table(Profile.descriptor.table);
    expect(table.getName()).toBe(Profile.descriptor.table.name);
    expect(table.getDocumentClient()).toBeInstanceOf(DynamoDBDocumentClient);
  });

  it('entity() and table() given anything but a model and a table descriptor reject with InvalidRequestError, never a TypeError', async () => {
    // A JavaScript caller's mistakes, which no type check stops: the model's class for its
    // descriptor, a table descriptor for a model's, the other way round, nothing at all.
    const { backend, Account } = await setUp();
    const wrongs: [string, () => Promise<unknown>][] = [
      ['entity', () => backend.entity(Account.descriptor.table as never)],
      ['entity', () => backend.entity(Account as never)],
      ['entity', () => backend.entity(undefined as never)],
      ['entity', () => backend.entity({ table: null } as never)],
      ['table', () => backend.table(Account.descriptor as never)],
      ['table', () => backend.table(undefined as never)],
      ['table', () => backend.table('accounts' as never)],
    ];
    for (const [method, call] of wrongs) {
      const error = await call().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toContain(`backend.${method}()`);
    }
    const asTable = await backend.table(Account.descriptor as never).catch((caught) => caught);
    expect((asTable as Error).message).toBe(
      'backend.table() takes a table descriptor (one of api.tables(), or Model.descriptor.table), not another object',
    );
    const asClass = await backend.entity(Account as never).catch((caught) => caught);
    expect((asClass as Error).message).toContain(
      'not a function (a model class? pass its descriptor)',
    );
    // The right arguments still work, after the wrong ones.
    expect((await backend.table(Account.descriptor.table)).getName()).toBe(
      Account.descriptor.table.name,
    );
    expect((await backend.entity(Account.descriptor)).entityName).toBe('Account');
  });

  it('OpenAPI 3.1: unevaluatedProperties: false closes a schema; patterns and conditions open it', async () => {
    const backend = createDynamoDbBackend({
      client: local().engine.client,
      capabilities: { transactions: false, ttl: false },
    });
    const model = (extra: Record<string, unknown>) => ({
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'string' }, kind: { type: 'string' } },
      ...extra,
    });
    const api = await loadApi(
      {
        openapi: '3.1.0',
        info: { title: 'toolbox 3.1', version: '1' },
        paths: {},
        components: {
          schemas: {
            Sealed: model({
              'x-persist': { table: 'sealed', key: 'id' },
              unevaluatedProperties: false,
            }),
            Patterned: model({
              'x-persist': { table: 'patterned', key: 'id' },
              additionalProperties: false,
              patternProperties: { '^x-': { type: 'string' } },
            }),
            Conditional: model({
              'x-persist': { table: 'conditional', key: 'id' },
              additionalProperties: false,
              if: { required: ['kind'] },
              // biome-ignore lint/suspicious/noThenProperty: JSON Schema's keyword, never awaited
              then: { properties: { more: { type: 'string' } } },
            }),
          },
        },
      },
      { backend, tablePrefix: `toolbox${++counter}-` },
    );
    await backend.ensureTables(api.tables());
    const sealed = await backend.entity(api.persistent('Sealed').descriptor);
    await sealed
      .build(PutItemCommand)
      .item({ id: 'a', kind: 'k' } as never)
      .send();
    expect((await api.persistent('Sealed').load('a')).kind).toBe('k');
    // Their `x-…` and `more` properties are stored by Macaron: an entity would drop them.
    for (const name of ['Patterned', 'Conditional'])
      await expect(backend.entity(api.persistent(name).descriptor)).rejects.toBeInstanceOf(
        UnsupportedOperationError,
      );
  });

  describe('models sharing a table', () => {
    it("an item put through one model's entity carries its discriminator and loads with that model only", async () => {
      const { backend, Cat, Dog, raw } = await setUp();
      const cats = await backend.entity(Cat.descriptor);
      await cats
        .build(PutItemCommand)
        .item({ owner: 'ann', name: 'tom', lives: 9 } as never)
        .send();
      const key = { owner: 'ann', name: 'tom' };
      expect(await raw.get(Cat.descriptor.table.name, key)).toEqual({
        ...key,
        lives: 9,
        kind: 'Cat',
      });
      expect({ ...(await Cat.load(key)) }).toEqual({ ...key, lives: 9 });
      await expect(Dog.load(key)).rejects.toBeInstanceOf(ItemNotFoundError);
      expect(await Dog.get(key)).toBeUndefined();
      await expect(Dog.create({ ...key, breed: 'collie' })).rejects.toBeInstanceOf(
        AlreadyExistsError,
      );
      expect(await raw.get(Cat.descriptor.table.name, key)).toEqual({
        ...key,
        lives: 9,
        kind: 'Cat',
      });
    });

    it("Macaron's items read through their own entity, with the discriminator as Macaron shows it; another model's entity refuses them", async () => {
      const { backend, Cat, Dog } = await setUp();
      await Cat.create({ owner: 'ann', name: 'tom', lives: 3 });
      await Dog.create({ owner: 'ann', name: 'rex', breed: 'collie' });
      const cats = await backend.entity(Cat.descriptor);
      const dogs = await backend.entity(Dog.descriptor);
      const get = (entity: typeof cats, name: string) =>
        entity
          .build(GetItemCommand)
          .key({ owner: 'ann', name } as never)
          .send();
      expect((await get(cats, 'tom')).Item).toEqual({ owner: 'ann', name: 'tom', lives: 3 });
      expect((await get(dogs, 'rex')).Item).toEqual({
        owner: 'ann',
        name: 'rex',
        breed: 'collie',
        kind: 'Dog',
      });
      expect({ ...(await Dog.load({ owner: 'ann', name: 'rex' })) }).toEqual(
        (await get(dogs, 'rex')).Item,
      );
      await expect(get(dogs, 'tom')).rejects.toThrow('Should be one of: Dog');
    });

    it('an entity refuses to write another model name into the discriminator', async () => {
      const { backend, Dog, raw } = await setUp();
      const dogs = await backend.entity(Dog.descriptor);
      const put = dogs
        .build(PutItemCommand)
        .item({ owner: 'ann', name: 'rex', kind: 'Cat' } as never);
      await expect(put.send()).rejects.toThrow('Dog');
      expect(
        await raw.get(Dog.descriptor.table.name, { owner: 'ann', name: 'rex' }),
      ).toBeUndefined();
    });
  });

  it("the entities' DocumentClient leaves the translation settings of the user's client alone", async () => {
    const client = local().newClient();
    const documentClient = DynamoDBDocumentClient.from(client, {
      marshallOptions: { convertEmptyValues: true },
    });
    const settings = documentClient.config.translateConfig;
    const backend = createDynamoDbBackend({ client: documentClient });
    const api = await loadApi(spec, { backend, tablePrefix: `toolbox${++counter}-` });
    await backend.ensureTables(api.tables());
    const Account = api.persistent('Account');
    const entity = await backend.entity(Account.descriptor);
    await entity
      .build(PutItemCommand)
      .item({ id: 'a', owner: 'ann', big: 2n ** 60n } as never)
      .send();
    expect(documentClient.config.translateConfig).toBe(settings);
    expect(client.config).not.toHaveProperty('translateConfig.unmarshallOptions');
    // The user's DocumentClient still reads with its own (default) settings.
    const { Item } = await documentClient.send(
      new GetCommand({ TableName: Account.descriptor.table.name, Key: { id: 'a' } }),
    );
    expect(Item?.big).toBe(2n ** 60n);
    client.destroy();
  });
});

describe('dynamodb-toolbox is loaded only when an entity is asked for', () => {
  const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'macaron-no-toolbox-'));
    // Every import of dynamodb-toolbox fails as a missing package does.
    writeFileSync(
      join(folder, 'hide-toolbox.mjs'),
      `import * as nodeModule from 'node:module';
// registerHooks where Node has it (22.15+, 23.5+): register() warns on Node 26 (DEP0205).
if (typeof nodeModule.registerHooks === 'function') {
  nodeModule.registerHooks({
    resolve(specifier, context, next) {
      if (/^dynamodb-toolbox(\\/|$)/.test(specifier)) {
        const error = new Error("Cannot find package '" + specifier + "' (hidden by hide-toolbox.mjs)");
        error.code = 'ERR_MODULE_NOT_FOUND';
        throw error;
      }
      return next(specifier, context);
    },
  });
} else {
  nodeModule.register('data:text/javascript,' + encodeURIComponent(\`
export async function resolve(specifier, context, next) {
  if (/^dynamodb-toolbox(\\\\/|$)/.test(specifier)) {
    const error = new Error("Cannot find package '" + specifier + "' (hidden by hide-toolbox.mjs)");
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}\`));
}
`,
    );
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('the built backend loads and stores without it; entity() is a MissingDependencyError', async () => {
    const { engine } = local();
    const require = createRequire(import.meta.url);
    const url = (path: string) => JSON.stringify(pathToFileURL(path).href);
    const script = `
      import { loadApi } from ${url(require.resolve('@macaron/core'))};
      import { DynamoDBClient } from ${url(require.resolve('@aws-sdk/client-dynamodb'))};
      import { createDynamoDbBackend } from ${url(join(packageRoot, 'dist', 'index.js'))};
      const client = new DynamoDBClient(${JSON.stringify({
        endpoint: engine.endpoint,
        region: engine.region,
        credentials: engine.credentials,
      })});
      const backend = createDynamoDbBackend({ client });
      const api = await loadApi(${JSON.stringify(spec)}, { backend, tablePrefix: 'no-toolbox-' });
      await backend.ensureTables(api.tables());
      const Cat = api.persistent('Cat');
      await Cat.create({ owner: 'ann', name: 'tom', lives: 9 });
      const loaded = { ...(await Cat.load({ owner: 'ann', name: 'tom' })) };
      const entity = await backend.entity(Cat.descriptor).then(
        () => 'loaded',
        (error) => ({ code: error.code, message: error.message }),
      );
      client.destroy();
      console.log(JSON.stringify({ loaded, entity }));
    `;
    writeFileSync(join(folder, 'probe.mjs'), script);
    // Asynchronously: the child talks to the dynalite of this process.
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', pathToFileURL(join(folder, 'hide-toolbox.mjs')).href, 'probe.mjs'],
      {
        cwd: folder,
        encoding: 'utf8',
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      },
    );
    expect(JSON.parse(stdout)).toEqual({
      loaded: { owner: 'ann', name: 'tom', lives: 9 },
      entity: {
        code: 'DEPENDENCY_MISSING',
        message:
          'backend.entity() or backend.table() needs dynamodb-toolbox, which is not installed: npm install dynamodb-toolbox',
      },
    });
    // Nothing else said: no warning of Node's about the hook itself (DEP0205 on Node 26).
    expect(stderr).toBe('');
  });
});
