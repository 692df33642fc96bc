// Found by an HTTP differential against a real PyMacaron 1.0.258 service (pymacaron-core
// 1.0.174, bravado-core 5.13.2, Flask 1.1.4) serving the same Swagger 2.0 spec: where the two
// answer differently and compat mode should answer as PyMacaron did.
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { OperationHandlers } from '../src/index.js';
import { httpRequest, rawRequest } from './raw-request.js';
import { call, serve } from './serve.js';

describe("compat: 'pymacaron' boolean headers", () => {
  const spec = {
    swagger: '2.0',
    info: { title: 'shop', version: '1' },
    paths: {
      '/items': {
        get: {
          'x-bind-server': 'shop.api.do_list_items',
          parameters: [
            { in: 'query', name: 'limit', type: 'integer' },
            { in: 'header', name: 'X-Active', type: 'boolean' },
            { in: 'header', name: 'X-Flags', type: 'array', items: { type: 'boolean' } },
          ],
          responses: { '200': { description: 'The headers.', schema: { type: 'object' } } },
        },
      },
    },
  };
  const handlers: OperationHandlers = { 'shop.api.do_list_items': ({ headers }) => headers };
  const get = (url: string, headers: string[]) =>
    rawRequest(url, httpRequest('GET', '/items?limit=1', { headers }));

  // bravado-core cast a header with the same string_to_boolean as a query parameter:
  // 'true'/'1' is True, 'false'/'0' is False, in any case. PyMacaron answered 200 to each.
  it('reads 1 and 0 as booleans in a header, as in the query', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers, compat: 'pymacaron' });
    const cases: [string[], unknown][] = [
      [['X-Active: 1'], { 'X-Active': true }],
      [['X-Active: 0'], { 'X-Active': false }],
      [['X-Active: True'], { 'X-Active': true }],
      [['X-Flags: 1,0'], { 'X-Flags': [true, false] }],
    ];
    for (const [headers, expected] of cases) {
      const response = await get(url, headers);
      expect([headers, response.status, JSON.parse(response.text)]).toEqual([
        headers,
        200,
        expected,
      ]);
    }
    const wrong = await get(url, ['X-Active: yes']);
    expect([wrong.status, JSON.parse(wrong.text).error]).toEqual([400, 'INVALID_PARAMETER']);
  });

  it('keeps refusing 1 and 0 in a header outside the mode', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers });
    const response = await get(url, ['X-Active: 1']);
    expect(response.status).toBe(400);
  });
});

describe("compat: 'pymacaron' empty path segments", () => {
  const spec = {
    swagger: '2.0',
    info: { title: 'things', version: '1' },
    paths: {
      '/things/{name}': {
        get: {
          'x-bind-server': 'things.api.do_get_thing',
          parameters: [{ in: 'path', name: 'name', type: 'string', required: true }],
          responses: { '200': { description: 'A thing.', schema: { type: 'object' } } },
        },
      },
      '/orders/{order_id}': {
        get: {
          'x-bind-server': 'things.api.do_get_order',
          parameters: [{ in: 'path', name: 'order_id', type: 'integer', required: true }],
          responses: { '200': { description: 'An order.', schema: { type: 'object' } } },
        },
      },
    },
  };
  const handlers: OperationHandlers = {
    'things.api.do_get_thing': ({ params }) => ({ name: params.name }),
    'things.api.do_get_order': ({ params }) => ({ order_id: params.order_id }),
  };

  // Flask's default converter matches one character or more: PyMacaron answered
  // `GET /things/` with its 404 and never called the handler. In the mode Macaron calls the
  // handler with name '' (a load of the key '' follows in a ported handler).
  it('answers a path whose parameter segment is empty 404 NOT_FOUND, as Flask did', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers, compat: 'pymacaron' });
    for (const path of ['/things/', '/orders/']) {
      const response = await call(`${url}${path}`);
      expect([path, response.status, response.json?.error]).toEqual([path, 404, 'NOT_FOUND']);
    }
    const found = await call(`${url}/things/a`);
    expect([found.status, found.json]).toEqual([200, { name: 'a' }]);
  });
});
