import { loadApi, SpecError } from '@macaron/core';
import Fastify from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { macaronFastify } from '../src/index.js';
import { call, serve } from './serve.js';

// Patterns as real services publish them: one that only non-Unicode mode compiles, and Java's
// \p{Print}, which no JavaScript engine runs.
const idPattern = '^[A-Za-z0-9][A-Za-z0-9\\-\\_\\.]{0,126}$';
const ok = { '200': { description: 'ok', content: { 'application/json': { schema: {} } } } };

function specWith(labelOperation: boolean) {
  return {
    openapi: '3.0.3',
    info: { title: 'published', version: '1' },
    paths: {
      '/items/{id}': {
        get: {
          operationId: 'getItem',
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: idPattern },
            },
          ],
          responses: ok,
        },
      },
      ...(labelOperation
        ? {
            '/labels': {
              post: {
                operationId: 'createLabel',
                requestBody: {
                  content: {
                    'application/json': { schema: { $ref: '#/components/schemas/Label' } },
                  },
                },
                responses: ok,
              },
            },
          }
        : {}),
    },
    components: {
      schemas: {
        Label: {
          type: 'object',
          properties: { text: { type: 'string', pattern: '^\\p{Print}+$' } },
        },
      },
    },
  };
}

describe('specs that real services publish', () => {
  it('serve the operations beside a schema whose pattern JavaScript cannot run', async () => {
    const { url } = await serve({
      api: await loadApi(specWith(false)),
      handlers: { getItem: ({ params }) => params },
    });
    expect(await call(`${url}/items/a-b_c.d`)).toMatchObject({
      status: 200,
      json: { id: 'a-b_c.d' },
    });
    const refused = await call(`${url}/items/-ab`);
    expect([refused.status, refused.json.problems[0]]).toEqual([
      400,
      expect.objectContaining({ pointer: '/path/id', keyword: 'pattern' }),
    ]);
  });

  it('refuse at registration an operation that uses that schema, naming the pattern', async () => {
    const app = Fastify();
    onTestFinished(() => app.close());
    const registered = app.register(macaronFastify, {
      api: await loadApi(specWith(true)),
      handlers: { getItem: () => ({}), createLabel: () => ({}) },
    });
    const error = await registered.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems).toEqual([
      expect.objectContaining({ pointer: '/components/schemas/Label/properties/text/pattern' }),
    ]);
  });
});
