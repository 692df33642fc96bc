import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { OperationHandlers } from '../src/index.js';
import { call, serve } from './serve.js';

// Bytes and int64 in inline (unnamed) schemas, and named schemas nested in them: the
// generated handler types say Uint8Array and bigint there, as they do in named schemas.
const big = 9007199254740993n;
const item = { $ref: '#/components/schemas/Item' };
const inline = {
  type: 'object',
  properties: {
    bin: { type: 'string', format: 'binary' },
    i64: { type: 'integer', format: 'int64' },
    one: item,
    items: { type: 'array', items: item },
    pages: {
      type: 'array',
      items: { type: 'object', properties: { entries: { type: 'array', items: item } } },
    },
    files: { type: 'object', additionalProperties: { type: 'string', format: 'binary' } },
    // Properties only a oneOf member declares: read with the member the value is of.
    variant: {
      oneOf: [
        {
          type: 'object',
          required: ['bytes'],
          properties: {
            bytes: { type: 'string', format: 'binary' },
            n: { type: 'integer', format: 'int64' },
          },
        },
        { type: 'object', required: ['text'], properties: { text: { type: 'string' } } },
      ],
    },
    // A leaf of members: read with the one that converts a string.
    either: { oneOf: [{ type: 'string', format: 'binary' }, { type: 'object' }] },
    // A named schema of strings: it has no model class, an object there is refused.
    tag: { $ref: '#/components/schemas/Tag' },
  },
};
const content = { 'application/json': { schema: inline } };
const spec = {
  openapi: '3.0.3',
  info: { title: 'inline values', version: '1' },
  paths: {
    '/echo': {
      post: {
        operationId: 'echo',
        requestBody: { required: true, content },
        responses: { '200': { description: 'ok', content } },
      },
    },
    '/answer': {
      get: {
        operationId: 'answer',
        responses: { '200': { description: 'ok', content } },
      },
    },
  },
  components: {
    schemas: {
      Tag: { type: 'string', enum: ['red', 'blue'] },
      Item: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'integer', format: 'int64' },
          data: { type: 'string', format: 'binary' },
        },
      },
    },
  },
};

async function served(handlers: Partial<OperationHandlers>) {
  const api = await loadApi(spec);
  const failures: string[] = [];
  const { url } = await serve({
    api,
    handlers: { echo: ({ body }) => body as object, answer: () => ({}), ...handlers },
    onError: (error) => {
      if (error.status === 500) failures.push(String((error.cause as Error | undefined)?.message));
    },
  });
  return { url, Item: api.model('Item'), failures };
}

describe('values in inline schemas', () => {
  it('reads a body as a named schema is read: bytes, bigints and model objects at any depth', async () => {
    let seen: any;
    const { url, Item } = await served({
      echo: ({ body }) => {
        seen = body;
        return body as object;
      },
    });
    const sent = {
      bin: 'AAE=',
      i64: big.toString(),
      one: { id: '7', data: 'AQI=' },
      items: [{ id: big.toString() }],
      pages: [{ entries: [{ id: 1, data: '/w==' }] }],
      files: { a: 'AAE=' },
      variant: { bytes: 'AAE=', n: big.toString() },
      either: '/w==',
    };
    const echoed = await call(`${url}/echo`, { method: 'POST', body: sent });
    expect(echoed.status).toBe(200);
    expect(seen.bin).toEqual(new Uint8Array([0, 1]));
    expect(seen.i64).toBe(big);
    expect(seen.one).toBeInstanceOf(Item);
    expect(seen.one).toEqual(new Item({ id: 7, data: new Uint8Array([1, 2]) }));
    expect(seen.items[0]).toBeInstanceOf(Item);
    expect(seen.items[0].id).toBe(big);
    expect(seen.pages[0].entries[0]).toBeInstanceOf(Item);
    expect(seen.pages[0].entries[0].data).toEqual(new Uint8Array([255]));
    expect(seen.files.a).toEqual(new Uint8Array([0, 1]));
    expect(seen.variant).toEqual({ bytes: new Uint8Array([0, 1]), n: big });
    expect(seen.either).toEqual(new Uint8Array([255]));
    // What is sent back is what was sent, as a client reads it.
    expect(echoed.json).toEqual({ ...sent, one: { id: 7, data: 'AQI=' } });
  });

  it('refuses what is wrong with 400 at its pointer, nested named schemas included', async () => {
    const { url } = await served({});
    const refused = async (body: unknown) => {
      const reply = await call(`${url}/echo`, { method: 'POST', body });
      expect(reply.status).toBe(400);
      return reply.json.problems.map((problem: { pointer: string }) => problem.pointer);
    };
    expect(await refused({ bin: 'not base64!' })).toEqual(['/body/bin']);
    expect(await refused({ i64: '12.5' })).toEqual(['/body/i64']);
    expect(await refused({ items: [{ id: 1 }, { data: 'AQI=' }] })).toEqual(['/body/items/1/id']);
    expect(await refused({ pages: [{ entries: [{ id: 1, data: 5 }] }] })).toEqual([
      '/body/pages/0/entries/0/data',
    ]);
    // A model object leaves out a null its schema does not allow: the body is checked before.
    expect(await refused({ one: { id: 1, data: null } })).toEqual(['/body/one/data']);
    expect(await refused({ tag: { red: true } })).toEqual(['/body/tag']);
    expect((await call(`${url}/echo`, { method: 'POST', body: { tag: 'red' } })).json).toEqual({
      tag: 'red',
    });
  });

  it('refuses a response holding an object where a named schema of strings is', async () => {
    const { url, failures } = await served({ answer: () => ({ tag: { red: true } }) });
    expect((await call(`${url}/answer`)).status).toBe(500);
    expect(failures.join()).toContain('/tag');
    expect(failures.join()).not.toContain('api.validate');
  });

  it('sends bytes and bigints a handler returns for an inline response schema', async () => {
    const { url, Item, failures } = await served({
      answer: () => ({
        bin: new Uint8Array([1, 2]),
        i64: big,
        one: new Item({ id: 3n, data: new Uint8Array([255]) }),
        items: [{ id: big, data: new Uint8Array([0]) }],
        pages: [{ entries: [{ id: 1, data: new Uint8Array([1]) }] }],
        files: { a: new Uint8Array([2]) },
        variant: { bytes: new Uint8Array([3]), n: big },
        either: new Uint8Array([4]),
      }),
    });
    const answered = await call(`${url}/answer`);
    expect(failures).toEqual([]);
    expect(answered.status).toBe(200);
    expect(answered.json).toEqual({
      bin: 'AQI=',
      i64: big.toString(),
      one: { id: 3, data: '/w==' },
      items: [{ id: big.toString(), data: 'AA==' }],
      pages: [{ entries: [{ id: 1, data: 'AQ==' }] }],
      files: { a: 'Ag==' },
      variant: { bytes: 'Aw==', n: big.toString() },
      either: 'BA==',
    });
  });

  it('still answers 500 for a response whose bytes are not bytes', async () => {
    const { url, failures } = await served({ answer: () => ({ bin: 'not base64!' }) });
    expect((await call(`${url}/answer`)).status).toBe(500);
    expect(failures).toEqual([expect.stringContaining('/bin must be binary')]);
  });

  it('reads a list by its prefixItems both ways (OpenAPI 3.1)', async () => {
    const pair = {
      type: 'array',
      prefixItems: [{ type: 'string', format: 'binary' }, item],
      items: { type: 'integer', format: 'int64' },
    };
    const pairs = { 'application/json': { schema: pair } };
    const api = await loadApi({
      ...spec,
      openapi: '3.1.0',
      paths: {
        '/pair': {
          post: {
            operationId: 'pair',
            requestBody: { required: true, content: pairs },
            responses: { '200': { description: 'ok', content: pairs } },
          },
        },
      },
    });
    let seen: any;
    const { url } = await serve({
      api,
      handlers: {
        pair: ({ body }) => {
          seen = body;
          // A plain object of Item there follows Item's JSON rules: its null is left out.
          return [new Uint8Array([1]), { id: 2n, data: null }, big];
        },
      },
    });
    const reply = await call(`${url}/pair`, {
      method: 'POST',
      body: ['AAE=', { id: '5' }, big.toString()],
    });
    expect(reply.status).toBe(200);
    expect(seen).toEqual([new Uint8Array([0, 1]), new (api.model('Item'))({ id: 5 }), big]);
    expect(seen[1]).toBeInstanceOf(api.model('Item'));
    expect(reply.json).toEqual(['AQ==', { id: 2 }, big.toString()]);
  });
});
