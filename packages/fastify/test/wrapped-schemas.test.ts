import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { OperationHandlers } from '../src/index.js';
import { call, serve } from './serve.js';

// Schemas written as the wrapper of a reference: 3.0's `{ allOf: [{ $ref }], description }`,
// 3.1's `{ $ref, description }`. They read as the reference does.
const wrappers = {
  'allOf: [{ $ref }] (3.0)': (name: string) => ({
    allOf: [{ $ref: `#/components/schemas/${name}` }],
    description: `a ${name}`,
  }),
  '$ref beside a description (3.1)': (name: string) => ({
    $ref: `#/components/schemas/${name}`,
    description: `a ${name}`,
  }),
};

const text = {
  '200': { description: 'ok', content: { 'application/json': { schema: { type: 'string' } } } },
};

function wrappedSpec(version: string, wrap: (name: string) => Record<string, unknown>) {
  return {
    openapi: version,
    info: { title: 'wrapped', version: '1' },
    paths: {
      '/ids/{ids}': {
        get: {
          operationId: 'ids',
          parameters: [
            { name: 'ids', in: 'path', required: true, schema: wrap('Ids') },
            { name: 'more', in: 'query', schema: wrap('Ids') },
            { name: 'count', in: 'query', schema: wrap('Count') },
            // 3.0's idiom for a nullable reference: an empty value is null.
            ...(version === '3.0.3'
              ? [{ name: 'maybe', in: 'query', schema: { ...wrap('Count'), nullable: true } }]
              : []),
          ],
          responses: text,
        },
      },
      '/pets': {
        post: {
          operationId: 'addPet',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: wrap('Pet') } },
          },
          responses: text,
        },
      },
    },
    components: {
      schemas: {
        Ids: { type: 'array', items: { type: 'integer' } },
        Count: { type: 'integer' },
        Pet: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      },
    },
  };
}

const handlers: OperationHandlers = {
  ids: ({ params, query }) => JSON.stringify({ params, query }),
  addPet: ({ body }) => `${(body as object).constructor.name} ${JSON.stringify(body)}`,
};

for (const [form, wrap] of Object.entries(wrappers)) {
  describe(`a parameter or a body whose schema is ${form}`, () => {
    const version = form.includes('3.1') ? '3.1.0' : '3.0.3';

    it('an array parameter is read as an array, in the path and in the query', async () => {
      const api = await loadApi(wrappedSpec(version, wrap));
      const { url } = await serve({ api, handlers });
      const reply = await call(`${url}/ids/1,2?more=3&more=4&count=5`);
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.json)).toEqual({
        params: { ids: [1, 2] },
        query: { more: [3, 4], count: 5 },
      });
    });

    if (version === '3.0.3')
      it('an empty value of a nullable wrapper is null, as for a nullable integer', async () => {
        const api = await loadApi(wrappedSpec(version, wrap));
        const { url } = await serve({ api, handlers });
        const reply = await call(`${url}/ids/1?maybe=`);
        expect(reply.status).toBe(200);
        expect(JSON.parse(reply.json)).toEqual({ params: { ids: [1] }, query: { maybe: null } });
      });

    it("compat: 'pymacaron': an empty query value of an integer is no value, as for a plain $ref", async () => {
      const api = await loadApi(wrappedSpec(version, wrap));
      const { url } = await serve({ api, handlers, compat: 'pymacaron' });
      const reply = await call(`${url}/ids/1?count=`);
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.json)).toEqual({ params: { ids: [1] }, query: {} });
    });

    it('a named schema that wraps another is a model of its own', async () => {
      const spec = wrappedSpec(version, wrap);
      (spec.components.schemas as Record<string, unknown>).Dog = {
        ...wrap('Pet'),
        description: 'a dog',
      };
      spec.paths['/pets'].post.requestBody.content['application/json'].schema = {
        $ref: '#/components/schemas/Dog',
      } as never;
      const api = await loadApi(spec);
      const { url } = await serve({ api, handlers });
      const reply = await call(`${url}/pets`, { method: 'POST', body: { name: 'Rex' } });
      expect(reply.status).toBe(200);
      expect(reply.json).toBe('Dog {"name":"Rex"}');
      // Behind a wrapper of its own, too.
      spec.paths['/pets'].post.requestBody.content['application/json'].schema = wrap(
        'Dog',
      ) as never;
      const wrapped = await serve({ api: await loadApi(spec), handlers });
      const again = await call(`${wrapped.url}/pets`, { method: 'POST', body: { name: 'Rex' } });
      expect(again.json).toBe('Dog {"name":"Rex"}');
    });

    it('a body of a named schema is an object of its model', async () => {
      const api = await loadApi(wrappedSpec(version, wrap));
      const { url } = await serve({ api, handlers });
      const reply = await call(`${url}/pets`, { method: 'POST', body: { name: 'Rex' } });
      expect(reply.status).toBe(200);
      expect(reply.json).toBe('Pet {"name":"Rex"}');
    });
  });
}
