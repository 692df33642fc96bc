import { fileURLToPath } from 'node:url';
import { createMemoryBackend } from '@macaron/backend-memory';
import { type Api, loadApi, MacaronError } from '@macaron/core';
import Fastify from 'fastify';
import { SignJWT } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { macaronFastify, macaronServerOptions, type OperationHandlers } from '../src/index.js';
import { httpRequest, rawRequest } from './raw-request.js';
import { call, serve } from './serve.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const auth = {
  secret: 'helloworld-jwt-secret-of-32-bytes!',
  issuer: 'helloworld',
  audience: 'app',
};

async function token(expiresAt: number, subject = 'user-1') {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt(expiresAt - 3600)
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(auth.secret));
}
const now = () => Math.floor(Date.now() / 1000);
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Item {
  item_id?: string;
  label?: string;
}

async function helloworld(compat: 'pymacaron' | undefined = 'pymacaron') {
  const api = await loadApi(fixture('pymacaron-compat.yaml'), {
    backend: createMemoryBackend(),
    ...(compat ? { compat } : {}),
  });
  return { api, handlers: helloHandlers(api, compat !== undefined) };
}

function helloHandlers(api: Api, persist: boolean): OperationHandlers {
  const Items = persist
    ? api.persistent<Item>('Item', { table: 'items', key: 'item_id' })
    : undefined;
  return {
    'helloworld.api.do_hello': () => ({ message: 'hello' }),
    'helloworld.api.do_some_path': () => ({ message: 'some path' }),
    'helloworld.api.do_store_item': ({ body }) => Items!.create(body as Item),
    'helloworld.api.do_whoami': ({ auth: claims }) => ({ message: String(claims?.sub) }),
  };
}

async function pingSpec(calls: string[]) {
  const api = await loadApi(fixture('pymacaron-ping.yaml'));
  const handlers: OperationHandlers = {
    'pymacaron.ping.do_ping': () => {
      calls.push('ping');
      return {};
    },
  };
  return { api, handlers };
}

/** Fastify with several specs registered, listening on a free loopback port. */
async function serveAll(registrations: Parameters<typeof serve>[0][]) {
  const app = Fastify();
  onTestFinished(() => app.close());
  for (const options of registrations) app.register(macaronFastify, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

describe("compat: 'pymacaron' routes", () => {
  it('serves each path as written, without basePath, and a path that repeats it once', async () => {
    const { url } = await serve({ ...(await helloworld()), auth, compat: 'pymacaron' });
    expect((await call(`${url}/hello`)).json).toEqual({ message: 'hello' });
    expect((await call(`${url}/v1/some/path`)).json).toEqual({ message: 'some path' });
    expect((await call(`${url}/v1/hello`)).status).toBe(404);
    expect((await call(`${url}/v1/v1/some/path`)).status).toBe(404);
  });

  it('applies the base path outside the mode: Swagger basePath and OpenAPI 3 servers', async () => {
    const { url } = await serve({ ...(await helloworld(undefined)), auth });
    expect((await call(`${url}/v1/hello`)).json).toEqual({ message: 'hello' });
    expect((await call(`${url}/v1/v1/some/path`)).status).toBe(200);
    expect((await call(`${url}/hello`)).status).toBe(404);

    const openapi = await loadApi({
      openapi: '3.0.3',
      info: { title: 'servers', version: '1' },
      servers: [{ url: 'https://api.example/{stage}/', variables: { stage: { default: 'beta' } } }],
      paths: { '/hi': { get: { operationId: 'hi', responses: { '204': { description: 'ok' } } } } },
    });
    const served = await serve({ api: openapi, handlers: { hi: () => undefined } });
    expect((await call(`${served.url}/beta/hi`)).status).toBe(204);
    expect((await call(`${served.url}/hi`)).status).toBe(404);
  });
});

describe("compat: 'pymacaron' GET /version", () => {
  it("serves PyMacaron's /version, and /auth/version behind the token", async () => {
    const { url } = await serve({
      ...(await helloworld()),
      auth,
      compat: 'pymacaron',
      version: { container: 'v42', pym_env: 'staging' },
    });
    const version = await call(`${url}/version`);
    expect([version.status, version.text]).toEqual([
      200,
      '{"container":"v42","name":"helloworld","pym_env":"staging","version":"0.0.1"}',
    ]);
    const refused = await call(`${url}/auth/version`);
    expect([refused.status, refused.json.error]).toEqual([401, 'AUTHORIZATION_HEADER_MISSING']);
    const headers = { authorization: `Bearer ${await token(now() + 600)}` };
    const authed = await call(`${url}/auth/version`, { headers });
    expect([authed.status, authed.json]).toEqual([200, version.json]);
    const cookie = await call(`${url}/auth/version`, {
      headers: { cookie: `token=Bearer%20${await token(now() + 600)}` },
    });
    expect(cookie.status).toBe(200);
    expect((await call(`${url}/version`, { method: 'HEAD' })).status).toBe(200);
    const wrong = await call(`${url}/version`, { method: 'POST' });
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });

  it('answers with defaults from the spec and PYM_ENV', async () => {
    const previous = process.env.PYM_ENV;
    process.env.PYM_ENV = 'live';
    onTestFinished(() => {
      if (previous === undefined) delete process.env.PYM_ENV;
      else process.env.PYM_ENV = previous;
    });
    const { url } = await serve({ ...(await helloworld()), auth, compat: 'pymacaron' });
    expect((await call(`${url}/version`)).json).toEqual({
      container: 'local',
      name: 'helloworld',
      pym_env: 'live',
      version: '0.0.1',
    });
  });

  it('is served outside the mode only when version is given, and never with ping: false', async () => {
    const plain = await serve({ ...(await helloworld(undefined)), auth });
    expect((await call(`${plain.url}/version`)).status).toBe(404);
    const given = await serve({ ...(await helloworld(undefined)), auth, version: { name: 'x' } });
    expect((await call(`${given.url}/version`)).json).toMatchObject({ name: 'x' });
    const off = await serve({ ...(await helloworld()), auth, compat: 'pymacaron', ping: false });
    expect((await call(`${off.url}/version`)).status).toBe(404);
    expect((await call(`${off.url}/ping`)).status).toBe(404);
    await expect(
      serve({ ...(await helloworld()), auth, compat: 'pymacaron', version: { name: 1 as never } }),
    ).rejects.toThrow('version.name must be a string');
  });

  it('leaves /version to a route of the application, and version: false serves none', async () => {
    const app = Fastify();
    onTestFinished(() => app.close());
    app.get('/version', async () => ({ mine: true }));
    await app.register(macaronFastify, { ...(await helloworld()), auth, compat: 'pymacaron' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    expect((await call(`http://127.0.0.1:${port}/version`)).json).toEqual({ mine: true });
    const off = await serve({ ...(await helloworld()), auth, compat: 'pymacaron', version: false });
    expect((await call(`${off.url}/version`)).status).toBe(404);
    expect((await call(`${off.url}/ping`)).status).toBe(200);
  });

  it("hands /version over to a spec that declares it (PyMacaron's ping spec)", async () => {
    const ping = await loadApi({
      swagger: '2.0',
      info: { title: 'ping', version: '1' },
      paths: {
        '/version': {
          get: {
            'x-bind-server': 'pymacaron.api.do_version',
            responses: { '200': { description: 'Version.', schema: { type: 'object' } } },
          },
        },
      },
    });
    const app = { ...(await helloworld()), auth, compat: 'pymacaron' as const };
    const own = {
      api: ping,
      handlers: { 'pymacaron.api.do_version': () => ({ mine: true }) },
      compat: 'pymacaron' as const,
    };
    const url = await serveAll([app, own]);
    expect((await call(`${url}/version`)).json).toEqual({ mine: true });
  });
});

describe('several specs in one service', () => {
  it("serves PyMacaron's ping spec beside the application's, /ping once, either order", async () => {
    for (const order of ['app first', 'ping first']) {
      const calls: string[] = [];
      const app = { ...(await helloworld()), auth, compat: 'pymacaron' as const };
      const ping = { ...(await pingSpec(calls)), compat: 'pymacaron' as const };
      const url = await serveAll(order === 'app first' ? [app, ping] : [ping, app]);
      const pong = await call(`${url}/ping`);
      expect([order, pong.status, pong.json]).toEqual([order, 200, {}]);
      // The ping spec's own handler answers, not the default one.
      expect(calls).toEqual(['ping']);
      expect((await call(`${url}/hello`)).status).toBe(200);
    }
  });

  it('names both specs when two declare the same route', async () => {
    const first = { ...(await helloworld()), auth, compat: 'pymacaron' as const };
    const second = { ...(await helloworld()), auth, compat: 'pymacaron' as const };
    const app = Fastify();
    onTestFinished(() => app.close());
    app.register(macaronFastify, first);
    app.register(macaronFastify, second);
    const failure = await app.ready().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(MacaronError.isInstance(failure)).toBe(true);
    expect((failure as MacaronError).code).toBe('DUPLICATE_ROUTE');
    expect((failure as Error).message).toContain(
      'GET /hello: declared by "helloworld" 0.0.1 and by "helloworld" 0.0.1',
    );
  });

  it('serves the same spec twice under different prefixes', async () => {
    const one = { ...(await helloworld()), auth, compat: 'pymacaron' as const };
    const two = { ...(await helloworld()), auth, compat: 'pymacaron' as const };
    const app = Fastify();
    onTestFinished(() => app.close());
    app.register(macaronFastify, { ...one, prefix: '/a' } as never);
    app.register(macaronFastify, { ...two, prefix: '/b' } as never);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    for (const path of ['/a/hello', '/b/hello', '/a/ping', '/b/ping']) {
      expect([path, (await call(`http://127.0.0.1:${port}${path}`)).status]).toEqual([path, 200]);
    }
  });
});

describe("compat: 'pymacaron' tokens and errors", () => {
  it('reads the token from a token cookie in the mode only', async () => {
    const cookie = `lang=fr; token=${await token(now() + 600)}`;
    const compat = await serve({ ...(await helloworld()), auth, compat: 'pymacaron' });
    const mine = await call(`${compat.url}/whoami`, { headers: { cookie } });
    expect([mine.status, mine.json]).toEqual([200, { message: 'user-1' }]);
    const plain = await serve({ ...(await helloworld(undefined)), auth });
    const refused = await call(`${plain.url}/v1/whoami`, { headers: { cookie } });
    expect([refused.status, refused.json.error]).toEqual([401, 'AUTHORIZATION_HEADER_MISSING']);
  });

  it('reads a token cookie as PyMacaron did: "Bearer <token>" URL-decoded, or the bare token, quoted or not (werkzeug unquoted it)', async () => {
    const jwt = await token(now() + 600);
    const { url } = await serve({ ...(await helloworld()), auth, compat: 'pymacaron' });
    for (const cookie of [
      `token=Bearer%20${jwt}`,
      `token=Bearer+${jwt}`,
      `token=bearer%20${jwt}`,
      `token=Bearer%09${jwt}`,
      `token=Bearer%20%09%20${jwt}`,
      `token=${jwt}`,
      `token="Bearer ${jwt}"`,
      `token="${jwt}"`,
    ]) {
      const mine = await call(`${url}/whoami`, { headers: { cookie } });
      expect([cookie, mine.status, mine.json]).toEqual([cookie, 200, { message: 'user-1' }]);
    }
    for (const cookie of [
      `token=Basic%20${jwt}`,
      `token=Bearer%20${jwt}%20more`,
      `token=Bearer%09${jwt}%09more`,
      'token=Bearer',
    ]) {
      const refused = await call(`${url}/whoami`, { headers: { cookie } });
      expect([cookie, refused.status, refused.json.error]).toEqual([cookie, 401, 'TOKEN_INVALID']);
    }
  });

  it('allows 300 s of clock leeway in the mode, 30 s outside', async () => {
    const late = { authorization: `Bearer ${await token(now() - 200)}` };
    const tooLate = { authorization: `Bearer ${await token(now() - 400)}` };
    const compat = await serve({ ...(await helloworld()), auth, compat: 'pymacaron' });
    expect((await call(`${compat.url}/whoami`, { headers: late })).status).toBe(200);
    const expired = await call(`${compat.url}/whoami`, { headers: tooLate });
    expect([expired.status, expired.json.error]).toEqual([401, 'TOKEN_EXPIRED']);
    const plain = await serve({ ...(await helloworld(undefined)), auth });
    expect((await call(`${plain.url}/v1/whoami`, { headers: late })).status).toBe(401);
  });

  it("answers a returned PyMacaron Error model (what e.http_reply() gave) with its status in the mode, as PyMacaron's crash handler did", async () => {
    const reported: string[] = [];
    const errorModel = {
      error: 'ANOTHER_CUSTOM_ERROR',
      error_description: 'Something went wrong',
      user_message: 'Try later',
      status: 543,
    };
    const { api, handlers } = await helloworld();
    const returning = { ...handlers, 'helloworld.api.do_hello': () => errorModel };
    const compat = await serve({
      api,
      handlers: returning,
      auth,
      compat: 'pymacaron',
      onError: (error, info) => {
        reported.push(`${(error as MacaronError).code} ${info.errorId}`);
      },
    });
    const answered = await call(`${compat.url}/hello`);
    expect(answered.status).toBe(543);
    expect(answered.json).toEqual({ ...errorModel, error_id: expect.stringMatching(uuid) });
    expect(reported).toEqual([`ANOTHER_CUSTOM_ERROR ${answered.json.error_id}`]);
    // Outside the mode (where the base path applies) it is data like any other, checked
    // against the Greeting it is not (no message): a 500.
    const plain = await serve({ api, handlers: returning, auth });
    const unchecked = await call(`${plain.url}/v1/hello`);
    expect([unchecked.status, unchecked.json.error]).toEqual([500, 'SERVER_ERROR']);
    // An object of the model the 200 declares is that response, whatever fields it holds (a
    // stored delivery record with `error` and `status` of its own).
    const Greeting = api.model('Greeting');
    const greeting = new Greeting({ message: 'hello', ...errorModel } as never);
    const declared = await serve({
      api,
      handlers: { ...handlers, 'helloworld.api.do_hello': () => greeting },
      auth,
      compat: 'pymacaron',
    });
    const sent = await call(`${declared.url}/hello`);
    expect([sent.status, sent.json]).toEqual([200, { message: 'hello', ...errorModel }]);
  });

  it('puts user_message and error_id in every error reply in the mode', async () => {
    const reported: string[] = [];
    const compat = await serve({
      ...(await helloworld()),
      auth,
      compat: 'pymacaron',
      onError: (_error, info) => {
        reported.push(info.errorId);
      },
    });
    const missing = await call(`${compat.url}/nowhere`);
    expect(missing.json).toEqual({
      error: 'NOT_FOUND',
      error_description: 'No operation matches GET /nowhere',
      user_message: 'No operation matches GET /nowhere',
      status: 404,
      error_id: expect.stringMatching(uuid),
    });
    const unauthorized = await call(`${compat.url}/whoami`);
    expect([unauthorized.status, unauthorized.json.error_id]).toEqual([
      401,
      expect.stringMatching(uuid),
    ]);
    // onError gets the id the client sees, a new one per reply.
    expect(reported).toEqual([missing.json.error_id, unauthorized.json.error_id]);
    expect(reported[0]).not.toBe(reported[1]);
    const plain = await serve({ ...(await helloworld(undefined)), auth });
    const plainMissing = (await call(`${plain.url}/nowhere`)).json;
    expect(plainMissing).not.toHaveProperty('user_message');
    expect(plainMissing).not.toHaveProperty('error_id');
  });

  it("sends an error's code in upper case in the mode, as PyMacaron did (code.upper())", async () => {
    class ItemExists extends MacaronError {
      static override code = 'item_exists';
      static override status = 409;
    }
    const hello = async (compat?: 'pymacaron') => {
      const served = await helloworld(compat);
      return {
        ...served,
        handlers: {
          ...served.handlers,
          'helloworld.api.do_hello': () => {
            throw new ItemExists('Item 1 exists');
          },
        },
      };
    };
    const inMode = await serve({ ...(await hello('pymacaron')), auth, compat: 'pymacaron' });
    const answer = await call(`${inMode.url}/hello`);
    expect([answer.status, answer.json.error, answer.json.status]).toEqual([
      409,
      'ITEM_EXISTS',
      409,
    ]);
    const outside = await serve({ ...(await hello()), auth });
    expect((await call(`${outside.url}/v1/hello`)).json.error).toBe('item_exists');
  });

  it('puts user_message and error_id in the replies of macaronServerOptions in the mode', async () => {
    const reported: string[] = [];
    const onError = (_error: MacaronError, info: { errorId: string }) => {
      reported.push(info.errorId);
    };
    const app = Fastify(macaronServerOptions({ compat: 'pymacaron', onError }));
    onTestFinished(() => app.close());
    await app.register(macaronFastify, {
      ...(await helloworld()),
      auth,
      compat: 'pymacaron',
      onError,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const badUrl = await call(`http://127.0.0.1:${port}/hello%ZZ`);
    expect(badUrl.json).toEqual({
      error: 'BAD_URL',
      error_description: 'The URL is not valid (a %-escape does not decode): /hello%ZZ',
      user_message: 'The URL is not valid (a %-escape does not decode): /hello%ZZ',
      status: 400,
      error_id: expect.stringMatching(uuid),
    });
    expect(reported).toEqual([badUrl.json.error_id]);
    // Text that is not HTTP is answered before any route, hook or report: the fields still.
    const garbage = await rawRequest(`http://127.0.0.1:${port}`, 'NOT HTTP AT ALL\r\n\r\n');
    expect([garbage.status, JSON.parse(garbage.text)]).toEqual([
      400,
      {
        error: 'BAD_REQUEST',
        error_description: 'The request is not valid HTTP',
        user_message: 'The request is not valid HTTP',
        status: 400,
        error_id: expect.stringMatching(uuid),
      },
    ]);
  });

  it('reads a body without a Content-Type as JSON in the mode; other types stay 415', async () => {
    const bearer = `Authorization: Bearer ${await token(now() + 600)}`;
    const send = (url: string, path: string, headers: string[], body: string) =>
      rawRequest(url, httpRequest('POST', path, { headers: [bearer, ...headers], body }));
    const compat = await serve({ ...(await helloworld()), auth, compat: 'pymacaron' });
    const stored = await send(compat.url, '/item', [], '{"item_id":"t2","label":"T"}');
    expect([stored.status, JSON.parse(stored.text)]).toEqual([200, { item_id: 't2', label: 'T' }]);
    // Cookies without an Authorization header: what a page on another site can send (no-cors
    // fetch, sendBeacon) with the browser's token cookie and no preflight. Refused.
    const cookie = `Cookie: token=Bearer%20${await token(now() + 600)}`;
    const crossSite = await rawRequest(
      compat.url,
      httpRequest('POST', '/item', { headers: [cookie], body: '{"item_id":"t6"}' }),
    );
    expect([crossSite.status, JSON.parse(crossSite.text).error]).toEqual([
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
    // With the JSON Content-Type, which such a page cannot send without a preflight, it can.
    const typed = await rawRequest(
      compat.url,
      httpRequest('POST', '/item', {
        headers: [cookie, 'Content-Type: application/json'],
        body: '{"item_id":"t7","label":"T"}',
      }),
    );
    expect(typed.status).toBe(200);
    const malformed = await send(compat.url, '/item', [], '{"item_id":');
    expect([malformed.status, JSON.parse(malformed.text).error]).toEqual([
      400,
      'INVALID_PARAMETER',
    ]);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/html']) {
      const refused = await send(
        compat.url,
        '/item',
        [`Content-Type: ${type}`],
        '{"item_id":"t4"}',
      );
      expect([type, refused.status, JSON.parse(refused.text).error]).toEqual([
        type,
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ]);
    }
    const plain = await serve({ ...(await helloworld(undefined)), auth });
    const untyped = await send(plain.url, '/v1/item', [], '{"item_id":"t5"}');
    expect([untyped.status, JSON.parse(untyped.text).error]).toEqual([
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
  });

  it('stores items whose key is outside required, and refuses one without its key', async () => {
    const { url } = await serve({ ...(await helloworld()), auth, compat: 'pymacaron' });
    const headers = { authorization: `Bearer ${await token(now() + 600)}` };
    const stored = await call(`${url}/item`, {
      method: 'POST',
      body: { item_id: 'a', label: 'A' },
      headers,
    });
    expect([stored.status, stored.json]).toEqual([200, { item_id: 'a', label: 'A' }]);
    const keyless = await call(`${url}/item`, { method: 'POST', body: { label: 'B' }, headers });
    expect([keyless.status, keyless.json.error]).toEqual([400, 'VALIDATION_ERROR']);
    expect(keyless.json.error_description).toContain('item_id');
  });
});

describe("compat: 'pymacaron' query parameters", () => {
  const listSpec = {
    swagger: '2.0',
    info: { title: 'shop', version: '1' },
    paths: {
      '/items': {
        get: {
          'x-bind-server': 'shop.api.do_list_items',
          parameters: [
            { in: 'query', name: 'limit', type: 'integer', minimum: 1, required: false },
            { in: 'query', name: 'active', type: 'boolean', required: false },
            { in: 'query', name: 'name', type: 'string', required: false },
            { in: 'query', name: 'page', type: 'integer', default: 1, required: false },
            { in: 'query', name: 'flags', type: 'array', items: { type: 'boolean' } },
            {
              in: 'query',
              name: 'ids',
              type: 'array',
              items: { type: 'integer' },
              collectionFormat: 'multi',
            },
          ],
          responses: { '200': { description: 'The query.', schema: { type: 'object' } } },
        },
      },
    },
  };
  const handlers: OperationHandlers = { 'shop.api.do_list_items': ({ query }) => query };

  it('reads 1/0 as booleans, an empty value as none, and the first of a repeated scalar', async () => {
    const { url } = await serve({ api: await loadApi(listSpec), handlers, compat: 'pymacaron' });
    const cases: [string, unknown][] = [
      ['active=1', { active: true, page: 1 }],
      ['active=0', { active: false, page: 1 }],
      ['active=True', { active: true, page: 1 }],
      ['active=', { page: 1 }],
      ['limit=&page=', { page: 1 }],
      ['name=', { name: '', page: 1 }],
      ['limit=3&limit=4', { limit: 3, page: 1 }],
      ['limit=3&limit=x', { limit: 3, page: 1 }],
      ['name=a&name=b', { name: 'a', page: 1 }],
      ['flags=1,0,true', { flags: [true, false, true], page: 1 }],
      ['ids=1&ids=2', { ids: [1, 2], page: 1 }],
    ];
    for (const [query, expected] of cases) {
      const response = await call(`${url}/items?${query}`);
      expect([query, response.status, response.json]).toEqual([query, 200, expected]);
    }
    for (const query of ['active=yes', 'active=2', 'limit=0', 'limit=x&limit=3']) {
      const response = await call(`${url}/items?${query}`);
      expect([query, response.status, response.json.error]).toEqual([
        query,
        400,
        'INVALID_PARAMETER',
      ]);
    }
  });

  it('takes the first of a repeated JSON parameter, whatever its schema', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'search', version: '1' },
      paths: {
        '/search': {
          get: {
            operationId: 'search',
            parameters: ['filter', 'ids'].map((name) => ({
              name,
              in: 'query',
              content: {
                'application/json': { schema: name === 'ids' ? { type: 'array' } : {} },
              },
            })),
            responses: { '200': { description: 'ok', content: { 'application/json': {} } } },
          },
        },
      },
    });
    const { url } = await serve({
      api,
      handlers: { search: ({ query }) => query },
      compat: 'pymacaron',
    });
    const response = await call(`${url}/search?filter=1&filter=2&ids=%5B1%5D&ids=%5B2%5D`);
    expect([response.status, response.json]).toEqual([200, { filter: 1, ids: [1] }]);
  });

  it('keeps its strictness outside the mode', async () => {
    const { url } = await serve({ api: await loadApi(listSpec), handlers });
    for (const query of ['active=1', 'active=0', 'active=', 'limit=', 'limit=3&limit=4']) {
      const response = await call(`${url}/items?${query}`);
      expect([query, response.status]).toEqual([query, 400]);
    }
  });
});

describe("compat: 'pymacaron' header parameters", () => {
  const headerSpec = (required: boolean) => ({
    swagger: '2.0',
    info: { title: 'shop', version: '1' },
    paths: {
      '/items': {
        get: {
          'x-bind-server': 'shop.api.do_list_items',
          parameters: [
            { in: 'header', name: 'X-Count', type: 'integer', required },
            { in: 'header', name: 'X-Ratio', type: 'number' },
            { in: 'header', name: 'X-Active', type: 'boolean' },
            { in: 'header', name: 'X-Page', type: 'integer', default: 1 },
            { in: 'header', name: 'X-Name', type: 'string' },
          ],
          responses: { '200': { description: 'The headers.', schema: { type: 'object' } } },
        },
      },
    },
  });
  const handlers: OperationHandlers = { 'shop.api.do_list_items': ({ headers }) => headers };
  // Sent as written: an empty value is `Name:` and nothing after it.
  const get = (url: string, headers: string[]) =>
    rawRequest(url, httpRequest('GET', '/items', { headers }));

  it('reads an empty value of an integer, number or boolean header as none, as a query one', async () => {
    const { url } = await serve({
      api: await loadApi(headerSpec(false)),
      handlers,
      compat: 'pymacaron',
    });
    const cases: [string[], unknown][] = [
      [['X-Count:'], { 'X-Page': 1 }],
      [['X-Count: 3', 'X-Ratio:', 'X-Active:'], { 'X-Count': 3, 'X-Page': 1 }],
      [['X-Page:'], { 'X-Page': 1 }],
      [['X-Name:'], { 'X-Name': '', 'X-Page': 1 }],
    ];
    for (const [headers, expected] of cases) {
      const response = await get(url, headers);
      expect([headers, response.status, JSON.parse(response.text)]).toEqual([
        headers,
        200,
        expected,
      ]);
    }
    const wrong = await get(url, ['X-Count: x']);
    expect([wrong.status, JSON.parse(wrong.text).problems]).toEqual([
      400,
      [{ pointer: '/header/X-Count', keyword: 'type', message: 'must be integer, not string' }],
    ]);
  });

  it('answers a required header sent empty as missing, as a required query parameter', async () => {
    const { url } = await serve({
      api: await loadApi(headerSpec(true)),
      handlers,
      compat: 'pymacaron',
    });
    for (const headers of [[], ['X-Count:']]) {
      const response = await get(url, headers);
      expect([headers, response.status, JSON.parse(response.text).problems]).toEqual([
        headers,
        400,
        [{ pointer: '/header/X-Count', keyword: 'required', message: 'is required' }],
      ]);
    }
  });

  it('keeps refusing an empty value outside the mode', async () => {
    const { url } = await serve({ api: await loadApi(headerSpec(false)), handlers });
    for (const header of ['X-Count:', 'X-Ratio:', 'X-Active:', 'X-Page:']) {
      const response = await get(url, [header]);
      expect([header, response.status, JSON.parse(response.text).problems[0].keyword]).toEqual([
        header,
        400,
        'type',
      ]);
    }
  });
});

describe("compat: 'pymacaron' integer and number spellings", () => {
  const numberSpec = {
    swagger: '2.0',
    info: { title: 'shop', version: '1' },
    paths: {
      '/items/{id}': {
        get: {
          'x-bind-server': 'shop.api.do_get_item',
          parameters: [
            { in: 'path', name: 'id', type: 'integer', required: true },
            { in: 'query', name: 'limit', type: 'integer' },
            { in: 'query', name: 'big', type: 'integer', format: 'int64' },
            { in: 'query', name: 'ratio', type: 'number' },
            { in: 'query', name: 'ids', type: 'array', items: { type: 'integer' } },
            { in: 'header', name: 'X-Count', type: 'integer' },
          ],
          responses: { '200': { description: 'The parameters.', schema: { type: 'object' } } },
        },
      },
    },
  };
  const handlers: OperationHandlers = {
    'shop.api.do_get_item': ({ params, query, headers }) => ({ ...params, ...query, ...headers }),
  };
  const get = (url: string, target: string, headers: string[] = []) =>
    rawRequest(url, httpRequest('GET', target, { headers }));

  it("takes a leading +, spaces around and underscores between digits, as Python's int() and float()", async () => {
    const { url } = await serve({ api: await loadApi(numberSpec), handlers, compat: 'pymacaron' });
    const cases: [string, string[], unknown][] = [
      // `+` in a query is a space: ` 5` (werkzeug read it so too).
      ['/items/1?limit=+5', [], { id: 1, limit: 5 }],
      ['/items/1?limit=%2B5', [], { id: 1, limit: 5 }],
      ['/items/1?limit=%20%2B5%20', [], { id: 1, limit: 5 }],
      ['/items/1?limit=1_000', [], { id: 1, limit: 1000 }],
      ['/items/1?limit=-1_0', [], { id: 1, limit: -10 }],
      ['/items/%201_0%20', [], { id: 10 }],
      ['/items/%2B7', [], { id: 7 }],
      ['/items/1', ['X-Count: +1_000'], { id: 1, 'X-Count': 1000 }],
      ['/items/1?ids=%2B1,%202,3_0', [], { id: 1, ids: [1, 2, 30] }],
      ['/items/1?ratio=%201_000.000_5%20', [], { id: 1, ratio: 1000.0005 }],
      ['/items/1?ratio=%2B2.5e1_0', [], { id: 1, ratio: 25000000000 }],
      // Beyond 2^53, exact however it is spelled.
      ['/items/1?big=%2B9_007_199_254_740_993%20', [], { id: 1, big: '9007199254740993' }],
      ['/items/1?big=+9007199254740993', [], { id: 1, big: '9007199254740993' }],
      ['/items/1?ratio=%201e%2B2_0', [], { id: 1, ratio: '100000000000000000000' }],
    ];
    for (const [target, headers, expected] of cases) {
      const response = await get(url, target, headers);
      expect([target, headers, response.status, JSON.parse(response.text)]).toEqual([
        target,
        headers,
        200,
        expected,
      ]);
    }
  });

  it('refuses what Python refused, and numbers beyond what their property holds', async () => {
    const { url } = await serve({ api: await loadApi(numberSpec), handlers, compat: 'pymacaron' });
    const cases: [string, string[], string, string][] = [
      ['/items/1?limit=1__0', [], '/query/limit', 'must be integer, not string'],
      ['/items/1?limit=_1', [], '/query/limit', 'must be integer, not string'],
      ['/items/1?limit=1_', [], '/query/limit', 'must be integer, not string'],
      ['/items/1?limit=%2B_1', [], '/query/limit', 'must be integer, not string'],
      ['/items/1?limit=%2B%201', [], '/query/limit', 'must be integer, not string'],
      ['/items/1?limit=1%20000', [], '/query/limit', 'must be integer, not string'],
      ['/items/1?limit=%091', [], '/query/limit', 'must be integer, not string'],
      ['/items/1?limit=1.0', [], '/query/limit', 'must be integer, not string'],
      ['/items/1?ratio=1_.5', [], '/query/ratio', 'must be number, not string'],
      ['/items/1', ['X-Count: 1__0'], '/header/X-Count', 'must be integer, not string'],
      ['/items/_1', [], '/path/id', 'must be integer, not string'],
      [
        '/items/1?limit=%209_007_199_254_740_993',
        [],
        '/query/limit',
        'is an integer beyond 2^53, which needs an int64 property',
      ],
      ['/items/1?limit=%20-0', [], '/query/limit', 'is -0, which cannot be stored with its sign'],
    ];
    for (const [target, headers, pointer, message] of cases) {
      const response = await get(url, target, headers);
      const { problems } = JSON.parse(response.text);
      expect([target, response.status, problems[0].pointer, problems[0].message]).toEqual([
        target,
        400,
        pointer,
        message,
      ]);
    }
    const inexact = await get(url, '/items/1?ratio=%200.300_000_000_000_000_01');
    expect([inexact.status, JSON.parse(inexact.text).problems[0].pointer]).toEqual([
      400,
      '/query/ratio',
    ]);
  });

  it('keeps refusing spaces and underscores outside the mode', async () => {
    const { url } = await serve({ api: await loadApi(numberSpec), handlers });
    for (const [target, headers] of [
      ['/items/1?limit=+5', []],
      ['/items/1?limit=1_000', []],
      ['/items/1_000', []],
      ['/items/%201', []],
      ['/items/1?ratio=1_0.5', []],
      ['/items/1', ['X-Count: 1_000']],
    ] as [string, string[]][]) {
      const response = await get(url, target, headers);
      expect([target, headers, response.status]).toEqual([target, headers, 400]);
    }
  });
});

describe('a returned model holding error fields, under the status the handler chose', () => {
  it('is the response that status declares, not an error (the success check read the default status)', async () => {
    const body = (ref: string) => ({
      description: ref,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
    });
    const api = await loadApi({
      openapi: '3.1.0',
      info: { title: 'deliveries', version: '1' },
      paths: {
        '/deliveries': {
          post: {
            operationId: 'deliver',
            responses: { '200': body('Report'), '202': body('Delivery') },
          },
        },
      },
      components: {
        schemas: {
          Report: { type: 'object', properties: { n: { type: 'integer' } } },
          Delivery: {
            type: 'object',
            properties: {
              error: { type: 'string' },
              error_description: { type: 'string' },
              status: { type: 'integer' },
            },
          },
        },
      },
    });
    const Delivery = api.model<{ error: string; error_description: string; status: number }>(
      'Delivery',
    );
    const { url } = await serve({
      api,
      compat: 'pymacaron',
      handlers: {
        deliver: ({ reply }) => {
          reply.code(202);
          return new Delivery({ error: 'BOUNCED', error_description: 'mailbox full', status: 550 });
        },
      } as OperationHandlers,
    });
    const answered = await call(`${url}/deliveries`, { method: 'POST' });
    expect([answered.status, answered.json]).toEqual([
      202,
      { error: 'BOUNCED', error_description: 'mailbox full', status: 550 },
    ]);
  });
});
