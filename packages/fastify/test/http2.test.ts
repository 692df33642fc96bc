import { connect, type IncomingHttpHeaders } from 'node:http2';
import { loadApi } from '@macaron/core';
import Fastify from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { macaronFastify, macaronServerOptions, type OperationHandlers } from '../src/index.js';

// Fastify serves HTTP/2 (`http2: true`, cleartext h2c here): a request body comes in DATA
// frames, with or without a `content-length` (RFC 9113 §8.1.1: it is optional), never chunked.
const spec = {
  swagger: '2.0',
  info: { title: 'h2', version: '1' },
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
    '/items': {
      post: {
        operationId: 'create',
        consumes: ['application/json'],
        parameters: [
          { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/Query' } },
        ],
        responses: { '200': { description: 'ok', schema: { type: 'object' } } },
      },
    },
    '/notes': {
      post: {
        operationId: 'note',
        parameters: [{ name: 'body', in: 'body', schema: { $ref: '#/definitions/Query' } }],
        responses: { '200': { description: 'ok', schema: { type: 'object' } } },
      },
    },
  },
  definitions: {
    Query: { type: 'object', required: ['q'], properties: { q: { type: 'string' } } },
  },
};

const handlers: OperationHandlers = {
  search: ({ body }) => ({ got: body ?? 'nothing' }),
  maybe: ({ body }) => ({ got: body ?? 'nothing' }),
  create: ({ body }) => ({ got: body }),
  note: ({ body }) => ({ got: body ?? 'nothing' }),
};

async function serveH2(bodyLimit?: number, compat?: 'pymacaron') {
  const app = Fastify({ ...macaronServerOptions(), http2: true });
  onTestFinished(() => app.close());
  await app.register(macaronFastify, {
    api: await loadApi(spec),
    handlers,
    ...(bodyLimit ? { bodyLimit } : {}),
    ...(compat ? { compat } : {}),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

/** One HTTP/2 request; the body, if any, is sent as DATA frames after the headers. */
function h2(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; json: any }> {
  return new Promise((resolve, reject) => {
    const session = connect(base);
    session.on('error', reject);
    const stream = session.request(
      { ':method': method, ':path': path, ...headers },
      { endStream: body === undefined },
    );
    let text = '';
    let head: IncomingHttpHeaders = {};
    stream.setEncoding('utf8');
    stream.on('response', (received) => {
      head = received;
    });
    stream.on('data', (chunk: string) => {
      text += chunk;
    });
    stream.on('end', () => {
      session.close();
      resolve({ status: Number(head[':status']), headers: head, json: JSON.parse(text) });
    });
    stream.on('error', (error) => {
      session.close();
      reject(error);
    });
    if (body !== undefined) stream.end(body);
  });
}

/** A request without a body whose stream the client ends with trailers. */
function h2WithTrailers(base: string, method: string, path: string) {
  return new Promise<{ status: number; json: any }>((resolve, reject) => {
    const session = connect(base);
    session.on('error', reject);
    const stream = session.request({ ':method': method, ':path': path }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'x-trailer': '1' }));
    let text = '';
    let status = 0;
    stream.setEncoding('utf8');
    stream.on('response', (received) => {
      status = Number(received[':status']);
    });
    stream.on('data', (chunk: string) => {
      text += chunk;
    });
    stream.on('end', () => {
      session.close();
      resolve({ status, json: JSON.parse(text) });
    });
    stream.on('error', (error) => {
      session.close();
      reject(error);
    });
    stream.end();
  });
}

const json = { 'content-type': 'application/json' };
const query = JSON.stringify({ q: 'macaron' });

describe('HTTP/2', () => {
  it('reads the body of a GET sent without a content-length, as with one', async () => {
    const base = await serveH2();
    // Without a body: the required one is missing.
    const missing = await h2(base, 'GET', '/search', json);
    expect(missing).toMatchObject({ status: 400, json: { error: 'INVALID_PARAMETER' } });
    const withLength = await h2(
      base,
      'GET',
      '/search',
      { ...json, 'content-length': String(query.length) },
      query,
    );
    expect(withLength).toMatchObject({ status: 200, json: { got: { q: 'macaron' } } });
    const withoutLength = await h2(base, 'GET', '/search', json, query);
    expect(withoutLength).toMatchObject({ status: 200, json: { got: { q: 'macaron' } } });
    // An optional body is not dropped either.
    const optional = await h2(base, 'GET', '/maybe', json, query);
    expect(optional).toMatchObject({ status: 200, json: { got: { q: 'macaron' } } });
    const none = await h2(base, 'GET', '/maybe');
    expect(none).toMatchObject({ status: 200, json: { got: 'nothing' } });
  });

  it('refuses a GET body beyond the body limit, or not JSON, without a content-length', async () => {
    const base = await serveH2(20);
    const large = await h2(base, 'GET', '/search', json, JSON.stringify({ q: 'x'.repeat(100) }));
    expect(large).toMatchObject({ status: 413, json: { error: 'REQUEST_TOO_LARGE', status: 413 } });
    const text = await h2(base, 'GET', '/search', { 'content-type': 'text/plain' }, 'hello');
    expect(text).toMatchObject({ status: 415, json: { error: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('names an undeclared media type alike with or without a content-length', async () => {
    const base = await serveH2();
    const headers = { 'content-type': 'text/plain' };
    const withLength = await h2(
      base,
      'POST',
      '/items',
      { ...headers, 'content-length': '5' },
      'hello',
    );
    const withoutLength = await h2(base, 'POST', '/items', headers, 'hello');
    expect(withLength.status).toBe(415);
    expect(withoutLength).toEqual({ ...withoutLength, status: 415, json: withLength.json });
    expect(withLength.json.error_description).toContain('"text/plain"');
  });

  it('sends no connection header, which HTTP/2 forbids, in an error reply', async () => {
    const base = await serveH2(20);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    onTestFinished(() => {
      process.off('warning', onWarning);
    });
    const body = JSON.stringify({ q: 'x'.repeat(100) });
    const answer = await h2(
      base,
      'POST',
      '/nowhere',
      { ...json, 'content-length': String(body.length) },
      body,
    );
    expect(answer).toMatchObject({ status: 404, json: { error: 'NOT_FOUND' } });
    expect(answer.headers.connection).toBeUndefined();
    // Nor when a body does not parse, which fastify answers with one over HTTP/1.1.
    const invalid = await h2(base, 'POST', '/items', json, '{not json');
    expect(invalid).toMatchObject({ status: 400, json: { error: 'INVALID_PARAMETER' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.map(({ message }) => message)).toEqual([]);
  });

  it('refuses a body without a Content-Type nor a content-length, as over HTTP/1.1', async () => {
    const base = await serveH2();
    // Over HTTP/1.1 such a body (with its length) is a 415: never dropped, the handler run
    // without it.
    const optional = await h2(base, 'POST', '/notes', {}, query);
    expect(optional).toMatchObject({ status: 415, json: { error: 'UNSUPPORTED_MEDIA_TYPE' } });
    const required = await h2(base, 'POST', '/items', {}, query);
    expect(required).toMatchObject({ status: 415, json: { error: 'UNSUPPORTED_MEDIA_TYPE' } });
    const none = await h2(base, 'POST', '/notes');
    expect(none).toMatchObject({ status: 200, json: { got: 'nothing' } });
  });

  it('takes a stream ended by an empty DATA frame or by trailers for no body, as over HTTP/1.1', async () => {
    // Node's own client sends a POST's end (`request.end()`) as an empty DATA frame: no body,
    // as `Content-Length: 0` over HTTP/1.1, in compat or not.
    for (const compat of [undefined, 'pymacaron'] as const) {
      const base = await serveH2(undefined, compat);
      const empty = await h2(base, 'POST', '/notes', {}, '');
      expect(empty).toMatchObject({ status: 200, json: { got: 'nothing' } });
      const trailers = await h2WithTrailers(base, 'POST', '/notes');
      expect(trailers).toMatchObject({ status: 200, json: { got: 'nothing' } });
    }
  });

  it('takes an empty stream for no body where the media type would be refused: a GET body without a Content-Type or of an undeclared one', async () => {
    // Over HTTP/1.1 neither carries a body (no length): the media type is never looked at.
    const base = await serveH2();
    for (const [method, path, headers] of [
      ['GET', '/maybe', {}],
      ['GET', '/maybe', { 'content-type': 'text/plain' }],
    ] as const) {
      const empty = await h2(base, method, path, headers, '');
      expect(empty, `${method} ${path}`).toMatchObject({ status: 200, json: { got: 'nothing' } });
      // A byte of it is refused as before.
      expect((await h2(base, method, path, headers, 'x')).status, `${method} ${path}`).toBe(415);
    }
  });

  it('reads such a body as JSON in compat, as PyMacaron read any body', async () => {
    const base = await serveH2(undefined, 'pymacaron');
    const optional = await h2(base, 'POST', '/notes', {}, query);
    expect(optional).toMatchObject({ status: 200, json: { got: { q: 'macaron' } } });
    const required = await h2(base, 'POST', '/items', {}, query);
    expect(required).toMatchObject({ status: 200, json: { got: { q: 'macaron' } } });
    const invalid = await h2(base, 'POST', '/items', {}, '{not json');
    expect(invalid).toMatchObject({ status: 400, json: { error: 'INVALID_PARAMETER' } });
    // A cross-site request carries cookies and no Authorization: not read (415), as over HTTP/1.1.
    const cookied = await h2(base, 'POST', '/notes', { cookie: 'token=x' }, query);
    expect(cookied).toMatchObject({ status: 415, json: { error: 'UNSUPPORTED_MEDIA_TYPE' } });
  });
});
