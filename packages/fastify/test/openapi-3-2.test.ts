import { loadApi, SpecError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { OperationContext } from '../src/index.js';
import { call, serve } from './serve.js';

const info = { title: 'oas 3.2', version: '1' };
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

describe('OpenAPI 3.2', () => {
  it('serves query and additionalOperations, their bodies checked', async () => {
    const api = await loadApi({
      openapi: '3.2.0',
      info,
      paths: {
        '/things': {
          query: {
            operationId: 'searchThings',
            requestBody: json({ type: 'object', properties: { q: { type: 'string' } } }),
            responses: { '200': { description: 'ok', ...json({ type: 'object' }) } },
          },
          additionalOperations: {
            COPY: {
              operationId: 'copyThing',
              requestBody: json({ type: 'object', required: ['to'] }),
              responses: { '204': { description: 'copied' } },
            },
          },
        },
      },
    });
    const seen: unknown[] = [];
    const { url } = await serve({
      api,
      handlers: {
        searchThings: ({ body }: OperationContext) => ({ found: body }),
        copyThing: ({ body }: OperationContext) => {
          seen.push(body);
          return undefined;
        },
      },
    });
    const query = await call(`${url}/things`, { method: 'QUERY', body: { q: 'x' } });
    expect([query.status, query.json]).toEqual([200, { found: { q: 'x' } }]);
    const badQuery = await call(`${url}/things`, { method: 'QUERY', body: { q: 1 } });
    expect([badQuery.status, badQuery.json.error]).toEqual([400, 'INVALID_PARAMETER']);
    const copy = await call(`${url}/things`, { method: 'COPY', body: { to: 'b' } });
    const badCopy = await call(`${url}/things`, { method: 'COPY', body: {} });
    expect([copy.status, badCopy.status, seen]).toEqual([204, 400, [{ to: 'b' }]]);
    const other = await call(`${url}/things`, { method: 'GET' });
    expect([other.status, other.json.error_description]).toEqual([
      405,
      'GET /things: the path answers COPY, QUERY only',
    ]);
  });

  it('refuses at registration what it would serve other than the spec says', async () => {
    const api = await loadApi({
      openapi: '3.2.0',
      info,
      paths: {
        '/things': {
          get: {
            operationId: 'listThings',
            parameters: [
              {
                name: 'filter',
                in: 'querystring',
                content: {
                  'application/x-www-form-urlencoded': {
                    schema: { type: 'object', additionalProperties: false },
                  },
                },
              },
            ],
            responses: { '204': { description: 'ok' } },
          },
          additionalOperations: {
            copy: { operationId: 'lowerCopy', responses: { '204': { description: 'ok' } } },
            CONNECT: { operationId: 'tunnel', responses: { '200': { description: 'ok' } } },
          },
        },
      },
    });
    const error = await serve({
      api,
      handlers: {
        listThings: () => undefined,
        lowerCopy: () => undefined,
        tunnel: () => undefined,
      },
    }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems.map(({ pointer }) => pointer)).toEqual([
      '/paths/~1things/get/parameters/0',
      '/paths/~1things/additionalOperations/copy',
      '/paths/~1things/additionalOperations/CONNECT',
    ]);
  });

  it('dispatches a value its discriminator does not name to the defaultMapping, and strips by it', async () => {
    const api = await loadApi({
      openapi: '3.2.0',
      info,
      paths: {
        '/pets': {
          post: {
            operationId: 'addPet',
            requestBody: json({ $ref: '#/components/schemas/Pet' }),
            responses: {
              '200': { description: 'ok', ...json({ $ref: '#/components/schemas/Pet' }) },
            },
          },
        },
      },
      components: {
        schemas: {
          Pet: {
            oneOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Other' }],
            discriminator: {
              propertyName: 'kind',
              mapping: { cat: 'Cat' },
              defaultMapping: 'Other',
            },
          },
          Cat: {
            type: 'object',
            required: ['kind'],
            // Cat would match the value too: only the dispatch keeps its writeOnly name off it.
            properties: {
              kind: { type: 'string' },
              lives: { type: 'integer' },
              name: { type: 'string', writeOnly: true },
            },
          },
          Other: {
            type: 'object',
            required: ['name'],
            properties: {
              kind: { type: 'string' },
              name: { type: 'string' },
              secret: { type: 'string', writeOnly: true },
            },
          },
        },
      },
    });
    const { url } = await serve({
      api,
      handlers: { addPet: ({ body }: OperationContext) => body },
    });
    const other = await call(`${url}/pets`, {
      method: 'POST',
      body: { kind: 'cow', name: 'Daisy', secret: 's' },
    });
    expect([other.status, other.json]).toEqual([200, { kind: 'cow', name: 'Daisy' }]);
    const missing = await call(`${url}/pets`, { method: 'POST', body: { kind: 'cow' } });
    expect([missing.status, missing.json.problems?.[0]?.pointer]).toEqual([400, '/body/name']);
  });

  it('follows a media type given by $ref to components.mediaTypes: bodies, responses and parameters are checked', async () => {
    const strict = {
      schema: {
        type: 'object',
        required: ['a'],
        properties: { a: { type: 'string' } },
        additionalProperties: false,
      },
    };
    const api = await loadApi({
      openapi: '3.2.0',
      info,
      paths: {
        '/things': {
          post: {
            operationId: 'addThing',
            parameters: [
              {
                name: 'filter',
                in: 'query',
                content: { 'application/json': { $ref: '#/components/mediaTypes/Strict' } },
              },
            ],
            requestBody: {
              content: { 'application/json': { $ref: '#/components/mediaTypes/Strict' } },
            },
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { $ref: '#/components/mediaTypes/Strict' } },
              },
            },
          },
        },
      },
      components: { mediaTypes: { Strict: strict } },
    });
    const seen: unknown[] = [];
    const { url } = await serve({
      api,
      handlers: {
        addThing: ({ body, query }: OperationContext) => {
          seen.push({ body, query });
          return (body as { a: string }).a === 'leak' ? { a: 'x', leaked: 'secret' } : body;
        },
      },
    });
    const good = await call(`${url}/things`, { method: 'POST', body: { a: 'x' } });
    expect([good.status, good.json]).toEqual([200, { a: 'x' }]);
    const extra = await call(`${url}/things`, { method: 'POST', body: { a: 1, extra: true } });
    expect([extra.status, extra.json.error]).toEqual([400, 'INVALID_PARAMETER']);
    const filter = encodeURIComponent(JSON.stringify({ a: 5 }));
    const badQuery = await call(`${url}/things?filter=${filter}`, {
      method: 'POST',
      body: { a: 'x' },
    });
    expect([badQuery.status, badQuery.json.error]).toEqual([400, 'INVALID_PARAMETER']);
    const leak = await call(`${url}/things`, { method: 'POST', body: { a: 'leak' } });
    expect(leak.status).toBe(500);
    expect(seen).toHaveLength(2);
  });
});
