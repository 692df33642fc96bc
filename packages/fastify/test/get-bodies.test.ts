import { createGunzip, gzipSync } from 'node:zlib';
import { loadApi } from '@macaron/core';
import Fastify from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { macaronFastify } from '../src/index.js';
import { httpRequest, rawRequest } from './raw-request.js';
import { serve } from './serve.js';

// PyMacaron's Flask read the body of a GET, and pymacaron-core's own tests send one: Swagger
// 2.0 takes a body parameter on a GET, OpenAPI 3.0 a requestBody. Fastify reads none.
const spec = {
  swagger: '2.0',
  info: { title: 'search', version: '1' },
  paths: {
    '/search': {
      get: {
        operationId: 'search',
        parameters: [
          { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/Query' } },
        ],
        responses: { '200': { description: 'ok', schema: { type: 'object' } } },
      },
    },
    '/maybe': {
      get: {
        operationId: 'maybe',
        parameters: [{ name: 'body', in: 'body', schema: { $ref: '#/definitions/Query' } }],
        responses: { '200': { description: 'ok', schema: { type: 'object' } } },
      },
    },
    '/plain': {
      get: {
        operationId: 'plain',
        responses: { '200': { description: 'ok', schema: { type: 'object' } } },
      },
    },
  },
  definitions: {
    Query: {
      type: 'object',
      required: ['q'],
      properties: { q: { type: 'string' }, limit: { type: 'integer', format: 'int64' } },
    },
  },
};

async function served(compat?: 'pymacaron', bodyLimit?: number) {
  const seen: unknown[] = [];
  const received = (request: { body: unknown }) => {
    const body = request.body;
    seen.push(body);
    return { received: body === undefined ? 'nothing' : 'a body' };
  };
  const { url } = await serve({
    api: await loadApi(spec),
    handlers: { search: received, maybe: received, plain: received },
    ...(compat ? { compat } : {}),
    ...(bodyLimit ? { bodyLimit } : {}),
  });
  const get = (path: string, body: string | undefined, headers: string[] = []) =>
    rawRequest(url, httpRequest('GET', path, { headers, ...(body === undefined ? {} : { body }) }));
  return { get, seen, url };
}

const json = ['Content-Type: application/json'];

// A GET /search whose body is sent as bytes, declared gzip-encoded.
function gzipGet(url: string, body: Buffer) {
  const head = [
    'GET /search HTTP/1.1',
    'Host: 127.0.0.1',
    'Connection: close',
    ...json,
    'Content-Encoding: gzip',
    `Content-Length: ${body.length}`,
  ];
  return rawRequest(url, Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), body]));
}

describe('a GET operation that declares a body', () => {
  it('reads it as the body of any other method: a model object, exact integers', async () => {
    const { get, seen } = await served();
    const found = await get('/search', '{"q":"shoes","limit":9007199254740993}', json);
    expect([found.status, JSON.parse(found.text)]).toEqual([200, { received: 'a body' }]);
    expect(seen).toEqual([{ q: 'shoes', limit: 9007199254740993n }]);
    const optional = await get('/maybe', '{"q":"hats"}', [
      'Content-Type: Application/Merge-Patch+JSON ; charset=utf-8',
    ]);
    expect(optional.status).toBe(200);
    expect(seen[1]).toEqual({ q: 'hats' });
  });

  it('a body left out is no body: required, a 400; optional, none', async () => {
    const { get, seen } = await served();
    const missing = await get('/search', undefined);
    expect([missing.status, JSON.parse(missing.text).error]).toEqual([400, 'INVALID_PARAMETER']);
    expect(JSON.parse(missing.text).error_description).toContain('/body is required');
    const none = await get('/maybe', undefined);
    expect([none.status, JSON.parse(none.text)]).toEqual([200, { received: 'nothing' }]);
    const empty = await get('/maybe', '', json);
    expect([empty.status, JSON.parse(empty.text)]).toEqual([200, { received: 'nothing' }]);
    expect(seen).toEqual([undefined, undefined]);
  });

  it('refuses what it refuses on a POST: not JSON, another media type, compressed, too large, invalid', async () => {
    const { get, seen } = await served(undefined, 64);
    const cases: [string, string | undefined, string[], number, string][] = [
      ['not JSON', '{"q":', json, 400, 'INVALID_PARAMETER'],
      ['text/plain', '{"q":"a"}', ['Content-Type: text/plain'], 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['no Content-Type', '{"q":"a"}', [], 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['too large', JSON.stringify({ q: 'a'.repeat(100) }), json, 413, 'REQUEST_TOO_LARGE'],
      ['invalid', '{"q":1}', json, 400, 'INVALID_PARAMETER'],
    ];
    for (const [name, body, headers, status, error] of cases) {
      const answer = await get('/search', body, headers);
      expect([name, answer.status, JSON.parse(answer.text).error]).toEqual([name, status, error]);
    }
    const { url } = await served();
    const compressed = await gzipGet(url, gzipSync('{"q":"a"}'));
    expect(compressed.status).toBe(415);
    expect(seen).toEqual([]);
  });

  it("with compat: 'pymacaron', reads a body sent without a Content-Type as JSON, as PyMacaron did", async () => {
    const { get, seen } = await served('pymacaron');
    const found = await get('/search', '{"q":"shoes"}');
    expect([found.status, JSON.parse(found.text)]).toEqual([200, { received: 'a body' }]);
    expect(seen).toEqual([{ q: 'shoes' }]);
  });

  it('reads a chunked body within the limit, and an OpenAPI 3 requestBody on a GET', async () => {
    const chunked = (body: string) =>
      [
        'GET /search HTTP/1.1',
        'Host: 127.0.0.1',
        'Connection: close',
        ...json,
        'Transfer-Encoding: chunked',
        '',
        `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`,
      ].join('\r\n');
    const { url, seen } = await served(undefined, 64);
    const found = await rawRequest(url, chunked('{"q":"socks"}'));
    expect(found.status).toBe(200);
    expect(seen).toEqual([{ q: 'socks' }]);
    const large = await rawRequest(url, chunked(JSON.stringify({ q: 'a'.repeat(100) })));
    expect([large.status, JSON.parse(large.text).error]).toEqual([413, 'REQUEST_TOO_LARGE']);
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'search', version: '1' },
      paths: {
        '/search': {
          get: {
            operationId: 'search',
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Query' } } },
            },
            responses: { '200': { description: 'ok' } },
          },
        },
      },
      components: { schemas: { Query: spec.definitions.Query } },
    });
    const openapi = await serve({
      api,
      handlers: { search: (request) => ({ q: (request.body as { q: string }).q }) },
    });
    const answer = await rawRequest(
      openapi.url,
      httpRequest('GET', '/search', { headers: json, body: '{"q":"boots"}' }),
    );
    expect([answer.status, JSON.parse(answer.text)]).toEqual([200, { q: 'boots' }]);
  });

  it("a body whose stream fails (a decoder meeting bad bytes) is the request's fault: 400, as on a POST", async () => {
    const app = Fastify();
    // What @fastify/compress does: a decoding stream in place of the request's.
    app.addHook('preParsing', async (request, _reply, payload) =>
      request.headers['content-encoding'] === 'gzip' ? payload.pipe(createGunzip()) : payload,
    );
    const reported: number[] = [];
    await app.register(macaronFastify, {
      api: await loadApi(spec),
      handlers: { search: () => ({}), maybe: () => ({}), plain: () => ({}) },
      onError: (error) => {
        reported.push(error.status);
      },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    onTestFinished(() => app.close());
    const { port } = app.server.address() as { port: number };
    const url = `http://127.0.0.1:${port}`;
    const answer = await gzipGet(url, Buffer.from('not gzip at all'));
    expect([answer.status, JSON.parse(answer.text).error]).toEqual([400, 'BAD_REQUEST']);
    expect(reported).toEqual([400]);
    // Over the limit, then bytes the decoder fails on after the answer: no uncaught error.
    const large = gzipSync(JSON.stringify({ q: 'a'.repeat(2_000_000) }));
    const tail = Buffer.concat([
      large.subarray(0, large.length - 8),
      Buffer.from('GARBAGE!GARBAGE!'),
    ]);
    const refused = await gzipGet(url, tail);
    expect(refused.status).toBe(413);
    const after = await rawRequest(
      url,
      httpRequest('GET', '/search', { headers: json, body: '{"q":"a"}' }),
    );
    expect(after.status).toBe(200);
  });

  it('a GET that declares no body reads none, as before', async () => {
    const { get, seen } = await served();
    const answer = await get('/plain', '{"q":"shoes"}', json);
    expect(answer.status).toBe(200);
    expect(seen).toEqual([undefined]);
  });
});
