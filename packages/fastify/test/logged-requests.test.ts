import { Writable } from 'node:stream';
import { loadApi } from '@macaron/core';
import type { FastifyRequest, FastifyServerOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { MacaronFastifyOptions } from '../src/index.js';
import { call, serve } from './serve.js';

// An API key sent in the query (an `apiKey` scheme `in: query`) is hidden in every log line of
// the requests the plugin serves, as in what its error hooks get: fastify's own `incoming
// request` line writes the URL as sent.
const secret = 'SECRET-KEY-4242';
const ok = { '200': { description: 'ok', content: { 'application/json': { schema: {} } } } };

async function logged(
  serverOptions: (stream: Writable) => FastifyServerOptions,
  pluginOptions: Partial<MacaronFastifyOptions> = {},
) {
  const api = await loadApi({
    openapi: '3.0.3',
    info: { title: 'logged keys', version: '1' },
    components: { securitySchemes: { key: { type: 'apiKey', in: 'query', name: 'api key' } } },
    paths: {
      '/search': { get: { operationId: 'search', security: [{ key: [] }], responses: ok } },
    },
  });
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line !== '') lines.push(JSON.parse(line) as Record<string, any>);
      done();
    },
  });
  const { url } = await serve(
    {
      api,
      handlers: {
        search: ({ request }) => {
          request.log.info({ req: request }, 'from the handler');
          return {};
        },
      },
      securityHandlers: { key: () => undefined },
      ...pluginOptions,
    },
    serverOptions(stream),
  );
  return { url, lines };
}

describe("an API key of the query in fastify's request log", () => {
  it("is written *** in the incoming request line of the plugin's routes and 404s, and in a { req } a handler logs", async () => {
    const { url, lines } = await logged((stream) => ({ logger: { stream } }));
    expect((await call(`${url}/search?api+key=${secret}&color=red`)).status).toBe(200);
    expect((await call(`${url}/nothing?api%20key=${secret}`)).status).toBe(404);
    expect(JSON.stringify(lines)).not.toContain(secret);
    const requests = lines.filter((line) => line.req !== undefined);
    expect(requests.map((line) => [line.msg, line.req.url])).toEqual([
      ['incoming request', '/search?api+key=***&color=red'],
      ['from the handler', '/search?api+key=***&color=red'],
      ['incoming request', '/nothing?api%20key=***'],
    ]);
    // The rest of fastify's own line is as it was.
    expect(Object.keys(requests[0]!.req).sort()).toEqual(
      ['host', 'method', 'remoteAddress', 'remotePort', 'url'].sort(),
    );
  });

  it("keeps the application's own req serializer, its register-level logSerializers too, given the URL hidden", async () => {
    const { url, lines } = await logged((stream) => ({
      logger: {
        stream,
        serializers: {
          req: (request: FastifyRequest) => ({
            how: 'app',
            line: `${request.method} ${request.url} ${request.raw.url}`,
          }),
        },
      },
    }));
    await call(`${url}/search?api+key=${secret}`);
    const incoming = lines.find((line) => line.msg === 'incoming request');
    expect(incoming?.req).toEqual({
      how: 'app',
      line: 'GET /search?api+key=*** /search?api+key=***',
    });
    expect(JSON.stringify(lines)).not.toContain(secret);

    // Fastify's register option, passed through by serve() to app.register.
    const registered = await logged((stream) => ({ logger: { stream } }), {
      logSerializers: { req: (request: { url: string }) => ({ registered: request.url }) },
    } as Partial<MacaronFastifyOptions>);
    await call(`${registered.url}/search?api+key=${secret}`);
    expect(registered.lines.find((line) => line.msg === 'incoming request')?.req).toEqual({
      registered: '/search?api+key=***',
    });
  });

  it("hides them in the query a req serializer reads (as pino's stdSerializers.req writes it), the handler's query as sent", async () => {
    let seen: unknown;
    const { url, lines } = await logged(
      (stream) => ({
        logger: {
          stream,
          // pino's stdSerializers.req writes `url` (from `originalUrl`) and `query`, parsed.
          serializers: {
            req: (request: FastifyRequest) => ({
              url: request.originalUrl,
              query: request.query,
              raw: (request.raw as unknown as { query?: unknown }).query,
            }),
          },
        },
      }),
      {
        handlers: {
          search: ({ request }) => {
            seen = request.query;
            request.log.info({ req: request }, 'from the handler');
            return {};
          },
        },
      },
    );
    expect((await call(`${url}/search?api+key=${secret}&color=red`)).status).toBe(200);
    expect(JSON.stringify(lines)).not.toContain(secret);
    expect(lines.filter((line) => line.req !== undefined).map((line) => line.req)).toEqual([
      { url: '/search?api+key=***&color=red', query: { 'api key': '***', color: 'red' } },
      { url: '/search?api+key=***&color=red', query: { 'api key': '***', color: 'red' } },
    ]);
    // The request itself is untouched: its handler reads the key as sent.
    expect(seen).toEqual({ 'api key': secret, color: 'red' });
  });
});
