import { describe, expect, it } from 'vitest';
import { findSpecProblems } from './find-spec-problems.js';

// Specs that load, but whose routes @macaron/fastify refuses to register (api.schemaAt throws
// on these schemas): the lint must say so (macaron/schema), at the schema.

const ok = { description: 'ok' };
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

function openapi(operation: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    openapi: '3.0.3',
    info: { title: 'served', version: '1' },
    paths: {
      '/things/{id}': { get: { operationId: 'op', responses: { '200': ok }, ...operation } },
    },
    ...extra,
  };
}

const schemaFindings = async (spec: object) =>
  (await findSpecProblems(spec))
    .filter((finding) => finding.rule === 'schema')
    .map((finding) => finding.pointer);

const base = '/paths/~1things~1{id}/get';

describe('macaron/schema: what the fastify adapter refuses at registration', () => {
  it('reports a null body schema, as in @directus/specs', async () => {
    const findings = await findSpecProblems(
      openapi({ requestBody: { content: { 'application/json': { schema: null } } } }),
    );
    expect(findings).toEqual([
      {
        rule: 'schema',
        pointer: `${base}/requestBody/content/application~1json/schema`,
        message:
          'a schema must be an object, true or false (@macaron/fastify refuses to serve the operation)',
      },
    ]);
  });

  it('reports the schema of every JSON media type of a body, not the first alone (the adapter reads each)', async () => {
    expect(
      await schemaFindings(
        openapi({
          requestBody: {
            content: {
              'application/json': { schema: { type: 'object' } },
              'application/merge-patch+json': { schema: null },
              'application/*+json': { schema: 'x' },
            },
          },
        }),
      ),
    ).toEqual([
      `${base}/requestBody/content/application~1merge-patch+json/schema`,
      `${base}/requestBody/content/application~1*+json/schema`,
    ]);
  });

  it('reports responses, parameters of every location, and bodies of any JSON media type', async () => {
    const pattern = { type: 'string', pattern: '^\\p{Print}+$' };
    expect(
      await schemaFindings(
        openapi(
          {
            parameters: [
              { name: 'id', in: 'path', required: true, schema: null },
              { name: 'q', in: 'query', schema: pattern },
              { name: 'X-Tag', in: 'header', schema: { type: 'wat' } },
              { name: 'c', in: 'cookie', content: { 'text/plain': {} } },
            ],
            requestBody: { content: { 'application/*': { schema: 5 } } },
            responses: {
              '200': json(null),
              default: { $ref: '#/components/responses/Broken' },
            },
          },
          { components: { responses: { Broken: { description: 'no', ...json('x') } } } },
        ),
      ),
    ).toEqual([
      `${base}/parameters/0/schema`,
      `${base}/parameters/1/schema/pattern`,
      `${base}/parameters/2/schema/type`,
      `${base}/parameters/3/content/text~1plain`,
      `${base}/requestBody/content/application~1*/schema`,
      `${base}/responses/200/content/application~1json/schema`,
      '/components/responses/Broken/content/application~1json/schema',
    ]);
  });

  it('leaves out what the adapter does not read', async () => {
    expect(
      await schemaFindings(
        openapi({
          parameters: [
            // OpenAPI 3 ignores these headers; the operation's `id` replaces the path's.
            { name: 'Authorization', in: 'header', schema: null },
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          ],
          requestBody: { content: { 'text/plain': { schema: null } } },
          responses: { '200': { description: 'ok', content: { 'text/csv': { schema: null } } } },
        }),
      ),
    ).toEqual([]);
    const spec = openapi({
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    });
    // A path parameter's name is case-sensitive (a header's is not): `ID` is not the
    // operation's `id`, and the adapter reads its schema too.
    (spec.paths['/things/{id}'] as Record<string, unknown>).parameters = [
      { name: 'ID', in: 'path', required: true, schema: null },
    ];
    expect(await schemaFindings(spec)).toEqual(['/paths/~1things~1{id}/parameters/0/schema']);
    (spec.paths['/things/{id}'] as Record<string, unknown>).parameters = [
      { name: 'id', in: 'path', required: true, schema: null },
    ];
    expect(await schemaFindings(spec)).toEqual([]);
  });

  it('reports a pattern of a named schema a body uses once', async () => {
    const spec = openapi(
      {
        requestBody: json({ $ref: '#/components/schemas/Label' }),
        responses: { '200': json({ $ref: '#/components/schemas/Label' }) },
      },
      {
        components: {
          schemas: {
            Label: {
              type: 'object',
              properties: { text: { type: 'string', pattern: '^\\p{Print}+$' } },
            },
          },
        },
      },
    );
    expect(await schemaFindings(spec)).toEqual([
      '/components/schemas/Label/properties/text/pattern',
    ]);
  });

  it('reads Swagger 2.0 parameters, bodies and responses', async () => {
    const spec = {
      swagger: '2.0',
      info: { title: 'served', version: '1' },
      paths: {
        '/things': {
          post: {
            operationId: 'op',
            parameters: [
              { name: 'q', in: 'query', type: 'wat' },
              { name: 'f', in: 'formData', type: 'wat' },
              { name: 'body', in: 'body', schema: null },
            ],
            responses: {
              '200': { description: 'ok', schema: { type: 'string', pattern: '\\p{Print}' } },
            },
          },
        },
      },
    };
    expect(await schemaFindings(spec)).toEqual([
      '/paths/~1things/post/parameters/0/type',
      '/paths/~1things/post/parameters/2/schema',
      '/paths/~1things/post/responses/200/schema/pattern',
    ]);
  });
});
