import { loadApi } from '@macaron/core';
import type { FastifyServerOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { OperationContext, OperationHandlers } from '../src/index.js';
import { call, serve } from './serve.js';

// OpenAPI 3 parameter styles (OAS 3.0.3 §4.7.12.4, 3.1 the same), over a real socket: every
// operation answers with the parameters its handler received.
const integer = { type: 'integer' };
const range = { type: 'object', properties: { gte: integer, lt: integer } };
const color = {
  type: 'object',
  properties: { R: integer, G: integer, B: integer },
  additionalProperties: false,
};
const integers = { type: 'array', items: integer };
const strings = { type: 'array', items: { type: 'string' } };

type Parameter = Record<string, unknown>;
const operations: Record<string, Parameter[]> = {
  '/charges': [
    { name: 'created', in: 'query', style: 'deepObject', explode: true, schema: range },
    { name: 'limit', in: 'query', schema: integer },
  ],
  // Stripe's list filters: an object or an integer, and a list, both deepObject.
  '/customers': [
    {
      name: 'created',
      in: 'query',
      style: 'deepObject',
      explode: true,
      schema: { anyOf: [range, integer] },
    },
    { name: 'expand', in: 'query', style: 'deepObject', explode: true, schema: strings },
    {
      name: 'strict',
      in: 'query',
      required: true,
      style: 'deepObject',
      explode: true,
      schema: { anyOf: [range, integer] },
    },
  ],
  // A list through an allOf part, a schema without a type, and a form object's property
  // that shares a deepObject's bare name.
  '/deep-others': [
    {
      name: 'ids',
      in: 'query',
      style: 'deepObject',
      explode: true,
      schema: { allOf: [{ $ref: '#/components/schemas/Strings' }, { maxItems: 3 }] },
    },
    {
      name: 'loose',
      in: 'query',
      style: 'deepObject',
      explode: true,
      schema: { properties: { gt: integer } },
    },
    { name: 'page', in: 'query', schema: { type: 'object', properties: { created: integer } } },
    { name: 'created', in: 'query', style: 'deepObject', explode: true, schema: range },
  ],
  '/required-deep': [
    { name: 'created', in: 'query', required: true, style: 'deepObject', schema: range },
  ],
  '/form': [
    { name: 'range', in: 'query', schema: range },
    { name: 'limit', in: 'query', schema: integer },
  ],
  '/form-open': [
    {
      name: 'tags',
      in: 'query',
      schema: { type: 'object', additionalProperties: { type: 'string' } },
    },
    { name: 'limit', in: 'query', schema: integer },
  ],
  '/colors': [{ name: 'color', in: 'query', explode: false, schema: color }],
  '/composed': [
    { name: 'color', in: 'query', schema: { allOf: [{ $ref: '#/components/schemas/Color' }] } },
  ],
  '/reserved': [
    { name: 'expr', in: 'query', allowReserved: true, schema: { type: 'string' } },
    { name: 'text', in: 'query', schema: { type: 'string' } },
  ],
  '/delimited': [
    { name: 'spaced', in: 'query', style: 'spaceDelimited', explode: false, schema: integers },
    { name: 'piped', in: 'query', style: 'pipeDelimited', explode: false, schema: integers },
    { name: 'color', in: 'query', style: 'pipeDelimited', explode: false, schema: color },
    { name: 'words', in: 'query', explode: false, schema: strings },
  ],
  '/simple/{range}': [{ name: 'range', in: 'path', required: true, schema: range }],
  '/simple-x/{range}': [
    { name: 'range', in: 'path', required: true, explode: true, schema: range },
  ],
  '/simple-words/{words}': [{ name: 'words', in: 'path', required: true, schema: strings }],
  '/label/{ids}': [{ name: 'ids', in: 'path', required: true, style: 'label', schema: integers }],
  '/label-x/{ids}': [
    { name: 'ids', in: 'path', required: true, style: 'label', explode: true, schema: integers },
  ],
  '/label-one/{id}.json': [
    { name: 'id', in: 'path', required: true, style: 'label', schema: integer },
  ],
  '/label-color/{color}': [
    { name: 'color', in: 'path', required: true, style: 'label', schema: color },
  ],
  '/label-color-x/{color}': [
    { name: 'color', in: 'path', required: true, style: 'label', explode: true, schema: color },
  ],
  '/matrix/{ids}': [{ name: 'ids', in: 'path', required: true, style: 'matrix', schema: integers }],
  '/matrix-x/{ids}': [
    { name: 'ids', in: 'path', required: true, style: 'matrix', explode: true, schema: integers },
  ],
  '/matrix-one/{id}': [
    { name: 'id', in: 'path', required: true, style: 'matrix', schema: integer },
  ],
  '/matrix-color/{color}': [
    { name: 'color', in: 'path', required: true, style: 'matrix', schema: color },
  ],
  '/matrix-color-x/{color}': [
    { name: 'color', in: 'path', required: true, style: 'matrix', explode: true, schema: color },
  ],
  '/headers': [
    { name: 'X-Color', in: 'header', schema: color },
    { name: 'X-Color-X', in: 'header', explode: true, schema: color },
  ],
  '/cookies': [
    { name: 'color', in: 'cookie', explode: false, schema: color },
    { name: 'range', in: 'cookie', schema: range },
  ],
  '/files/{name}': [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
  '/ids/{id}': [{ name: 'id', in: 'path', required: true, schema: integer }],
  // Schemas made of others (GitHub's workflow_id is `oneOf: [integer, string]`).
  '/members/{id}': [
    {
      name: 'id',
      in: 'path',
      required: true,
      schema: {
        oneOf: [
          { type: 'integer', minimum: 1 },
          { type: 'string', enum: ['latest'] },
        ],
      },
    },
    { name: 'flag', in: 'query', schema: { anyOf: [integer, { type: 'boolean' }] } },
    { name: 'count', in: 'query', schema: { allOf: [{ $ref: '#/components/schemas/Count' }] } },
    { name: 'either', in: 'query', schema: { oneOf: [integer, { type: 'string' }] } },
  ],
  // The same union behind the 3.0 wrapper, and nested in another union.
  '/wrapped-filters': [
    {
      name: 'filter',
      in: 'query',
      style: 'deepObject',
      explode: true,
      schema: { allOf: [{ $ref: '#/components/schemas/Filter' }], description: 'A filter.' },
    },
    {
      name: 'nested',
      in: 'query',
      style: 'deepObject',
      explode: true,
      schema: {
        oneOf: [
          {
            type: 'object',
            required: ['n'],
            additionalProperties: false,
            properties: { n: { type: 'string', pattern: '^[a-z]+$' } },
          },
          {
            anyOf: [
              {
                type: 'object',
                required: ['n'],
                additionalProperties: false,
                properties: { n: { type: 'boolean' } },
              },
              {
                type: 'object',
                required: ['n'],
                additionalProperties: false,
                properties: { n: { type: 'integer' } },
              },
            ],
          },
        ],
      },
    },
  ],
  // Object parameters whose members declare one property differently.
  '/filters': [
    {
      name: 'filter',
      in: 'query',
      style: 'deepObject',
      explode: true,
      schema: {
        oneOf: [
          {
            type: 'object',
            required: ['n'],
            additionalProperties: false,
            properties: { n: { type: 'string', pattern: '^[a-z]+$' }, tag: { type: 'string' } },
          },
          {
            type: 'object',
            required: ['n'],
            additionalProperties: false,
            properties: { n: { type: 'integer' }, big: { type: 'boolean' } },
          },
        ],
      },
    },
    {
      name: 'size',
      in: 'cookie',
      explode: true,
      schema: {
        anyOf: [
          {
            type: 'object',
            required: ['w'],
            properties: { w: { type: 'string', enum: ['auto'] } },
          },
          { type: 'object', required: ['w'], properties: { w: { type: 'number' } } },
        ],
      },
    },
  ],
};

const idOf = (path: string) => path.replace(/[^A-Za-z]/g, '');
const api = await loadApi({
  openapi: '3.0.3',
  info: { title: 'styles', version: '1' },
  components: {
    schemas: {
      Color: color,
      Count: { type: 'integer', minimum: 0 },
      Strings: strings,
      Filter: {
        oneOf: [
          {
            type: 'object',
            required: ['n'],
            additionalProperties: false,
            properties: { n: { type: 'string', pattern: '^[a-z]+$' } },
          },
          {
            type: 'object',
            required: ['n'],
            additionalProperties: false,
            properties: { n: { type: 'integer' }, big: { type: 'boolean' } },
          },
        ],
      },
    },
  },
  paths: Object.fromEntries(
    Object.entries(operations).map(([path, parameters]) => [
      path,
      {
        get: {
          operationId: idOf(path),
          parameters,
          responses: {
            '200': {
              description: 'ok',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
    ]),
  ),
});

const echo = ({ params, query, headers, cookies }: OperationContext) => ({
  params,
  query,
  headers,
  cookies,
});
const handlers: OperationHandlers = Object.fromEntries(
  Object.keys(operations).map((path) => [idOf(path), echo]),
);

async function served() {
  const { url } = await serve({ api, handlers });
  return url;
}

describe('allowReserved', () => {
  it('reads a + sent as it is as a plus, where a form-encoded value reads it as a space', async () => {
    const url = await served();
    const response = await call(`${url}/reserved?expr=a+b&text=a+b`);
    expect(response.status).toBe(200);
    expect(response.json.query).toEqual({ expr: 'a+b', text: 'a b' });
  });
});

describe('empty path segments', () => {
  it('are the value "", which the schema judges (GitHub lists a repository root as /contents/)', async () => {
    const url = await served();
    const root = await call(`${url}/files/`);
    expect(root.status).toBe(200);
    expect(root.json.params).toEqual({ name: '' });
    const id = await call(`${url}/ids/`);
    expect(id.status).toBe(400);
    expect(id.json.problems).toEqual([
      expect.objectContaining({ pointer: '/path/id', keyword: 'type' }),
    ]);
  });
});

describe('parameters of schemas made of others', () => {
  it('reads the text as the first member or part reads it, where the whole schema takes it', async () => {
    const url = await served();
    const read = await call(`${url}/members/5?flag=true&count=3&either=42`);
    expect(read.status).toBe(200);
    expect(read.json.params).toEqual({ id: 5 });
    expect(read.json.query).toEqual({ flag: true, count: 3, either: 42 });
    const other = await call(`${url}/members/latest?flag=7&either=x7`);
    expect(other.json.params).toEqual({ id: 'latest' });
    expect(other.json.query).toEqual({ flag: 7, either: 'x7' });
    // A text no member takes is refused at its pointer.
    const refused = await call(`${url}/members/0?count=-1`);
    expect(refused.status).toBe(400);
    expect(refused.json.problems.map((problem: { pointer: string }) => problem.pointer)).toEqual([
      '/path/id',
      '/query/count',
    ]);
  });
});

describe('object parameters of oneOf or anyOf members', () => {
  it('reads the properties as the first member reads them, where the whole schema takes the object', async () => {
    const url = await served();
    const first = await call(`${url}/filters?filter[n]=abc&filter[tag]=x`, {
      headers: { cookie: 'w=auto' },
    });
    expect(first.status).toBe(200);
    expect(first.json.query).toEqual({ filter: { n: 'abc', tag: 'x' } });
    expect(first.json.cookies).toEqual({ size: { w: 'auto' } });
    const second = await call(`${url}/filters?filter[n]=7&filter[big]=true`, {
      headers: { cookie: 'w=2.5' },
    });
    expect(second.status).toBe(200);
    expect(second.json.query).toEqual({ filter: { n: 7, big: true } });
    expect(second.json.cookies).toEqual({ size: { w: 2.5 } });
    // An object no member takes is refused, read as before (the first declaring member).
    const refused = await call(`${url}/filters?filter[n]=7&filter[tag]=x`, {
      headers: { cookie: 'w=wide' },
    });
    expect(refused.status).toBe(400);
    expect(refused.json.problems.map((problem: { pointer: string }) => problem.pointer)).toEqual(
      expect.arrayContaining(['/query/filter', '/cookie/size']),
    );
  });
});

describe('object parameters of unions behind allOf wrappers or inside other unions', () => {
  it('are read as the first member that the whole schema takes reads them', async () => {
    const url = await served();
    const read = await call(`${url}/wrapped-filters?filter[n]=7&filter[big]=true&nested[n]=7`);
    expect(read.status).toBe(200);
    expect(read.json.query).toEqual({ filter: { n: 7, big: true }, nested: { n: 7 } });
    // `true` is text the first member takes (its pattern): read as that member reads it.
    const words = await call(`${url}/wrapped-filters?filter[n]=abc&nested[n]=true`);
    expect(words.json.query).toEqual({ filter: { n: 'abc' }, nested: { n: 'true' } });
  });
});

describe('query objects', () => {
  it('reads an exploded form object made of a closed schema (allOf of a $ref) by its own names only', async () => {
    const url = await served();
    const response = await call(`${url}/composed?R=1&utm_source=x`);
    expect(response.status).toBe(200);
    expect(response.json.query).toEqual({ color: { R: 1 } });
    const unrelated = await call(`${url}/composed?utm_source=x`);
    expect(unrelated.status).toBe(200);
    expect(unrelated.json.query).toEqual({});
  });

  it('reads a deepObject parameter, its properties coerced by their schema', async () => {
    const url = await served();
    const response = await call(`${url}/charges?created[gte]=1&created[lt]=5&limit=3`);
    expect(response.status).toBe(200);
    expect(response.json.query).toEqual({ created: { gte: 1, lt: 5 }, limit: 3 });
    // Brackets percent-encoded, as URLSearchParams writes them, are the same names.
    const encoded = await call(`${url}/charges?${new URLSearchParams({ 'created[gte]': '2' })}`);
    expect(encoded.json.query).toEqual({ created: { gte: 2 } });
    const wrong = await call(`${url}/charges?created[gte]=x`);
    expect(wrong.status).toBe(400);
    expect(wrong.json.problems).toEqual([
      expect.objectContaining({ pointer: '/query/created/gte', keyword: 'type' }),
    ]);
  });

  it('reads a deepObject parameter given by its bare name as the other values its schema takes, never dropping it', async () => {
    const url = await served();
    const scalar = await call(`${url}/customers?strict=1&created=5`);
    expect(scalar.status).toBe(200);
    expect(scalar.json.query).toEqual({ strict: 1, created: 5 });
    const object = await call(`${url}/customers?strict[gte]=1&created[lt]=9`);
    expect(object.json.query).toEqual({ strict: { gte: 1 }, created: { lt: 9 } });
    const wrong = await call(`${url}/customers?strict=x`);
    expect(wrong.status).toBe(400);
    expect(wrong.json.problems[0].pointer).toBe('/query/strict');
    const both = await call(`${url}/customers?strict=1&strict[gte]=2`);
    expect(both.status).toBe(400);
    expect(both.json.problems).toEqual([
      expect.objectContaining({ pointer: '/query/strict', keyword: 'style' }),
    ]);
    // A schema of objects only takes no bare value: refused, not read as absent.
    const objectsOnly = await call(`${url}/charges?created=5`);
    expect(objectsOnly.status).toBe(400);
    expect(objectsOnly.json.problems).toEqual([
      expect.objectContaining({
        pointer: '/query/created',
        keyword: 'style',
        message: 'must be written created[property]=value (deepObject style)',
      }),
    ]);
  });

  it('reads a deepObject list under its bare name, name[] or name[0], name[1], …', async () => {
    const url = await served();
    for (const query of [
      'expand=a&expand=b',
      'expand[]=a&expand[]=b',
      'expand[1]=b&expand[0]=a',
      `${new URLSearchParams([
        ['expand[0]', 'a'],
        ['expand[1]', 'b'],
      ])}`,
    ]) {
      const response = await call(`${url}/customers?strict=1&${query}`);
      expect(response.status, query).toBe(200);
      expect(response.json.query.expand, query).toEqual(['a', 'b']);
    }
    expect((await call(`${url}/customers?strict=1&expand[]=a`)).json.query.expand).toEqual(['a']);
    for (const query of [
      'expand=a&expand[]=b',
      'expand[]=a&expand[0]=b',
      'expand[0]=a&expand[2]=b',
      'expand[0]=a&expand[0]=b',
      'expand[x]=a',
    ]) {
      const response = await call(`${url}/customers?strict=1&${query}`);
      expect(response.status, query).toBe(400);
      expect(response.json.problems[0], query).toMatchObject({
        pointer: '/query/expand',
        keyword: 'style',
      });
    }
  });

  it("reads a list through an allOf part, a schema without a type by its bare name, an empty bare value as none, and leaves a form object's property its own", async () => {
    const url = await served();
    const list = await call(`${url}/deep-others?ids[1]=b&ids[0]=a`);
    expect(list.status).toBe(200);
    expect(list.json.query).toEqual({ ids: ['a', 'b'] });
    expect((await call(`${url}/deep-others?ids[]=a&ids[]=b&ids[]=c&ids[]=d`)).status).toBe(400);
    // `{ properties }` without a type takes any value, as JSON Schema reads it: the text.
    expect((await call(`${url}/deep-others?loose=5`)).json.query).toEqual({ loose: '5' });
    expect((await call(`${url}/deep-others?loose[gt]=5`)).json.query).toEqual({
      loose: { gt: 5 },
    });
    // `created` is a property of the form object `page` too: the bare name is page's.
    const shared = await call(`${url}/deep-others?created=5`);
    expect(shared.status).toBe(200);
    expect(shared.json.query).toEqual({ page: { created: 5 } });
    expect((await call(`${url}/deep-others?created[gte]=5`)).json.query).toEqual({
      created: { gte: 5 },
    });
    // An empty bare value (`qs` writes a null so) says nothing of an object.
    for (const query of ['created=', 'created'])
      expect((await call(`${url}/charges?${query}`)).json.query, query).toEqual({});
  });

  it('leaves an absent optional object out, and asks for an absent required one', async () => {
    const url = await served();
    const absent = await call(`${url}/charges?limit=3`);
    expect(absent.status).toBe(200);
    expect(absent.json.query).toEqual({ limit: 3 });
    const required = await call(`${url}/required-deep`);
    expect(required.status).toBe(400);
    expect(required.json.problems).toEqual([
      { pointer: '/query/created', keyword: 'required', message: 'is required' },
    ]);
    expect((await call(`${url}/required-deep?created[lt]=9`)).json.query).toEqual({
      created: { lt: 9 },
    });
  });

  it('reads a form object (explode: true) from the query names that are its properties', async () => {
    const url = await served();
    const response = await call(`${url}/form?gte=1&lt=5&limit=2&other=x`);
    expect(response.status).toBe(200);
    expect(response.json.query).toEqual({ range: { gte: 1, lt: 5 }, limit: 2 });
    expect((await call(`${url}/form?limit=2`)).json.query).toEqual({ limit: 2 });
  });

  it('gives an object with additionalProperties every name no other parameter declares', async () => {
    const url = await served();
    const response = await call(`${url}/form-open?a=x&b=y%2Cz&limit=2`);
    expect(response.status).toBe(200);
    expect(response.json.query).toEqual({ tags: { a: 'x', b: 'y,z' }, limit: 2 });
  });

  it('reads a form object with explode: false as name,value pairs', async () => {
    const url = await served();
    const response = await call(`${url}/colors?color=R,100,G,200`);
    expect(response.status).toBe(200);
    expect(response.json.query).toEqual({ color: { R: 100, G: 200 } });
    const odd = await call(`${url}/colors?color=R,100,G`);
    expect(odd.status).toBe(400);
    expect(odd.json.problems[0].pointer).toBe('/query/color');
    const closed = await call(`${url}/colors?color=R,1,Z,2`);
    expect(closed.status).toBe(400);
    expect(closed.json.problems[0].pointer).toBe('/query/color/Z');
  });

  it('reads spaceDelimited and pipeDelimited arrays and objects', async () => {
    const url = await served();
    const response = await call(`${url}/delimited?spaced=1%202+3&piped=4|5&color=R%7C1|G|2`);
    expect(response.status).toBe(200);
    expect(response.json.query).toEqual({
      spaced: [1, 2, 3],
      piped: [4, 5],
      color: { R: 1, G: 2 },
    });
  });

  it('splits on commas before percent-decoding: an encoded comma is data', async () => {
    const url = await served();
    const response = await call(`${url}/delimited?words=a%2Cb,c`);
    expect(response.json.query).toEqual({ words: ['a,b', 'c'] });
  });
});

describe('query text', () => {
  it('is read from the URL, whatever query parser the application gave fastify', async () => {
    const { url } = await serve({ api, handlers }, { querystringParser: () => ({}) });
    const response = await call(`${url}/charges?created[gte]=1&limit=3`);
    expect(response.json.query).toEqual({ created: { gte: 1 }, limit: 3 });
  });

  it("starts at a ';' too with fastify's useSemicolonDelimiter", async () => {
    const semicolons: FastifyServerOptions[] = [
      { useSemicolonDelimiter: true },
      // fastify 5.5's routerOptions: find-my-way reads it, its types do not list it.
      { routerOptions: { useSemicolonDelimiter: true } } as FastifyServerOptions,
    ];
    for (const options of semicolons) {
      const { url } = await serve({ api, handlers }, options);
      const response = await call(`${url}/charges;created[lt]=2&limit=3`);
      expect(response.json.query).toEqual({ created: { lt: 2 }, limit: 3 });
    }
  });
});

describe('path styles', () => {
  it('reads a simple object, with and without explode', async () => {
    const url = await served();
    const plain = await call(`${url}/simple/gte,1,lt,5`);
    expect(plain.status).toBe(200);
    expect(plain.json.params).toEqual({ range: { gte: 1, lt: 5 } });
    const exploded = await call(`${url}/simple-x/gte=1,lt=5`);
    expect(exploded.status).toBe(200);
    expect(exploded.json.params).toEqual({ range: { gte: 1, lt: 5 } });
  });

  it('splits a simple array on commas before percent-decoding', async () => {
    const url = await served();
    const response = await call(`${url}/simple-words/a%2Cb,c%20d`);
    expect(response.json.params).toEqual({ words: ['a,b', 'c d'] });
  });

  it('reads label arrays, primitives and objects', async () => {
    const url = await served();
    expect((await call(`${url}/label/.1,2,3`)).json.params).toEqual({ ids: [1, 2, 3] });
    expect((await call(`${url}/label-x/.1.2.3`)).json.params).toEqual({ ids: [1, 2, 3] });
    expect((await call(`${url}/label-one/.5.json`)).json.params).toEqual({ id: 5 });
    expect((await call(`${url}/label-color/.R,100,G,200`)).json.params).toEqual({
      color: { R: 100, G: 200 },
    });
    expect((await call(`${url}/label-color-x/.R=100.G=200`)).json.params).toEqual({
      color: { R: 100, G: 200 },
    });
    const unlabelled = await call(`${url}/label/1,2`);
    expect(unlabelled.status).toBe(400);
    expect(unlabelled.json.problems).toEqual([
      expect.objectContaining({ pointer: '/path/ids', keyword: 'style' }),
    ]);
  });

  it('reads matrix arrays, primitives and objects', async () => {
    const url = await served();
    expect((await call(`${url}/matrix/;ids=1,2,3`)).json.params).toEqual({ ids: [1, 2, 3] });
    expect((await call(`${url}/matrix-x/;ids=1;ids=2;ids=3`)).json.params).toEqual({
      ids: [1, 2, 3],
    });
    expect((await call(`${url}/matrix-one/;id=5`)).json.params).toEqual({ id: 5 });
    expect((await call(`${url}/matrix-color/;color=R,100,G,200`)).json.params).toEqual({
      color: { R: 100, G: 200 },
    });
    expect((await call(`${url}/matrix-color-x/;R=100;G=200`)).json.params).toEqual({
      color: { R: 100, G: 200 },
    });
    expect((await call(`${url}/matrix/;ids`)).json.params).toEqual({ ids: [] });
    const wrongName = await call(`${url}/matrix-one/;other=5`);
    expect(wrongName.status).toBe(400);
    expect(wrongName.json.problems).toEqual([
      expect.objectContaining({ pointer: '/path/id', keyword: 'style' }),
    ]);
  });
});

describe('header and cookie objects', () => {
  it('reads header objects in simple style, with and without explode', async () => {
    const url = await served();
    const response = await call(`${url}/headers`, {
      headers: { 'X-Color': 'R,100,G,200', 'X-Color-X': 'R=1, G=2' },
    });
    expect(response.status).toBe(200);
    expect(response.json.headers).toEqual({
      'X-Color': { R: 100, G: 200 },
      'X-Color-X': { R: 1, G: 2 },
    });
  });

  it('reads cookie objects in form style: name,value pairs, or one cookie per property', async () => {
    const url = await served();
    const response = await call(`${url}/cookies`, {
      headers: { cookie: 'color=R,100,G,200; gte=1; lt=5; session=abc' },
    });
    expect(response.status).toBe(200);
    expect(response.json.cookies).toEqual({ color: { R: 100, G: 200 }, range: { gte: 1, lt: 5 } });
  });
});

describe('OpenAPI 3.1', () => {
  it('reads deepObject and label parameters the same way, under a base path', async () => {
    const api31 = await loadApi({
      openapi: '3.1.0',
      info: { title: 'styles', version: '1' },
      servers: [{ url: '/v1' }],
      paths: {
        '/charges/{ids}': {
          get: {
            operationId: 'charges',
            parameters: [
              { name: 'ids', in: 'path', required: true, style: 'label', schema: integers },
              { name: 'created', in: 'query', style: 'deepObject', schema: range },
            ],
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { type: 'object' } } },
              },
            },
          },
        },
      },
    });
    const { url } = await serve({ api: api31, handlers: { charges: echo } });
    const response = await call(`${url}/v1/charges/.1,2?created[gte]=1`);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      params: { ids: [1, 2] },
      query: { created: { gte: 1 } },
    });
  });
});
