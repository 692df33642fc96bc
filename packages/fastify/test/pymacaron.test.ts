import { fileURLToPath } from 'node:url';
import { createMemoryBackend } from '@macaron/backend-memory';
import { type Api, loadApi, MacaronError } from '@macaron/core';
import Fastify from 'fastify';
import { SignJWT } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { macaronFastify, type OperationContext, type OperationHandlers } from '../src/index.js';
import { call, serve } from './serve.js';

const specPath = fileURLToPath(new URL('./fixtures/pymacaron-profiles.yaml', import.meta.url));
const auth = {
  secret: 'pymacaron-jwt-secret-of-32-bytes!!',
  issuer: 'myserver',
  audience: 'myapp',
};

interface Profile {
  profile_id: string;
  name: string;
  email?: string | null;
  view_count?: number;
}

class UserNotFoundError extends MacaronError {
  static override code = 'USER_NOT_FOUND';
  static override status = 404;
}

// The seed example of the design, bound by PyMacaron's x-bind-server names.
function pymacaronHandlers(api: Api): OperationHandlers {
  class PersistentProfile extends api.persistent<Profile>('Profile', {
    table: 'some-dynamodb-table-name',
    key: 'profile_id',
  }) {}
  return {
    'myserver.api.profile.do_get_profile': async ({
      params,
    }: OperationContext<{ profile_id: string }>) => {
      if (!(await PersistentProfile.exists(params.profile_id))) {
        throw new UserNotFoundError('This user does not exist');
      }
      const profile = await PersistentProfile.load(params.profile_id);
      profile.view_count = (profile.view_count ?? 0) + 1;
      await profile.save();
      return profile;
    },
    'myserver.api.profile.do_create_profile': async ({
      body,
    }: OperationContext<{}, {}, {}, Profile>) => PersistentProfile.create(body),
    'myserver.api.profile.do_list_profiles': async ({
      query,
    }: OperationContext<{}, { ids: string[]; limit: number }>) =>
      (await PersistentProfile.getMany(query.ids)).filter(Boolean).slice(0, query.limit),
    'myserver.api.do_version': ({ auth: claims }) => ({
      name: 'myserver',
      version: claims ? `0.0.1 for ${claims.sub}` : '0.0.1',
    }),
  };
}

async function token(subject = 'user-9') {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuer(auth.issuer)
    .setAudience(auth.audience)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(auth.secret));
}

// The list operation names an apiKey in the Authorization header: the application's to check.
const securityHandlers = { ApiKeyAuth: () => undefined };

async function served() {
  const api = await loadApi(specPath, { backend: createMemoryBackend() });
  return serve({ api, handlers: pymacaronHandlers(api), auth, securityHandlers });
}

describe('a PyMacaron Swagger 2.0 spec, served unchanged', () => {
  it('serves the routes under basePath, bound by x-bind-server', async () => {
    const { url } = await served();
    const headers = { authorization: `Bearer ${await token()}` };
    const created = await call(`${url}/v1/profile`, {
      method: 'POST',
      body: { profile_id: 'ann', name: 'Ann', email: null },
      headers,
    });
    expect([created.status, created.json]).toEqual([
      200,
      { profile_id: 'ann', name: 'Ann', email: null },
    ]);
    const first = await call(`${url}/v1/profile/ann`, { headers });
    const second = await call(`${url}/v1/profile/ann`, { headers });
    expect([first.status, first.json.view_count, second.json.view_count]).toEqual([200, 1, 2]);
    const missing = await call(`${url}/v1/profile/bob`, { headers });
    expect([missing.status, missing.json.error, missing.json.status]).toEqual([
      404,
      'USER_NOT_FOUND',
      404,
    ]);
    expect((await call(`${url}/profile/ann`, { headers })).status).toBe(404);
  });

  it('authenticates operations decorated with pymacaron.auth.requires_auth', async () => {
    const { url } = await served();
    const bare = await call(`${url}/v1/profile/ann`);
    expect([bare.status, bare.json.error]).toEqual([401, 'AUTHORIZATION_HEADER_MISSING']);
    const post = await call(`${url}/v1/profile`, {
      method: 'POST',
      body: { profile_id: 'x', name: 'X' },
    });
    expect([post.status, post.json.error]).toEqual([401, 'AUTHORIZATION_HEADER_MISSING']);
    const open = await call(`${url}/v1/version`);
    expect([open.status, open.json]).toEqual([200, { name: 'myserver', version: '0.0.1' }]);
    const closed = await call(`${url}/v1/auth/version`);
    expect([closed.status, closed.json.error]).toEqual([401, 'AUTHORIZATION_HEADER_MISSING']);
    const signed = await call(`${url}/v1/auth/version`, {
      headers: { authorization: `Bearer ${await token('user-7')}` },
    });
    expect([signed.status, signed.json.version]).toEqual([200, '0.0.1 for user-7']);
  });

  it('does not treat an apiKey in the Authorization header as a bearer scheme', async () => {
    const { url } = await served();
    const headers = { authorization: `Bearer ${await token()}` };
    for (const id of ['ann', 'bob', 'cid']) {
      await call(`${url}/v1/profile`, {
        method: 'POST',
        body: { profile_id: id, name: id },
        headers,
      });
    }
    const listed = await call(`${url}/v1/profiles?ids=cid,ann,zed&limit=5`, {
      headers: { 'X-Verbose': 'true' },
    });
    expect(listed.status).toBe(200);
    expect(listed.json.map((profile: Profile) => profile.profile_id)).toEqual(['cid', 'ann']);
    const limited = await call(`${url}/v1/profiles?ids=cid,ann&limit=1`);
    expect(limited.json).toHaveLength(1);
    const invalid = await call(`${url}/v1/profiles?ids=ann&limit=0`, {
      headers: { 'X-Verbose': 'yes' },
    });
    expect(invalid.status).toBe(400);
    expect(
      invalid.json.problems.map((problem: { pointer: string }) => problem.pointer).sort(),
    ).toEqual(['/header/X-Verbose', '/query/limit']);
  });

  it('answers GET /ping with {} like PyMacaron', async () => {
    const { url } = await served();
    const pong = await call(`${url}/ping`);
    expect([pong.status, pong.json]).toEqual([200, {}]);
  });
});

describe('start-up', () => {
  it('fails with one error naming every operation without a handler and every unknown handler', async () => {
    const api = await loadApi(specPath, { backend: createMemoryBackend() });
    const handlers = pymacaronHandlers(api);
    delete handlers['myserver.api.profile.do_list_profiles'];
    delete handlers['myserver.api.do_version'];
    handlers['myserver.api.profile.do_delete_profile'] = () => undefined;
    handlers.getProfile = () => undefined;
    const app = Fastify();
    onTestFinished(() => app.close());
    const failure = await app
      .register(macaronFastify, { api, handlers, auth })
      .ready()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(MacaronError.isInstance(failure)).toBe(true);
    const error = failure as MacaronError & { missing: string[]; unknown: string[] };
    expect(error.code).toBe('HANDLER_BINDING');
    expect(error.missing).toEqual([
      'GET /profiles (x-bind-server myserver.api.profile.do_list_profiles)',
      'GET /version (x-bind-server myserver.api.do_version)',
      'GET /auth/version (x-bind-server myserver.api.do_version)',
    ]);
    expect(error.unknown).toEqual(['myserver.api.profile.do_delete_profile', 'getProfile']);
    for (const name of [...error.missing, ...error.unknown]) expect(error.message).toContain(name);
  });

  it('binds an operation with neither operationId nor x-bind-server by METHOD /path', async () => {
    const api = await loadApi({
      swagger: '2.0',
      info: { title: 'bare', version: '1' },
      paths: {
        '/hello': {
          get: { responses: { '200': { description: 'ok', schema: { type: 'string' } } } },
        },
      },
    });
    const { url } = await serve({ api, handlers: { 'GET /hello': () => 'world' } });
    const response = await call(`${url}/hello`);
    expect([response.status, response.json]).toEqual([200, 'world']);
  });

  it("splits an array of arrays by each Items Object's collectionFormat (Swagger 2.0), in a query, a path and a header", async () => {
    const rows = {
      type: 'array',
      collectionFormat: 'pipes',
      items: { type: 'array', items: { type: 'integer' } },
    };
    const api = await loadApi({
      swagger: '2.0',
      info: { title: 'grid', version: '1' },
      paths: {
        '/grid/{cells}': {
          get: {
            operationId: 'grid',
            parameters: [
              { name: 'rows', in: 'query', ...rows },
              {
                name: 'cells',
                in: 'path',
                required: true,
                type: 'array',
                items: { type: 'array', collectionFormat: 'ssv', items: { type: 'string' } },
              },
              {
                name: 'X-Cube',
                in: 'header',
                type: 'array',
                collectionFormat: 'pipes',
                items: {
                  type: 'array',
                  collectionFormat: 'ssv',
                  items: { type: 'array', collectionFormat: 'tsv', items: { type: 'number' } },
                },
              },
            ],
            responses: { '200': { description: 'ok', schema: { type: 'object' } } },
          },
        },
      },
    });
    const { url } = await serve({
      api,
      handlers: { grid: ({ query, params, headers }) => ({ query, params, headers }) },
    });
    const response = await call(`${url}/grid/a%20b,c?rows=1,2|3,4|`, {
      headers: { 'X-Cube': '1\t2 3|4' },
    });
    // A header's items are an HTTP field's list at every level: spaces around them are none.
    const spaced = await call(`${url}/grid/a?rows=1`, { headers: { 'X-Cube': '1\t 2|4' } });
    expect([spaced.status, spaced.json?.headers]).toEqual([200, { 'X-Cube': [[[1], [2]], [[4]]] }]);
    expect([response.status, response.json]).toEqual([
      200,
      {
        query: { rows: [[1, 2], [3, 4], []] },
        params: { cells: [['a', 'b'], ['c']] },
        headers: { 'X-Cube': [[[1, 2], [3]], [[4]]] },
      },
    ]);
    // An item that is no integer is reported at its place.
    const wrong = await call(`${url}/grid/a?rows=1,2|3,x`);
    expect([wrong.status, wrong.json.error_description]).toEqual([
      400,
      expect.stringContaining('/query/rows/1/1'),
    ]);
  });

  it("refuses a request to an operation taking Swagger 2.0's formData: a required field is never left out silently", async () => {
    const api = await loadApi({
      swagger: '2.0',
      info: { title: 'form', version: '1' },
      paths: {
        '/login': {
          post: {
            operationId: 'login',
            consumes: ['application/x-www-form-urlencoded'],
            parameters: [
              { name: 'user', in: 'formData', type: 'string' },
              { name: 'password', in: 'formData', type: 'string', required: true },
            ],
            responses: { '200': { description: 'ok', schema: { type: 'object' } } },
          },
        },
        '/note': {
          post: {
            operationId: 'note',
            parameters: [{ name: 'text', in: 'formData', type: 'string' }],
            responses: { '200': { description: 'ok', schema: { type: 'object' } } },
          },
        },
      },
    });
    const seen: unknown[] = [];
    const { url } = await serve({
      api,
      handlers: {
        login: ({ body }) => {
          seen.push(body);
          return {};
        },
        note: ({ body }) => {
          seen.push(body);
          return {};
        },
      },
    });
    const bare = await call(`${url}/login`, { method: 'POST' });
    expect([bare.status, bare.json.error]).toEqual([400, 'INVALID_PARAMETER']);
    const asJson = await call(`${url}/login`, { method: 'POST', body: {} });
    expect([asJson.status, asJson.json.error]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const asForm = await call(`${url}/login`, {
      method: 'POST',
      body: 'password=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(asForm.status).toBe(415);
    expect(seen).toEqual([]);
    // Every field optional: a request without a body reaches the handler.
    const empty = await call(`${url}/note`, { method: 'POST' });
    expect(empty.status).toBe(200);
    expect(seen).toEqual([undefined]);
  });
});
