import { type Api, loadApi, MacaronError } from '@macaron/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type MacaronFastifyOptions, macaronFastify } from '../src/index.js';
import { call } from './serve.js';

const object = {
  description: 'ok',
  content: { 'application/json': { schema: { type: 'object' } } },
};

function spec(title: string, paths: Record<string, string>): Promise<Api> {
  return loadApi({
    openapi: '3.0.3',
    info: { title, version: '1' },
    paths: Object.fromEntries(
      Object.entries(paths).map(([path, operationId]) => [
        path,
        { get: { operationId, responses: { '200': object } } },
      ]),
    ),
  });
}

async function failure(app: FastifyInstance): Promise<MacaronError> {
  onTestFinished(() => app.close());
  const error = await app.ready().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(MacaronError.isInstance(error)).toBe(true);
  return error as MacaronError;
}

describe('DUPLICATE_ROUTE names routes as the spec writes them', () => {
  it('for two specs whose routes differ by parameter names only, under a prefix', async () => {
    const app = Fastify();
    const first = await spec('first', { '/users/{id}': 'getUser' });
    const second = await spec('second', { '/users/{name}': 'getByName' });
    app.register(macaronFastify, {
      api: first,
      handlers: { getUser: () => ({}) },
      prefix: '/v1',
    } as MacaronFastifyOptions);
    app.register(macaronFastify, {
      api: second,
      handlers: { getByName: () => ({}) },
      prefix: '/v1',
    } as MacaronFastifyOptions);
    const error = await failure(app);
    expect(error.code).toBe('DUPLICATE_ROUTE');
    expect(error.message).toBe(
      'Two specs on this server declare the same route:\n  - GET /v1/users/{id}: declared by "first" 1 and by "second" 1 (operation getUser, and operation getByName at GET /v1/users/{name})',
    );
  });

  it("for an operation at a route of the application's, a DUPLICATE_ROUTE, not fastify's error", async () => {
    const app = Fastify();
    app.get('/users/:uid', async () => ({}));
    const api = await spec('users', { '/users/{id}': 'getUser', '/users/{id}/friends': 'friends' });
    app.register(macaronFastify, { api, handlers: { getUser: () => ({}), friends: () => ({}) } });
    const error = await failure(app);
    expect([error.code, error.message]).toEqual([
      'DUPLICATE_ROUTE',
      'These operations are at a route the server serves already (a route of the application, or of another plugin):\n  - GET /users/{id}: operation getUser of "users" 1',
    ]);
  });

  it('for operations one route to the router under its options (caseSensitive: false)', async () => {
    const app = Fastify({ routerOptions: { caseSensitive: false } });
    const api = await spec('cases', { '/users': 'lower', '/Users': 'upper' });
    app.register(macaronFastify, { api, handlers: { lower: () => ({}), upper: () => ({}) } });
    const error = await failure(app);
    expect(error.code).toBe('DUPLICATE_ROUTE');
    expect(error.message).toMatch(/^GET \/Users: operation upper of "cases" 1 is at a route/);
  });

  it('with line breaks and bidi controls of titles, paths and operationIds escaped', async () => {
    const app = Fastify();
    const title = 'evil\n\u202etitle';
    const first = await spec(title, { '/a\u202e/{x}': 'op\u202e\nid' });
    const second = await spec(title, { '/a\u202e/{y}': 'other' });
    app.register(macaronFastify, { api: first, handlers: { 'op\u202e\nid': () => ({}) } });
    app.register(macaronFastify, { api: second, handlers: { other: () => ({}) } });
    const error = await failure(app);
    expect(error.code).toBe('DUPLICATE_ROUTE');
    expect(error.message).not.toMatch(/\u202e/);
    expect(error.message.split('\n')).toHaveLength(2);
    expect(error.message).toContain(
      'GET /a\\u202e/{x}: declared by "evil\\u000a\\u202etitle" 1 and by "evil\\u000a\\u202etitle" 1 (operation "op\\u202e\\nid", and operation other at GET /a\\u202e/{y})',
    );
  });

  it('serves /ping under a prefix beside an application route at /ping outside it', async () => {
    const app = Fastify();
    onTestFinished(() => app.close());
    app.get('/ping', async () => 'application');
    const api = await spec('users', { '/users/{id}': 'getUser' });
    await app.register(macaronFastify, {
      api,
      handlers: { getUser: () => ({}) },
      prefix: '/v1',
    } as MacaronFastifyOptions);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const url = `http://127.0.0.1:${port}`;
    expect((await call(`${url}/ping`)).text).toBe('application');
    expect((await call(`${url}/v1/ping`)).json).toEqual({});
  });

  it("keeps an application route at /ping under the plugin's prefix, without failing", async () => {
    const app = Fastify();
    onTestFinished(() => app.close());
    app.get('/v1/ping', async () => 'application');
    const api = await spec('users', { '/users/{id}': 'getUser' });
    await app.register(macaronFastify, {
      api,
      handlers: { getUser: () => ({}) },
      prefix: '/v1',
    } as MacaronFastifyOptions);
    expect((await app.inject('/v1/ping')).body).toBe('application');
  });
});
