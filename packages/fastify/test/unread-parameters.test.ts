import { loadApi, SpecError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { call, serve } from './serve.js';

const ok = { '200': { description: 'ok', content: { 'application/json': { schema: {} } } } };

// Parameters the adapter would not read as the spec writes them: served, their checks would be
// skipped (a required parameter never asked for, a schema never applied).
const unreadable: [string, unknown][] = [
  [
    'an unknown location',
    { name: 'limit', in: 'Query', required: true, schema: { type: 'integer' } },
  ],
  [
    'a Swagger 2.0 body in OpenAPI 3',
    { name: 'item', in: 'body', required: true, schema: { type: 'object' } },
  ],
  [
    'a Swagger 2.0 form field in OpenAPI 3',
    { name: 'field', in: 'formData', required: true, schema: { type: 'string' } },
  ],
  [
    'both schema and content',
    {
      name: 'limit',
      in: 'query',
      schema: { type: 'integer', maximum: 5 },
      content: { 'application/json': { schema: { type: 'string' } } },
    },
  ],
  [
    'content in two media types',
    {
      name: 'limit',
      in: 'query',
      content: {
        'text/plain': { schema: { type: 'string' } },
        'application/json': { schema: { type: 'integer', maximum: 5 } },
      },
    },
  ],
  ['content in no media type', { name: 'limit', in: 'query', required: true, content: {} }],
];

describe('a parameter the adapter cannot read as the spec writes it', () => {
  it.each(unreadable)(
    'fails registration for %s, naming where it is written',
    async (_, parameter) => {
      const api = await loadApi({
        openapi: '3.0.3',
        info: { title: 'unread', version: '1' },
        paths: {
          '/things': {
            get: { operationId: 'listThings', parameters: [parameter], responses: ok },
          },
        },
      });
      let called = 0;
      const served = await serve({
        api,
        handlers: { listThings: () => ({ called: ++called }) },
      }).then(
        async ({ url }) => {
          // Served anyway: what reaches the handler without the check the spec asks for.
          const reply = await call(`${url}/things?limit=9`);
          return `served: GET /things?limit=9 answered ${reply.status}, the handler called ${called} time(s)`;
        },
        (thrown: unknown) => thrown,
      );
      expect(served).toBeInstanceOf(SpecError);
      expect((served as SpecError).problems).toEqual([
        { pointer: '/paths/~1things/get/parameters/0', message: expect.any(String) },
      ]);
    },
  );

  it('fails registration for a path-level parameter in an unknown location, naming it once', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'unread', version: '1' },
      paths: {
        '/things': {
          parameters: [
            { name: 'X-Tenant', in: 'headers', required: true, schema: { type: 'string' } },
          ],
          get: { operationId: 'listThings', responses: ok },
          delete: { operationId: 'dropThings', responses: ok },
        },
      },
    });
    const error = await serve({
      api,
      handlers: { listThings: () => ({}), dropThings: () => ({}) },
    }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems).toEqual([
      {
        pointer: '/paths/~1things/parameters/0',
        message: expect.stringContaining('"headers"'),
      },
    ]);
  });

  it('still serves Swagger 2.0 body and form parameters, and checks them', async () => {
    const api = await loadApi({
      swagger: '2.0',
      info: { title: 'unread', version: '1' },
      paths: {
        '/things': {
          post: {
            operationId: 'addThing',
            parameters: [{ name: 'item', in: 'body', required: true, schema: { type: 'object' } }],
            responses: { '200': { description: 'ok', schema: {} } },
          },
        },
      },
    });
    const { url } = await serve({ api, handlers: { addThing: () => ({}) } });
    expect((await call(`${url}/things`, { method: 'POST' })).status).toBe(400);
    expect((await call(`${url}/things`, { method: 'POST', body: {} })).status).toBe(200);
  });
});
