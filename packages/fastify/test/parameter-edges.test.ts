import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { OperationContext } from '../src/index.js';
import { httpRequest, rawRequest } from './raw-request.js';
import { call, serve } from './serve.js';

const integer = { type: 'integer' };
const range = { type: 'object', properties: { gte: integer, lt: integer } };
const ops: Record<string, Record<string, unknown>[]> = {
  '/deep': [{ name: 'created', in: 'query', style: 'deepObject', explode: true, schema: range }],
  '/matrix/{color}': [
    { name: 'color', in: 'path', required: true, style: 'matrix', schema: range },
  ],
  '/headers': [{ name: 'X-Range', in: 'header', explode: true, schema: range }],
  '/cookies': [
    { name: 'n', in: 'cookie', schema: integer },
    { name: 's', in: 'cookie', schema: { type: 'string' } },
  ],
  '/defaults': [
    { name: 'limit', in: 'query', required: true, schema: { type: 'integer', default: 7 } },
  ],
};
const id = (path: string) => path.replace(/\W/g, '') || 'root';
const api = await loadApi({
  openapi: '3.0.3',
  info: { title: 'k', version: '1' },
  paths: Object.fromEntries(
    Object.entries(ops).map(([path, parameters]) => [
      path,
      {
        get: {
          operationId: id(path),
          parameters,
          responses: {
            '200': {
              description: 'ok',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
    ]),
  ),
});
const echo = ({ params, query, headers, cookies }: OperationContext) => ({
  params,
  query,
  headers,
  cookies,
});
const served = async () =>
  (await serve({ api, handlers: Object.fromEntries(Object.keys(ops).map((p) => [id(p), echo])) }))
    .url;

describe('parameter edges the suite did not pin', () => {
  it('deepObject takes names one level deep only: created[gte][x] is not a property', async () => {
    const url = await served();
    const response = await call(`${url}/deep?created[gte][x]=5`);
    expect(response.status).toBe(200);
    expect(response.json.query).toEqual({});
  });
  it('a non-exploded matrix object given twice is a 400 style problem', async () => {
    const url = await served();
    const response = await call(`${url}/matrix/;color=gte,1;color=lt,2`);
    expect(response.status).toBe(400);
    expect(response.json.problems[0]).toMatchObject({ pointer: '/path/color', keyword: 'style' });
  });
  it('an exploded simple object item without a name (=5) is a style problem', async () => {
    const url = await served();
    const response = await call(`${url}/headers`, { headers: { 'X-Range': 'gte=1,=5' } });
    expect(response.status).toBe(400);
    expect(response.json.problems[0]).toMatchObject({
      pointer: '/header/X-Range',
      keyword: 'style',
    });
  });
  it('a cookie sent twice is read from its first occurrence', async () => {
    const url = await served();
    const response = await call(`${url}/cookies`, { headers: { cookie: 'n=1; n=2' } });
    expect(response.status).toBe(200);
    expect(response.json.cookies).toEqual({ n: 1 });
  });
  it('a cookie is read as UTF-8, as a browser sends it, whether its bytes are raw or %-escaped', async () => {
    const url = await served();
    const cookie = async (bytes: string) => {
      // Node.js gives each byte of a header as one character: Latin-1.
      const request = Buffer.from(
        httpRequest('GET', '/cookies', { headers: [`Cookie: ${bytes}`] }),
        'latin1',
      );
      const response = await rawRequest(url, request);
      return [response.status, JSON.parse(response.text).cookies];
    };
    expect(await cookie('s=caf%C3%A9')).toEqual([200, { s: 'café' }]);
    expect(await cookie('s=caf\xc3\xa9; n=1')).toEqual([200, { s: 'café', n: 1 }]);
    expect(await cookie('s=\xe2\x82\xac\xf0\x9f\x8d\xaa')).toEqual([200, { s: '€🍪' }]);
    // Bytes that are not UTF-8 are each their Latin-1 character, as Node.js reads them.
    expect(await cookie('s=caf\xe9')).toEqual([200, { s: 'café' }]);
    expect(await cookie('other=\xff; s=caf\xc3\xa9')).toEqual([200, { s: 'café' }]);
  });
  it('a required parameter with a default that is not sent takes its default', async () => {
    const url = await served();
    const response = await call(`${url}/defaults`);
    expect(response.status).toBe(200);
    expect(response.json.query).toEqual({ limit: 7 });
  });
});
