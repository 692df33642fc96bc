import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { findSpecProblems } from './find-spec-problems.js';

describe('macaron/served-operations', () => {
  it('reports what @macaron/fastify refuses to serve in an OpenAPI 3.2 spec', async () => {
    const spec = {
      openapi: '3.2.0',
      info: { title: 'oas 3.2', version: '1' },
      paths: {
        '/things': {
          parameters: [{ $ref: '#/components/parameters/Whole' }],
          query: { responses: { '200': { description: 'ok' } } },
          get: { responses: { '200': { description: 'ok' } } },
          additionalOperations: {
            COPY: { responses: { '204': { description: 'ok' } } },
            copy: { responses: { '204': { description: 'ok' } } },
            CONNECT: { responses: { '200': { description: 'ok' } } },
          },
        },
      },
      components: {
        parameters: {
          Whole: {
            name: 'q',
            in: 'querystring',
            content: { 'application/x-www-form-urlencoded': { schema: { type: 'object' } } },
          },
        },
      },
    };
    await loadApi(spec);
    const findings = (await findSpecProblems(spec)).filter(
      (finding) => finding.rule === 'served-operations',
    );
    expect(findings.map((finding) => finding.pointer)).toEqual([
      '/components/parameters/Whole',
      '/paths/~1things/additionalOperations/copy',
      '/paths/~1things/additionalOperations/CONNECT',
    ]);
  });

  it('reports a parameter @macaron/fastify would not read as written, where it is declared', async () => {
    const ok = { responses: { '200': { description: 'ok' } } };
    const spec = {
      openapi: '3.1.0',
      info: { title: 'unread', version: '1' },
      paths: {
        '/things': {
          parameters: [{ name: 'Q', in: 'Query', schema: { type: 'string' } }],
          get: {
            ...ok,
            parameters: [
              {
                name: 'both',
                in: 'query',
                schema: { type: 'string' },
                content: { 'application/json': { schema: {} } },
              },
              { name: 'two', in: 'header', content: { 'application/json': {}, 'text/plain': {} } },
              { name: 'fine', in: 'cookie', content: { 'application/json': { schema: {} } } },
            ],
          },
        },
      },
    };
    const findings = (await findSpecProblems(spec)).filter(
      (finding) => finding.rule === 'served-operations',
    );
    expect(findings.map((finding) => [finding.pointer, finding.message.slice(0, 32)])).toEqual([
      ['/paths/~1things/parameters/0', 'a parameter in "Query" is never '],
      ['/paths/~1things/get/parameters/0', 'a parameter with both `schema` a'],
      ['/paths/~1things/get/parameters/1', "a parameter's `content` must nam"],
    ]);
  });

  it('reports a JSON request body described by an itemSchema (OpenAPI 3.2), where its media type is declared, once', async () => {
    const ok = { responses: { '200': { description: 'ok' } } };
    const spec = {
      openapi: '3.2.0',
      info: { title: 'sequences', version: '1' },
      paths: {
        '/events': {
          post: {
            ...ok,
            requestBody: {
              content: {
                'application/jsonl': { itemSchema: { type: 'object' } },
                'application/json': { itemSchema: { type: 'object' } },
              },
            },
          },
          put: { ...ok, requestBody: { $ref: '#/components/requestBodies/Events' } },
          patch: { ...ok, requestBody: { $ref: '#/components/requestBodies/Events' } },
        },
        '/fine': {
          post: {
            ...ok,
            requestBody: { content: { 'application/json': { schema: { type: 'array' } } } },
          },
        },
      },
      components: {
        requestBodies: {
          Events: {
            content: { 'application/merge-patch+json': { itemSchema: { type: 'object' } } },
          },
        },
      },
    };
    const findings = (await findSpecProblems(spec)).filter(
      (finding) => finding.rule === 'served-operations',
    );
    expect(findings.map((finding) => finding.pointer).sort()).toEqual([
      '/components/requestBodies/Events/content/application~1merge-patch+json',
      '/paths/~1events/post/requestBody/content/application~1json',
    ]);
    expect(findings.map((finding) => finding.message).join('\n')).toContain(
      '"application/json" gives an `itemSchema`',
    );
  });

  it('reports an itemSchema at the end of a long chain of $refs to media types, as @macaron/fastify follows it to the end', async () => {
    const mediaTypes: Record<string, unknown> = {};
    for (let index = 0; index < 25; index++)
      mediaTypes[`M${index}`] = { $ref: `#/components/mediaTypes/M${index + 1}` };
    mediaTypes.M25 = { itemSchema: { type: 'object' } };
    const spec = {
      openapi: '3.2.0',
      info: { title: 'chain', version: '1' },
      paths: {
        '/events': {
          post: {
            responses: { '200': { description: 'ok' } },
            requestBody: {
              content: { 'application/json': { $ref: '#/components/mediaTypes/M0' } },
            },
          },
        },
      },
      components: { mediaTypes },
    };
    const findings = (await findSpecProblems(spec)).filter(
      (finding) => finding.rule === 'served-operations',
    );
    expect(findings.map((finding) => finding.pointer)).toEqual(['/components/mediaTypes/M25']);
  });

  it('reports a path with a literal ? or # (as AWS specs write `/#X-Amz-Target=…`), once per path, not one in a variable', async () => {
    const ok = { responses: { '200': { description: 'ok' } } };
    const spec = {
      openapi: '3.0.3',
      info: { title: 'ends', version: '1' },
      paths: {
        '/#X-Amz-Target=Svc.GetThing': { post: ok, get: ok },
        '/search?q=all': { get: ok },
        '/things/{id}': { get: ok },
      },
    };
    const findings = (await findSpecProblems(spec)).filter(
      (finding) => finding.rule === 'served-operations',
    );
    expect(findings.map((finding) => [finding.pointer, finding.message.slice(0, 30)])).toEqual([
      ['/paths/~1#X-Amz-Target=Svc.GetThing', 'the path has a literal "#", wh'],
      ['/paths/~1search?q=all', 'the path has a literal "?", wh'],
    ]);
  });

  it("reports servers of a path item or an operation under another path than the spec's", async () => {
    const ok = { responses: { '200': { description: 'ok' } } };
    const spec = {
      openapi: '3.1.0',
      info: { title: 'servers', version: '1' },
      servers: [{ url: 'https://api.example/v1' }],
      paths: {
        '/same': { servers: [{ url: '/v1/' }], get: ok },
        '/path': { servers: [{ url: '/other' }], get: ok, post: ok },
        '/operation': {
          get: { ...ok, servers: [{ url: 'https://{h}/v2', variables: { h: { default: 'x' } } }] },
        },
      },
    };
    const findings = (await findSpecProblems(spec)).filter(
      (finding) => finding.rule === 'served-operations',
    );
    expect(findings.map((finding) => finding.pointer)).toEqual([
      '/paths/~1path/servers',
      '/paths/~1operation/get/servers',
    ]);
  });

  it('reports a security that is no list of requirements, once where it is written', async () => {
    const ok = { responses: { '200': { description: 'ok' } } };
    const spec = {
      openapi: '3.0.3',
      info: { title: 'security', version: '1' },
      security: ['apiKey'],
      paths: {
        '/a': { get: ok, post: ok },
        '/b': { get: { ...ok, security: [{ apiKey: 'read' }] } },
        '/c': { get: { ...ok, security: [{ apiKey: [] }, {}] } },
      },
      components: {
        securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
      },
    };
    const findings = (await findSpecProblems(spec)).filter(
      (finding) => finding.rule === 'served-operations',
    );
    expect(findings.map((finding) => finding.pointer)).toEqual([
      '/security',
      '/paths/~1b/get/security',
    ]);
  });

  it('reads a server without a scheme (`//host/v1`) by its path', async () => {
    const ok = { responses: { '200': { description: 'ok' } } };
    const spec = {
      openapi: '3.0.3',
      info: { title: 'network path', version: '1' },
      servers: [{ url: '//api.example.com/v1' }],
      paths: {
        '/same': { servers: [{ url: '/v1' }], get: ok },
        '/other': { servers: [{ url: '/v2' }], get: ok },
      },
    };
    const findings = (await findSpecProblems(spec)).filter(
      (finding) => finding.rule === 'served-operations',
    );
    expect(findings.map((finding) => finding.pointer)).toEqual(['/paths/~1other/servers']);
  });
});
