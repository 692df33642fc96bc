import { describe, expect, it } from 'vitest';
import { compileSpec, InvalidRequestError, loadApi, validateValue } from '../index.js';

const spec = {
  openapi: '3.0.3',
  info: { title: 'paths', version: '1' },
  paths: {
    '/profiles/{id}': {
      get: {
        operationId: 'getProfile',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 3 } },
        ],
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Profile' } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Profile: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    },
  },
};

describe('schemaAt', () => {
  it('names the place it refuses with its line breaks and bidi controls escaped', async () => {
    const api = await loadApi({ ...spec, 'x-\u2028\u202e': { note: {} } });
    for (const [pointer, shown] of [
      ['x\u202e\n', 'not "x\\u202e\\n"'],
      ['/components/schemas/No\u202epe', 'nothing at /components/schemas/No\\u202epe'],
      ['/x-\u2028\u202e', 'no schema at /x-\\u2028\\u202e'],
    ] as const) {
      const call = () => api.schemaAt(pointer);
      expect(call, shown).toThrow(InvalidRequestError);
      expect(call, shown).toThrow(shown);
      expect(call, shown).not.toThrow(/[\n\u2028\u202e]/u);
    }
  });

  it('normalises the schema at any pointer of the bundled document', async () => {
    const api = await loadApi(spec);
    const parameter = api.schemaAt('/paths/~1profiles~1{id}/get/parameters/0/schema');
    expect(validateValue(parameter, 'abc')).toEqual([]);
    expect(validateValue(parameter, 'ab').map((problem) => problem.keyword)).toEqual(['minLength']);
    const response = api.schemaAt(
      '/paths/~1profiles~1{id}/get/responses/200/content/application~1json/schema',
    );
    expect(response).toBe(api.schema('Profile'));
  });

  it('refuses what is no JSON pointer, the document itself and places that hold no schema', async () => {
    const api = await loadApi(spec);
    // Read before as `/schemas/Profile` (its first token dropped), or as a schema allowing anything.
    for (const pointer of [
      'components/schemas/Profile',
      'x/components/schemas/Profile',
      '',
      '#',
      '/info',
      '/components',
      '/components/schemas',
      '/paths/~1profiles~1{id}',
      '#/components',
      '/info/contact',
      '/paths/~1profiles~1{id}/get',
      '/paths/~1profiles~1{id}/get/responses',
      '/paths/~1profiles~1{id}/get/responses/200',
      '/paths/~1profiles~1{id}/get/parameters/0',
      '/components/schemas/Profile/properties',
      '/components/schemas/Profile/properties/id/title-less',
    ])
      expect(() => api.schemaAt(pointer), pointer).toThrow(InvalidRequestError);
    expect(api.schemaAt('#/components/schemas/Profile')).toEqual(
      api.schemaAt('/components/schemas/Profile'),
    );
    expect(validateValue(api.schemaAt('/components/schemas/Profile'), {})).not.toEqual([]);
  });

  it("takes a schema's every place: named, under `schema`, below schema keywords, a Swagger 2.0 parameter wherever a $ref puts it", async () => {
    const api = await loadApi({
      openapi: '3.1.0',
      info: { title: 'places', version: '1', contact: { name: 'n' } },
      paths: {},
      components: {
        schemas: {
          A: {
            type: 'object',
            properties: { schema: { type: 'string' }, list: { items: { type: 'integer' } } },
            allOf: [{ required: ['schema'] }],
            additionalProperties: { type: 'number' },
          },
        },
      },
    });
    for (const pointer of [
      '/components/schemas/A/properties/schema',
      '/components/schemas/A/properties/list/items',
      '/components/schemas/A/allOf/0',
      '/components/schemas/A/additionalProperties',
    ])
      expect(api.schemaAt(pointer), pointer).toBeDefined();
    const swagger = await loadApi({
      swagger: '2.0',
      info: { title: 'parameters', version: '1' },
      'x-id': { in: 'query', name: 'id', type: 'string', minLength: 2 },
      paths: {
        '/a': {
          get: { parameters: [{ $ref: '#/x-id' }], responses: { 200: { description: 'ok' } } },
        },
      },
    });
    const parameter = swagger.schemaAt('/x-id');
    // A place a $ref of the spec reached is a schema's, wherever it is; one none reached is not.
    const source = {
      openapi: '3.0.3',
      info: { title: 'elsewhere', version: '1' },
      paths: {},
      'x-defs': { Id: { type: 'string', minLength: 2 }, Unused: { type: 'string' } },
      components: {
        schemas: { A: { type: 'object', properties: { id: { $ref: '#/x-defs/Id' } } } },
      },
    };
    // Compiled, the spec normalises its schemas when first used: A is not yet.
    for (const elsewhere of [await loadApi(source), await loadApi(await compileSpec(source))]) {
      expect(validateValue(elsewhere.schemaAt('#/x-defs/Id'), 'a')).not.toEqual([]);
      expect(() => elsewhere.schemaAt('/x-defs/Unused')).toThrow(InvalidRequestError);
    }
    expect(validateValue(parameter, 'a').map((problem) => problem.keyword)).toEqual(['minLength']);
  });

  it('refuses a pointer to nothing', async () => {
    const api = await loadApi(spec);
    expect(() => api.schemaAt('/paths/~1nowhere/get')).toThrow(InvalidRequestError);
  });
});
