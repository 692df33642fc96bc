import { loadApi } from '@macaron/core';
import { expect, it } from 'vitest';
import { call, serve } from './serve.js';

// Query (and path) names are case-sensitive; header names are one name in any case.
const api = await loadApi({
  openapi: '3.0.3',
  info: { title: 'names', version: '1' },
  paths: {
    '/items': {
      parameters: [{ name: 'X-Trace', in: 'header', required: true, schema: { type: 'string' } }],
      get: {
        operationId: 'listItems',
        parameters: [
          { name: 'x-trace', in: 'header', schema: { type: 'string' } },
          { name: 'Limit', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer' } },
        ],
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
  },
});

it('checks query parameters whose names differ only in case as two, and a header as one', async () => {
  const { url } = await serve({
    api,
    handlers: { listItems: ({ query, headers }) => ({ query, headers }) },
  });
  const both = await call(`${url}/items?Limit=a&limit=3`);
  expect(both.status).toBe(200);
  expect(both.json).toEqual({ query: { Limit: 'a', limit: 3 }, headers: {} });
  // `Limit` is required: a request with `limit` alone lacks it.
  const lower = await call(`${url}/items?limit=3`);
  expect(lower.status).toBe(400);
  expect(lower.text).toContain('Limit');
  // The operation's `x-trace` overrides the path's `X-Trace` (one header): optional.
  const traced = await call(`${url}/items?Limit=a`, { headers: { 'X-Trace': 't' } });
  expect(traced.json).toEqual({ query: { Limit: 'a' }, headers: { 'x-trace': 't' } });
});
