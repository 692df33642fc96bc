import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSpecProblems } from './find-spec-problems.js';

// A parameter's default its own schema refuses: @macaron/fastify refuses to serve the
// operation, so the lint reports it (macaron/schema) at the default.

const ok = { description: 'ok' };
const query = (name: string, schema: object) => ({ name, in: 'query', schema });

describe('macaron/schema: parameter defaults', () => {
  it('reports an OpenAPI 3 default its schema refuses, at the default, followed through $ref', async () => {
    const findings = await findSpecProblems({
      openapi: '3.0.3',
      info: { title: 'defaults', version: '1' },
      paths: {
        '/things': {
          parameters: [query('verbose', { type: 'boolean', default: 'off' })],
          get: {
            operationId: 'listThings',
            parameters: [
              query('limit', { $ref: '#/components/schemas/Limit' }),
              query('fine', { type: 'integer', default: 3 }),
              query('none', { type: 'string', nullable: true, default: null }),
              { name: 'Accept', in: 'header', schema: { type: 'integer', default: 'json' } },
            ],
            responses: { '200': ok },
          },
        },
      },
      components: { schemas: { Limit: { type: 'integer', maximum: 100, default: 500 } } },
    });
    expect(findings).toEqual([
      {
        rule: 'schema',
        pointer: '/paths/~1things/parameters/0/schema/default',
        message:
          'the default "off" is not a value of the parameter\'s schema (must be boolean, not string): @macaron/fastify refuses to serve the operation, whose handler would be given it when the parameter is left out',
      },
      {
        rule: 'schema',
        pointer: '/components/schemas/Limit/default',
        message: expect.stringContaining('the default 500 is not a value'),
      },
    ]);
  });

  it("takes query names as written, header names in any case, as the adapter merges a path's parameters with its operation's", async () => {
    const findings = await findSpecProblems({
      openapi: '3.0.3',
      info: { title: 'defaults', version: '1' },
      paths: {
        '/things': {
          parameters: [
            query('Limit', { type: 'integer', default: 'x' }),
            { name: 'X-Page', in: 'header', schema: { type: 'integer', default: 'y' } },
          ],
          get: {
            operationId: 'listThings',
            parameters: [
              query('limit', { type: 'integer', default: 3 }),
              { name: 'x-page', in: 'header', schema: { type: 'integer', default: 1 } },
            ],
            responses: { '200': ok },
          },
        },
      },
    });
    // `Limit` is a parameter of its own; the path's `X-Page` is the operation's `x-page`.
    expect(findings.map(({ pointer }) => pointer)).toEqual([
      '/paths/~1things/parameters/0/schema/default',
    ]);
  });

  it("passes a scalar default written as text that the adapter reads as a client's text, and reports the others", async () => {
    const findings = await findSpecProblems({
      swagger: '2.0',
      info: { title: 'defaults', version: '1' },
      paths: {
        '/things': {
          get: {
            operationId: 'listThings',
            parameters: [
              { name: 'page', in: 'query', type: 'integer', default: '1' },
              { name: 'ratio', in: 'query', type: 'number', default: '0.25' },
              { name: 'all', in: 'query', type: 'boolean', default: 'False' },
              {
                name: 'id',
                in: 'query',
                type: 'integer',
                format: 'int64',
                default: '9007199254740993',
              },
              { name: 'fine', in: 'query', type: 'integer', default: 1 },
              { name: 'half', in: 'query', type: 'integer', default: '1.5' },
              { name: 'huge', in: 'query', type: 'number', default: '1e400' },
              { name: 'exact', in: 'query', type: 'number', default: '0.30000000000000001' },
              { name: 'on', in: 'query', type: 'boolean', default: 'yes' },
              { name: 'max', in: 'query', type: 'integer', maximum: 10, default: '11' },
              { name: 'big', in: 'query', type: 'integer', default: '9007199254740993' },
            ],
            responses: { '200': ok },
          },
        },
      },
    });
    expect(findings.map(({ rule, pointer }) => [rule, pointer])).toEqual(
      [5, 6, 7, 8, 9, 10].map((index) => [
        'schema',
        `/paths/~1things/get/parameters/${index}/default`,
      ]),
    );
  });

  it('reports them in the same run as the problems that keep the spec from loading', async () => {
    // A spec PyMacaron read as YAML 1.1: every such text is reported at once, not one layer
    // of problems per run.
    const findings = await findSpecProblems({
      swagger: '2.0',
      info: { title: 'y11', version: '1' },
      paths: {
        '/t/{id}': {
          get: {
            operationId: 'getT',
            parameters: [
              { in: 'path', name: 'id', type: 'string', required: 'yes' },
              { in: 'query', name: 'verbose', type: 'boolean', default: 'off' },
            ],
            responses: { '200': { description: 'ok', schema: { $ref: '#/definitions/User' } } },
          },
        },
      },
      definitions: {
        User: { type: 'object', properties: { name: { type: 'string', 'x-nullable': 'yes' } } },
      },
    });
    expect(findings.map(({ rule, pointer }) => [rule, pointer]).sort()).toEqual([
      ['schema', '/definitions/User/properties/name/x-nullable'],
      ['schema', '/paths/~1t~1{id}/get/parameters/0/required'],
      ['schema', '/paths/~1t~1{id}/get/parameters/1/default'],
    ]);
  });

  it('reports the findings of both of two operations no server can tell apart, beside their conflict', async () => {
    const operation = (name: string) => ({
      get: {
        operationId: name,
        parameters: [query('verbose', { type: 'boolean', default: 'off' })],
        responses: { '200': ok },
      },
    });
    const findings = await findSpecProblems({
      openapi: '3.0.3',
      info: { title: 'defaults', version: '1' },
      paths: { '/a/{x}': operation('byX'), '/a/{y}': operation('byY') },
    });
    expect(findings.map(({ rule, pointer }) => [rule, pointer])).toEqual([
      ['ambiguous-paths', '/paths/~1a~1{y}/get'],
      ['schema', '/paths/~1a~1{x}/get/parameters/0/schema/default'],
      ['schema', '/paths/~1a~1{y}/get/parameters/0/schema/default'],
    ]);
  });
  // Each of these is served by @macaron/fastify (registration takes the default, and a request
  // without the parameter gets it): the lint must not report them (review 306).
  it("passes the defaults the adapter serves: read as a model reads JSON, or as a client's text", async () => {
    const findings = await findSpecProblems({
      openapi: '3.0.3',
      info: { title: 'defaults', version: '1' },
      paths: {
        '/things': {
          get: {
            operationId: 'listThings',
            parameters: [
              // JSON read as a model reads it, inside a list or an object too.
              query('ids', {
                type: 'array',
                items: { type: 'integer', format: 'int64' },
                default: ['9007199254740993'],
              }),
              query('blobs', {
                type: 'array',
                items: { type: 'string', format: 'binary' },
                default: ['AQ=='],
              }),
              // Text read as a client's: through a wrapper of a $ref, by members, by an enum.
              query('limit', { allOf: [{ $ref: '#/components/schemas/Limit' }], default: '10' }),
              query('either', {
                oneOf: [{ type: 'integer' }, { type: 'boolean' }],
                default: 'true',
              }),
              query('nullable', { type: 'integer', nullable: true, default: '' }),
              query('ratio', { type: 'number', default: '1.0' }),
            ],
            responses: { '200': ok },
          },
        },
      },
      components: { schemas: { Limit: { type: 'integer', maximum: 100 } } },
    });
    expect(findings.map(({ pointer }) => pointer)).toEqual([]);
  });

  it('takes a default beyond 2^53 as the spec file writes it, as the adapter does', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'macaron-lint-defaults-'));
    try {
      const file = join(folder, 'api.yaml');
      await writeFile(
        file,
        `openapi: 3.0.3
info: { title: defaults, version: '1' }
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - name: after
          in: query
          schema: { type: integer, format: int64, maximum: 9007199254740993, default: 9007199254740993 }
        # 2^53 itself, which a double holds: an int64's value all the same (as the adapter reads it).
        - { name: from, in: query, schema: { type: integer, format: int64, default: 9007199254740992 } }
      responses: { '200': { description: ok } }
`,
      );
      expect(await findSpecProblems(file)).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
