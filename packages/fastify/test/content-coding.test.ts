import type { AddressInfo } from 'node:net';
import { Transform } from 'node:stream';
import { createGunzip, deflateSync, gzipSync } from 'node:zlib';
import { loadApi } from '@macaron/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { macaronFastify, type OperationHandlers } from '../src/index.js';
import { httpRequest, rawRequest } from './raw-request.js';
import { call, serve } from './serve.js';

// A request body in a content coding (RFC 9110 §8.4) is refused with 415 (§15.5.16), the
// reply saying `Accept-Encoding: identity`; an application that decodes bodies in a
// preParsing hook (as @fastify/compress does) is served as before.
const spec = {
  openapi: '3.1.0',
  info: { title: 'codings', version: '1' },
  paths: {
    '/notes': {
      post: {
        operationId: 'createNote',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { type: 'object', properties: { text: { type: 'string' } } },
            },
          },
        },
        responses: { '200': { description: 'ok', content: { 'application/json': {} } } },
      },
      get: {
        operationId: 'listNotes',
        responses: { '200': { description: 'ok', content: { 'application/json': {} } } },
      },
    },
  },
};
const handlers: OperationHandlers = {
  createNote: ({ body }) => body,
  listNotes: () => [],
};
const note = JSON.stringify({ text: 'hello' });

function post(url: string, body: string | Uint8Array, encoding?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (encoding !== undefined) headers['content-encoding'] = encoding;
  return fetch(`${url}/notes`, { method: 'POST', headers, body });
}

async function listen(app: FastifyInstance): Promise<string> {
  onTestFinished(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

describe('request content codings', () => {
  it('refuses a compressed body with 415 UNSUPPORTED_MEDIA_TYPE and Accept-Encoding: identity', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers });
    for (const [encoding, body] of [
      ['gzip', gzipSync(note)],
      ['GZIP', gzipSync(note)],
      ['br', note],
      ['deflate, identity', note],
    ] as const) {
      const response = await post(url, body, encoding);
      expect(response.status).toBe(415);
      expect(response.headers.get('accept-encoding')).toBe('identity');
      const json = await response.json();
      expect(json).toEqual({
        error: 'UNSUPPORTED_MEDIA_TYPE',
        error_description: `The request body must be sent uncompressed: Content-Encoding ${encoding
          .replace(', identity', '')
          .toLowerCase()} is not supported`,
        status: 415,
      });
    }
  });

  it('says Accept-Encoding only for a content coding, not for a media type refused', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers });
    const response = await fetch(`${url}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: note,
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: string }).error).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(response.headers.get('accept-encoding')).toBeNull();
  });

  it('reads a body in identity, and a GET whatever its Content-Encoding', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers });
    for (const encoding of [undefined, 'identity', 'Identity', '']) {
      const response = await post(url, note, encoding);
      expect([encoding, response.status, await response.json()]).toEqual([
        encoding,
        200,
        { text: 'hello' },
      ]);
    }
    const list = await call(`${url}/notes`, { headers: { 'content-encoding': 'gzip' } });
    expect([list.status, list.json]).toEqual([200, []]);
  });

  it('reads a body a preParsing hook of the application decoded, within the body limit', async () => {
    const app = Fastify({ bodyLimit: 1024 });
    // What @fastify/compress does: a decoding stream, which counts the bytes received.
    app.addHook('preParsing', async (request, _reply, payload) => {
      if (request.headers['content-encoding'] !== 'gzip') return payload;
      const gunzip = createGunzip();
      const counted = Object.assign(gunzip, { receivedEncodedLength: 0 });
      payload
        .pipe(
          new Transform({
            transform(chunk: Buffer, _encoding, done) {
              counted.receivedEncodedLength += chunk.length;
              done(null, chunk);
            },
          }),
        )
        .pipe(gunzip);
      return counted;
    });
    await app.register(macaronFastify, { api: await loadApi(spec), handlers });
    const url = await listen(app);
    const decoded = await post(url, gzipSync(note), 'gzip');
    expect([decoded.status, await decoded.json()]).toEqual([200, { text: 'hello' }]);
    // A small body that decodes beyond the limit (a zip bomb) is refused by its decoded size.
    const bomb = gzipSync(JSON.stringify({ text: 'a'.repeat(1_000_000) }));
    expect(bomb.length).toBeLessThan(1024);
    const refused = await post(url, bomb, 'gzip');
    expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([
      413,
      'REQUEST_TOO_LARGE',
    ]);
  });

  it('still refuses a gzip body with 415 when an application hook only wrapped the stream', async () => {
    const app = Fastify();
    // A hook that counts bytes and decodes nothing.
    app.addHook('preParsing', async (_request, _reply, payload) =>
      payload.pipe(new Transform({ transform: (chunk, _encoding, done) => done(null, chunk) })),
    );
    await app.register(macaronFastify, { api: await loadApi(spec), handlers });
    const url = await listen(app);
    const refused = await post(url, gzipSync(note), 'gzip');
    expect([refused.status, ((await refused.json()) as { error: string }).error]).toEqual([
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
    const plain = await post(url, Buffer.from(note), undefined);
    expect(plain.status).toBe(200);
  });

  it('still refuses a body in a transfer coding other than chunked with 501 when an application hook only wrapped the stream', async () => {
    const app = Fastify();
    // A hook that counts bytes and decodes nothing: the bytes of `gzip, chunked` are still gzip.
    app.addHook('preParsing', async (_request, _reply, payload) =>
      payload.pipe(new Transform({ transform: (chunk, _encoding, done) => done(null, chunk) })),
    );
    await app.register(macaronFastify, { api: await loadApi(spec), handlers });
    const url = await listen(app);
    for (const [coding, body] of [
      ['gzip, chunked', gzipSync(note)],
      ['deflate, chunked', deflateSync(note)],
      ['x-custom, chunked', Buffer.from('{"text":')],
    ] as const) {
      const refused = await rawRequest(
        url,
        Buffer.concat([
          Buffer.from(
            httpRequest('POST', '/notes', {
              headers: ['Content-Type: application/json', `Transfer-Encoding: ${coding}`],
            }),
          ),
          Buffer.from(`${body.length.toString(16)}\r\n`),
          body,
          Buffer.from('\r\n0\r\n\r\n'),
        ]),
      );
      expect([
        coding,
        refused.status,
        (JSON.parse(refused.text) as { error: string }).error,
      ]).toEqual([coding, 501, 'NOT_IMPLEMENTED']);
    }
    const plain = await post(url, Buffer.from(note), undefined);
    expect(plain.status).toBe(200);
  });

  it('refuses a body in a transfer coding other than chunked with 501 NOT_IMPLEMENTED, never reading its bytes as JSON', async () => {
    // Node.js decodes chunked alone: the bytes of `gzip, chunked` are still gzip (RFC 9112 §6.1).
    const seen: unknown[] = [];
    const { url } = await serve({
      api: await loadApi(spec),
      handlers: { ...handlers, createNote: ({ body }) => seen.push(body) && body },
    });
    const chunked = (body: string | Buffer, coding: string) =>
      Buffer.concat([
        Buffer.from(
          httpRequest('POST', '/notes', {
            headers: ['Content-Type: application/json', `Transfer-Encoding: ${coding}`],
          }),
        ),
        Buffer.from(`${Buffer.byteLength(body).toString(16)}\r\n`),
        Buffer.from(body),
        Buffer.from('\r\n0\r\n\r\n'),
      ]);
    for (const [coding, body] of [
      ['gzip, chunked', gzipSync(note)],
      ['GZIP, chunked', gzipSync(note)],
      ['x-custom, chunked', note],
      ['deflate,chunked', note],
    ] as const) {
      const response = await rawRequest(url, chunked(body, coding));
      expect([coding, response.status, JSON.parse(response.text)]).toEqual([
        coding,
        501,
        {
          error: 'NOT_IMPLEMENTED',
          error_description: `The request body must be sent chunked or with a Content-Length: Transfer-Encoding ${coding
            .split(',')[0]!
            .toLowerCase()} is not supported`,
          status: 501,
        },
      ]);
    }
    expect(seen).toEqual([]);
    for (const coding of ['chunked', 'Chunked']) {
      const response = await rawRequest(url, chunked(note, coding));
      expect([coding, response.status, JSON.parse(response.text)]).toEqual([
        coding,
        200,
        { text: 'hello' },
      ]);
    }
  });

  it('holds a chunked body behind a hook that only wrapped the stream to the body limit and the content-coding check', async () => {
    const app = Fastify({ bodyLimit: 1024 });
    app.addHook('preParsing', async (_request, _reply, payload) =>
      payload.pipe(new Transform({ transform: (chunk, _encoding, done) => done(null, chunk) })),
    );
    await app.register(macaronFastify, { api: await loadApi(spec), handlers });
    const url = await listen(app);
    const chunked = (body: Buffer, headers: string[] = []) =>
      rawRequest(
        url,
        Buffer.concat([
          Buffer.from(
            httpRequest('POST', '/notes', {
              headers: ['Content-Type: application/json', 'Transfer-Encoding: chunked', ...headers],
            }),
          ),
          Buffer.from(`${body.length.toString(16)}\r\n`),
          body,
          Buffer.from('\r\n0\r\n\r\n'),
        ]),
      );
    const within = await chunked(Buffer.from(note));
    expect([within.status, JSON.parse(within.text)]).toEqual([200, { text: 'hello' }]);
    const beyond = await chunked(Buffer.from(JSON.stringify({ text: 'a'.repeat(2000) })));
    expect([beyond.status, (JSON.parse(beyond.text) as { error: string }).error]).toEqual([
      413,
      'REQUEST_TOO_LARGE',
    ]);
    const coded = await chunked(gzipSync(note), ['Content-Encoding: gzip']);
    expect([coded.status, (JSON.parse(coded.text) as { error: string }).error]).toEqual([
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ]);
  });
});
