import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { OperationHandlers } from '../src/index.js';
import { call, serve } from './serve.js';

// A JSON number beyond 2^53 cannot be a JavaScript number without rounding: written with
// digits only, it is read exactly, as a bigint, wherever it is in the request.
const thing = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  'x-persist': { table: 'things', key: 'id' },
  properties: {
    id: { type: 'string' },
    big: { type: 'integer', format: 'int64' },
    n: { type: 'integer' },
    f: { type: 'number' },
    list: { type: 'array', items: { type: 'integer', format: 'int64' } },
  },
};
const spec = {
  openapi: '3.0.3',
  info: { title: 'int64', version: '1' },
  paths: {
    '/things': {
      post: {
        operationId: 'makeThing',
        parameters: [
          { name: 'weight', in: 'query', schema: { type: 'number' } },
          {
            name: 'filter',
            in: 'query',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { above: { type: 'integer', format: 'int64' } },
                },
              },
            },
          },
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
        },
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
        },
      },
    },
  },
  components: { schemas: { Thing: thing } },
};

async function serveThings() {
  const api = await loadApi(spec, { backend: createMemoryBackend() });
  const Things = api.persistent('Thing');
  const seen: unknown[] = [];
  const handlers: OperationHandlers = {
    makeThing: ({ body, query }) => {
      seen.push({ ...(body as object) }, query);
      return Things.create(body as never);
    },
  };
  const { url } = await serve({ api, handlers });
  const post = (body: string, search = '') =>
    call(`${url}/things${search}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
  return { post, seen };
}

describe('integers beyond 2^53', () => {
  it('reads an int64 body property written with digits only as a bigint, and stores it', async () => {
    const { post, seen } = await serveThings();
    const response = await post(
      '{"id":"a","big":9007199254740993,"list":[1,-9223372036854775808,9223372036854775807]}',
    );
    expect([response.status, response.json]).toEqual([
      200,
      {
        id: 'a',
        big: '9007199254740993',
        list: [1, '-9223372036854775808', '9223372036854775807'],
      },
    ]);
    expect(seen[0]).toEqual({
      id: 'a',
      big: 9007199254740993n,
      list: [1, -9223372036854775808n, 9223372036854775807n],
    });
    const edge = await post('{"id":"b","big":9007199254740992}');
    expect([edge.status, edge.json.big]).toEqual([200, '9007199254740992']);
  });

  it('reads a number property beyond 2^53 exactly, as a bigint', async () => {
    const { post, seen } = await serveThings();
    const response = await post('{"id":"a","f":123456789012345678901}');
    expect(response.status).toBe(200);
    expect((seen[0] as { f: unknown }).f).toBe(123456789012345678901n);
  });

  it('reads query parameters beyond 2^53 exactly: a number, and JSON content', async () => {
    const { post, seen } = await serveThings();
    const filter = encodeURIComponent('{"above":9007199254740993}');
    const response = await post('{"id":"a"}', `?weight=9007199254740993&filter=${filter}`);
    expect(response.status).toBe(200);
    expect(seen[1]).toEqual({ weight: 9007199254740993n, filter: { above: 9007199254740993n } });
  });

  it('refuses what the property cannot hold, saying why, never asking the client for a bigint', async () => {
    const { post } = await serveThings();
    const cases = [
      ['{"id":"a","big":-9223372036854775809}', '/body/big', 'format'],
      ['{"id":"a","n":9007199254740993}', '/body/n', 'type'],
      ['{"id":"a","big":1e20}', '/body/big', 'type'],
      ['{"id":"a","list":[9007199254740993.0]}', '/body/list/0', 'type'],
    ] as const;
    for (const [body, pointer, keyword] of cases) {
      const response = await post(body);
      expect([body, response.status, response.json.error]).toEqual([
        body,
        400,
        'INVALID_PARAMETER',
      ]);
      expect(response.json.problems).toHaveLength(1);
      expect(response.json.problems[0]).toMatchObject({ pointer, keyword });
      expect(response.json.error_description).not.toContain('bigint');
    }
    const exponent = await post('{"id":"a","big":1e20}');
    expect(exponent.json.problems[0].message).toBe(
      'is an integer beyond 2^53 written with a fraction or an exponent, which is not read exactly: write it with digits only',
    );
  });
});
