import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi, type MacaronError } from '@macaron/core';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  type MacaronFastifyOptions,
  macaronFastify,
  type OperationHandlers,
} from '../src/index.js';
import { call, serve } from './serve.js';

// PyMacaron sent int64 values as JSON numbers; Macaron sends a bigint beyond 2^53 as a decimal
// string unless bigintsInResponses is 'number': then as a JSON number with its exact digits.
const big = 9007199254740993n;
const ledger = {
  type: 'object',
  required: ['name'],
  'x-persist': { table: 'ledgers', key: 'name' },
  properties: {
    name: { type: 'string' },
    id: { type: 'integer', format: 'int64' },
    total: { type: 'number' },
    entries: { type: 'array', items: { type: 'integer', format: 'int64' } },
    byDay: { type: 'object', additionalProperties: { type: 'integer', format: 'int64' } },
    secret: { type: 'integer', format: 'int64', writeOnly: true },
    label: { type: 'string' },
  },
};
const json = (schema: object) => ({
  description: 'ok',
  content: { 'application/json': { schema } },
});
const spec = {
  openapi: '3.0.3',
  info: { title: 'bigints', version: '1' },
  paths: {
    '/ledger': {
      get: {
        operationId: 'model',
        responses: { '200': json({ $ref: '#/components/schemas/Ledger' }) },
      },
    },
    '/plain': {
      get: {
        operationId: 'plain',
        responses: { '200': json({ $ref: '#/components/schemas/Ledger' }) },
      },
    },
    '/ledgers': {
      get: {
        operationId: 'list',
        responses: {
          '200': json({ type: 'array', items: { $ref: '#/components/schemas/Ledger' } }),
        },
      },
      post: {
        operationId: 'create',
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Ledger' } } },
        },
        responses: { '201': json({ $ref: '#/components/schemas/Ledger' }) },
      },
    },
    '/inline': {
      get: {
        operationId: 'inline',
        responses: {
          '200': json({
            type: 'object',
            properties: {
              n: { type: 'integer', format: 'int64' },
              list: { type: 'array', items: { type: 'number' } },
              both: {
                allOf: [
                  { type: 'object', properties: { a: { type: 'integer', format: 'int64' } } },
                  { type: 'object', properties: { b: { type: 'number' } } },
                ],
              },
            },
          }),
        },
      },
    },
    '/inline-string': {
      get: {
        operationId: 'inlineString',
        responses: {
          '200': json({ type: 'object', properties: { n: { type: 'integer', format: 'int64' } } }),
        },
      },
    },
    '/label': {
      get: {
        operationId: 'label',
        responses: { '200': json({ type: 'object', properties: { label: { type: 'string' } } }) },
      },
    },
  },
  components: { schemas: { Ledger: ledger } },
};

async function serveLedgers(options: Partial<MacaronFastifyOptions> = {}) {
  const api = await loadApi(spec, { backend: createMemoryBackend() });
  const Ledgers = api.persistent<Record<string, unknown>>('Ledger');
  const values = {
    name: 'main',
    id: big,
    total: 10n ** 20n,
    entries: [1n, -9223372036854775808n, 9223372036854775807n],
    byDay: { mon: 2n ** 60n, tue: 3n },
    secret: 2n ** 62n,
    label: '9007199254740993',
  };
  const reported: MacaronError[] = [];
  const handlers: OperationHandlers = {
    model: () => Ledgers.load('main'),
    plain: () => ({ ...values }),
    list: async () => [await Ledgers.load('main'), { name: 'x', id: -big }],
    create: ({ body }) => Ledgers.create(body as never),
    inline: () => ({ n: big, list: [10n ** 20n, 1.5], both: { a: -big, b: 10n ** 30n } }),
    label: () => ({ label: big }),
    inlineString: () => ({ n: '9007199254740993' }),
  };
  const { url } = await serve({
    api,
    handlers,
    onError: (error) => {
      reported.push(error);
    },
    ...options,
  });
  await Ledgers.create(values);
  return { url, reported };
}

// What the models send: every bigint a number, writeOnly left out, strings left strings.
const ledgerNumbers =
  '{"name":"main","id":9007199254740993,"total":100000000000000000000,"entries":[1,-9223372036854775808,9223372036854775807],"byDay":{"mon":1152921504606846976,"tue":3},"label":"9007199254740993"}';

describe('bigintsInResponses', () => {
  it('sends bigints beyond 2^53 as decimal strings by default, as before', async () => {
    const { url } = await serveLedgers();
    const response = await call(`${url}/ledger`);
    expect([response.status, response.json]).toEqual([
      200,
      {
        name: 'main',
        id: '9007199254740993',
        total: '100000000000000000000',
        entries: [1, '-9223372036854775808', '9223372036854775807'],
        byDay: { mon: '1152921504606846976', tue: 3 },
        label: '9007199254740993',
      },
    ]);
  });

  it('sends them as decimal strings in inline schemas, lists and allOf too, checked as the integers they are', async () => {
    const { url, reported } = await serveLedgers();
    const response = await call(`${url}/inline`);
    expect([response.status, response.json]).toEqual([
      200,
      {
        n: '9007199254740993',
        list: ['100000000000000000000', 1.5],
        both: { a: '-9007199254740993', b: '1000000000000000000000000000000' },
      },
    ]);
    expect(reported).toEqual([]);
  });

  it('takes a decimal string the handler returns for an inline int64, as a named schema does', async () => {
    // A client reads it back as the integer, whichever schema declares it.
    const { url, reported } = await serveLedgers();
    const response = await call(`${url}/inline-string`);
    expect([response.status, response.text]).toEqual([200, '{"n":"9007199254740993"}']);
    expect(reported).toEqual([]);
  });

  it("with 'number', sends them as JSON numbers with their exact digits: model objects, plain objects, lists", async () => {
    const { url, reported } = await serveLedgers({ bigintsInResponses: 'number' });
    for (const path of ['/ledger', '/plain']) {
      const response = await call(`${url}${path}`);
      expect([path, response.status, response.text]).toEqual([path, 200, ledgerNumbers]);
    }
    const list = await call(`${url}/ledgers`);
    expect([list.status, list.text]).toEqual([
      200,
      `[${ledgerNumbers},{"name":"x","id":-9007199254740993}]`,
    ]);
    expect(reported).toEqual([]);
  });

  it("with 'number', sends them in inline schemas, lists and allOf, and checks them as numbers", async () => {
    const { url, reported } = await serveLedgers({ bigintsInResponses: 'number' });
    const response = await call(`${url}/inline`);
    expect([response.status, response.text]).toEqual([
      200,
      '{"n":9007199254740993,"list":[100000000000000000000,1.5],"both":{"a":-9007199254740993,"b":1000000000000000000000000000000}}',
    ]);
    expect(reported).toEqual([]);
  });

  it("with 'number', a bigint where the spec says string is a 500: validation checks what is sent", async () => {
    const asString = await serveLedgers();
    expect((await call(`${asString.url}/label`)).json).toEqual({ label: '9007199254740993' });
    const { url, reported } = await serveLedgers({ bigintsInResponses: 'number' });
    const response = await call(`${url}/label`);
    expect([response.status, response.json.error]).toEqual([500, 'SERVER_ERROR']);
    expect((reported[0]!.cause as Error).message).toContain('/label must be string');
    // Unchecked, it is sent as it is.
    const unchecked = await serveLedgers({
      bigintsInResponses: 'number',
      validateResponses: false,
    });
    expect((await call(`${unchecked.url}/label`)).text).toBe('{"label":9007199254740993}');
  });

  it("round-trips Python's large floats and int64 values exactly, as PyMacaron did", async () => {
    const { url } = await serveLedgers({ bigintsInResponses: 'number' });
    const response = await call(`${url}/ledgers`, {
      method: 'POST',
      body: '{"name":"b","id":9223372036854775807,"total":1.2345678901234567e+19,"entries":[1e+18]}',
    });
    expect([response.status, response.text]).toEqual([
      201,
      '{"name":"b","id":9223372036854775807,"total":12345678901234567000,"entries":[1000000000000000000]}',
    ]);
  });

  it('refuses any other value at registration', async () => {
    const api = await loadApi(spec);
    const app = Fastify();
    await expect(
      app.register(macaronFastify, {
        api,
        handlers: {},
        bigintsInResponses: 'bigint' as never,
      }),
    ).rejects.toThrow(`bigintsInResponses must be 'string' or 'number', not "bigint"`);
    await app.close();
    // What it quotes, its line breaks and bidi controls escaped.
    const other = Fastify();
    await expect(
      other.register(macaronFastify, {
        api,
        handlers: {},
        bigintsInResponses: 'str\u2028ing\u202e' as never,
      }),
    ).rejects.toThrow(`not "str\\u2028ing\\u202e"`);
    await other.close();
  });
});
