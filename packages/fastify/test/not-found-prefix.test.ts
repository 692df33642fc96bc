import { loadApi } from '@macaron/core';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type MacaronFastifyOptions, macaronFastify, macaronServerOptions } from '../src/index.js';
import { call } from './serve.js';

// Fastify's not-found router matches a path as written (case-sensitive, without the router's
// ignoreDuplicateSlashes): a request the router reads as under the plugin's prefix, in another
// case, is still the plugin's to answer, in its JSON.
const object = {
  description: 'ok',
  content: { 'application/json': { schema: { type: 'object' } } },
};
const spec = {
  openapi: '3.0.3',
  info: { title: 'users', version: '1' },
  paths: {
    '/users/{id}': {
      get: { operationId: 'getUser', responses: { '200': object } },
      delete: { operationId: 'deleteUser', responses: { '204': { description: 'gone' } } },
    },
  },
};
const handlers = { getUser: () => ({ user: true }), deleteUser: () => undefined };

async function listen(
  serverOptions: FastifyServerOptions,
  setup: (app: FastifyInstance) => Promise<unknown>,
): Promise<string> {
  const app = Fastify(serverOptions);
  onTestFinished(() => app.close());
  await setup(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

const notFound = (path: string) => ({
  error: 'NOT_FOUND',
  error_description: `No operation matches GET ${path}`,
  status: 404,
});

describe('a request under the prefix in another case, with caseSensitive: false', () => {
  it('that matches no route is answered 404 NOT_FOUND in the JSON, under each prefix', async () => {
    const options = macaronServerOptions();
    const url = await listen(
      { ...options, routerOptions: { ...options.routerOptions, caseSensitive: false } },
      async (app) => {
        app.get('/health', async () => 'ok');
        await app.register(macaronFastify, {
          api: await loadApi(spec),
          handlers,
          prefix: '/v1',
        } as MacaronFastifyOptions);
        await app.register(macaronFastify, {
          api: await loadApi(spec),
          handlers,
          prefix: '/api/Beta',
          ping: false,
        } as MacaronFastifyOptions);
      },
    );
    for (const path of [
      '/V1/nothing',
      '/v1/Nothing',
      '/V1',
      '/V1/',
      '/V1/users/1/x',
      '/API/beta/x',
      '/api/beta',
      '/Api/BETA/users',
    ]) {
      const reply = await call(`${url}${path}`);
      expect([path, reply.status, reply.headers.get('content-type'), reply.json]).toEqual([
        path,
        404,
        'application/json; charset=utf-8',
        notFound(path),
      ]);
    }
    // Routes still answer in any case, and the application's own.
    expect((await call(`${url}/V1/USERS/1`)).json).toEqual({ user: true });
    expect((await call(`${url}/API/BETA/users/1`)).json).toEqual({ user: true });
    expect((await call(`${url}/V1/ping`)).json).toEqual({});
    expect((await call(`${url}/HEALTH`)).text).toBe('ok');
    // Outside every prefix the application's not-found handler (here fastify's) answers.
    expect((await call(`${url}/nothing`)).json).toMatchObject({ statusCode: 404 });
  });

  it('405 with Allow for another method, and 404 whatever its body (never read)', async () => {
    const options = macaronServerOptions();
    const url = await listen(
      { ...options, routerOptions: { ...options.routerOptions, caseSensitive: false } },
      async (app) => {
        await app.register(macaronFastify, {
          api: await loadApi(spec),
          handlers,
          prefix: '/v1',
        } as MacaronFastifyOptions);
      },
    );
    const wrong = await call(`${url}/V1/Users/1`, {
      method: 'PUT',
      body: 'not json',
      headers: { 'content-type': 'text/plain' },
    });
    expect([wrong.status, wrong.headers.get('allow'), wrong.json?.error]).toEqual([
      405,
      'DELETE, GET, HEAD',
      'METHOD_NOT_ALLOWED',
    ]);
    const posted = await call(`${url}/V1/nothing`, {
      method: 'POST',
      body: 'not json',
      headers: { 'content-type': 'text/plain' },
    });
    expect([posted.status, posted.json?.error]).toEqual([404, 'NOT_FOUND']);
  });

  it('and with ignoreDuplicateSlashes, a path with slashes doubled', async () => {
    const options = macaronServerOptions();
    const url = await listen(
      { ...options, routerOptions: { ...options.routerOptions, ignoreDuplicateSlashes: true } },
      async (app) => {
        await app.register(macaronFastify, {
          api: await loadApi(spec),
          handlers,
          prefix: '/v1',
        } as MacaronFastifyOptions);
      },
    );
    expect((await call(`${url}//v1//users/1`)).json).toEqual({ user: true });
    const reply = await call(`${url}//v1//nothing`);
    expect([reply.status, reply.json]).toEqual([404, notFound('//v1//nothing')]);
  });
});
