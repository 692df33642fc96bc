import { loadApi, MacaronError } from '@macaron/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  type DecoratorContext,
  type MacaronFastifyOptions,
  macaronFastify,
  type SecurityContext,
} from '../src/index.js';
import { httpRequest, rawRequest } from './raw-request.js';

class AdminOnlyError extends MacaronError {
  static override code = 'ADMIN_ONLY';
  static override status = 403;
}

class KeyRefusedError extends MacaronError {
  static override code = 'KEY_REFUSED';
  static override status = 401;
}

class NoPongError extends MacaronError {
  static override code = 'no_pong';
  static override status = 409;
}

const object = { description: 'ok', content: { 'application/json': { schema: {} } } };

// The spec registered beside: it serves the default /ping and /version when it comes first.
async function hello(): Promise<MacaronFastifyOptions> {
  const api = await loadApi({
    swagger: '2.0',
    info: { title: 'hello', version: '1' },
    paths: {
      '/hello': {
        get: { 'x-bind-server': 'hello.do', responses: { '200': { description: 'hi' } } },
      },
    },
  });
  return { api, handlers: { 'hello.do': () => undefined }, version: {} };
}

// A spec that declares /ping behind a decorator and /version behind a security handler.
async function guarded(reported: (string | undefined)[]): Promise<MacaronFastifyOptions> {
  const api = await loadApi({
    openapi: '3.0.3',
    info: { title: 'guarded', version: '1' },
    components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } } },
    paths: {
      '/ping': {
        get: {
          operationId: 'ping',
          'x-decorate-server': 'app.requires_admin',
          responses: { '200': object },
        },
      },
      '/version': {
        get: { operationId: 'version', security: [{ key: [] }], responses: { '200': object } },
      },
    },
  });
  return {
    api,
    handlers: { ping: () => ({ pong: true }), version: () => ({ mine: true }) },
    decorators: {
      'app.requires_admin': ({ request }: DecoratorContext) => {
        if (request.headers['x-admin'] !== 'yes') throw new AdminOnlyError('Admins only');
      },
    },
    securityHandlers: {
      key: ({ request }: SecurityContext) => {
        if (request.headers['x-key'] !== 'good') throw new KeyRefusedError('Wrong key');
      },
    },
    onError: (error, info) => {
      reported.push(`${error.code} ${info.operation}`);
    },
  };
}

// PyMacaron's ping spec, with a GET body, its own body limit and PyMacaron's errors.
async function pymacaronPing(): Promise<MacaronFastifyOptions> {
  const api = await loadApi({
    swagger: '2.0',
    info: { title: 'ping', version: '1' },
    paths: {
      '/ping': {
        get: {
          'x-bind-server': 'pymacaron.ping.do_ping',
          parameters: [{ in: 'body', name: 'body', schema: { type: 'object' } }],
          responses: { '200': { description: 'Pong.', schema: { type: 'object' } } },
        },
      },
    },
  });
  return {
    api,
    compat: 'pymacaron',
    bodyLimit: 32,
    handlers: {
      'pymacaron.ping.do_ping': ({ body }) => {
        if (body === undefined) throw new NoPongError('No pong without a body');
        return { echo: body };
      },
    },
  };
}

async function serveAll(registrations: MacaronFastifyOptions[]): Promise<string> {
  const app = Fastify();
  onTestFinished(() => app.close());
  for (const options of registrations) await app.register(macaronFastify, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

// A reply as compared between the two orders (the error id is new for each reply). Over a raw
// socket: fetch sends no body with a GET.
async function answer(url: string, path: string, headers: string[] = [], body?: unknown) {
  const sent = body === undefined ? undefined : JSON.stringify(body);
  const json = sent === undefined ? [] : ['Content-Type: application/json'];
  const reply = await rawRequest(
    url,
    httpRequest('GET', path, { headers: [...headers, ...json], body: sent }),
  );
  const parsed = JSON.parse(reply.text) as Record<string, unknown>;
  if (parsed.error_id !== undefined) parsed.error_id = 'an error id';
  return [reply.status, parsed];
}

describe('a spec that declares GET /ping or /version beside another spec', () => {
  it('runs its decorators and security handlers, whatever the order', async () => {
    const answers: Record<string, unknown[]> = {};
    for (const order of ['guarded first', 'guarded second']) {
      const reported: (string | undefined)[] = [];
      const registrations = [await guarded(reported), await hello()];
      const url = await serveAll(
        order === 'guarded first' ? registrations : registrations.reverse(),
      );
      answers[order] = [
        await answer(url, '/ping'),
        await answer(url, '/ping', ['X-Admin: yes']),
        await answer(url, '/version'),
        await answer(url, '/version', ['X-Key: good']),
        reported,
      ];
    }
    expect(answers['guarded second']).toEqual(answers['guarded first']);
    expect(answers['guarded first']).toEqual([
      [403, { error: 'ADMIN_ONLY', error_description: 'Admins only', status: 403 }],
      [200, { pong: true }],
      [401, { error: 'KEY_REFUSED', error_description: 'Wrong key', status: 401 }],
      [200, { mine: true }],
      ['ADMIN_ONLY ping', 'KEY_REFUSED version'],
    ]);
  });

  it("reads its GET body within its own body limit and answers in its own spec's error format, whatever the order", async () => {
    const answers: Record<string, unknown[]> = {};
    for (const order of ['ping first', 'ping second']) {
      const registrations = [await pymacaronPing(), await hello()];
      const url = await serveAll(order === 'ping first' ? registrations : registrations.reverse());
      answers[order] = [
        await answer(url, '/ping'),
        await answer(url, '/ping', [], { a: 1 }),
        await answer(url, '/ping', [], { a: 'x'.repeat(40) }),
      ];
    }
    expect(answers['ping second']).toEqual(answers['ping first']);
    const description = 'The request body is larger than the server accepts';
    expect(answers['ping first']).toEqual([
      [
        409,
        {
          error: 'NO_PONG',
          error_description: 'No pong without a body',
          user_message: 'No pong without a body',
          status: 409,
          error_id: 'an error id',
        },
      ],
      [200, { echo: { a: 1 } }],
      [
        413,
        {
          error: 'REQUEST_TOO_LARGE',
          error_description: description,
          user_message: description,
          status: 413,
          error_id: 'an error id',
        },
      ],
    ]);
  });
});

describe('a spec that declares GET /ping in a scope of its own, beside another spec', () => {
  // The ping spec in a scope with hooks and decorations of the application's, with its own
  // HEAD /ping and error format; the application's root hook fails on a header.
  async function serve(order: 'ping first' | 'ping second'): Promise<string> {
    const app = Fastify();
    onTestFinished(() => app.close());
    app.addHook('onRequest', async (request) => {
      if (request.headers['x-fail'])
        throw Object.assign(new Error('too many'), { statusCode: 429 });
    });
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'ping', version: '1' },
      paths: {
        '/ping': {
          get: { operationId: 'ping', responses: { '200': object } },
          head: { operationId: 'pingHead', responses: { '204': { description: 'ok' } } },
        },
      },
    });
    const pingScope = async (scope: FastifyInstance) => {
      scope.decorate('db', 'the scope db');
      scope.addHook('onSend', async (_request, reply, payload) => {
        reply.header('x-scope', 'ping');
        return payload;
      });
      await scope.register(macaronFastify, {
        api,
        handlers: {
          ping: ({ request }) => ({
            db: (request.server as unknown as { db?: string }).db ?? null,
          }),
          pingHead: ({ reply }) => {
            reply.code(204);
          },
        },
        errorFormatter: (error) => ({ status: error.status, body: { PING: error.code } }),
      });
    };
    const helloScope = async (scope: FastifyInstance) => {
      await scope.register(macaronFastify, {
        ...(await hello()),
        errorFormatter: (error) => ({ status: error.status, body: { HELLO: error.code } }),
      });
    };
    for (const register of order === 'ping first'
      ? [pingScope, helloScope]
      : [helloScope, pingScope])
      await app.register(register as never);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    return `http://127.0.0.1:${port}`;
  }

  it("runs in its own scope whatever the order: the scope's hooks and decorations, its own HEAD, its error format", async () => {
    const seen: Record<string, unknown[]> = {};
    for (const order of ['ping first', 'ping second'] as const) {
      const url = await serve(order);
      const ping = await fetch(`${url}/ping`);
      const head = await fetch(`${url}/ping`, { method: 'HEAD' });
      const failed = await fetch(`${url}/ping`, { headers: { 'x-fail': '1' } });
      seen[order] = [
        ping.status,
        ping.headers.get('x-scope'),
        await ping.json(),
        head.status,
        failed.status,
        await failed.json(),
      ];
    }
    // The application's hook refuses with its status (README: Errors), in the ping spec's format.
    expect(seen['ping first']).toEqual([
      200,
      'ping',
      { db: 'the scope db' },
      204,
      429,
      { PING: 'BAD_REQUEST' },
    ]);
    expect(seen['ping second']).toEqual(seen['ping first']);
  });
});

describe('two later specs that both declare GET /ping', () => {
  it('fail at start-up with the one DUPLICATE_ROUTE error naming both, as without a default route', async () => {
    const pingSpec = async (title: string): Promise<MacaronFastifyOptions> => ({
      api: await loadApi({
        openapi: '3.0.3',
        info: { title, version: '1' },
        paths: { '/ping': { get: { operationId: 'ping', responses: { '200': object } } } },
      }),
      handlers: { ping: () => ({}) },
    });
    const app = Fastify();
    onTestFinished(() => app.close());
    app.register(macaronFastify, await hello());
    app.register(macaronFastify, await pingSpec('first'));
    app.register(macaronFastify, await pingSpec('second'));
    const failure = await app.ready().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as MacaronError).code).toBe('DUPLICATE_ROUTE');
    expect((failure as Error).message).toContain('declared by "first" 1 and by "second" 1');
  });
});
