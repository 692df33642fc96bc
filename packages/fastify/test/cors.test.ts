import cors from '@fastify/cors';
import { loadApi, MacaronError } from '@macaron/core';
import Fastify from 'fastify';
import { SignJWT } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { macaronFastify, macaronServerOptions, type OperationHandlers } from '../src/index.js';
import { call } from './serve.js';

// PyMacaron wrapped every endpoint in flask-cors; Macaron leaves CORS to @fastify/cors,
// registered by the application before the plugin.
const auth = {
  secret: 'cors-test-jwt-secret-of-32-bytes!!',
  issuer: 'https://auth.example',
  audience: 'shop',
};
const spec = {
  swagger: '2.0',
  info: { title: 'shop', version: '1' },
  paths: {
    '/items': {
      get: {
        'x-bind-server': 'shop.api.do_list_items',
        responses: { '200': { description: 'Items.', schema: { type: 'object' } } },
      },
      post: {
        'x-bind-server': 'shop.api.do_create_item',
        'x-decorate-server': 'pymacaron.auth.requires_auth',
        parameters: [
          {
            in: 'body',
            name: 'body',
            required: true,
            schema: {
              type: 'object',
              required: ['name'],
              properties: { name: { type: 'string' } },
            },
          },
        ],
        responses: { '200': { description: 'The item.', schema: { type: 'object' } } },
      },
    },
    '/locked': {
      get: {
        'x-bind-server': 'shop.api.do_locked',
        responses: { '200': { description: 'Never.', schema: { type: 'object' } } },
      },
    },
  },
};

class ItemLockedError extends MacaronError {
  static override code = 'ITEM_LOCKED';
  static override status = 423;
}

const handlers: OperationHandlers = {
  'shop.api.do_list_items': () => ({ items: [] }),
  'shop.api.do_create_item': ({ body }) => body,
  'shop.api.do_locked': () => {
    throw new ItemLockedError('Item is locked');
  },
};

async function serveWithCors(corsOptions: Parameters<typeof cors>[1], prefix?: string) {
  const app = Fastify(macaronServerOptions({ compat: 'pymacaron' }));
  onTestFinished(() => app.close());
  await app.register(cors, corsOptions);
  await app.register(macaronFastify, {
    api: await loadApi(spec, { compat: 'pymacaron' }),
    handlers,
    auth,
    compat: 'pymacaron',
    ...(prefix ? { prefix } : {}),
  } as never);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

const origin = 'https://app.example';

describe('@fastify/cors with the plugin', () => {
  it("answers preflights with @fastify/cors, not the plugin's 405", async () => {
    const url = await serveWithCors({ origin: '*' });
    const preflight = await call(`${url}/items`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toBe(
      'authorization, content-type',
    );
  });

  it("puts the CORS headers on the plugin's replies, errors included", async () => {
    const url = await serveWithCors({ origin: true });
    const headers = { origin };
    const paths: [string, string, number][] = [
      ['GET', '/items', 200],
      ['GET', '/locked', 423],
      ['POST', '/items', 401],
      ['GET', '/nowhere', 404],
      ['DELETE', '/items', 405],
      ['GET', '/ping', 200],
      ['GET', '/version', 200],
    ];
    for (const [method, path, status] of paths) {
      const response = await call(`${url}${path}`, { method, headers });
      expect([
        method,
        path,
        response.status,
        response.headers.get('access-control-allow-origin'),
      ]).toEqual([method, path, status, origin]);
      expect(response.headers.get('vary')).toContain('Origin');
    }
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer(auth.issuer)
      .setAudience(auth.audience)
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(auth.secret));
    const invalid = await call(`${url}/items`, {
      method: 'POST',
      headers: { ...headers, authorization: `Bearer ${token}` },
      body: { name: 1 },
    });
    expect([invalid.status, invalid.headers.get('access-control-allow-origin')]).toEqual([
      400,
      origin,
    ]);
  });

  it('works under a prefix too', async () => {
    const url = await serveWithCors({ origin: '*' }, '/api');
    const preflight = await call(`${url}/api/items`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    const locked = await call(`${url}/api/locked`, { headers: { origin } });
    expect([locked.status, locked.headers.get('access-control-allow-origin')]).toEqual([423, '*']);
  });
});
