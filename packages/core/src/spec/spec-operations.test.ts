import { describe, expect, it } from 'vitest';
import { specOperations } from './spec-operations.js';

const operation = (operationId: string) => ({ operationId, responses: {} });

function walk(openapi: string, paths: Record<string, unknown>, components = {}) {
  return specOperations({ openapi, info: { title: 't', version: '1' }, paths, components }).map(
    ({ method, path, pointer, operation, pathItemPointer }) => ({
      method,
      path,
      pointer,
      id: operation.operationId,
      pathItemPointer,
    }),
  );
}

describe('specOperations', () => {
  it("lists OpenAPI 3.2's query and additionalOperations, as a request sends the method", () => {
    const found = walk('3.2.0', {
      '/things/{id}': {
        query: operation('search'),
        get: operation('get'),
        additionalOperations: { COPY: operation('copy'), 'x/y': operation('odd') },
      },
    });
    expect(found).toEqual([
      expect.objectContaining({ method: 'GET', id: 'get', pointer: '/paths/~1things~1{id}/get' }),
      expect.objectContaining({ method: 'QUERY', id: 'search' }),
      expect.objectContaining({
        method: 'COPY',
        pointer: '/paths/~1things~1{id}/additionalOperations/COPY',
      }),
      expect.objectContaining({
        method: 'x/y',
        pointer: '/paths/~1things~1{id}/additionalOperations/x~1y',
      }),
    ]);
  });

  it('reads query and additionalOperations as no operation before 3.2', () => {
    for (const version of ['3.0.3', '3.1.1']) {
      const found = walk(version, {
        '/a': { query: operation('q'), additionalOperations: { COPY: operation('c') } },
      });
      expect(found).toEqual([]);
    }
  });

  it("follows a path item's $ref, and skips what is no operation", () => {
    const found = walk(
      '3.1.0',
      {
        '/a': { $ref: '#/components/pathItems/Shared%20Item' },
        '/b': { get: 'not an operation', post: operation('post') },
        '/c': { $ref: '#/components/pathItems/Missing' },
      },
      { pathItems: { 'Shared Item': { put: operation('put') } } },
    );
    expect(found).toEqual([
      {
        method: 'PUT',
        path: '/a',
        pointer: '/components/pathItems/Shared Item/put',
        id: 'put',
        pathItemPointer: '/components/pathItems/Shared Item',
      },
      expect.objectContaining({ method: 'POST', path: '/b' }),
    ]);
  });
});
