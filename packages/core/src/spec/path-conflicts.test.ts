import { describe, expect, it } from 'vitest';
import { rejection } from '../../test/support/specs.js';
import { SpecError } from '../errors/spec-error.js';
import { loadApi } from '../index.js';
import { checkSpec } from './compile-spec.js';

const operation = (id: string) => ({
  operationId: id,
  responses: { '200': { description: 'ok' } },
});

function withPaths(paths: Record<string, unknown>): Record<string, unknown> {
  return { openapi: '3.1.0', info: { title: 'paths', version: '1' }, paths };
}

describe('paths a server cannot tell apart', () => {
  it('are a SpecError at loadApi naming both spec paths', async () => {
    const error = await rejection(
      loadApi(
        withPaths({
          '/cards/{filter}': { get: operation('findCards') },
          '/cards/{idCard}': { get: operation('getCard'), delete: operation('deleteCard') },
        }),
      ),
    );
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems).toEqual([
      {
        pointer: '/paths/~1cards~1{idCard}/get',
        message: expect.stringMatching(/GET \/cards\/\{idCard\} and GET \/cards\/\{filter\}/),
      },
    ]);
  });

  it('include parameters inside a segment', async () => {
    const problems = await checkSpec(
      withPaths({
        '/files/{name}.json': { put: operation('a') },
        '/files/{id}.json': { put: operation('b') },
      }),
    );
    expect(problems.map((problem) => problem.pointer)).toEqual(['/paths/~1files~1{id}.json/put']);
  });

  it('leave alone other methods, other shapes and literal segments', async () => {
    const api = await loadApi(
      withPaths({
        '/cards/{filter}': { get: operation('findCards') },
        '/cards/{idCard}': { delete: operation('deleteCard') },
        '/cards/mine': { get: operation('mine') },
        '/cards/{idCard}/owner': { get: operation('owner') },
        '/cards/{idCard}/': { get: operation('withSlash') },
      }),
    );
    expect(api.dialect).toBe('oas3.1');
  });

  it("include OpenAPI 3.2's query and additional operations", async () => {
    const problems = await checkSpec({
      ...withPaths({
        '/cards/{filter}': {
          query: operation('a'),
          additionalOperations: { COPY: operation('b') },
        },
        '/cards/{idCard}': {
          query: operation('c'),
          additionalOperations: { COPY: operation('d') },
        },
      }),
      openapi: '3.2.0',
    });
    expect(problems.map((problem) => [problem.pointer, problem.message.slice(0, 6)])).toEqual([
      ['/paths/~1cards~1{idCard}/query', 'QUERY '],
      ['/paths/~1cards~1{idCard}/additionalOperations/COPY', 'COPY /'],
    ]);
  });

  it("say so when 3.2's additionalOperations repeats a method of the path item", async () => {
    const problems = await checkSpec({
      ...withPaths({
        '/dup': { post: operation('a'), additionalOperations: { POST: operation('b') } },
      }),
      openapi: '3.2.0',
    });
    expect(problems).toEqual([
      {
        pointer: '/paths/~1dup/additionalOperations/POST',
        message: expect.stringContaining('POST /dup is declared twice'),
      },
    ]);
  });
});
