import { loadApi, SpecError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { httpRequest, rawRequest } from './raw-request.js';
import { call, serve } from './serve.js';

const whole = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'email'],
  properties: { name: { type: 'string' }, email: { type: 'string' } },
};
// RFC 7396: any subset, null deletes.
const mergePatch = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', nullable: true },
    email: { type: 'string', nullable: true },
  },
};
const anyObject = { type: 'object' };

async function patchServer(content: Record<string, { schema: unknown }>) {
  const api = await loadApi({
    openapi: '3.0.3',
    info: { title: 'media types', version: '1' },
    paths: {
      '/users/{id}': {
        patch: {
          operationId: 'patchUser',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content },
          responses: {
            '200': { description: 'ok', content: { 'application/json': { schema: {} } } },
          },
        },
      },
    },
  });
  const { url } = await serve({ api, handlers: { patchUser: ({ body }) => ({ got: body }) } });
  return (contentType: string, body: unknown) =>
    call(`${url}/users/1`, {
      method: 'PATCH',
      body,
      headers: { 'content-type': contentType },
    }).then(({ status, json }) => [status, json.got ?? json.error]);
}

describe('a request body declared in several JSON media types', () => {
  it('is read by the schema of the media type its Content-Type names, in either order', async () => {
    for (const content of [
      {
        'application/json': { schema: whole },
        'application/merge-patch+json': { schema: mergePatch },
      },
      {
        'application/merge-patch+json': { schema: mergePatch },
        'application/json': { schema: whole },
      },
    ]) {
      const patch = await patchServer(content);
      const order = Object.keys(content).join(' then ');
      expect([
        order,
        await patch('application/merge-patch+json', { name: 'Ann' }),
        await patch('application/merge-patch+json', { email: null }),
        await patch('application/merge-patch+json', { role: 'admin' }),
        await patch('application/json', { name: 'Ann' }),
        await patch('application/json', { name: 'Ann', email: 'a@b.c' }),
      ]).toEqual([
        order,
        [200, { name: 'Ann' }],
        [200, { email: null }],
        [400, 'INVALID_PARAMETER'],
        [400, 'INVALID_PARAMETER'],
        [200, { name: 'Ann', email: 'a@b.c' }],
      ]);
    }
  });

  it('compares media types in any case and without parameters, on both sides', async () => {
    const patch = await patchServer({
      'application/json; charset=utf-8': { schema: whole },
      'Application/Merge-Patch+JSON': { schema: mergePatch },
    });
    expect(await patch('application/MERGE-PATCH+json; charset=UTF-8', { name: 'Ann' })).toEqual([
      200,
      { name: 'Ann' },
    ]);
    expect(await patch('Application/Json;charset=utf-8', { name: 'Ann' })).toEqual([
      400,
      'INVALID_PARAMETER',
    ]);
  });

  it('takes the most precise range declared that covers it, else the first media type', async () => {
    const ranged = await patchServer({
      'application/json': { schema: whole },
      '*/*': { schema: { type: 'array' } },
      'application/*+json': { schema: mergePatch },
    });
    // application/*+json is more precise than */*, whatever the order.
    expect(await ranged('application/merge-patch+json', { name: 'Ann' })).toEqual([
      200,
      { name: 'Ann' },
    ]);
    expect(await ranged('application/json', { name: 'Ann' })).toEqual([400, 'INVALID_PARAMETER']);
  });
});

const unsupported = (received: string, accepted: string) => ({
  error: 'UNSUPPORTED_MEDIA_TYPE',
  error_description: `The request body's media type ${JSON.stringify(received)} is not one this operation accepts: ${accepted}`,
  status: 415,
});

describe('a request body in a media type the operation does not declare', () => {
  it('is refused with 415, naming the type sent and those declared, the handler never called', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'media types', version: '1' },
      paths: {
        '/users': {
          post: {
            operationId: 'addUser',
            requestBody: {
              required: true,
              content: {
                'application/json': { schema: whole },
                'application/merge-patch+json': { schema: anyObject },
                'text/plain': { schema: { type: 'string' } },
              },
            },
            responses: { '200': { description: 'ok', content: { 'application/json': {} } } },
          },
        },
        '/patch': {
          post: {
            operationId: 'patchOnly',
            requestBody: { content: { 'application/merge-patch+json': { schema: mergePatch } } },
            responses: { '200': { description: 'ok', content: { 'application/json': {} } } },
          },
        },
      },
    });
    let calls = 0;
    const handler = ({ body }: { body: unknown }) => {
      calls++;
      return { got: body };
    };
    const { url } = await serve({ api, handlers: { addUser: handler, patchOnly: handler } });
    const send = (path: string, contentType: string, body = '{"name":"Ann"}') =>
      rawRequest(
        url,
        httpRequest('POST', path, { headers: [`Content-Type: ${contentType}`], body }),
      ).then(({ status, headers, text }) => [status, headers['content-type'], JSON.parse(text)]);
    const json = 'application/json; charset=utf-8';
    const both = 'application/json, application/merge-patch+json';
    expect(await send('/users', 'application/vnd.other+json')).toEqual([
      415,
      json,
      unsupported('application/vnd.other+json', both),
    ]);
    // Refused before it is read: bytes that are no JSON are not what it is told.
    expect(await send('/users', 'application/vnd.other+json', '{not json')).toEqual([
      415,
      json,
      unsupported('application/vnd.other+json', both),
    ]);
    // One media type declared is no range: application/json is not a merge patch.
    expect(await send('/patch', 'application/json; charset=utf-8')).toEqual([
      415,
      json,
      unsupported('application/json; charset=utf-8', 'application/merge-patch+json'),
    ]);
    // What a client sends is echoed short and escaped.
    expect(await send('/patch', `application/${'x'.repeat(100)}+json`)).toEqual([
      415,
      json,
      unsupported(`application/${'x'.repeat(68)}…`, 'application/merge-patch+json'),
    ]);
    expect(calls).toBe(0);
    // A declared one is still read; one without bytes is no body to refuse.
    expect(await send('/patch', 'Application/Merge-Patch+JSON')).toEqual([
      200,
      json,
      { got: { name: 'Ann' } },
    ]);
    expect(await send('/patch', 'application/json', '')).toEqual([200, json, {}]);
  });

  it('is refused in the body of a GET or a HEAD, and where Swagger 2.0 consumes other types', async () => {
    const body = [{ name: 'body', in: 'body', schema: { type: 'object' } }];
    const ok = { '200': { description: 'ok', schema: { type: 'object' } } };
    const api = await loadApi({
      swagger: '2.0',
      info: { title: 'consumes', version: '1' },
      consumes: ['application/merge-patch+json'],
      paths: {
        '/global': { post: { operationId: 'global', parameters: body, responses: ok } },
        '/own': {
          post: {
            operationId: 'own',
            consumes: ['application/json', 'application/xml'],
            parameters: body,
            responses: ok,
          },
        },
        '/search': { get: { operationId: 'search', parameters: body, responses: ok } },
      },
    });
    const handler = ({ body }: { body: unknown }) => ({ got: body ?? null });
    const { url } = await serve({
      api,
      handlers: { global: handler, own: handler, search: handler },
    });
    const send = (method: string, path: string, contentType: string) =>
      rawRequest(
        url,
        httpRequest(method, path, { headers: [`Content-Type: ${contentType}`], body: '{"a":1}' }),
      ).then(({ status, text }) => [status, text === '' ? '' : JSON.parse(text)]);
    expect([
      await send('POST', '/global', 'application/json'),
      await send('POST', '/global', 'application/merge-patch+json'),
      // The operation's consumes replaces the document's; only its JSON types are read.
      await send('POST', '/own', 'application/merge-patch+json'),
      await send('POST', '/own', 'application/json'),
      await send('GET', '/search', 'application/vnd.other+json'),
      await send('GET', '/search', 'application/merge-patch+json'),
      await send('HEAD', '/search', 'application/vnd.other+json'),
    ]).toEqual([
      [415, unsupported('application/json', 'application/merge-patch+json')],
      [200, { got: { a: 1 } }],
      [415, unsupported('application/merge-patch+json', 'application/json')],
      [200, { got: { a: 1 } }],
      [415, unsupported('application/vnd.other+json', 'application/merge-patch+json')],
      [200, { got: { a: 1 } }],
      [415, ''],
    ]);
  });

  it("is read by the first media type declared with compat: 'pymacaron', as PyMacaron read any body", async () => {
    const api = await loadApi({
      swagger: '2.0',
      info: { title: 'consumes', version: '1' },
      consumes: ['application/json'],
      paths: {
        '/users': {
          post: {
            operationId: 'addUser',
            parameters: [{ name: 'body', in: 'body', schema: whole }],
            responses: { '200': { description: 'ok', schema: { type: 'object' } } },
          },
        },
      },
    });
    const { url } = await serve({
      api,
      compat: 'pymacaron',
      handlers: { addUser: ({ body }) => ({ got: body }) },
    });
    const send = (headers: string[], body: string) =>
      rawRequest(url, httpRequest('POST', '/users', { headers, body })).then(({ status, text }) => [
        status,
        JSON.parse(text).got ?? JSON.parse(text).error,
      ]);
    const ann = '{"name":"Ann","email":"a@b.c"}';
    expect([
      await send(['Content-Type: application/vnd.other+json'], ann),
      await send(['Content-Type: application/vnd.other+json'], '{"name":"Ann"}'),
      await send([], ann),
      await send(['Content-Type: text/plain'], ann),
    ]).toEqual([
      [200, { name: 'Ann', email: 'a@b.c' }],
      [400, 'INVALID_PARAMETER'],
      [200, { name: 'Ann', email: 'a@b.c' }],
      [415, 'UNSUPPORTED_MEDIA_TYPE'],
    ]);
  });
});

describe('a request body media type read as JSON that gives an itemSchema (OpenAPI 3.2)', () => {
  it('fails registration rather than read the body unchecked, naming the media type', async () => {
    const api = await loadApi({
      openapi: '3.2.0',
      info: { title: 'media types', version: '1' },
      paths: {
        '/counts': {
          post: {
            operationId: 'addCounts',
            requestBody: {
              required: true,
              content: { 'application/json': { itemSchema: { type: 'integer', maximum: 5 } } },
            },
            responses: { '204': { description: 'ok' } },
          },
        },
      },
    });
    let called = 0;
    const served = await serve({ api, handlers: { addCounts: () => void called++ } }).then(
      async ({ url }) => {
        const reply = await call(`${url}/counts`, { method: 'POST', body: ['x', 9] });
        return `served: ["x", 9] answered ${reply.status}, the handler called ${called} time(s)`;
      },
      (thrown: unknown) => thrown,
    );
    expect(served).toBeInstanceOf(SpecError);
    expect((served as SpecError).problems).toEqual([
      {
        pointer: '/paths/~1counts/post/requestBody/content/application~1json',
        message: expect.stringContaining('itemSchema'),
      },
    ]);
  });
});
