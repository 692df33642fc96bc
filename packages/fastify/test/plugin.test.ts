import { loadApi } from '@macaron/core';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import macaronFastifyDefault, { macaronFastify } from '../src/index.js';
import { call } from './serve.js';

const spec = {
  swagger: '2.0',
  info: { title: 'notes', version: '2' },
  basePath: '/v2',
  paths: {
    '/notes/{id}': {
      get: {
        operationId: 'getNote',
        parameters: [{ in: 'path', name: 'id', type: 'string', required: true }],
        responses: { '200': { description: 'A note.', schema: { type: 'string' } } },
      },
      delete: {
        operationId: 'deleteNote',
        parameters: [{ in: 'path', name: 'id', type: 'string', required: true }],
        responses: { '204': { description: 'Deleted.' } },
      },
    },
  },
};
const handlers = { getNote: () => 'a note', deleteNote: () => undefined };

async function listen(
  build: (app: ReturnType<typeof Fastify>) => void,
  options: FastifyServerOptions = {},
) {
  const app = Fastify(options);
  onTestFinished(() => app.close());
  build(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

describe('a good fastify plugin', () => {
  it('carries fastify-plugin metadata and is the default export', () => {
    expect(macaronFastifyDefault).toBe(macaronFastify);
    const meta = (macaronFastify as unknown as Record<symbol, unknown>)[Symbol.for('plugin-meta')];
    expect(meta).toMatchObject({ name: '@macaron/fastify', fastify: '>=5.9.0 <6' });
    // Encapsulated: its error handler and parsers stay in its own context.
    expect(
      (macaronFastify as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')],
    ).not.toBe(true);
  });

  it('refuses to register on a fastify before 5.9, which its peer range leaves out', async () => {
    const api = await loadApi(spec);
    for (const [version, refused] of [
      ['5.8.5', true],
      ['5.0.0', true],
      ['5.9.0', false],
    ] as const) {
      const app = Fastify();
      // What fastify reads to check a plugin's range: the version it reports.
      Object.defineProperty(app, 'version', { value: version });
      const registered = app.register(macaronFastify, { api, handlers }).ready();
      if (refused)
        await expect(registered, version).rejects.toMatchObject({
          code: 'FST_ERR_PLUGIN_VERSION_MISMATCH',
        });
      else await registered;
      await app.close();
    }
  });

  it('answers a wrong method on a known path with 405, an Allow header and PyMacaron JSON', async () => {
    const api = await loadApi(spec);
    const url = await listen((app) => app.register(macaronFastify, { api, handlers }));
    const wrong = await call(`${url}/v2/notes/n1`, { method: 'PUT', body: {} });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('DELETE, GET, HEAD');
    expect(wrong.json).toEqual({
      error: 'METHOD_NOT_ALLOWED',
      error_description: 'PUT /v2/notes/n1: the path answers DELETE, GET, HEAD only',
      status: 405,
    });
    expect((await call(`${url}/v2/elsewhere`, { method: 'PUT' })).status).toBe(404);
    const ping = await call(`${url}/ping`, { method: 'POST' });
    expect([ping.status, ping.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('answers 404, not 405, at a URL the router serves with no method: a trailing slash', async () => {
    const api = await loadApi(spec);
    const url = await listen((app) => app.register(macaronFastify, { api, handlers }));
    for (const [method, path] of [
      ['PUT', '/v2/notes/n1/'],
      ['GET', '/v2/notes/n1/'],
      ['POST', '/ping/'],
      ['PUT', '/V2/NOTES/n1'],
      ['PUT', '/v2//notes/n1'],
    ] as const) {
      const response = await call(`${url}${path}`, { method });
      expect([method, path, response.status, response.headers.get('allow')]).toEqual([
        method,
        path,
        404,
        null,
      ]);
    }
  });

  it("lists in Allow what the router serves under the application's router options", async () => {
    const api = await loadApi(spec);
    const url = await listen((app) => app.register(macaronFastify, { api, handlers }), {
      routerOptions: { ignoreTrailingSlash: true, caseSensitive: false },
    });
    for (const path of ['/v2/notes/n1/', '/V2/Notes/n1']) {
      expect((await call(`${url}${path}`)).json).toBe('a note');
      const wrong = await call(`${url}${path}`, { method: 'PUT' });
      expect([path, wrong.status, wrong.headers.get('allow')]).toEqual([
        path,
        405,
        'DELETE, GET, HEAD',
      ]);
    }
    const noHead = await listen((app) => app.register(macaronFastify, { api, handlers }), {
      exposeHeadRoutes: false,
    });
    const ping = await call(`${noHead}/ping`, { method: 'POST' });
    expect([ping.status, ping.headers.get('allow')]).toEqual([405, 'GET']);
  });

  it('works inside an encapsulated context with a prefix, beside the application routes', async () => {
    const api = await loadApi(spec);
    const url = await listen((app) => {
      app.get('/health', async () => 'ok');
      app.register(
        async (child: ReturnType<typeof Fastify>) => {
          await child.register(macaronFastify, { api, handlers, prefix: '/notes-api' } as never);
        },
        { prefix: '/svc' },
      );
    });
    expect((await call(`${url}/svc/notes-api/v2/notes/n1`)).json).toBe('a note');
    expect((await call(`${url}/svc/notes-api/ping`)).json).toEqual({});
    expect((await call(`${url}/health`)).text).toBe('ok');
    const wrong = await call(`${url}/svc/notes-api/v2/notes/n1`, { method: 'PATCH', body: {} });
    expect([wrong.status, wrong.json.error]).toEqual([405, 'METHOD_NOT_ALLOWED']);
  });

  it('publishes the spec at specRoute, with the base path where its paths are served', async () => {
    const api = await loadApi(spec);
    const url = await listen((app) =>
      app.register(macaronFastify, {
        api,
        handlers,
        specRoute: '/swagger.json',
        prefix: '/api',
      } as never),
    );
    const published = await call(`${url}/api/swagger.json`);
    expect(published.status).toBe(200);
    expect(published.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(published.json.basePath).toBe('/api/v2');
    expect(Object.keys(published.json.paths)).toEqual(['/notes/{id}']);
    expect((await call(`${url}${published.json.basePath}/notes/x`)).json).toBe('a note');

    const openapi = await loadApi({
      openapi: '3.0.3',
      info: { title: 'o', version: '1' },
      paths: { '/x': { get: { operationId: 'x', responses: { '204': { description: 'ok' } } } } },
    });
    const other = await listen((app) =>
      app.register(macaronFastify, {
        api: openapi,
        handlers: { x: () => undefined },
        specRoute: '/openapi.json',
      }),
    );
    expect((await call(`${other}/openapi.json`)).json.servers).toEqual([{ url: '/' }]);
  });
});

describe('plugin options (P-110)', () => {
  it.each([
    [{ validateResponse: false }, '@macaron/fastify has no option "validateResponse"'],
    [
      { auth: { secret: 'x'.repeat(32), issuer: false, audiences: 'a' } },
      'auth has no option "audiences"',
    ],
    [{ version: { pymEnv: 'prod' } }, 'version has no option "pymEnv"'],
  ])(
    'refuses %j at registration with a TypeError naming the key and the keys taken',
    async (extra, message) => {
      const api = await loadApi(spec);
      const app = Fastify();
      onTestFinished(() => app.close());
      const error = await app
        .register(macaronFastify, { api, handlers, ...extra } as never)
        .ready()
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).toContain('(options: ');
    },
  );

  it.each([
    [{ api: undefined }, /^@macaron\/fastify needs api: /],
    [{ api: null }, /^@macaron\/fastify needs api: /],
    [{ api: 42 }, /^@macaron\/fastify needs api: /],
    [{ api: {} }, /^@macaron\/fastify needs api: /],
    [{ handlers: 42 }, /^@macaron\/fastify handlers must be an object/],
    [{ handlers: 'getNote' }, /^@macaron\/fastify handlers must be an object/],
    [{ decorators: 'x' }, /^@macaron\/fastify decorators must be an object/],
    [{ securityHandlers: [() => true] }, /^@macaron\/fastify securityHandlers must be an object/],
  ])(
    'refuses %j (from JavaScript) at registration with a TypeError naming the option',
    async (extra, message) => {
      const api = await loadApi(spec);
      const app = Fastify();
      onTestFinished(() => app.close());
      const error = await app
        .register(macaronFastify, { api, handlers, ...extra } as never)
        .ready()
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
    },
  );

  it("takes fastify's own register options (prefix, logLevel) and options given as undefined", async () => {
    const api = await loadApi(spec);
    const base = await listen((app) => {
      app.register(macaronFastify, {
        api,
        handlers,
        prefix: '/api',
        logLevel: 'warn',
        specRoute: undefined,
      } as never);
    });
    expect((await call(`${base}/api/v2/notes/n1`)).status).toBe(200);
  });
});
