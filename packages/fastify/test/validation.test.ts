import { createMemoryBackend } from '@macaron/backend-memory';
import { type Api, loadApi, SpecError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { MacaronFastifyOptions, OperationContext, OperationHandlers } from '../src/index.js';
import { profilesOpenApi } from './fixtures/profiles-openapi.js';
import { httpRequest, rawRequest } from './raw-request.js';
import { call, serve } from './serve.js';

async function profilesApi(): Promise<Api> {
  return loadApi(profilesOpenApi(), { backend: createMemoryBackend() });
}

// Handlers that record what they receive and answer with valid responses.
function recordingHandlers(seen: OperationContext[]): OperationHandlers {
  const record =
    (answer: (context: OperationContext) => unknown) => (context: OperationContext) => {
      seen.push(context);
      return answer(context);
    };
  const profile = { profile_id: 'ann', name: 'Ann' };
  return {
    createProfile: record(() => profile),
    listProfiles: record(() => ({ items: [] })),
    getProfile: record(() => profile),
    updateProfile: record(() => profile),
    deleteProfile: record(() => undefined),
    addFriends: record(() => []),
    incrementCounter: record(() => ({ id: 1 })),
    echo: record((context) => context.body ?? {}),
    wrongResponse: record(() => profile),
    returnNothing: record(() => profile),
  };
}

async function served(options: Partial<MacaronFastifyOptions> = {}) {
  const seen: OperationContext[] = [];
  const api = await profilesApi();
  const { url } = await serve({ api, handlers: recordingHandlers(seen), ...options });
  return { url, seen, api };
}

describe('query, header and path parameters', () => {
  it('coerces integers, numbers, booleans and arrays by their schema', async () => {
    const { url, seen } = await served();
    const response = await call(
      `${url}/profiles?limit=7&tags=a,b,c&ids=1&ids=2&active=true&min_score=2.5`,
      { headers: { 'X-Page': '3', 'X-Flags': 'true,false' } },
    );
    expect(response.status).toBe(200);
    expect(seen[0]!.query).toEqual({
      limit: 7,
      tags: ['a', 'b', 'c'],
      ids: [1, 2],
      active: true,
      min_score: 2.5,
    });
    expect(seen[0]!.headers).toEqual({ 'X-Page': 3, 'X-Flags': [true, false] });
  });

  it('applies the schema default of an absent parameter and leaves out other absent ones', async () => {
    const { url, seen } = await served();
    expect((await call(`${url}/profiles`)).status).toBe(200);
    expect(seen[0]!.query).toEqual({ limit: 20 });
    expect(seen[0]!.headers).toEqual({});
  });

  it('refuses to serve an operation whose parameter default its own schema refuses', async () => {
    // PyMacaron read specs as YAML 1.1 (`off` is false); YAML 1.2 reads the text "off".
    const parameter = (name: string, location: string, schema: object) => ({
      name,
      in: location,
      schema,
    });
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'defaults', version: '1' },
      paths: {
        '/things': {
          parameters: [parameter('verbose', 'query', { type: 'boolean', default: 'off' })],
          get: {
            operationId: 'listThings',
            parameters: [
              parameter('limit', 'query', { type: 'integer', default: 'ten' }),
              parameter('X-Mode', 'header', { type: 'string', enum: ['a', 'b'], default: 'c' }),
              parameter('fine', 'query', { type: 'integer', default: 3 }),
              parameter('none', 'query', { type: 'string', nullable: true, default: null }),
              // Not read at all: OpenAPI 3 leaves Accept to the HTTP layer.
              parameter('Accept', 'header', { type: 'integer', default: 'json' }),
            ],
            responses: { '204': { description: 'ok' } },
          },
        },
      },
    });
    const error = await serve({ api, handlers: { listThings: () => undefined } }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems).toEqual([
      {
        pointer: '/paths/~1things/parameters/0/schema/default',
        message:
          'the default "off" is not a value of the parameter\'s schema (must be boolean, not string): the handler would be given it when the parameter is left out',
      },
      {
        pointer: '/paths/~1things/get/parameters/0/schema/default',
        message: expect.stringContaining('the default "ten" is not a value'),
      },
      {
        pointer: '/paths/~1things/get/parameters/1/schema/default',
        message: expect.stringContaining('the default "c" is not a value'),
      },
    ]);
  });

  it('reads a default written as text its schema refuses as that text sent by a client', async () => {
    // Real specs write `default: "100"` on an integer (ably.io) and `default: "false"` on a
    // boolean: their meaning is the client's text, as fastify's own coercion reads it.
    const api = await loadApi({
      swagger: '2.0',
      info: { title: 'defaults', version: '1' },
      paths: {
        '/things': {
          get: {
            operationId: 'listThings',
            parameters: [
              { name: 'page', in: 'query', type: 'integer', default: '1' },
              {
                name: 'big',
                in: 'query',
                type: 'integer',
                format: 'int64',
                default: '9007199254740993',
              },
              { name: 'ratio', in: 'query', type: 'number', default: '0.25' },
              { name: 'all', in: 'query', type: 'boolean', default: 'False' },
              {
                name: 'ids',
                in: 'query',
                type: 'array',
                items: { type: 'integer' },
                default: '1,2',
              },
              { name: 'X-Blob', in: 'header', type: 'string', format: 'byte', default: 'aGk=' },
              { name: 'fine', in: 'query', type: 'integer', default: 1 },
            ],
            responses: { '204': { description: 'ok' } },
          },
        },
      },
    });
    const seen: OperationContext[] = [];
    const listThings = (context: OperationContext) => void seen.push(context);
    const { url } = await serve({ api, handlers: { listThings } });
    expect((await call(`${url}/things`)).status).toBe(204);
    expect(seen[0]!.query).toEqual({
      page: 1,
      big: 9007199254740993n,
      ratio: 0.25,
      all: false,
      ids: [1, 2],
      fine: 1,
    });
    expect(seen[0]!.headers).toEqual({ 'X-Blob': 'aGk=' });
  });

  it('refuses a default whose text no client could send for its schema either', async () => {
    const api = await loadApi({
      swagger: '2.0',
      info: { title: 'defaults', version: '1' },
      paths: {
        '/things': {
          get: {
            operationId: 'listThings',
            parameters: [
              { name: 'page', in: 'query', type: 'integer', default: '1.5' },
              { name: 'huge', in: 'query', type: 'number', default: '1e400' },
              { name: 'exact', in: 'query', type: 'number', default: '0.30000000000000001' },
              { name: 'on', in: 'query', type: 'boolean', default: 'yes' },
              { name: 'max', in: 'query', type: 'integer', maximum: 10, default: '11' },
              // Beyond 2^53 only an int64 holds it exactly.
              { name: 'big', in: 'query', type: 'integer', default: '9007199254740993' },
              { name: 'fine', in: 'query', type: 'integer', default: '2' },
            ],
            responses: { '204': { description: 'ok' } },
          },
        },
      },
    });
    const error = await serve({ api, handlers: { listThings: () => undefined } }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems.map(({ pointer }) => pointer)).toEqual(
      [0, 1, 2, 3, 4, 5].map((index) => `/paths/~1things/get/parameters/${index}/default`),
    );
  });

  it("gives each request its own copy of a list or object default, never the spec's", async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'defaults', version: '1' },
      paths: {
        '/things': {
          get: {
            operationId: 'listThings',
            parameters: [
              {
                name: 'tags',
                in: 'query',
                schema: { type: 'array', items: { type: 'string' }, default: ['a'] },
              },
              {
                name: 'range',
                in: 'query',
                style: 'deepObject',
                explode: true,
                schema: {
                  type: 'object',
                  properties: { x: { type: 'integer' } },
                  default: { x: 1 },
                },
              },
            ],
            responses: { '204': { description: 'ok' } },
          },
        },
      },
    });
    const seen: unknown[] = [];
    const listThings = ({ query }: OperationContext) => {
      seen.push(structuredClone(query));
      (query.tags as string[]).push('changed');
      (query.range as { x: number }).x = 2;
    };
    const { url } = await serve({ api, handlers: { listThings } });
    for (let round = 0; round < 2; round++) expect((await call(`${url}/things`)).status).toBe(204);
    expect(seen).toEqual([
      { tags: ['a'], range: { x: 1 } },
      { tags: ['a'], range: { x: 1 } },
    ]);
    expect(JSON.stringify(api.document.paths)).toContain('"default":["a"]');
  });

  it('keeps one item per occurrence for an exploded array, even with commas', async () => {
    const { url, seen } = await served();
    expect((await call(`${url}/profiles?tags=a,b&ids=3`)).status).toBe(200);
    expect(seen[0]!.query.tags).toEqual(['a', 'b']);
    expect(seen[0]!.query.ids).toEqual([3]);
  });

  it('answers 400 INVALID_PARAMETER listing every problem with its pointer', async () => {
    const { url, seen } = await served();
    const response = await call(`${url}/profiles?limit=500&ids=1&ids=x&active=maybe&min_score=-1`, {
      headers: { 'X-Page': 'first' },
    });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('INVALID_PARAMETER');
    expect(response.json.status).toBe(400);
    expect(
      response.json.problems.map((problem: { pointer: string }) => problem.pointer).sort(),
    ).toEqual([
      '/header/X-Page',
      '/query/active',
      '/query/ids/1',
      '/query/limit',
      '/query/min_score',
    ]);
    expect(
      Object.fromEntries(
        response.json.problems.map((problem: { pointer: string; keyword: string }) => [
          problem.pointer,
          problem.keyword,
        ]),
      ),
    ).toMatchObject({
      '/query/limit': 'maximum',
      '/query/ids/1': 'type',
      '/query/min_score': 'minimum',
    });
    expect(seen).toHaveLength(0);
  });

  it('reads an array header as an HTTP list: spaces around items, empty items, several lines', async () => {
    const { url, seen } = await served();
    const lists = [
      'X-Flags: true, false',
      'X-Flags: true ,\tfalse',
      'X-Flags: true\r\nX-Flags: false',
      'X-Flags: , true,,false ,',
    ];
    for (const line of lists) {
      const response = await rawRequest(url, httpRequest('GET', '/profiles', { headers: [line] }));
      expect([line, response.status]).toEqual([line, 200]);
    }
    expect(seen.map((context) => context.headers['X-Flags'])).toEqual(
      lists.map(() => [true, false]),
    );
    const wrong = await call(`${url}/profiles`, { headers: { 'X-Flags': 'true, maybe' } });
    expect([wrong.status, wrong.json.problems[0].pointer]).toEqual([400, '/header/X-Flags/1']);
  });

  it("reads an array header sent on several lines by each line's own collection format, then joins the lists", async () => {
    const header = (name: string, collectionFormat: string, items: object) => ({
      name,
      in: 'header',
      type: 'array',
      collectionFormat,
      items,
    });
    const api = await loadApi({
      swagger: '2.0',
      info: { title: 'header lines', version: '1' },
      paths: {
        '/lines': {
          get: {
            operationId: 'lines',
            parameters: [
              header('X-Pipes', 'pipes', { type: 'string' }),
              header('X-Numbers', 'pipes', { type: 'integer' }),
              header('X-Spaces', 'ssv', { type: 'string' }),
              header('X-Tabs', 'tsv', { type: 'string' }),
              header('X-Rows', 'pipes', { type: 'array', items: { type: 'integer' } }),
            ],
            responses: { '200': { description: 'ok', schema: { type: 'object' } } },
          },
        },
      },
    });
    const { url } = await serve({ api, handlers: { lines: ({ headers }) => ({ headers }) } });
    const response = await rawRequest(
      url,
      httpRequest('GET', '/lines', {
        headers: [
          'X-Pipes: a|b',
          'X-Pipes: c',
          'X-Numbers: 1|2',
          'x-numbers: 3',
          'X-Spaces: a b',
          'X-Spaces: c',
          'X-Tabs: a\tb',
          'X-Tabs: c',
          'X-Rows: 1,2|3',
          'X-Rows: 4,5',
        ],
      }),
    );
    expect([response.status, JSON.parse(response.text)]).toEqual([
      200,
      {
        headers: {
          'X-Pipes': ['a', 'b', 'c'],
          'X-Numbers': [1, 2, 3],
          'X-Spaces': ['a', 'b', 'c'],
          'X-Tabs': ['a', 'b', 'c'],
          'X-Rows': [[1, 2], [3], [4, 5]],
        },
      },
    ]);
    // A line's own comma is data of a pipes list, as on one line.
    const comma = await rawRequest(
      url,
      httpRequest('GET', '/lines', { headers: ['X-Pipes: a, b|c', 'X-Pipes: d'] }),
    );
    expect(JSON.parse(comma.text).headers).toEqual({ 'X-Pipes': ['a, b', 'c', 'd'] });
  });

  it('reads a parameter whose untyped schema lists its values (enum, const) by the types of those values', async () => {
    const query = (name: string, schema: object) => ({ name, in: 'query', schema });
    const api = await loadApi({
      openapi: '3.1.0',
      info: { title: 'listed values', version: '1' },
      paths: {
        '/listed/{p}': {
          get: {
            operationId: 'listed',
            parameters: [
              { name: 'p', in: 'path', required: true, schema: { enum: [1, 2] } },
              query('c', { const: 5 }),
              query('flag', { enum: [true, false] }),
              query('ratio', { enum: [0.5, 'none'] }),
              query('maybe', { enum: [null, 3] }),
              // A text equal to a string listed is that string, as under type: [string, integer].
              query('mixed', { enum: [1, '1', 'a'] }),
              query('ids', { type: 'array', items: { enum: [7, 8] } }),
              { name: 'X-Level', in: 'header', schema: { enum: [10, 20] } },
            ],
            responses: {
              '200': { description: 'ok', content: { 'application/json': { schema: {} } } },
            },
          },
        },
      },
    });
    const { url } = await serve({
      api,
      handlers: { listed: ({ params, query, headers }) => ({ params, query, headers }) },
    });
    const read = await call(`${url}/listed/2?c=5&flag=true&ratio=0.5&maybe=&mixed=1&ids=7&ids=8`, {
      headers: { 'X-Level': '20' },
    });
    expect([read.status, read.json]).toEqual([
      200,
      {
        params: { p: 2 },
        query: { c: 5, flag: true, ratio: 0.5, maybe: null, mixed: '1', ids: [7, 8] },
        headers: { 'X-Level': 20 },
      },
    ]);
    const strings = await call(`${url}/listed/1?ratio=none&mixed=a&maybe=3`);
    expect([strings.status, strings.json.query]).toEqual([
      200,
      { ratio: 'none', mixed: 'a', maybe: 3 },
    ]);
    const wrong = await call(`${url}/listed/3?c=6&flag=maybe&ids=9`);
    expect([
      wrong.status,
      wrong.json.problems.map((problem: { pointer: string }) => problem.pointer),
    ]).toEqual([400, ['/path/p', '/query/c', '/query/flag', '/query/ids/0']]);
  });

  it('refuses a repeated parameter that is not an array', async () => {
    const { url } = await served();
    const response = await call(`${url}/profiles?limit=1&limit=2`);
    expect([response.status, response.json.error]).toEqual([400, 'INVALID_PARAMETER']);
    expect(response.json.problems[0].pointer).toBe('/query/limit');
  });

  it('validates path parameters from path-level parameters', async () => {
    const { url, seen } = await served();
    const response = await call(`${url}/profiles/ab`);
    expect([response.status, response.json.error]).toEqual([400, 'INVALID_PARAMETER']);
    expect(response.json.problems).toEqual([
      expect.objectContaining({ pointer: '/path/profile_id', keyword: 'minLength' }),
    ]);
    expect((await call(`${url}/profiles/a%20b%2Fc`)).status).toBe(200);
    expect(seen[0]!.params).toEqual({ profile_id: 'a b/c' });
  });
});

describe('JSON bodies', () => {
  it('answers 400 with the pointer of each problem of the body', async () => {
    const { url, seen } = await served();
    const response = await call(`${url}/profiles`, {
      method: 'POST',
      body: { profile_id: 'x', view_count: -1 },
    });
    expect([response.status, response.json.error]).toEqual([400, 'INVALID_PARAMETER']);
    const pointers = response.json.problems.map((problem: { pointer: string }) => problem.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/body/profile_id', '/body/view_count']));
    expect(
      response.json.problems.some((problem: { keyword: string }) => problem.keyword === 'required'),
    ).toBe(true);
    expect(seen).toHaveLength(0);
  });

  it('answers 400 for a null the schema does not allow, never dropping it and going on', async () => {
    const { url, seen } = await served();
    const response = await call(`${url}/profiles`, {
      method: 'POST',
      body: { profile_id: 'ann', name: 'Ann', nickname: null, tags: null },
    });
    expect([response.status, response.json.error]).toEqual([400, 'INVALID_PARAMETER']);
    expect(
      response.json.problems.map((problem: { pointer: string; keyword: string }) => [
        problem.pointer,
        problem.keyword,
      ]),
    ).toEqual([
      ['/body/nickname', 'type'],
      ['/body/tags', 'type'],
    ]);
    expect(seen).toHaveLength(0);
  });

  it('refuses bytes that are not UTF-8, never storing them as U+FFFD', async () => {
    const { url, seen } = await served();
    const bytes = Buffer.concat([
      Buffer.from('{"profile_id":"ann","name":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    const response = await fetch(`${url}/profiles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bytes,
    });
    const json = (await response.json()) as { error: string; problems: { keyword: string }[] };
    expect([response.status, json.error, json.problems[0]?.keyword]).toEqual([
      400,
      'INVALID_PARAMETER',
      'json',
    ]);
    expect(seen).toHaveLength(0);
  });

  it('reads an empty body with the JSON content type as no body', async () => {
    const { url, seen } = await served();
    const deleted = await call(`${url}/profiles/ann`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
    });
    expect(deleted.status).toBe(204);
    expect(seen).toHaveLength(1);
    const created = await call(`${url}/profiles`, { method: 'POST', body: '' });
    expect([created.status, created.json.problems[0].pointer]).toEqual([400, '/body']);
  });

  it("reads a body of JSON's whitespace alone as no body, and any other space or a BOM alone as no JSON", async () => {
    const { url, seen } = await served();
    for (const body of [' ', '\t\r\n ']) {
      const required = await call(`${url}/profiles`, { method: 'POST', body });
      expect([required.status, required.json.problems[0].keyword]).toEqual([400, 'required']);
      const optional = await call(`${url}/echo`, { method: 'POST', body });
      expect(optional.status).toBe(200);
    }
    expect(seen.map((context) => context.body)).toEqual([undefined, undefined]);
    seen.length = 0;
    // JSON's whitespace is space, tab, LF and CR (RFC 8259 §2): String.prototype.trim() also
    // takes these, and a BOM, which may come before a value but is none.
    for (const body of ['\u00a0', '\u2028', '\u3000', '\ufeff', '\ufeff ', ' \ufeff']) {
      for (const path of ['/profiles', '/echo']) {
        const response = await call(`${url}${path}`, { method: 'POST', body });
        expect([JSON.stringify(body), path, response.status, response.json.problems]).toEqual([
          JSON.stringify(body),
          path,
          400,
          [{ pointer: '/body', keyword: 'json', message: 'is not valid JSON' }],
        ]);
      }
    }
    expect(seen).toHaveLength(0);
    const withBom = await call(`${url}/echo`, { method: 'POST', body: '\ufeff {"a":1}' });
    expect([withBom.status, withBom.json]).toEqual([200, { a: 1 }]);
  });

  it('checks each item of a list of models and the list itself', async () => {
    const { url } = await served();
    const item = { profile_id: 'ann', name: 'Ann' };
    const bad = await call(`${url}/profiles/ann/friends`, {
      method: 'POST',
      body: [item, { profile_id: 'bob' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.problems.map((problem: { pointer: string }) => problem.pointer)).toEqual([
      '/body/1/name',
    ]);
    const long = await call(`${url}/profiles/ann/friends`, {
      method: 'POST',
      body: [item, item, item, item],
    });
    expect([long.status, long.json.problems[0].keyword]).toEqual([400, 'maxItems']);
  });

  it('reads a list of 30,000 wrong models up to its first 1,000 or so problems, not all 60,000', async () => {
    const { url } = await served();
    const body = Array.from({ length: 30_000 }, () => ({ profile_id: 'x' }));
    const response = await call(`${url}/profiles/ann/friends`, { method: 'POST', body });
    expect(response.status).toBe(400);
    // The answer lists 20 of them, and says how many more were found, at least: checking
    // stopped there.
    expect(response.json.problems).toHaveLength(20);
    const more = Number(/\(and at least (\d+) more\)$/.exec(response.json.error_description)?.[1]);
    expect(more + 20).toBeGreaterThanOrEqual(1_000);
    expect(more + 20).toBeLessThanOrEqual(1_100);
  });

  it('answers 400 when a required body is missing', async () => {
    const { url } = await served();
    const response = await call(`${url}/profiles`, { method: 'POST' });
    expect([response.status, response.json.error]).toEqual([400, 'INVALID_PARAMETER']);
    expect(response.json.problems[0]).toMatchObject({ pointer: '/body', keyword: 'required' });
  });

  it('accepts an absent optional body', async () => {
    const { url, seen } = await served();
    const response = await call(`${url}/echo`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(seen[0]!.body).toBeUndefined();
  });

  it('answers 400 INVALID_PARAMETER for a body that is not JSON', async () => {
    const { url } = await served();
    const response = await call(`${url}/profiles`, { method: 'POST', body: '{"profile_id": ' });
    expect([response.status, response.json.error]).toEqual([400, 'INVALID_PARAMETER']);
    expect(response.json.problems[0]).toMatchObject({ pointer: '/body', keyword: 'json' });
  });

  it('answers 415 UNSUPPORTED_MEDIA_TYPE for another content type', async () => {
    const { url, seen } = await served();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const response = await call(`${url}/profiles`, {
        method: 'POST',
        body: 'profile_id=ann',
        headers: { 'content-type': type },
      });
      expect([response.status, response.json.error]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    }
    expect(seen).toHaveLength(0);
  });

  it('reads +json media types with a charset or other parameters as JSON, in compat too', async () => {
    for (const compat of [undefined, 'pymacaron'] as const) {
      const { url, seen } = await served({ compat });
      const types = [
        'application/problem+json; charset=utf-8',
        'application/vnd.api+json;charset=utf-8',
        'Application/Merge-Patch+JSON ; charset="utf-8"; profile=x',
      ];
      for (const type of types) {
        const response = await call(`${url}/echo`, {
          method: 'POST',
          body: { a: 1 },
          headers: { 'content-type': type },
        });
        expect([compat, type, response.status]).toEqual([compat, type, 200]);
      }
      expect(seen.map((context) => context.body)).toEqual(types.map(() => ({ a: 1 })));
      const other = await call(`${url}/echo`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/jsonx; charset=utf-8' },
      });
      expect(other.status).toBe(415);
    }
  });

  it('reads +json media types and a charset as JSON', async () => {
    const { url, seen } = await served();
    const merge = await call(`${url}/echo`, {
      method: 'POST',
      body: { a: 1 },
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    const charset = await call(`${url}/echo`, {
      method: 'POST',
      body: { b: 2 },
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect([merge.status, charset.status]).toEqual([200, 200]);
    expect(seen.map((context) => context.body)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('answers 415 to a JSON body declared in a charset other than UTF-8, in compat too', async () => {
    for (const compat of [undefined, 'pymacaron'] as const) {
      const { url, seen } = await served({ compat });
      for (const type of [
        'application/json; charset=iso-8859-1',
        'application/json;charset="UTF-16"',
        'application/merge-patch+json; charset=windows-1252',
      ]) {
        const response = await call(`${url}/echo`, {
          method: 'POST',
          body: '{"name":"caf\u00e9"}',
          headers: { 'content-type': type },
        });
        expect([type, response.status, response.json.error]).toEqual([
          type,
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        ]);
      }
      for (const type of [
        'application/json; charset=US-ASCII',
        'application/json; charset="utf8"',
      ]) {
        const response = await call(`${url}/echo`, {
          method: 'POST',
          body: { a: 1 },
          headers: { 'content-type': type },
        });
        expect([type, response.status]).toEqual([type, 200]);
      }
      expect(seen.map((context) => context.body)).toEqual([{ a: 1 }, { a: 1 }]);
      // No body: no charset to read it in, so nothing to refuse.
      const empty = await call(`${url}/echo`, {
        method: 'POST',
        body: '',
        headers: { 'content-type': 'application/json; charset=ISO-8859-1' },
      });
      expect(empty.status).not.toBe(415);
    }
  });

  it('answers 413 REQUEST_TOO_LARGE beyond the body limit', async () => {
    const { url, seen } = await served({ bodyLimit: 64 });
    const small = await call(`${url}/echo`, { method: 'POST', body: { a: 1 } });
    expect(small.status).toBe(200);
    const large = await call(`${url}/echo`, {
      method: 'POST',
      body: Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`key${index}`, index])),
    });
    expect([large.status, large.json.error]).toEqual([413, 'REQUEST_TOO_LARGE']);
    expect(seen).toHaveLength(1);
  });
});

describe('cookie and JSON-content parameters', () => {
  it('reads cookies and parameters whose content is JSON', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'cookies', version: '1' },
      paths: {
        '/session': {
          get: {
            operationId: 'session',
            parameters: [
              { name: 'session_id', in: 'cookie', required: true, schema: { type: 'integer' } },
              {
                name: 'filter',
                in: 'query',
                content: {
                  'application/json': {
                    schema: {
                      type: 'object',
                      required: ['name'],
                      properties: { name: { type: 'string' } },
                    },
                  },
                },
              },
            ],
            responses: {
              '200': { description: 'ok', content: { 'application/json': { schema: {} } } },
            },
          },
        },
      },
    });
    const { url } = await serve({
      api,
      handlers: { session: ({ cookies, query }) => ({ cookies, query }) },
    });
    const filter = encodeURIComponent(JSON.stringify({ name: 'ann' }));
    const response = await call(`${url}/session?filter=${filter}`, {
      headers: { cookie: 'theme=dark; session_id=42' },
    });
    expect([response.status, response.json]).toEqual([
      200,
      { cookies: { session_id: 42 }, query: { filter: { name: 'ann' } } },
    ]);
    // Spaces and tabs around a cookie are not part of it, a NBSP is (trim() took it off too).
    const spaced = await rawRequest(
      url,
      httpRequest('GET', '/session', { headers: ['Cookie: theme=dark;\tsession_id=42 '] }),
    );
    expect([spaced.status, JSON.parse(spaced.text).cookies]).toEqual([200, { session_id: 42 }]);
    const nbsp = await rawRequest(
      url,
      Buffer.from(
        httpRequest('GET', '/session', { headers: ['Cookie: session_id=\u00a042'] }),
        'latin1',
      ),
    );
    expect([nbsp.status, JSON.parse(nbsp.text).problems[0].pointer]).toEqual([
      400,
      '/cookie/session_id',
    ]);
    const missing = await call(`${url}/session?filter=%7B%7D`);
    expect(missing.status).toBe(400);
    expect(
      missing.json.problems.map((problem: { pointer: string }) => problem.pointer).sort(),
    ).toEqual(['/cookie/session_id', '/query/filter/name']);
  });

  it('refuses a JSON parameter given twice, never reading its first value', async () => {
    const api = await loadApi({
      openapi: '3.0.3',
      info: { title: 'json parameters', version: '1' },
      paths: {
        '/search': {
          get: {
            operationId: 'search',
            parameters: [
              {
                name: 'filter',
                in: 'query',
                content: { 'application/json': { schema: { type: 'object' } } },
              },
              {
                name: 'ids',
                in: 'query',
                content: {
                  'application/json': { schema: { type: 'array', items: { type: 'integer' } } },
                },
              },
            ],
            responses: {
              '200': { description: 'ok', content: { 'application/json': { schema: {} } } },
            },
          },
        },
      },
    });
    const seen: unknown[] = [];
    const { url } = await serve({
      api,
      handlers: {
        search: ({ query }) => {
          seen.push(query);
          return {};
        },
      },
    });
    const once = await call(`${url}/search?ids=${encodeURIComponent('[1,2]')}`);
    expect([once.status, seen]).toEqual([200, [{ ids: [1, 2] }]]);
    for (const search of ['filter=%7B%22a%22%3A1%7D&filter=%7B%7D', 'ids=%5B1%5D&ids=%5B2%5D']) {
      const twice = await call(`${url}/search?${search}`);
      const name = search.slice(0, search.indexOf('='));
      expect([twice.status, twice.json.problems]).toEqual([
        400,
        [
          {
            pointer: `/query/${name}`,
            keyword: 'type',
            message: 'must be given once, not repeated',
          },
        ],
      ]);
    }
    expect(seen).toHaveLength(1);
  });
});
