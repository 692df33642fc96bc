import { fileURLToPath } from 'node:url';
import { createMemoryBackend } from '@macaron/backend-memory';
import { type Api, loadApi, MacaronError } from '@macaron/core';
import Fastify from 'fastify';
import { SignJWT } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { macaronFastify, type OperationHandlers } from '../src/index.js';
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

  it('puts user_message in every error reply in the mode', async () => {
    const compat = await serve({ ...(await helloworld()), auth, compat: 'pymacaron' });
    const missing = await call(`${compat.url}/nowhere`);
    expect(missing.json).toEqual({
      error: 'NOT_FOUND',
      error_description: 'No operation matches GET /nowhere',
      user_message: 'No operation matches GET /nowhere',
      status: 404,
    });
    const plain = await serve({ ...(await helloworld(undefined)), auth });
    expect((await call(`${plain.url}/nowhere`)).json).not.toHaveProperty('user_message');
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
