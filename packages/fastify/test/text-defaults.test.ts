import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { OperationContext } from '../src/index.js';
import { call, serve } from './serve.js';

// A `default` written as text its schema refuses is read "as that text sent by a client would
// be" (parameter-defaults.ts): the reading a client's text gets, compat mode and the
// wrapper's nullable included (review 306).
describe('a text default read as the same text sent by a client', () => {
  it("in PyMacaron's compat mode: 1 as true, Python's integers", async () => {
    const api = await loadApi({
      swagger: '2.0',
      info: { title: 'defaults', version: '1' },
      paths: {
        '/things': {
          get: {
            operationId: 'listThings',
            parameters: [
              { name: 'all', in: 'query', type: 'boolean', default: '1' },
              { name: 'page', in: 'query', type: 'integer', default: ' 2' },
              { name: 'X-Active', in: 'header', type: 'boolean', default: '0' },
            ],
            responses: { '204': { description: 'ok' } },
          },
        },
      },
    });
    const seen: unknown[] = [];
    const listThings = ({ query, headers }: OperationContext) =>
      void seen.push({ ...query, ...headers });
    const { url } = await serve({ api, handlers: { listThings }, compat: 'pymacaron' });
    expect(
      (await call(`${url}/things?all=1&page=%202`, { headers: { 'X-Active': '0' } })).status,
    ).toBe(204);
    expect((await call(`${url}/things`)).status).toBe(204);
    expect(seen).toEqual([
      { all: true, page: 2, 'X-Active': false },
      { all: true, page: 2, 'X-Active': false },
    ]);
  });

  it("through a wrapper's nullable: an empty text is null", async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'defaults', version: '1' },
      paths: {
        '/things': {
          get: {
            operationId: 'listThings',
            parameters: [
              {
                name: 'limit',
                in: 'query',
                schema: {
                  allOf: [{ $ref: '#/components/schemas/Limit' }],
                  nullable: true,
                  default: '',
                },
              },
            ],
            responses: { '204': { description: 'ok' } },
          },
        },
      },
      components: { schemas: { Limit: { type: 'integer' } } },
    });
    const seen: unknown[] = [];
    const listThings = ({ query }: OperationContext) => void seen.push(query);
    const { url } = await serve({ api, handlers: { listThings } });
    expect((await call(`${url}/things?limit=`)).status).toBe(204);
    expect((await call(`${url}/things`)).status).toBe(204);
    expect(seen).toEqual([{ limit: null }, { limit: null }]);
  });
});
