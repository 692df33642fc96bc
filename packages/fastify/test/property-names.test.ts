import { loadApi } from '@macaron/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { OperationHandlers } from '../src/index.js';
import { call, serve } from './serve.js';

// Every name Object.prototype holds: as property names they are data like any other.
const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
const prototypeBefore = Object.getOwnPropertyDescriptors(Object.prototype);

const open = { type: 'object', properties: { name: { type: 'string' } } };
const closed = { ...open, additionalProperties: false };
const ok = (schema: unknown) => ({
  '200': { description: 'ok', content: { 'application/json': { schema } } },
});
const post = (operationId: string, schema: unknown) => ({
  post: {
    operationId,
    requestBody: { required: true, content: { 'application/json': { schema } } },
    responses: ok(schema),
  },
});

const spec = {
  openapi: '3.1.0',
  info: { title: 'property names', version: '1' },
  paths: {
    '/inline/open': post('inlineOpen', open),
    '/inline/closed': post('inlineClosed', closed),
    '/models/open': post('modelOpen', { $ref: '#/components/schemas/Open' }),
    '/models/closed': post('modelClosed', { $ref: '#/components/schemas/Closed' }),
    '/query': {
      get: {
        operationId: 'namedLikePrototype',
        parameters: ['__proto__', 'constructor', 'toString'].map((name) => ({
          name,
          in: 'query',
          schema: { type: 'string' },
        })),
        responses: ok({ type: 'object' }),
      },
    },
  },
  components: { schemas: { Open: open, Closed: closed } },
};

const echo: OperationHandlers[string] = ({ body }) => body;
const handlers: OperationHandlers = {
  inlineOpen: echo,
  inlineClosed: echo,
  modelOpen: echo,
  modelClosed: echo,
  namedLikePrototype: ({ query }) => ({
    own: Object.keys(query),
    values: Object.values(query),
  }),
};

// A JSON object text with one string member per name (an object literal cannot hold __proto__).
function jsonWith(names: readonly string[]): string {
  return `{${names.map((name) => `${JSON.stringify(name)}: "value of ${name}"`).join(', ')}}`;
}

function expectOwnMembers(json: unknown, names: readonly string[]): void {
  expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
  expect(Object.keys(json as object).sort()).toEqual([...names].sort());
  for (const name of names)
    expect(Object.getOwnPropertyDescriptor(json, name)?.value).toBe(`value of ${name}`);
}

afterEach(() => {
  // The server runs in this process: nothing may have reached Object.prototype.
  expect(Object.getOwnPropertyDescriptors(Object.prototype)).toEqual(prototypeBefore);
  expect(({} as Record<string, unknown>).value).toBeUndefined();
});

describe.each([
  ['an inline schema', '/inline'],
  ['a named model', '/models'],
])('property names of Object.prototype in a JSON body, %s', (_label, base) => {
  it.each(prototypeNames)(
    '%s is an ordinary property where the schema allows others',
    async (name) => {
      const { url } = await serve({ api: await loadApi(spec), handlers });
      const response = await call(`${url}${base}/open`, { method: 'POST', body: jsonWith([name]) });
      expect(response.status).toBe(200);
      expectOwnMembers(JSON.parse(response.text), [name]);
    },
  );

  it.each(prototypeNames)(
    '%s is refused with 400 INVALID_PARAMETER by a closed schema',
    async (name) => {
      const { url } = await serve({ api: await loadApi(spec), handlers });
      const response = await call(`${url}${base}/closed`, {
        method: 'POST',
        body: jsonWith([name]),
      });
      expect([response.status, response.json.error]).toEqual([400, 'INVALID_PARAMETER']);
      expect(response.json.problems).toEqual([
        expect.objectContaining({ pointer: `/body/${name}` }),
      ]);
    },
  );

  it('all of them at once, next to a declared property', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers });
    const names = [...prototypeNames, 'name'];
    const accepted = await call(`${url}${base}/open`, { method: 'POST', body: jsonWith(names) });
    expect(accepted.status).toBe(200);
    expectOwnMembers(JSON.parse(accepted.text), names);
    const refused = await call(`${url}${base}/closed`, { method: 'POST', body: jsonWith(names) });
    expect(refused.status).toBe(400);
    expect(
      refused.json.problems.map((problem: { pointer: string }) => problem.pointer).sort(),
    ).toEqual(prototypeNames.map((name) => `/body/${name}`).sort());
  });
});

describe('parameters the spec names like properties of Object.prototype', () => {
  it('are absent when the request has none, never read from the prototype', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers });
    const response = await call(`${url}/query`);
    expect([response.status, response.json]).toEqual([200, { own: [], values: [] }]);
  });

  it('are own properties of the handler’s query when given', async () => {
    const { url } = await serve({ api: await loadApi(spec), handlers });
    const response = await call(`${url}/query?__proto__=a&constructor=b&toString=c`);
    expect(response.status).toBe(200);
    expect(response.json.own.sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(response.json.values.sort()).toEqual(['a', 'b', 'c']);
  });
});
