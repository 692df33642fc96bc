import type { AddressInfo } from 'node:net';
import { createMemoryBackend } from '@macaron/backend-memory';
import { type Api, defineError, loadApi, SpecError } from '@macaron/core';
import Fastify from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { macaronFastify, type OperationContext, type OperationHandlers } from '../src/index.js';
import { profilesOpenApi } from './fixtures/profiles-openapi.js';
import { call, serve } from './serve.js';

interface Profile {
  profile_id: string;
  name: string;
  view_count?: number;
  nickname?: string;
  tags?: string[];
}

const UserNotFoundError = defineError({ code: 'USER_NOT_FOUND', status: 404 });

async function profilesApi(): Promise<Api> {
  return loadApi(profilesOpenApi(), { backend: createMemoryBackend() });
}

function profileHandlers(api: Api, seen: OperationContext[] = []): OperationHandlers {
  const Profiles = api.persistent<Profile>('Profile');
  return {
    async createProfile(context: OperationContext<{}, {}, {}, Profile>) {
      seen.push(context);
      return Profiles.create({ ...context.body });
    },
    async listProfiles(context) {
      seen.push(context);
      const page = await Profiles.scan({ limit: context.query.limit as number });
      return { items: page.items, count: page.items.length };
    },
    async getProfile({ params }: OperationContext<{ profile_id: string }>) {
      if (!(await Profiles.exists(params.profile_id))) {
        throw new UserNotFoundError('This user does not exist', { userMessage: 'No such user' });
      }
      return Profiles.update(params.profile_id, { add: { view_count: 1 } });
    },
    async updateProfile({
      params,
      body,
    }: OperationContext<{ profile_id: string }, {}, {}, Profile>) {
      const profile = await Profiles.load(params.profile_id);
      profile.name = body.name;
      await profile.save();
      return profile;
    },
    async deleteProfile({ params }: OperationContext<{ profile_id: string }>) {
      await Profiles.delete(params.profile_id);
    },
    addFriends(context) {
      seen.push(context);
      return context.body;
    },
    incrementCounter({ params }) {
      return { id: (params['counter-id'] as number) + 1 };
    },
    echo(context) {
      seen.push(context);
      if ((context.request.query as Record<string, string>).accepted) context.reply.code(202);
      return context.body ?? { empty: true };
    },
    wrongResponse() {
      return { profile_id: 'ann', name: 42 };
    },
    returnNothing() {
      return undefined;
    },
  };
}

describe('routes from the spec', () => {
  it('creates with 201 (the single 2xx), gets with 200, deletes with 204', async () => {
    const api = await profilesApi();
    const { url } = await serve({ api, handlers: profileHandlers(api) });
    const created = await call(`${url}/profiles`, {
      method: 'POST',
      body: { profile_id: 'ann', name: 'Ann', view_count: 0 },
    });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ profile_id: 'ann', name: 'Ann', view_count: 0 });
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);

    const first = await call(`${url}/profiles/ann`);
    const second = await call(`${url}/profiles/ann`);
    expect([first.status, first.json.view_count]).toEqual([200, 1]);
    expect([second.status, second.json.view_count]).toEqual([200, 2]);

    const deleted = await call(`${url}/profiles/ann`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const gone = await call(`${url}/profiles/ann`);
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({
      error: 'USER_NOT_FOUND',
      error_description: 'This user does not exist',
      user_message: 'No such user',
      status: 404,
    });
  });

  it('hands the handler a model object for a body whose schema is a named model', async () => {
    const api = await profilesApi();
    const seen: OperationContext[] = [];
    const { url } = await serve({ api, handlers: profileHandlers(api, seen) });
    await call(`${url}/profiles`, { method: 'POST', body: { profile_id: 'bob', name: 'Bob' } });
    expect(seen[0]!.body).toBeInstanceOf(api.model('Profile'));

    const friends = await call(`${url}/profiles/bob/friends`, {
      method: 'POST',
      body: [{ profile_id: 'cid', name: 'Cid' }],
    });
    expect(friends.status).toBe(202);
    expect(friends.json).toEqual([{ profile_id: 'cid', name: 'Cid' }]);
    const items = seen[1]!.body as unknown[];
    expect(items[0]).toBeInstanceOf(api.model('Profile'));
  });

  it('serialises a list of model objects inside an inline response object', async () => {
    const api = await profilesApi();
    const { url } = await serve({ api, handlers: profileHandlers(api) });
    for (const id of ['ann', 'bob']) {
      await call(`${url}/profiles`, { method: 'POST', body: { profile_id: id, name: id } });
    }
    const listed = await call(`${url}/profiles?limit=5`);
    expect(listed.status).toBe(200);
    expect(listed.json.count).toBe(2);
    expect(listed.json.items.map((item: Profile) => item.profile_id).sort()).toEqual([
      'ann',
      'bob',
    ]);
  });

  it('maps path templates with characters fastify cannot name and literal colons', async () => {
    const api = await profilesApi();
    const { url } = await serve({ api, handlers: profileHandlers(api) });
    const response = await call(`${url}/counters/41:increment`, { method: 'POST' });
    expect([response.status, response.json]).toEqual([200, { id: 42 }]);
  });

  it('lets the handler pick another declared status with reply.code', async () => {
    const api = await profilesApi();
    const { url } = await serve({ api, handlers: profileHandlers(api) });
    expect((await call(`${url}/echo`, { method: 'POST', body: { a: 1 } })).status).toBe(200);
    const accepted = await call(`${url}/echo?accepted=1`, { method: 'POST', body: { a: 1 } });
    expect([accepted.status, accepted.json]).toEqual([202, { a: 1 }]);
  });

  it('answers 500 SERVER_ERROR when a response does not match the spec, or is missing', async () => {
    const api = await profilesApi();
    const { url } = await serve({ api, handlers: profileHandlers(api) });
    const wrong = await call(`${url}/wrong-response`);
    expect([wrong.status, wrong.json.error]).toEqual([500, 'SERVER_ERROR']);
    const nothing = await call(`${url}/nothing`);
    expect([nothing.status, nothing.json.error]).toEqual([500, 'SERVER_ERROR']);
  });

  it('sends unchecked responses when validateResponses is false', async () => {
    const api = await profilesApi();
    const { url } = await serve({ api, handlers: profileHandlers(api), validateResponses: false });
    const wrong = await call(`${url}/wrong-response`);
    expect([wrong.status, wrong.json]).toEqual([200, { profile_id: 'ann', name: 42 }]);
  });

  it('answers 404 NOT_FOUND in the error JSON for a path the spec does not have', async () => {
    const api = await profilesApi();
    const { url } = await serve({ api, handlers: profileHandlers(api) });
    const response = await call(`${url}/nowhere`);
    expect([response.status, response.json.error, response.json.status]).toEqual([
      404,
      'NOT_FOUND',
      404,
    ]);
  });

  it('serves GET /ping with {} unless disabled', async () => {
    const api = await profilesApi();
    const { url } = await serve({ api, handlers: profileHandlers(api) });
    const pong = await call(`${url}/ping`);
    expect([pong.status, pong.json]).toEqual([200, {}]);
    const quiet = await serve({ api, handlers: profileHandlers(api), ping: false });
    expect((await call(`${quiet.url}/ping`)).status).toBe(404);
  });
});

describe('alongside the application', () => {
  it("keeps the application's own not-found handler when it set one first", async () => {
    const api = await profilesApi();
    const app = Fastify();
    onTestFinished(() => app.close());
    app.setNotFoundHandler((_request, reply) => reply.code(404).send({ mine: true }));
    await app.register(macaronFastify, { api, handlers: profileHandlers(api) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const response = await call(`http://127.0.0.1:${port}/nowhere`);
    expect([response.status, response.json]).toEqual([404, { mine: true }]);
    expect((await call(`http://127.0.0.1:${port}/profiles?limit=1`)).status).toBe(200);
  });

  it("serves the spec under fastify's prefix, leaving the application's other routes alone", async () => {
    const api = await profilesApi();
    const app = Fastify();
    onTestFinished(() => app.close());
    app.get('/health', async () => 'fine');
    await app.register(macaronFastify, { api, handlers: profileHandlers(api), prefix: '/api' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    expect((await call(`${base}/api/profiles?limit=1`)).status).toBe(200);
    expect((await call(`${base}/api/ping`)).status).toBe(200);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const unknown = await call(`${base}/api/nowhere`);
    expect([unknown.status, unknown.json.error]).toEqual([404, 'NOT_FOUND']);
  });
});

describe('several specs under one prefix', () => {
  it('start, each serving its routes, the first one answering what none serves', async () => {
    const spec = (path: string) =>
      loadApi({
        openapi: '3.0.3',
        info: { title: path, version: '1' },
        paths: {
          [path]: { get: { operationId: 'get', responses: { '200': { description: 'ok' } } } },
        },
      });
    const app = Fastify({ pluginTimeout: 5_000 });
    onTestFinished(() => app.close());
    await app.register(macaronFastify, {
      api: await spec('/a'),
      handlers: { get: () => undefined },
      prefix: '/x',
    });
    await app.register(macaronFastify, {
      api: await spec('/b'),
      handlers: { get: () => undefined },
      prefix: '/x',
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/x`;
    expect((await call(`${base}/a`)).status).toBe(200);
    expect((await call(`${base}/b`)).status).toBe(200);
    const unknown = await call(`${base}/c`);
    expect([unknown.status, unknown.json.error]).toEqual([404, 'NOT_FOUND']);
  });
});

describe('routes the spec defines itself', () => {
  const ok = { '200': { description: 'ok', content: { 'application/json': { schema: {} } } } };

  it('keeps the spec own GET /ping and HEAD operations', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'ping', version: '1' },
      paths: {
        '/ping': { get: { operationId: 'ping', responses: ok } },
        '/files/{name}': {
          get: { operationId: 'getFile', responses: ok },
          head: { operationId: 'headFile', responses: { '204': { description: 'exists' } } },
        },
      },
    });
    const { url } = await serve({
      api,
      handlers: {
        ping: () => ({ pong: true }),
        getFile: () => 'content',
        headFile: () => undefined,
      },
    });
    const pong = await call(`${url}/ping`);
    expect([pong.status, pong.json]).toEqual([200, { pong: true }]);
    const head = await fetch(`${url}/files/a`, { method: 'HEAD' });
    expect(head.status).toBe(204);
  });

  it('keeps a HEAD operation whose parameter has another name than the GET one', async () => {
    // Fastify's own HEAD route for GET /files/:name would be a duplicate of /files/:id.
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'head', version: '1' },
      paths: {
        '/files/{name}': { get: { operationId: 'getFile', responses: ok } },
        '/files/{id}': {
          head: { operationId: 'headFile', responses: { '204': { description: 'exists' } } },
        },
      },
    });
    const { url } = await serve({
      api,
      handlers: { getFile: () => 'content', headFile: () => undefined },
    });
    expect((await fetch(`${url}/files/a`, { method: 'HEAD' })).status).toBe(204);
    expect((await call(`${url}/files/a`)).json).toBe('content');
  });

  it('cannot be given paths that differ only in parameter names: loadApi refuses them', async () => {
    const error = await loadApi({
      openapi: '3.0.3',
      info: { title: 'cards', version: '1' },
      paths: {
        '/cards/{filter}': { get: { operationId: 'findCards', responses: ok } },
        '/cards/{idCard}': { get: { operationId: 'getCard', responses: ok } },
      },
    }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).message).toContain('/cards/{idCard} and GET /cards/{filter}');
  });
});

describe('servers of a path item or an operation', () => {
  const ok = {
    responses: { '200': { description: 'ok', content: { 'application/json': { schema: {} } } } },
  };
  it("fail registration when their path is not the spec's base path, and are served when it is", async () => {
    const spec = (servers: unknown) => ({
      openapi: '3.1.0',
      info: { title: 'servers', version: '1' },
      servers: [{ url: 'https://api.example/v1' }],
      paths: {
        '/same': { servers: [{ url: '/v1' }], get: { operationId: 'same', ...ok } },
        '/other': { get: { operationId: 'other', servers, ...ok } },
      },
    });
    const handlers = { same: () => ({}), other: () => ({}) };
    const refused = await serve({
      api: await loadApi(spec([{ url: '/elsewhere' }])),
      handlers,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SpecError);
    expect((refused as SpecError).problems.map(({ pointer }) => pointer)).toEqual([
      '/paths/~1other/get/servers',
    ]);
    const { url } = await serve({
      api: await loadApi(
        spec([{ url: 'https://{host}/v1', variables: { host: { default: 'a.example' } } }]),
      ),
      handlers,
    });
    expect((await call(`${url}/v1/same`)).status).toBe(200);
    expect((await call(`${url}/v1/other`)).status).toBe(200);
  });

  it('read a server URL no URL parser takes, or one without a scheme, by its path', async () => {
    for (const [server, base] of [
      [{ url: 'https://[bad/v1' }, '/v1'],
      [
        {
          url: 'http://{host}:{port}/v2',
          variables: { host: { default: 'a' }, port: { default: 'x' } },
        },
        '/v2',
      ],
      // Network-path references (RFC 3986 §4.2), as Kubernetes' spec writes its server.
      [{ url: '//api.example.com/v1' }, '/v1'],
      [{ url: '//kubernetes.local' }, ''],
    ] as const) {
      const api = await loadApi({
        openapi: '3.1.0',
        info: { title: 'servers', version: '1' },
        servers: [server],
        paths: { '/a': { get: { operationId: 'a', ...ok } } },
      });
      const { url } = await serve({ api, handlers: { a: () => ({}) } });
      expect([server.url, (await call(`${url}${base}/a`)).status]).toEqual([server.url, 200]);
    }
  });
});
