import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { specOperations } from './spec-operations.js';

describe('specOperations', () => {
  it('reads OpenAPI 3 operations with referenced and path-level parameters and bodies', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/items/{id}': {
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'verbose', in: 'query', schema: { type: 'boolean' } },
          ],
          put: {
            operationId: 'putItem',
            parameters: [
              { $ref: '#/components/parameters/verbose' },
              {
                name: 'filter',
                in: 'query',
                content: { 'application/json': { schema: { type: 'object' } } },
              },
            ],
            requestBody: { $ref: '#/components/requestBodies/Item' },
            responses: {
              '2XX': {
                description: 'ok',
                content: { 'application/json': { schema: { type: 'object' } } },
              },
              '204': { description: 'none' },
            },
          },
        },
      },
      components: {
        parameters: {
          verbose: { name: 'verbose', in: 'query', schema: { type: 'integer', default: 1 } },
        },
        requestBodies: {
          Item: {
            required: true,
            content: { 'application/vnd.api+json': { schema: { type: 'object' } } },
          },
        },
      },
    });
    const [operation] = specOperations(api);
    expect(operation).toMatchObject({
      method: 'put',
      path: '/items/{id}',
      pointer: '/paths/~1items~1{id}/put',
      operationId: 'putItem',
      auth: 'none',
      body: {
        required: true,
        acceptsJson: true,
        schemaPointer: '/components/requestBodies/Item/content/application~1vnd.api+json/schema',
      },
    });
    expect(
      operation!.parameters.map(
        ({ name, in: location, required, defaultValue, json, schemaPointer }) => ({
          name,
          location,
          required,
          defaultValue,
          json,
          schemaPointer,
        }),
      ),
    ).toEqual([
      {
        name: 'id',
        location: 'path',
        required: true,
        defaultValue: undefined,
        json: false,
        schemaPointer: '/paths/~1items~1{id}/parameters/0/schema',
      },
      {
        name: 'verbose',
        location: 'query',
        required: false,
        defaultValue: { value: 1, pointer: '/components/parameters/verbose/schema/default' },
        json: false,
        schemaPointer: '/components/parameters/verbose/schema',
      },
      {
        name: 'filter',
        location: 'query',
        required: false,
        defaultValue: undefined,
        json: true,
        schemaPointer: '/paths/~1items~1{id}/put/parameters/1/content/application~1json/schema',
      },
    ]);
    expect([...operation!.responses.keys()]).toEqual(['204', '2XX']);
  });

  it('reads Swagger 2.0 parameters, body parameters, collection formats and x-bind-server', async () => {
    const api = await loadApi({
      swagger: '2.0',
      info: { title: 't', version: '1' },
      basePath: '/v1',
      parameters: {
        tags: {
          name: 'tags',
          in: 'query',
          type: 'array',
          items: { type: 'string' },
          collectionFormat: 'pipes',
        },
      },
      paths: {
        '/items': {
          post: {
            'x-bind-server': 'myserver.api.create_item',
            parameters: [
              { $ref: '#/parameters/tags' },
              {
                name: 'ids',
                in: 'query',
                type: 'array',
                items: { type: 'integer' },
                collectionFormat: 'multi',
              },
              { name: 'limit', in: 'query', type: 'integer', default: 10 },
              { name: 'item', in: 'body', required: true, schema: { $ref: '#/definitions/Item' } },
            ],
            responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/Item' } } },
          },
        },
      },
      definitions: { Item: { type: 'object' } },
    });
    const [operation] = specOperations(api);
    expect(operation).toMatchObject({
      operationId: undefined,
      bindServer: 'myserver.api.create_item',
      body: {
        required: true,
        acceptsJson: true,
        schemaPointer: '/paths/~1items/post/parameters/3/schema',
      },
    });
    expect(operation!.parameters.map((parameter) => [parameter.name, parameter.separator])).toEqual(
      [
        ['tags', '|'],
        ['ids', undefined],
        ['limit', ','],
      ],
    );
    expect(operation!.parameters[0]!.schemaPointer).toBe('/parameters/tags');
    expect(operation!.parameters[2]!.defaultValue).toEqual({
      value: 10,
      pointer: '/paths/~1items/post/parameters/2/default',
    });
    expect(operation!.responses.get('200')?.schemaPointer).toBe(
      '/paths/~1items/post/responses/200/schema',
    );
  });
});
