import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { OperationHandlers } from '../src/index.js';
import { withoutMarked } from '../src/validation/marked-properties.js';
import { call, serve } from './serve.js';

// A spec as APIs commonly write it: the server sets `id` and `created_at` (readOnly, yet
// required, so responses always carry them); the client sends a password the server never
// returns (writeOnly, required in requests).
function accountsSpec() {
  return {
    openapi: '3.0.3',
    info: { title: 'accounts', version: '1' },
    paths: {
      '/accounts': {
        post: {
          operationId: 'createAccount',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Account' } } },
          },
          responses: {
            '201': {
              description: 'created',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Account' } } },
            },
          },
        },
        get: {
          operationId: 'listAccounts',
          responses: {
            '200': {
              description: 'every account',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['items'],
                    properties: {
                      items: { type: 'array', items: { $ref: '#/components/schemas/Account' } },
                      audit: {
                        type: 'object',
                        required: ['by', 'token'],
                        properties: {
                          by: { type: 'string' },
                          token: { type: 'string', writeOnly: true },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Account: {
          type: 'object',
          required: ['id', 'email', 'password', 'created_at'],
          'x-persist': { table: 'accounts', key: 'id' },
          properties: {
            id: { type: 'string', readOnly: true },
            email: { type: 'string', format: 'email' },
            password: { type: 'string', writeOnly: true, minLength: 8 },
            created_at: { type: 'string', format: 'date-time', readOnly: true },
          },
        },
      },
    },
  };
}

async function served(handlers?: Partial<OperationHandlers>) {
  const api = await loadApi(accountsSpec(), { backend: createMemoryBackend() });
  const Account = api.persistent('Account');
  let next = 0;
  const { url } = await serve({
    api,
    handlers: {
      async createAccount({ body, reply }) {
        const account = new Account({
          ...(body as object),
          id: `a${++next}`,
          created_at: '2026-12-01T10:00:00Z',
        });
        await account.save();
        reply.code(201);
        return account;
      },
      async listAccounts() {
        return { items: (await Account.scan()).items, audit: { by: 'admin', token: 't0ken' } };
      },
      ...handlers,
    },
  });
  return { url, Account };
}

describe('readOnly and writeOnly over HTTP', () => {
  it('takes a body without its readOnly properties, stores the whole object and never sends the writeOnly one back', async () => {
    const { url, Account } = await served();
    const created = await call(`${url}/accounts`, {
      method: 'POST',
      body: { email: 'ann@example.com', password: 'correct horse' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: 'a1',
      email: 'ann@example.com',
      created_at: '2026-12-01T10:00:00Z',
    });
    // Stored whole: the password is data the server keeps.
    expect((await Account.load({ id: 'a1' })).toJSON()).toEqual({
      id: 'a1',
      email: 'ann@example.com',
      password: 'correct horse',
      created_at: '2026-12-01T10:00:00Z',
    });
    const listed = await call(`${url}/accounts`);
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual({
      items: [{ id: 'a1', email: 'ann@example.com', created_at: '2026-12-01T10:00:00Z' }],
      audit: { by: 'admin' },
    });
  });

  it('a property named toJSON (the schema is open: a client may send one) is data, not the method: writeOnly still stripped', async () => {
    const { url } = await served();
    const created = await call(`${url}/accounts`, {
      method: 'POST',
      body: { email: 'bob@example.com', password: 'correct horse', toJSON: 'x' },
    });
    expect(created.status).toBe(201);
    const expected = {
      id: 'a1',
      email: 'bob@example.com',
      created_at: '2026-12-01T10:00:00Z',
      toJSON: 'x',
    };
    expect(created.json).toEqual(expected);
    expect((await call(`${url}/accounts`)).json).toEqual({
      items: [expected],
      audit: { by: 'admin' },
    });
  });

  it('still requires a writeOnly property in the request, and takes no readOnly one from the client', async () => {
    const { url, Account } = await served();
    const missing = await call(`${url}/accounts`, {
      method: 'POST',
      body: { email: 'ann@example.com' },
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('password');
    // The server sets id and created_at: what a client sends for them never reaches the handler.
    const chosen = await call(`${url}/accounts`, {
      method: 'POST',
      body: { id: 'admin', created_at: 7, email: 'ann@example.com', password: 'correct horse' },
    });
    expect(chosen.status).toBe(201);
    expect(chosen.json.id).toBe('a1');
    expect(await Account.get({ id: 'admin' })).toBeUndefined();
  });

  it('still requires a readOnly property in the response', async () => {
    const { url } = await served({
      createAccount: ({ reply }) => {
        reply.code(201);
        return { email: 'ann@example.com', created_at: '2026-12-01T10:00:00Z' };
      },
    });
    const response = await call(`${url}/accounts`, {
      method: 'POST',
      body: { email: 'ann@example.com', password: 'correct horse' },
    });
    expect(response.status).toBe(500);
  });

  it('never sends a writeOnly property: declared after an allOf member taking any name, of a model the response does not describe, in a oneOf value matching no member', async () => {
    const spec = {
      openapi: '3.1.0',
      info: { title: 'leaks', version: '1' },
      paths: {
        '/inherited': { get: { operationId: 'inherited', responses: json('User') } },
        '/undescribed': {
          get: { operationId: 'undescribed', responses: { '200': { description: 'ok' } } },
        },
        '/envelope': {
          get: {
            operationId: 'envelope',
            responses: {
              '200': {
                description: 'ok',
                content: {
                  'application/json': {
                    schema: { type: 'object', properties: { data: { type: 'object' } } },
                  },
                },
              },
            },
          },
        },
        '/payment': { get: { operationId: 'payment', responses: json('Payment') } },
        '/odd': { get: { operationId: 'odd', responses: { '200': { description: 'ok' } } } },
        '/wrapped': {
          get: { operationId: 'wrapped', responses: { '200': { description: 'ok' } } },
        },
        '/wrappedList': {
          get: { operationId: 'wrappedList', responses: { '200': { description: 'ok' } } },
        },
        '/viewed': {
          get: { operationId: 'viewed', responses: { '200': { description: 'ok' } } },
        },
        '/described': {
          get: {
            operationId: 'described',
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { type: 'object' } } },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Base: {
            type: 'object',
            properties: { id: { type: 'string', readOnly: true } },
            additionalProperties: { type: 'string' },
          },
          User: {
            allOf: [
              { $ref: '#/components/schemas/Base' },
              {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  password: { type: 'string', writeOnly: true },
                },
              },
            ],
          },
          Account: {
            type: 'object',
            properties: { id: { type: 'string' }, password: { type: 'string', writeOnly: true } },
          },
          // A property named `constructor`: the model's class is read from its prototype.
          Odd: {
            type: 'object',
            properties: {
              constructor: { type: 'string' },
              password: { type: 'string', writeOnly: true },
            },
          },
          Card: {
            type: 'object',
            required: ['kind', 'number', 'last4'],
            properties: {
              kind: { const: 'card' },
              number: { type: 'string', writeOnly: true, pattern: '^[0-9]{16}$' },
              last4: { type: 'string' },
            },
          },
          Bank: {
            type: 'object',
            required: ['kind', 'iban'],
            properties: { kind: { const: 'bank' }, iban: { type: 'string' } },
          },
          Payment: {
            oneOf: [{ $ref: '#/components/schemas/Card' }, { $ref: '#/components/schemas/Bank' }],
          },
        },
      },
    };
    const api = await loadApi(spec, { backend: createMemoryBackend() });
    const Account = api.model('Account');
    const account = () => new Account({ id: 'u1', password: 'SECRET' });
    class Wrapper {
      constructor(private readonly value: object) {}
      toJSON() {
        return this.value;
      }
    }
    // A class without toJSON(): JSON.stringify writes its own properties.
    class View {
      constructor(readonly account: object) {}
    }
    for (const validateResponses of [true, false]) {
      const { url } = await serve({
        api,
        validateResponses,
        handlers: {
          inherited: () => ({ id: 'u1', name: 'a', password: 'SECRET' }),
          undescribed: account,
          odd: () => new (api.model('Odd'))({ constructor: 'x', password: 'SECRET' } as never),
          envelope: () => ({ data: account() }),
          // An application's own class whose toJSON() hands over a model object, answered
          // alone and inside a list.
          wrapped: () => new Wrapper(account()),
          wrappedList: () => ({ list: [new Wrapper(account())] }),
          viewed: () => ({ views: [new View(account())], one: new View(account()) }),
          described: () => new Wrapper(account()),
          // A number that breaks its own pattern, and (validation off) a last4 of the wrong type.
          payment: () => ({
            kind: 'card',
            number: '4444-SECRET',
            last4: validateResponses ? '4444' : 4444,
          }),
        },
      });
      for (const path of ['inherited', 'undescribed', 'envelope', 'payment', 'odd']) {
        const response = await call(`${url}/${path}`);
        expect(response.status, path).toBe(200);
        expect(response.text, path).not.toContain('SECRET');
      }
      // A class instance, where the spec describes the value or not: refused when responses
      // are checked (as under `schema: {}`), else serialised, the model it hands over without
      // its writeOnly property.
      for (const path of ['wrapped', 'wrappedList', 'viewed', 'described']) {
        const response = await call(`${url}/${path}`);
        expect([response.status, response.text.includes('SECRET')], path).toEqual([
          validateResponses ? 500 : 200,
          false,
        ]);
      }
      if (!validateResponses) {
        expect((await call(`${url}/wrappedList`)).json).toEqual({ list: [{ id: 'u1' }] });
        expect((await call(`${url}/viewed`)).json).toEqual({
          views: [{ account: { id: 'u1' } }],
          one: { account: { id: 'u1' } },
        });
      }
    }
  });

  it('a value of a oneOf member that marks nothing keeps what another member marks readOnly or writeOnly', async () => {
    const note = (mark: 'readOnly' | 'writeOnly') => ({
      oneOf: [
        {
          type: 'object',
          required: ['by'],
          properties: { by: { enum: ['system'] }, note: { type: 'string', [mark]: true } },
        },
        {
          type: 'object',
          required: ['by'],
          properties: { by: { enum: ['user'] }, note: { type: 'string' } },
        },
      ],
    });
    const content = (mark: 'readOnly' | 'writeOnly') => ({
      'application/json': { schema: note(mark) },
    });
    const api = await loadApi({
      openapi: '3.1.0',
      info: { title: 'notes', version: '1' },
      paths: {
        '/notes': {
          post: {
            operationId: 'postNote',
            requestBody: { required: true, content: content('readOnly') },
            responses: { '200': { description: 'ok', content: content('writeOnly') } },
          },
        },
      },
    });
    let seen: unknown;
    const { url } = await serve({
      api,
      handlers: {
        postNote: ({ body }) => {
          seen = body;
          return { note: 'from the server', ...(body as object) };
        },
      },
    });
    const kept = await call(`${url}/notes`, {
      method: 'POST',
      body: { by: 'user', note: 'keep me' },
    });
    expect(seen).toEqual({ by: 'user', note: 'keep me' });
    expect([kept.status, kept.json]).toEqual([200, { by: 'user', note: 'keep me' }]);
    // Of the member that marks it, it is not taken, and not sent.
    const marked = await call(`${url}/notes`, {
      method: 'POST',
      body: { by: 'system', note: 'set by the server' },
    });
    expect(seen).toEqual({ by: 'system' });
    expect([marked.status, marked.json]).toEqual([200, { by: 'system' }]);
  });

  it('follows then, else and dependentSchemas (3.1): their writeOnly properties are not sent, their readOnly ones not taken', async () => {
    const conditional = JSON.parse(`{
      "type": "object",
      "properties": { "kind": { "type": "string" } },
      "if": { "properties": { "kind": { "const": "local" } }, "required": ["kind"] },
      "then": { "properties": {
        "password": { "type": "string", "writeOnly": true },
        "owner": { "type": "string", "readOnly": true } } },
      "dependentSchemas": { "kind": { "properties": { "token": { "type": "string", "writeOnly": true } } } }
    }`);
    const api = await loadApi(
      {
        openapi: '3.1.0',
        info: { title: 'conditional', version: '1' },
        paths: {
          '/things': {
            post: {
              operationId: 'createThing',
              requestBody: {
                required: true,
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Cond' } } },
              },
              responses: json('Cond'),
            },
          },
        },
        components: { schemas: { Cond: conditional } },
      },
      { backend: createMemoryBackend() },
    );
    let seen: unknown;
    const { url } = await serve({
      api,
      handlers: {
        createThing: ({ body }) => {
          seen = (body as { toJSON(): unknown }).toJSON();
          return { kind: 'local', password: 'SECRET', token: 'SECRET', owner: 'server' };
        },
      },
    });
    const response = await call(`${url}/things`, {
      method: 'POST',
      body: { kind: 'local', password: 'p', owner: 'client' },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ kind: 'local', owner: 'server' });
    expect(seen).toEqual({ kind: 'local', password: 'p' });
  });

  it('lifts a requirement stated in one allOf member for a property another declares', async () => {
    const spec = {
      openapi: '3.0.3',
      info: { title: 'split', version: '1' },
      paths: {
        '/users': {
          post: {
            operationId: 'createUser',
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } },
            },
            responses: json('User', '201'),
          },
        },
      },
      components: {
        schemas: {
          Base: {
            type: 'object',
            properties: {
              id: { type: 'string', readOnly: true },
              password: { type: 'string', writeOnly: true },
            },
          },
          User: {
            allOf: [
              { $ref: '#/components/schemas/Base' },
              {
                type: 'object',
                required: ['id', 'name', 'password'],
                properties: { name: { type: 'string' } },
              },
            ],
          },
        },
      },
    };
    const api = await loadApi(spec, { backend: createMemoryBackend() });
    const { url } = await serve({
      api,
      handlers: {
        createUser: ({ reply }) => {
          reply.code(201);
          return { id: 'u1', name: 'a' };
        },
      },
    });
    const created = await call(`${url}/users`, {
      method: 'POST',
      body: { name: 'a', password: 'correct horse' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: 'u1', name: 'a' });
  });

  it("never sends a model object's writeOnly property from inside a named schema that does not describe it", async () => {
    const spec = {
      openapi: '3.0.3',
      info: { title: 'wrapped', version: '1' },
      paths: {
        '/page': { get: { operationId: 'page', responses: json('Page') } },
        '/envelope': { get: { operationId: 'envelope', responses: json('Envelope') } },
      },
      components: {
        schemas: {
          User: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'users', key: 'id' },
            properties: { id: { type: 'string' }, password: { type: 'string', writeOnly: true } },
          },
          Page: {
            type: 'object',
            properties: {
              items: { type: 'array', items: { type: 'object' } },
              cursor: { type: 'string' },
            },
          },
          Envelope: { type: 'object', properties: { data: {}, note: { type: 'string' } } },
        },
      },
    };
    const backend = createMemoryBackend();
    const api = await loadApi(spec, { backend });
    const Users = api.persistent('User');
    await Users.create({ id: 'ann', password: 'hunter2' });
    await Users.create({ id: 'bob', password: 'swordfish' });
    const { url } = await serve({
      api,
      handlers: {
        page: async () => ({ items: (await Users.scan({ limit: 10 })).items, cursor: 'c' }),
        envelope: async () => ({ data: await Users.load('ann'), note: 'n' }),
      },
    });
    const page = await call(`${url}/page`);
    expect(page.status).toBe(200);
    expect(page.json).toEqual({ items: [{ id: 'ann' }, { id: 'bob' }], cursor: 'c' });
    const envelope = await call(`${url}/envelope`);
    expect(envelope.status).toBe(200);
    expect(envelope.json).toEqual({ data: { id: 'ann' }, note: 'n' });
  });

  it('answers a stored object whose writeOnly properties are all that meet a minProperties, an anyOf or a uniqueItems (sent without them)', async () => {
    const spec = {
      openapi: '3.0.3',
      info: { title: 'credentials', version: '1' },
      paths: {
        '/users': {
          post: {
            operationId: 'createUser',
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } },
            },
            responses: json('User', '201'),
          },
        },
        '/users/{id}': {
          get: {
            operationId: 'getUser',
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
            responses: json('User'),
          },
        },
      },
      components: {
        schemas: {
          User: {
            type: 'object',
            required: ['id'],
            'x-persist': { table: 'users', key: 'id' },
            properties: {
              id: { type: 'string' },
              creds: {
                type: 'object',
                minProperties: 1,
                properties: {
                  login: { type: 'string' },
                  password: { type: 'string', writeOnly: true },
                },
              },
              contact: {
                type: 'object',
                anyOf: [{ required: ['email'] }, { required: ['phone'] }],
                properties: {
                  email: { type: 'string' },
                  phone: { type: 'string', writeOnly: true },
                },
              },
              keys: {
                type: 'array',
                uniqueItems: true,
                items: {
                  type: 'object',
                  properties: {
                    name: { type: 'string' },
                    secret: { type: 'string', writeOnly: true },
                  },
                },
              },
            },
          },
        },
      },
    };
    const backend = createMemoryBackend();
    const api = await loadApi(spec, { backend });
    const Users = api.persistent('User');
    const failures: unknown[] = [];
    const { url } = await serve({
      api,
      handlers: {
        createUser: async ({ body, reply }) => {
          reply.code(201);
          return Users.create(body as Record<string, unknown>);
        },
        getUser: ({ params }) => Users.load(params.id as string),
      },
      onError: (error) => {
        failures.push(error);
      },
    });
    const bodies = {
      u1: { id: 'u1', creds: { password: 's3cret' } },
      u2: { id: 'u2', contact: { phone: '+33123' } },
      u3: {
        id: 'u3',
        keys: [
          { name: 'k', secret: '1' },
          { name: 'k', secret: '2' },
        ],
      },
    };
    const sent = {
      u1: { creds: {} },
      u2: { contact: {} },
      u3: { keys: [{ name: 'k' }, { name: 'k' }] },
    };
    for (const [id, body] of Object.entries(bodies)) {
      const created = await call(`${url}/users`, { method: 'POST', body });
      expect(created.status).toBe(201);
      expect(created.json).toEqual({ id, ...sent[id as keyof typeof sent] });
      const read = await call(`${url}/users/${id}`);
      expect(read.status).toBe(200);
      expect(read.json).toEqual(created.json);
    }
    expect(failures).toEqual([]);
  });

  it('strips a deep tree of recursive oneOf members in linear time: each value once a schema', async () => {
    // Each level's value matches a member that names the same children again: stripped anew
    // along every path, a 30-level body took hours before it was validated.
    const spec = {
      openapi: '3.1.0',
      info: { title: 'tree', version: '1' },
      paths: {
        '/nodes': {
          post: {
            operationId: 'createNode',
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } },
            },
            responses: json('Node'),
          },
        },
      },
      components: {
        schemas: {
          Node: {
            oneOf: [{ $ref: '#/components/schemas/Folder' }, { $ref: '#/components/schemas/File' }],
          },
          Folder: {
            type: 'object',
            required: ['kind'],
            properties: {
              id: { type: 'string', readOnly: true },
              secret: { type: 'string', writeOnly: true },
              kind: { const: 'folder' },
              children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
            },
          },
          File: {
            type: 'object',
            required: ['kind'],
            properties: {
              id: { type: 'string', readOnly: true },
              kind: { const: 'file' },
              size: { type: 'integer' },
            },
          },
        },
      },
    };
    const api = await loadApi(spec, { backend: createMemoryBackend() });
    const { url } = await serve({
      api,
      handlers: { createNode: ({ body }) => body },
    });
    const chain = (levels: number, node: (inner: unknown) => object) => {
      let value: unknown = { kind: 'file', size: 1 };
      for (let level = 0; level < levels; level++) value = node(value);
      return value;
    };
    const sent = (levels: number) =>
      chain(levels, (inner) => ({ kind: 'folder', id: 'x', secret: 's', children: [inner] }));
    const response = await call(`${url}/nodes`, { method: 'POST', body: sent(15) });
    expect(response.status).toBe(200);
    // No readOnly id taken from the request, no writeOnly secret sent back, at any level.
    expect(response.json).toEqual(chain(15, (inner) => ({ kind: 'folder', children: [inner] })));
    // 44 levels of values: stripped, then refused for its depth.
    const deep = await call(`${url}/nodes`, { method: 'POST', body: sent(22) });
    expect(deep.status).toBe(400);
    expect(JSON.stringify(deep.json)).toContain('deeper than 32 levels');
  });

  it("strips a value whose schema meets itself through a discriminator, whatever the members' order", async () => {
    const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
    for (const root of ['P', 'P2']) {
      const spec = {
        openapi: '3.1.0',
        info: { title: 'cycle', version: '1' },
        paths: {
          '/things': {
            post: {
              operationId: 'echo',
              requestBody: {
                required: true,
                content: { 'application/json': { schema: ref(root) } },
              },
              responses: json(root),
            },
          },
        },
        components: {
          schemas: {
            S: {
              type: 'object',
              properties: {
                id: { type: 'string', readOnly: true },
                password: { type: 'string', writeOnly: true },
                name: { type: 'string' },
              },
              minProperties: 2,
              discriminator: { propertyName: 'kind', mapping: { m: '#/components/schemas/M' } },
              oneOf: [ref('M')],
            },
            M: { anyOf: [ref('S')] },
            P: { anyOf: [ref('S'), ref('M')] },
            P2: { anyOf: [ref('M'), ref('S')] },
          },
        },
      };
      const api = await loadApi(spec, { backend: createMemoryBackend() });
      let received: unknown;
      const { url } = await serve({
        api,
        handlers: {
          echo: ({ body }) => {
            received = body;
            return { password: 'hunter2', name: 'x' };
          },
        },
      });
      const response = await call(`${url}/things`, {
        method: 'POST',
        body: { id: 'client-sent', name: 'x' },
      });
      // Neither the client's readOnly id reaches the handler nor the writeOnly password the client.
      expect(JSON.stringify(received ?? null), root).not.toContain('client-sent');
      expect(response.text, root).not.toContain('hunter2');
    }
  });
});

function json(name: string, status = '200') {
  return {
    [status]: {
      description: 'ok',
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
    },
  };
}

describe('readOnly stripping of a recursive anyOf tree', () => {
  it('checks which member each level matches without checking the levels below again', async () => {
    const member = (name: string) => ({
      type: 'object',
      required: [name],
      properties: {
        [name]: { type: 'string' },
        id: { type: 'string', readOnly: true },
        p: { type: 'array', items: { type: 'string' } },
        kids: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
      },
    });
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'tree', version: '1' },
      paths: {},
      components: {
        schemas: {
          Node: { anyOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }] },
          A: member('a'),
          B: member('b'),
        },
      },
    });
    const size = 20_000;
    let reads = 0;
    const list = new Proxy(
      Array.from({ length: size }, () => 'yy'),
      {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
          return Reflect.get(target, key, receiver);
        },
      },
    );
    let body: unknown = { a: 'x', id: 'leaf', p: list };
    for (let level = 0; level < 14; level++) body = { a: 'x', id: `n${level}`, kids: [body] };
    const stripped = withoutMarked(api.schema('Node'), body, 'readOnly');
    // Every level without its id, the list as it was.
    let node = stripped as { id?: string; kids?: unknown[]; p?: unknown };
    for (let level = 0; level < 14; level++) {
      expect(node.id).toBeUndefined();
      node = node.kids![0] as typeof node;
    }
    expect(node).toEqual({ a: 'x', p: list });
    // Once a level, the 14 levels would read the list 14 times and more.
    expect(reads).toBeLessThan(6 * size);
  });
});

describe('readOnly and writeOnly past where they are looked for, and under contains', () => {
  const nodeSchemas = {
    Node: {
      type: 'object',
      properties: {
        pw: { type: 'string', writeOnly: true },
        role: { type: 'string', readOnly: true },
        child: { $ref: '#/components/schemas/Node' },
      },
    },
  };
  const deepSpec = {
    openapi: '3.1.0',
    info: { title: 'deep', version: '1' },
    paths: {
      '/nodes': {
        get: {
          operationId: 'deepNode',
          responses: { '200': { description: 'no content declared' } },
        },
        post: {
          operationId: 'takeNode',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } },
          },
          responses: { '200': { description: 'ok' } },
        },
      },
      '/listed': {
        post: {
          operationId: 'listed',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { type: 'array', contains: { $ref: '#/components/schemas/Node' } },
              },
            },
          },
          responses: {
            '200': {
              description: 'ok',
              content: {
                'application/json': {
                  schema: { type: 'array', contains: { $ref: '#/components/schemas/Node' } },
                },
              },
            },
          },
        },
      },
    },
    components: { schemas: nodeSchemas },
  };
  // Handlers that answer nothing, each test replacing the one it calls.
  const quiet: OperationHandlers = {
    deepNode: () => undefined,
    takeNode: () => undefined,
    listed: () => [],
  };
  const nested = (levels: number, leaf: Record<string, unknown>) => {
    let value: Record<string, unknown> = leaf;
    for (let level = 0; level < levels; level++) value = { child: value };
    return value;
  };

  it('a response whose model objects nest deeper than 64 levels is refused (500), never sent with their writeOnly properties', async () => {
    const api = await loadApi(deepSpec);
    const Node = api.model('Node');
    let levels = 0;
    const { url } = await serve({
      api,
      handlers: {
        ...quiet,
        deepNode: () => new Node(nested(levels, { pw: 'secret-leaf' }) as never),
      },
    });
    levels = 20;
    const shallow = await call(`${url}/nodes`);
    expect(shallow.status).toBe(200);
    expect(shallow.text).not.toContain('secret-leaf');
    levels = 70;
    const deep = await call(`${url}/nodes`);
    expect(deep.status).toBe(500);
    expect(deep.text).not.toContain('secret-leaf');
  });

  it('a response nesting deeper than 64 levels where nothing can be writeOnly is sent as it is', async () => {
    const api = await loadApi({
      ...deepSpec,
      components: {
        schemas: {
          ...nodeSchemas,
          Doc: { type: 'object', properties: { id: { type: 'string' }, data: { type: 'object' } } },
        },
      },
    });
    const Doc = api.model('Doc');
    let answer: unknown;
    const { url } = await serve({ api, handlers: { ...quiet, deepNode: () => answer } });
    for (const value of [
      nested(70, { x: 1 }),
      new Doc({ id: 'a', data: nested(70, { x: 1 }) }),
      { wrap: nested(66, { doc: new Doc({ id: 'b' }) }) },
    ]) {
      answer = value;
      const reply = await call(`${url}/nodes`);
      expect(reply.status).toBe(200);
      expect(reply.json).toEqual(JSON.parse(JSON.stringify(value)));
    }
    // Serialised as near the top: sets as lists, bytes as base64, bigints as numbers.
    answer = nested(70, { s: new Set([1, 2]), b: new Uint8Array([1, 2]), n: 5n });
    const deep = await call(`${url}/nodes`);
    expect(deep.status).toBe(200);
    expect(deep.json).toEqual(nested(70, { s: [1, 2], b: 'AQI=', n: 5 }));
  });

  it("an application's objects where nothing checks the response: toJSON() gets its key, and a class instance is one level, as a plain object is", async () => {
    const api = await loadApi(deepSpec);
    class Price {
      constructor(private readonly cents: number) {}
      toJSON(key: string) {
        return key.endsWith('Cents') ? this.cents : (this.cents / 100).toFixed(2);
      }
    }
    class Holder {
      constructor(readonly x: unknown) {}
    }
    let answer: unknown;
    const { url } = await serve({
      api,
      validateResponses: false,
      handlers: { ...quiet, deepNode: () => answer },
    });
    answer = {
      price: new Price(1250),
      priceCents: new Price(1250),
      list: [new Price(5)],
      typed: new Float32Array([1.5, 2]),
    };
    expect((await call(`${url}/nodes`)).json).toEqual({
      price: '12.50',
      priceCents: 1250,
      list: ['0.05'],
      typed: { 0: 1.5, 1: 2 },
    });
    // 1,500 levels of class instances, as 1,500 of plain objects: within the 2,000 sent.
    let chain: unknown = 'end';
    for (let level = 0; level < 1500; level++) chain = new Holder(chain);
    answer = chain;
    const deep = await call(`${url}/nodes`);
    expect(deep.status).toBe(200);
    expect(deep.json).toEqual(JSON.parse(JSON.stringify(chain)));
  });

  it('a body nesting a readOnly property deeper than 64 levels is a 400, never handed over with it', async () => {
    const api = await loadApi(deepSpec);
    let taken: unknown;
    const { url } = await serve({
      api,
      handlers: {
        ...quiet,
        takeNode: ({ body }) => {
          taken = body;
          return undefined;
        },
      },
    });
    const reply = await call(`${url}/nodes`, {
      method: 'POST',
      body: nested(70, { role: 'admin' }),
    });
    expect(reply.status).toBe(400);
    expect(reply.json.problems[0]).toMatchObject({ pointer: '/body', keyword: 'maxDepth' });
    expect(taken).toBeUndefined();
  });

  it('under contains: the readOnly properties of the items it matches are not taken, their writeOnly ones not sent', async () => {
    const api = await loadApi(deepSpec);
    let taken: unknown;
    const { url } = await serve({
      api,
      handlers: {
        ...quiet,
        listed: ({ body }) => {
          taken = body;
          return [{ pw: 'leak', role: 'kept' }];
        },
      },
    });
    const reply = await call(`${url}/listed`, {
      method: 'POST',
      body: [{ role: 'admin', pw: 'sent' }],
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(JSON.stringify(taken))).toEqual([{ pw: 'sent' }]);
    expect(reply.json).toEqual([{ role: 'kept' }]);
  });

  it('under contains with minContains 0, items it does not match keep what it marks', async () => {
    const tagged = {
      type: 'object',
      required: ['kind'],
      properties: {
        kind: { const: 'admin' },
        role: { type: 'string', readOnly: true },
        pw: { type: 'string', writeOnly: true },
      },
    };
    const list = { type: 'array', items: { type: 'object' }, contains: tagged, minContains: 0 };
    const api = await loadApi({
      openapi: '3.1.0',
      info: { title: 'contains', version: '1' },
      paths: {
        '/listed': {
          post: {
            operationId: 'listed',
            requestBody: { required: true, content: { 'application/json': { schema: list } } },
            responses: {
              '200': { description: 'ok', content: { 'application/json': { schema: list } } },
            },
          },
        },
      },
    });
    let taken: unknown;
    const { url } = await serve({
      api,
      handlers: {
        listed: ({ body }) => {
          taken = body;
          return [{ kind: 'user', pw: 'p', role: 'r' }];
        },
      },
    });
    const reply = await call(`${url}/listed`, {
      method: 'POST',
      body: [{ kind: 'user', role: 'editor', pw: 'p' }],
    });
    expect(reply.status).toBe(200);
    expect(taken).toEqual([{ kind: 'user', role: 'editor', pw: 'p' }]);
    expect(reply.json).toEqual([{ kind: 'user', pw: 'p', role: 'r' }]);
  });
});
