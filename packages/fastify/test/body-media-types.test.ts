import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
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
    // No range covers it more precisely than the first media type: read by the first, as before.
    const unranged = await patchServer({
      'application/json': { schema: whole },
      'application/merge-patch+json': { schema: anyObject },
    });
    expect(await unranged('application/vnd.other+json', { name: 'Ann' })).toEqual([
      400,
      'INVALID_PARAMETER',
    ]);
  });
});
