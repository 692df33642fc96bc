import { loadApi, MacaronError } from '@macaron/core';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { DecoratorContext } from '../src/index.js';
import { call, serve } from './serve.js';

const auth = { secret: 'pymacaron-jwt-secret-of-32-bytes!!', issuer: 'me', audience: 'app' };
const ok = { '200': { description: 'ok', schema: { type: 'object' } } };

// A PyMacaron spec: one operation behind bearer auth and an application decorator, one behind
// the decorator alone, one PyMacaron never bound.
const spec = {
  swagger: '2.0',
  info: { title: 'decorated', version: '1' },
  produces: ['application/json'],
  paths: {
    '/admin': {
      get: {
        'x-bind-server': 'app.api.admin',
        'x-decorate-server': ['pymacaron.auth.requires_auth', 'app.auth.requires_admin'],
        responses: ok,
      },
    },
    '/logged': {
      post: { 'x-bind-server': 'app.api.logged', 'x-decorate-server': 'app.log', responses: ok },
    },
    '/ignoreme': { get: { 'x-no-bind-server': true, responses: ok } },
  },
};

class AdminOnlyError extends MacaronError {
  static override code = 'ADMIN_ONLY';
  static override status = 403;
}

const token = (role: string) =>
  new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setSubject('u1')
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(auth.secret));

describe("PyMacaron's x-decorate-server and x-no-bind-server", () => {
  it('does not start when a served operation names a decorator the plugin is not given', async () => {
    const api = await loadApi(spec);
    const handlers = { 'app.api.admin': () => ({}), 'app.api.logged': () => ({}) };
    const error = await serve({ api, auth, handlers, decorators: { 'app.log': () => {} } }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(
      'GET /admin: x-decorate-server app.auth.requires_admin',
    );
    expect((error as Error).message).not.toContain('app.log');
  });

  it('runs the decorators in order after the token check, before the handler; a throw answers', async () => {
    const api = await loadApi(spec);
    const seen: string[] = [];
    const { url } = await serve({
      api,
      auth,
      handlers: {
        'app.api.admin': () => {
          seen.push('handler');
          return { admin: true };
        },
        'app.api.logged': () => ({ logged: true }),
      },
      decorators: {
        'app.auth.requires_admin': ({ auth: claims, operation }: DecoratorContext) => {
          seen.push(`admin check of ${operation} for ${String(claims?.role)}`);
          if (claims?.role !== 'admin') throw new AdminOnlyError('Admins only');
        },
        'app.log': async ({ request }: DecoratorContext) => {
          seen.push(`log ${request.method}`);
        },
      },
    });
    const anonymous = await call(`${url}/admin`);
    expect(anonymous.status).toBe(401);
    expect(seen).toEqual([]);
    const user = await call(`${url}/admin`, {
      headers: { authorization: `Bearer ${await token('user')}` },
    });
    expect([user.status, user.json.error]).toEqual([403, 'ADMIN_ONLY']);
    const admin = await call(`${url}/admin`, {
      headers: { authorization: `Bearer ${await token('admin')}` },
    });
    expect([admin.status, admin.json]).toEqual([200, { admin: true }]);
    const logged = await call(`${url}/logged`, { method: 'POST', body: { a: 1 } });
    expect([logged.status, logged.json]).toEqual([200, { logged: true }]);
    expect(seen).toEqual([
      'admin check of app.api.admin for user',
      'admin check of app.api.admin for admin',
      'handler',
      'log POST',
    ]);
  });

  it('serves no x-no-bind-server operation and asks no handler for it, unless one is given', async () => {
    const api = await loadApi(spec);
    const handlers = { 'app.api.admin': () => ({}), 'app.api.logged': () => ({}) };
    const decorators = { 'app.auth.requires_admin': () => {}, 'app.log': () => {} };
    const { url } = await serve({ api, auth, handlers, decorators });
    expect((await call(`${url}/ignoreme`)).status).toBe(404);
    const bound = await serve({
      api,
      auth,
      decorators,
      handlers: { ...handlers, 'GET /ignoreme': () => ({ served: true }) },
    });
    const served = await call(`${bound.url}/ignoreme`);
    expect([served.status, served.json]).toEqual([200, { served: true }]);
  });
});
