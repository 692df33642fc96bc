import { Readable } from 'node:stream';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { MacaronFastifyOptions } from '../src/index.js';
import { call, serve } from './serve.js';

const ok = { '200': { description: 'ok', content: { 'application/json': { schema: {} } } } };

async function hangingServer(extra: Partial<MacaronFastifyOptions> = {}) {
  const api = await loadApi({
    openapi: '3.0.3',
    info: { title: 'timeouts', version: '1' },
    paths: {
      '/guarded': { get: { operationId: 'guarded', security: [{ apiKey: [] }], responses: ok } },
      '/slow': { get: { operationId: 'slow', responses: ok } },
      '/mimic': { get: { operationId: 'mimic', responses: ok } },
    },
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
    },
  });
  const causes: unknown[] = [];
  const never = () => new Promise<never>(() => undefined);
  const { url } = await serve(
    {
      api,
      handlers: {
        guarded: () => ({}),
        slow: never,
        // An error of the application that carries fastify's code is not the timeout.
        mimic: () => {
          throw Object.assign(new Error('upstream'), {
            code: 'FST_ERR_HANDLER_TIMEOUT',
            statusCode: 503,
          });
        },
      },
      securityHandlers: { apiKey: never },
      onError: (error) => {
        causes.push(error.cause);
      },
      ...extra,
    },
    // Fastify's own bound on the whole route, its hooks included.
    { handlerTimeout: 300 },
  );
  return { url, causes };
}

describe("a security handler or a handler that never settles, under fastify's handlerTimeout", () => {
  it('is answered 503 HANDLER_TIMEOUT in the error JSON, not a 500 of the application', async () => {
    const { url, causes } = await hangingServer();
    for (const path of ['/guarded', '/slow']) {
      const started = Date.now();
      const reply = await call(`${url}${path}`);
      expect([path, reply.status, reply.json]).toEqual([
        path,
        503,
        {
          error: 'HANDLER_TIMEOUT',
          error_description: 'The server did not answer in time',
          status: 503,
        },
      ]);
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    expect(causes.map((cause) => (cause as { code?: unknown }).code)).toEqual([
      'FST_ERR_HANDLER_TIMEOUT',
      'FST_ERR_HANDLER_TIMEOUT',
    ]);
    const mimic = await call(`${url}/mimic`);
    expect([mimic.status, mimic.json.error]).toEqual([500, 'SERVER_ERROR']);
  });

  it("is in PyMacaron's error JSON with compat: 'pymacaron'", async () => {
    const { url } = await hangingServer({ compat: 'pymacaron' });
    const reply = await call(`${url}/guarded`);
    expect([reply.status, reply.json.error, reply.json.user_message]).toEqual([
      503,
      'HANDLER_TIMEOUT',
      'The server did not answer in time',
    ]);
  });
});

describe("fastify's handlerTimeout firing while a body streams", () => {
  it('cuts the response, and onError hears of the timeout once (HANDLER_TIMEOUT), not of a server error without a cause', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'timeouts', version: '1' },
      paths: {
        '/stream': {
          get: {
            operationId: 'stream',
            responses: {
              '200': {
                description: 'bytes',
                content: {
                  'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
                },
              },
            },
          },
        },
      },
    });
    const reported: unknown[] = [];
    const { url } = await serve(
      {
        api,
        handlers: {
          stream: ({ reply }) =>
            reply.type('application/octet-stream').send(
              Readable.from(
                (async function* () {
                  yield Buffer.from('a');
                  await new Promise((resolve) => setTimeout(resolve, 1_000));
                  yield Buffer.from('b');
                })(),
              ),
            ),
        },
        onError: (error) => {
          reported.push([error.code, (error.cause as { code?: unknown } | undefined)?.code]);
        },
      },
      { handlerTimeout: 200, logger: false },
    );
    const body = await fetch(`${url}/stream`)
      .then((response) => response.text())
      .catch((error: unknown) => error);
    expect(body).toBeInstanceOf(Error);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(reported).toEqual([['HANDLER_TIMEOUT', 'FST_ERR_HANDLER_TIMEOUT']]);
  });
});

describe('a handler that writes the raw response itself without hijacking the reply', () => {
  it('has its response cut, not left open, and onError told once, whether it then throws or returns', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'raw writes', version: '1' },
      paths: {
        '/throws': { get: { operationId: 'throws', responses: ok } },
        '/returns': { get: { operationId: 'returns', responses: ok } },
      },
    });
    const reported: unknown[] = [];
    const writeHead = (reply: { raw: import('node:http').ServerResponse }) => {
      reply.raw.writeHead(200, { 'content-type': 'text/plain' });
      reply.raw.write('partial');
    };
    const { url } = await serve(
      {
        api,
        handlers: {
          throws: ({ reply }) => {
            writeHead(reply);
            throw new Error('after the headers');
          },
          returns: ({ reply }) => {
            writeHead(reply);
            return { a: 1 };
          },
        },
        onError: (error) => {
          reported.push(error.code);
        },
      },
      { logger: false },
    );
    for (const path of ['/throws', '/returns']) {
      const body = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) })
        .then((response) => response.text())
        .catch((error: unknown) => error);
      expect(body, path).toBeInstanceOf(Error);
      // Cut, not left open: an open response would end in the 5 s abort (a TimeoutError), a
      // difference no clock on a loaded host has to tell.
      expect((body as Error).name, path).not.toBe('TimeoutError');
    }
    expect(reported).toEqual(['SERVER_ERROR', 'SERVER_ERROR']);
  });
});

describe('a handler, decorator or security handler that fails after the 503 of handlerTimeout', () => {
  it('is reported to onError as late (after the HANDLER_TIMEOUT), never left to fastify alone', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'late failures', version: '1' },
      paths: {
        '/late': { get: { operationId: 'late', responses: ok } },
        '/decorated': {
          get: { operationId: 'decorated', 'x-decorate-server': 'slowly', responses: ok },
        },
        '/guarded': { get: { operationId: 'guarded', security: [{ key: [] }], responses: ok } },
      },
      components: { securitySchemes: { key: { type: 'apiKey', in: 'header', name: 'X-Key' } } },
    });
    const fail = (message: string) =>
      new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error(message)), 400));
    const reported: [string, string, boolean | undefined, unknown][] = [];
    const { url } = await serve(
      {
        api,
        handlers: { late: () => fail('handler'), decorated: () => ({}), guarded: () => ({}) },
        decorators: { slowly: () => fail('decorator') },
        securityHandlers: { key: () => fail('security handler') },
        onError: (error, info) => {
          reported.push([
            info.url,
            error.code,
            info.late,
            (error.cause as Error | undefined)?.message,
          ]);
        },
      },
      { handlerTimeout: 200 },
    );
    for (const path of ['/late', '/decorated', '/guarded']) {
      const reply = await call(`${url}${path}`);
      expect([path, reply.status, reply.json.error]).toEqual([path, 503, 'HANDLER_TIMEOUT']);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const timedOut = "Request timed out after 200 ms on route '";
    // Each request's 503 first, then its late failure (the order across requests is the timers').
    for (const [path, late] of [
      ['/late', 'handler'],
      ['/decorated', 'decorator'],
      ['/guarded', 'security handler'],
    ] as const) {
      expect(reported.filter(([url]) => url === path)).toEqual([
        [path, 'HANDLER_TIMEOUT', undefined, `${timedOut}${path}'`],
        [path, 'SERVER_ERROR', true, late],
      ]);
    }
  });
});
