import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { call, serve } from './serve.js';

// A `format: binary` parameter is read as a body's binary property is: base64 to bytes.
const binary = { type: 'string', format: 'binary' };
const spec = {
  openapi: '3.0.3',
  info: { title: 'binary parameters', version: '1' },
  paths: {
    '/digests/{digest}': {
      get: {
        operationId: 'digest',
        parameters: [
          { name: 'digest', in: 'path', required: true, schema: binary },
          { name: 'salt', in: 'query', schema: binary },
          { name: 'parts', in: 'query', schema: { type: 'array', items: binary } },
          { name: 'x-signature', in: 'header', schema: binary },
        ],
        responses: { '200': { description: 'ok' } },
      },
    },
  },
};

const hex = (value: unknown) =>
  value instanceof Uint8Array ? `bytes:${Buffer.from(value).toString('hex')}` : typeof value;

describe('format: binary parameters', () => {
  it('take base64 in the path, the query (one or a list) and a header, as bytes', async () => {
    const api = await loadApi(spec);
    const { url } = await serve({
      api,
      handlers: {
        digest: ({ params, query, headers }) => ({
          digest: hex(params.digest),
          salt: hex(query.salt),
          parts: (query.parts as unknown[] | undefined)?.map(hex),
          signature: hex(headers['x-signature']),
        }),
      },
      validateResponses: false,
    });
    const answer = await call(
      `${url}/digests/${encodeURIComponent('+/8=')}?salt=AAEC&parts=AA%3D%3D&parts=%2F%2Fg%3D`,
      { headers: { 'x-signature': '3q2+7w==' } },
    );
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({
      digest: 'bytes:fbff',
      salt: 'bytes:000102',
      parts: ['bytes:00', 'bytes:fff8'],
      signature: 'bytes:deadbeef',
    });
  });

  it('refuse text that is not base64 with 400 naming the parameter', async () => {
    const api = await loadApi(spec);
    const { url } = await serve({ api, handlers: { digest: () => ({}) } });
    for (const [path, pointer] of [
      ['/digests/AAEC?salt=not%20base64', '/query/salt'],
      ['/digests/A', '/path/digest'],
    ] as const) {
      const answer = await call(`${url}${path}`);
      expect(answer.status, path).toBe(400);
      expect(answer.json.error_description, path).toContain(pointer);
    }
  });
});
