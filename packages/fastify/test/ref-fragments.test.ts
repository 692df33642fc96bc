import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { call, serve } from './serve.js';

// A `$ref`'s fragment read as @macaron/core and the bundler read it: split into tokens, then
// each token percent-decoded (`%2F` is a `/` within its token); a bare `%` read as written.
describe("a $ref's fragment with percent-encoding", () => {
  it.each([
    ['100%', '#/components/parameters/100%'],
    ['a/b', '#/components/parameters/a%2Fb'],
    ['a%b', '#/components/parameters/a%25b'],
    ['a~b', '#/components/parameters/a%7E0b'],
  ])('a parameter %s by %s is served and checked, as loadApi reads it', async (name, ref) => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'fragments', version: '1' },
      paths: {
        '/x': {
          get: {
            operationId: 'x',
            parameters: [{ $ref: ref }],
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { type: 'object' } } },
              },
            },
          },
        },
      },
      components: {
        parameters: {
          [name]: { name: 'n', in: 'query', required: true, schema: { type: 'integer' } },
        },
      },
    });
    const { url } = await serve({ api, handlers: { x: ({ query }) => ({ query }) } });
    const refused = await call(`${url}/x?n=abc`);
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error: 'INVALID_PARAMETER' });
    const served = await call(`${url}/x?n=7`);
    expect(served.status).toBe(200);
    expect(served.json).toEqual({ query: { n: 7 } });
  });
});
