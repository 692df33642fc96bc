import { connect } from 'node:net';
import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { macaronServerOptions } from '../src/index.js';
import { serve } from './serve.js';

// HTTP/1.1 answers pipelined requests in order (RFC 9112 §9.3.2): a client reads the first
// response on the connection as the answer to its first request.
const item = { $ref: '#/components/schemas/Item' };
const spec = {
  openapi: '3.0.3',
  info: { title: 'pipelined', version: '1' },
  paths: {
    '/items': {
      post: {
        operationId: 'createItem',
        requestBody: { required: true, content: { 'application/json': { schema: item } } },
        responses: {
          '201': { description: 'created', content: { 'application/json': { schema: item } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Item: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'items', key: 'id' },
        properties: { id: { type: 'string' } },
      },
    },
  },
};

async function served(delay: number) {
  const api = await loadApi(spec, { backend: createMemoryBackend() });
  const items = api.persistent<{ id: string }>('Item');
  const { url } = await serve(
    {
      api,
      handlers: {
        async createItem({ body }) {
          await new Promise((resolve) => setTimeout(resolve, delay));
          return items.create(body as { id: string });
        },
      },
    },
    macaronServerOptions(),
  );
  return { url, items };
}

// Writes the bytes and reads all the server sends until it closes the connection.
function exchange(baseUrl: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no response within 10 s')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => (chunks.length > 0 ? undefined : reject(error)));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(bytes);
  });
}

const post = (body: string, length = Buffer.byteLength(body)) =>
  `POST /items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n${body}`;

describe('a request that is not HTTP after one that is', () => {
  it.each([0, 300])(
    'answers the request before it first, then 400, when it was stored (handler of %i ms)',
    async (delay) => {
      const { url, items } = await served(delay);
      const answer = await exchange(url, `${post('{"id":"first"}')}GARBAGE\r\n\r\n`);
      expect(await items.exists('first')).toBe(true);
      // The first answer is the created item, never a 400 that says nothing was done.
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 201 Created');
      expect(answer).toContain('{"id":"first"}');
      expect(answer.indexOf('{"id":"first"}')).toBeLessThan(
        answer.indexOf('HTTP/1.1 400 Bad Request'),
      );
      expect(answer).toContain('"error":"BAD_REQUEST"');
    },
  );

  it('answers a body longer than its Content-Length as the request it declares, then 400 for the rest', async () => {
    const { url, items } = await served(0);
    const body = '{"id":"second"}';
    const answer = await exchange(url, post(`${body}{"id":"third"}\r\n\r\n`, body.length));
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 201 Created');
    expect(answer).toContain('HTTP/1.1 400 Bad Request');
    expect([await items.exists('second'), await items.exists('third')]).toEqual([true, false]);
  });

  it('answers at once an error in the body of the request being read, which never ends', async () => {
    const { url } = await served(0);
    const chunked =
      'POST /items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const started = Date.now();
    const answer = await exchange(url, `${chunked}5\r\n{"id"\r\nZZ\r\n`);
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers a request read whole first when the body of the next one fails', async () => {
    const { url, items } = await served(200);
    const chunked =
      'POST /items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const answer = await exchange(url, `${post('{"id":"fourth"}')}${chunked}5\r\n{"id"\r\nZZ\r\n`);
    expect(await items.exists('fourth')).toBe(true);
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 201 Created');
    expect(answer).toContain('HTTP/1.1 400 Bad Request');
  });

  it('still answers a request that is not HTTP at once on a connection with none before it', async () => {
    const { url } = await served(0);
    const answer = await exchange(url, 'GARBAGE\r\n\r\n');
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(answer).toContain('"error":"BAD_REQUEST"');
  });
});
