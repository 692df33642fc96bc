import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApi } from '@macaron/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationHandlers } from '../src/index.js';
import { call, serve } from './serve.js';

// A spec file whose numbers a double does not hold (2^53 + 1, read as 2^53): the requests and
// responses are checked against the numbers as written.
const specYaml = `openapi: 3.0.3
info: { title: numbers, version: 1.0.0 }
paths:
  /things:
    post:
      operationId: makeThing
      parameters:
        - { name: n, in: query, schema: { type: integer, format: int64, maximum: 9007199254740993 } }
        - { name: d, in: query, schema: { type: integer, format: int64, default: 9007199254740993 } }
        - { name: h, in: query, schema: { type: integer, format: int64, default: 9007199254740992 } }
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } }
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } }
components:
  schemas:
    Thing:
      type: object
      properties:
        e: { type: integer, format: int64, enum: [9007199254740993] }
`;

describe('numbers of a spec file that a double does not hold', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'macaron-fastify-numbers-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function serveThings() {
    const file = join(folder, 'api.yaml');
    await writeFile(file, specYaml);
    const api = await loadApi(file);
    const seen: unknown[] = [];
    const handlers: OperationHandlers = {
      makeThing: ({ body, query }) => {
        seen.push(query);
        return body as object;
      },
    };
    const { url } = await serve({ api, handlers, specRoute: '/openapi.json' });
    const post = (body: string, search = '') =>
      call(`${url}/things${search}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
    return { post, seen, url, api };
  }

  it('checks a request against them, and gives the default as written', async () => {
    const { post, seen } = await serveThings();
    const accepted = await post('{"e":9007199254740993}', '?n=9007199254740993');
    expect([accepted.status, accepted.json]).toEqual([200, { e: '9007199254740993' }]);
    // 2^53 itself, which a double holds, is given as the bigint a client's 2^53 is read as.
    expect(seen[0]).toEqual({ n: 9007199254740993n, d: 9007199254740993n, h: 9007199254740992n });
    const above = await post('{}', '?n=9007199254740994');
    expect([above.status, above.json.problems?.[0]?.message]).toEqual([
      400,
      'must be <= 9007199254740993',
    ]);
    const other = await post('{"e":9007199254740992}');
    expect([other.status, other.json.problems?.[0]?.message]).toEqual([
      400,
      'must be one of 9007199254740993',
    ]);
  });

  it('serves the spec with them as written, its servers the served base, the loaded spec unchanged', async () => {
    const { url, api } = await serveThings();
    const { status, text } = await call(`${url}/openapi.json`);
    expect(status).toBe(200);
    expect(text).toContain('"maximum":9007199254740993');
    expect(text).toContain('"default":9007199254740993');
    expect(text).toContain('"enum":[9007199254740993]');
    expect(text).not.toContain('"maximum":9007199254740992');
    expect(text).not.toContain('"enum":[9007199254740992]');
    expect(text).toContain('"servers":[{"url":"/"}]');
    expect(api.document.servers).toBeUndefined();
  });

  it('gives a Swagger 2.0 parameter its default as written', async () => {
    const file = join(folder, 'swagger.yaml');
    await writeFile(
      file,
      `swagger: '2.0'
info: { title: numbers, version: 1.0.0 }
paths:
  /things:
    get:
      operationId: getThings
      parameters:
        - { name: d, in: query, type: integer, format: int64, default: 9007199254740993 }
      responses: { '200': { description: ok } }
`,
    );
    const seen: unknown[] = [];
    const { url } = await serve({
      api: await loadApi(file),
      handlers: {
        getThings: ({ query }) => {
          seen.push(query);
          return {};
        },
      },
    });
    expect((await call(`${url}/things`)).status).toBe(200);
    expect(seen).toEqual([{ d: 9007199254740993n }]);
  });
});
