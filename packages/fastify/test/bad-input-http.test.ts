import { connect } from 'node:net';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { macaronServerOptions, type OperationHandlers } from '../src/index.js';
import { httpRequest, type RawResponse, rawRequest } from './raw-request.js';
import { serve } from './serve.js';

// The bad-input catalogue of the HTTP layer (docs/reliability.md): each row is a request a
// client may send, answered with PyMacaron's error JSON, an upper-case code and at most a
// short, escaped excerpt of the request.
const spec = {
  openapi: '3.1.0',
  info: { title: 'bad input', version: '1' },
  paths: {
    '/profiles/{profile_id}': {
      get: {
        operationId: 'getProfile',
        parameters: [
          { name: 'profile_id', in: 'path', required: true, schema: { type: 'string' } },
        ],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: {} } } },
        },
      },
    },
    '/profiles': {
      get: {
        operationId: 'listProfiles',
        parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', maximum: 10 } }],
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: {} } } },
        },
      },
      post: {
        operationId: 'createProfile',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: { name: { type: 'string' } },
              },
            },
          },
        },
        responses: {
          '200': { description: 'ok', content: { 'application/json': { schema: {} } } },
        },
      },
    },
  },
};

const handlers: OperationHandlers = {
  getProfile: ({ params }) => params,
  listProfiles: ({ query }) => query,
  createProfile: ({ body }) => body,
};

// A long run of one letter: a reply that echoes more than an excerpt of it shows it whole.
const long = 'q'.repeat(5000);
const excerptLimit = 81; // 80 characters, then "…"
const json = 'Content-Type: application/json';

interface Row {
  /** What the client sends. */
  name: string;
  request: string;
  status: number;
  code: string;
}

const rows: Row[] = [
  {
    name: 'a malformed %-escape in a path parameter',
    request: httpRequest('GET', `/profiles/%E0%A4%A${long}`),
    status: 400,
    code: 'BAD_URL',
  },
  {
    name: 'a path parameter beyond maxParamLength (2048)',
    request: httpRequest('GET', `/profiles/${long}`),
    status: 414,
    code: 'URI_TOO_LONG',
  },
  {
    name: 'an unknown route',
    request: httpRequest('GET', `/nowhere/${long}`),
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'an unknown route with escape sequences and separators, percent-encoded',
    request: httpRequest('GET', `/%1B%5B31m%E2%80%A8%0D%0A${long}`),
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'a known path with a method the spec does not declare',
    request: httpRequest('DELETE', '/profiles'),
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  {
    name: 'a body in another content type',
    request: httpRequest('POST', '/profiles', {
      headers: ['Content-Type: text/plain'],
      body: long,
    }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a body in a content coding (Content-Encoding: gzip)',
    request: httpRequest('POST', '/profiles', {
      headers: [json, 'Content-Encoding: gzip'],
      body: JSON.stringify({ name: 'ann' }),
    }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a body beyond the body limit (1 KiB here)',
    request: httpRequest('POST', '/profiles', {
      headers: [json],
      body: JSON.stringify({ name: long }),
    }),
    status: 413,
    code: 'REQUEST_TOO_LARGE',
  },
  {
    name: 'malformed JSON',
    request: httpRequest('POST', '/profiles', {
      headers: [json],
      body: `{"name": "${long.slice(0, 500)}`,
    }),
    status: 400,
    code: 'INVALID_PARAMETER',
  },
  {
    name: 'an empty JSON body',
    request: httpRequest('POST', '/profiles', { headers: [json], body: '' }),
    status: 400,
    code: 'INVALID_PARAMETER',
  },
  {
    name: 'a __proto__ key where the schema allows no other property',
    request: httpRequest('POST', '/profiles', { headers: [json], body: '{"__proto__": {"x": 1}}' }),
    status: 400,
    code: 'INVALID_PARAMETER',
  },
  {
    name: 'a long unknown key where the schema allows no other property',
    request: httpRequest('POST', '/profiles', {
      headers: [json],
      body: JSON.stringify({ [long.slice(0, 900)]: 1 }),
    }),
    status: 400,
    code: 'INVALID_PARAMETER',
  },
  {
    name: 'many unknown keys where the schema allows no other property',
    request: httpRequest('POST', '/profiles', {
      headers: [json],
      body: JSON.stringify(Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`k${i}`, i]))),
    }),
    status: 400,
    code: 'INVALID_PARAMETER',
  },
  {
    name: 'a query parameter that does not parse',
    request: httpRequest('GET', `/profiles?limit=${long}`),
    status: 400,
    code: 'INVALID_PARAMETER',
  },
  {
    name: 'a control character in the request line',
    request: httpRequest('GET', `/profiles/\u001b[31m${long}`),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'headers beyond the HTTP parser limit (16 KiB)',
    request: httpRequest('GET', '/profiles', { headers: [`X-Long: ${long.repeat(4)}`] }),
    status: 431,
    code: 'HEADERS_TOO_LARGE',
  },
  {
    name: 'an Expect header the server cannot meet (Node.js answers it before any route)',
    request: httpRequest('GET', '/profiles', { headers: ['Expect: 999-nope'] }),
    status: 417,
    code: 'EXPECTATION_FAILED',
  },
  // Node.js keeps the first line of these and drops the others: each is refused, never read
  // as whichever came first (RFC 9112 §3.2 for Host).
  {
    name: 'two Host lines',
    request: httpRequest('GET', '/profiles', { headers: ['host: 127.0.0.2'] }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'two Content-Type lines',
    request: httpRequest('POST', '/profiles', {
      headers: [json, 'Content-Type: text/plain'],
      body: '{"name":"a"}',
    }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'two Authorization lines',
    request: httpRequest('GET', '/profiles/a', {
      headers: ['Authorization: Bearer a', 'AUTHORIZATION: Bearer b'],
    }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'text that is not HTTP',
    request: `${long}\r\n\r\n`,
    status: 400,
    code: 'BAD_REQUEST',
  },
];

function expectErrorReply(response: RawResponse, row: Row): void {
  expect(response.status).toBe(row.status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(response.text);
  expect(body).toMatchObject({ error: row.code, status: row.status });
  expect(body.error).toMatch(/^[A-Z][A-Z0-9_]*$/);
  expect(typeof body.error_description).toBe('string');
  for (const key of Object.keys(body))
    expect(['error', 'error_description', 'user_message', 'status', 'problems']).toContain(key);
  expect(body.problems?.length ?? 0).toBeLessThanOrEqual(20);
  // At most an excerpt of what the client sent, and no control character from it.
  expect(response.text).not.toContain(long.slice(0, excerptLimit));
  expect(response.text.length).toBeLessThan(4000);
  expect(JSON.stringify(body)).not.toMatch(/\\u001b|\\r|\\n|\u2028/);
}

describe('bad input over HTTP', () => {
  it.each(rows)('$name: $status $code', async (row) => {
    const { url } = await serve(
      { api: await loadApi(spec), handlers, bodyLimit: 1024 },
      macaronServerOptions(),
    );
    expectErrorReply(await rawRequest(url, row.request), row);
  });

  it('serves path parameters up to 2048 characters: emails, URLs, tokens', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers }, macaronServerOptions());
    const ids = [
      'x'.repeat(150),
      `${'a'.repeat(120)}@example.com`,
      encodeURIComponent(`https://example.com/${'p/'.repeat(100)}?q=1`),
      'q'.repeat(2048),
    ];
    for (const id of ids) {
      const response = await rawRequest(url, httpRequest('GET', `/profiles/${id}`));
      expect([id.length, response.status]).toEqual([id.length, 200]);
      expect(JSON.parse(response.text)).toEqual({ profile_id: decodeURIComponent(id) });
    }
    const tooLong = await rawRequest(url, httpRequest('GET', `/profiles/${'q'.repeat(2049)}`));
    expect(tooLong.status).toBe(414);
    // Another limit, by the options.
    const short = await serve(
      { api: await loadApi(spec), handlers },
      macaronServerOptions({ maxParamLength: 10 }),
    );
    const refused = await rawRequest(short.url, httpRequest('GET', `/profiles/${'q'.repeat(11)}`));
    expect(refused.status).toBe(414);
    expect(() => macaronServerOptions({ maxParamLength: 0 })).toThrow(TypeError);
    // A misspelt hook would serve with the default (P-110).
    expect(() => macaronServerOptions({ errorFormater: () => ({}) } as never)).toThrow(
      'macaronServerOptions has no option "errorFormater"',
    );
  });

  it('quotes the URL of an unknown route as a short, escaped excerpt', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers }, macaronServerOptions());
    const response = await rawRequest(url, httpRequest('GET', `/nowhere/${long}`));
    const { error_description: description } = JSON.parse(response.text);
    expect(description).toBe(`No operation matches GET /nowhere/${long.slice(0, 67)}…`);
  });

  it('answers a path or method the spec does not serve 404 or 405 whatever its body, never reading it', async () => {
    const bodies: { name: string; headers: string[]; body: string }[] = [
      { name: 'malformed JSON', headers: [json], body: '{' },
      {
        name: 'a body beyond the body limit',
        headers: [json],
        body: JSON.stringify({ name: long }),
      },
      { name: 'a compressed body', headers: [json, 'Content-Encoding: gzip'], body: '{}' },
      {
        name: 'a charset other than UTF-8',
        headers: ['Content-Type: application/json; charset=latin1'],
        body: '{}',
      },
      { name: 'text/plain', headers: ['Content-Type: text/plain'], body: 'hi' },
      { name: 'no Content-Type', headers: [], body: '{' },
    ];
    for (const compat of [undefined, 'pymacaron'] as const) {
      let reached = 0;
      const counted = Object.fromEntries(
        Object.entries(handlers).map(([name, handler]) => [
          name,
          (context: never) => {
            reached++;
            return (handler as (context: never) => unknown)(context);
          },
        ]),
      );
      const { url } = await serve(
        { api: await loadApi(spec), handlers: counted, bodyLimit: 1024, compat },
        macaronServerOptions({ compat }),
      );
      for (const { name, headers, body } of bodies) {
        const missing = await rawRequest(url, httpRequest('POST', '/nowhere', { headers, body }));
        expect([compat, name, missing.status, JSON.parse(missing.text).error]).toEqual([
          compat,
          name,
          404,
          'NOT_FOUND',
        ]);
        const wrongMethod = await rawRequest(
          url,
          httpRequest('PUT', '/profiles', { headers, body }),
        );
        expect([compat, name, wrongMethod.status, JSON.parse(wrongMethod.text).error]).toEqual([
          compat,
          name,
          405,
          'METHOD_NOT_ALLOWED',
        ]);
        expect(wrongMethod.headers.allow).toBe('GET, HEAD, POST');
      }
      // A chunked body, of no length told beforehand.
      const chunked = await rawRequest(
        url,
        'POST /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n0\r\n\r\n',
      );
      expect([compat, chunked.status]).toEqual([compat, 404]);
      expect(reached).toBe(0);
    }
  });

  it('answers a path or method the spec does not serve 404 or 405 when the request declares a body it does not send, or is a QUERY without one', async () => {
    // A Content-Type makes fastify run its body parser (and the parser's checks) even on no
    // body at all: `Content-Length: 0`, or no length; a QUERY without a Content-Type is refused
    // by fastify before any handler.
    const empties: { name: string; method: string; headers: string[] }[] = [
      { name: 'text/plain, no body', method: 'PATCH', headers: ['Content-Type: text/plain'] },
      {
        name: 'text/plain, Content-Length: 0',
        method: 'DELETE',
        headers: ['Content-Type: text/plain', 'Content-Length: 0'],
      },
      {
        name: 'compressed, Content-Length: 0',
        method: 'PUT',
        headers: [json, 'Content-Encoding: gzip', 'Content-Length: 0'],
      },
      { name: 'a QUERY without a body', method: 'QUERY', headers: [] },
    ];
    for (const compat of [undefined, 'pymacaron'] as const) {
      const { url } = await serve(
        { api: await loadApi(spec), handlers, compat },
        macaronServerOptions({ compat }),
      );
      for (const { name, method, headers } of empties) {
        const request = (path: string) =>
          `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers.map((line) => `${line}\r\n`).join('')}\r\n`;
        const missing = await rawRequest(url, request('/nowhere'));
        expect([compat, name, missing.status, JSON.parse(missing.text).error]).toEqual([
          compat,
          name,
          404,
          'NOT_FOUND',
        ]);
        const wrongMethod = await rawRequest(url, request('/profiles'));
        expect([compat, name, wrongMethod.status, JSON.parse(wrongMethod.text).error]).toEqual([
          compat,
          name,
          405,
          'METHOD_NOT_ALLOWED',
        ]);
      }
    }
  });

  it("reads no more of an unserved request's body than a route would: one beyond the body limit, or of no told length, ends the connection after the 404 or 405", async () => {
    const { url } = await serve(
      { api: await loadApi(spec), handlers, bodyLimit: 1024 },
      macaronServerOptions(),
    );
    const { hostname, port } = new URL(url);
    // Sends the head, then the body for as long as the server reads it (up to 5 s).
    const endless = (head: string, chunk: Buffer) =>
      new Promise<{ closedByServer: boolean; response: string }>((resolve) => {
        const socket = connect({ host: hostname, port: Number(port) });
        let response = '';
        let closedByServer = false;
        socket.on('data', (data) => {
          response += data.toString();
        });
        socket.on('error', () => undefined);
        socket.on('close', () => {
          closedByServer = true;
        });
        socket.write(head);
        const writing = setInterval(() => {
          if (socket.writable) socket.write(chunk);
        }, 2);
        const stop = () => {
          clearInterval(writing);
          clearInterval(watching);
          clearTimeout(timeout);
          socket.destroy();
          resolve({ closedByServer, response });
        };
        const watching = setInterval(() => closedByServer && stop(), 10);
        const timeout = setTimeout(stop, 5000);
      });
    const bodies = [
      { head: 'Content-Length: 1000000000', chunk: Buffer.alloc(16 * 1024, 32) },
      {
        head: 'Transfer-Encoding: chunked',
        chunk: Buffer.concat([
          Buffer.from('4000\r\n'),
          Buffer.alloc(16 * 1024, 32),
          Buffer.from('\r\n'),
        ]),
      },
    ];
    for (const { head, chunk } of bodies)
      for (const [method, path, status] of [
        ['POST', '/nowhere', 404],
        ['PUT', '/profiles', 405],
      ] as const) {
        const { closedByServer, response } = await endless(
          `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${json}\r\n${head}\r\n\r\n`,
          chunk,
        );
        expect([head, method, response.split('\r\n')[0], closedByServer]).toEqual([
          head,
          method,
          `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Method Not Allowed'}`,
          true,
        ]);
      }
  });

  it('refuses a header parameter Node.js keeps one line of (If-Modified-Since, User-Agent) sent twice, never reading the first alone', async () => {
    const headerSpec = {
      openapi: '3.1.0',
      info: { title: 'header parameters', version: '1' },
      paths: {
        '/h': {
          get: {
            operationId: 'readHeaders',
            parameters: ['If-Modified-Since', 'user-agent', 'X-Token'].map((name) => ({
              name,
              in: 'header',
              schema: { type: 'string' },
            })),
            responses: {
              '200': { description: 'ok', content: { 'application/json': { schema: {} } } },
            },
          },
        },
      },
    };
    const { url } = await serve(
      { api: await loadApi(headerSpec), handlers: { readHeaders: ({ headers }) => headers } },
      macaronServerOptions(),
    );
    for (const [lines, shown] of [
      [['If-Modified-Since: a', 'if-modified-since: b'], 'If-Modified-Since'],
      [['User-Agent: a', 'USER-AGENT: b'], 'User-Agent'],
    ] as const) {
      const response = await rawRequest(url, httpRequest('GET', '/h', { headers: [...lines] }));
      expect(response.status, shown).toBe(400);
      expect(JSON.parse(response.text)).toMatchObject({
        error: 'BAD_REQUEST',
        error_description: `The request sends the ${shown} header more than once`,
      });
    }
    // Once each, they are read; a field Node.js joins is read joined, as before.
    const response = await rawRequest(
      url,
      httpRequest('GET', '/h', {
        headers: ['If-Modified-Since: a', 'User-Agent: u', 'X-Token: 1', 'X-Token: 2'],
      }),
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({
      'If-Modified-Since': 'a',
      'user-agent': 'u',
      'X-Token': '1, 2',
    });
    // An operation that declares none of them keeps reading requests that repeat them.
    const other = await serve({ api: await loadApi(spec), handlers }, macaronServerOptions());
    const ignored = await rawRequest(
      other.url,
      httpRequest('GET', '/profiles', { headers: ['User-Agent: a', 'User-Agent: b'] }),
    );
    expect(ignored.status).toBe(200);
  });

  it('reads Host, Content-Type and Authorization sent once, and other fields of their lengths sent twice', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers }, macaronServerOptions());
    const response = await rawRequest(
      url,
      httpRequest('POST', '/profiles', {
        headers: [
          'content-TYPE: application/json',
          'authorization: Bearer a',
          'Date: Tue, 01 Dec 2026 00:00:00 GMT',
          'Date: Wed, 02 Dec 2026 00:00:00 GMT',
          'Cache-Control: no-cache',
          'Cache-Control: no-store',
        ],
        body: '{"name":"a"}',
      }),
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ name: 'a' });
  });

  it('formats errors raised before routing with the errorFormatter given to the options', async () => {
    const { url } = await serve(
      { api: await loadApi(spec), handlers },
      macaronServerOptions({
        errorFormatter: (error) => ({ status: error.status, body: { code: error.code } }),
      }),
    );
    const response = await rawRequest(url, httpRequest('GET', '/profiles/%E0%A4%A'));
    expect([response.status, JSON.parse(response.text)]).toEqual([400, { code: 'BAD_URL' }]);
  });
});
