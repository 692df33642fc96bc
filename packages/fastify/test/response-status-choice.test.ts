import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { OperationHandlers } from '../src/index.js';
import { call, serve } from './serve.js';

// Probe 308: what the generated `Handlers` types let a handler return (any declared 2xx body,
// `undefined` where a 2xx declares none) is answered, not a 500; and a query value sent is
// never dropped silently.
const json = (name: string) => ({
  description: name,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
});
const spec = {
  openapi: '3.0.3',
  info: { title: 'probe308', version: '1' },
  paths: {
    '/created': {
      post: { operationId: 'create', responses: { '201': json('Thing'), '202': json('Job') } },
    },
    '/either': {
      get: { operationId: 'either', responses: { '200': json('Thing'), '202': json('Job') } },
    },
    '/later': {
      post: {
        operationId: 'later',
        responses: { '200': json('Thing'), '202': { description: 'queued' } },
      },
    },
    '/search': {
      get: {
        operationId: 'search',
        parameters: [
          {
            name: 'u',
            in: 'query',
            schema: {
              type: 'object',
              properties: { a: { type: 'integer' } },
              additionalProperties: { type: 'string' },
            },
          },
        ],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: {} } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: { name: { type: 'string' } },
      },
      Job: {
        type: 'object',
        required: ['job'],
        additionalProperties: false,
        properties: { job: { type: 'integer' } },
      },
    },
  },
};

async function served(result: Record<string, unknown>) {
  return serve({
    api: await loadApi(structuredClone(spec)),
    handlers: {
      create: () => result.create,
      either: () => result.either,
      later: () => result.later,
      search: ({ query }) => query,
    } as OperationHandlers,
  });
}

describe('probe 308: a result the handler types allow, without reply.code', () => {
  it('answers the first 2xx body of an operation declaring 201 and 202 (no 200)', async () => {
    const { url } = await served({ create: { name: 'a' } });
    const reply = await call(`${url}/created`, { method: 'POST' });
    expect(reply.status).toBe(201);
  });

  it('answers the 202 body of an operation declaring 200 and 202', async () => {
    const { url } = await served({ either: { job: 1 } });
    const reply = await call(`${url}/either`);
    expect(reply.status).toBe(202);
    expect(reply.json).toEqual({ job: 1 });
  });

  it('answers undefined by the 2xx that declares no body (202 beside a 200 body)', async () => {
    const { url } = await served({ later: undefined });
    const reply = await call(`${url}/later`, { method: 'POST' });
    expect(reply.status).toBe(202);
  });
});

describe('probe 308: an exploded form object parameter sent under its own name', () => {
  it('is not dropped silently: a 400, or the value handed over', async () => {
    const { url } = await served({});
    const reply = await call(`${url}/search?u=abc`);
    expect([reply.status, reply.text]).toEqual([
      reply.status,
      reply.status === 400 ? reply.text : expect.stringContaining('abc'),
    ]);
  });
});
