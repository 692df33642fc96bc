import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { MacaronFastifyOptions, OperationHandlers } from '../src/index.js';
import { call, serve } from './serve.js';

// A JSON number beyond 2^53 cannot be a JavaScript number without rounding: written with
// digits only, it is read exactly, as a bigint, wherever it is in the request.
const thing = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  'x-persist': { table: 'things', key: 'id' },
  properties: {
    id: { type: 'string' },
    big: { type: 'integer', format: 'int64' },
    n: { type: 'integer' },
    f: { type: 'number' },
    list: { type: 'array', items: { type: 'integer', format: 'int64' } },
    amounts: { type: 'object', additionalProperties: { type: 'number' } },
    extra: {
      allOf: [
        { type: 'object', properties: { total: { type: 'number' } } },
        { type: 'object', properties: { rows: { type: 'array', items: { type: 'number' } } } },
      ],
    },
  },
};
const spec = {
  openapi: '3.0.3',
  info: { title: 'int64', version: '1' },
  paths: {
    '/things': {
      post: {
        operationId: 'makeThing',
        parameters: [
          { name: 'weight', in: 'query', schema: { type: 'number' } },
          {
            name: 'filter',
            in: 'query',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { above: { type: 'integer', format: 'int64' } },
                },
              },
            },
          },
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
        },
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
        },
      },
    },
  },
  components: { schemas: { Thing: thing } },
};

async function serveThings(options: Partial<MacaronFastifyOptions> = {}) {
  const api = await loadApi(spec, { backend: createMemoryBackend() });
  const Things = api.persistent('Thing');
  const seen: unknown[] = [];
  const handlers: OperationHandlers = {
    makeThing: ({ body, query }) => {
      seen.push({ ...(body as object) }, query);
      return Things.create(body as never);
    },
  };
  const { url } = await serve({ api, handlers, ...options });
  const post = (body: string, search = '') =>
    call(`${url}/things${search}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
  return { post, seen };
}

describe('integers beyond 2^53', () => {
  it('reads an int64 body property written with digits only as a bigint, and stores it', async () => {
    const { post, seen } = await serveThings();
    const response = await post(
      '{"id":"a","big":9007199254740993,"list":[1,-9223372036854775808,9223372036854775807]}',
    );
    expect([response.status, response.json]).toEqual([
      200,
      {
        id: 'a',
        big: '9007199254740993',
        list: [1, '-9223372036854775808', '9223372036854775807'],
      },
    ]);
    expect(seen[0]).toEqual({
      id: 'a',
      big: 9007199254740993n,
      list: [1, -9223372036854775808n, 9223372036854775807n],
    });
    const edge = await post('{"id":"b","big":9007199254740992}');
    expect([edge.status, edge.json.big]).toEqual([200, '9007199254740992']);
  });

  it('reads a number property beyond 2^53 exactly, as a bigint', async () => {
    const { post, seen } = await serveThings();
    const response = await post('{"id":"a","f":123456789012345678901}');
    expect(response.status).toBe(200);
    expect((seen[0] as { f: unknown }).f).toBe(123456789012345678901n);
  });

  it('reads query parameters beyond 2^53 exactly: a number, and JSON content', async () => {
    const { post, seen } = await serveThings();
    const filter = encodeURIComponent('{"above":9007199254740993}');
    const response = await post('{"id":"a"}', `?weight=9007199254740993&filter=${filter}`);
    expect(response.status).toBe(200);
    expect(seen[1]).toEqual({ weight: 9007199254740993n, filter: { above: 9007199254740993n } });
  });

  it('refuses what the property cannot hold, saying why, never asking the client for a bigint', async () => {
    const { post } = await serveThings();
    const cases = [
      ['{"id":"a","big":-9223372036854775809}', '/body/big', 'format'],
      ['{"id":"a","n":9007199254740993}', '/body/n', 'type'],
      ['{"id":"a","big":1e20}', '/body/big', 'format'],
      ['{"id":"a","n":1e+20}', '/body/n', 'type'],
      ['{"id":"a","list":[9007199254740993.5]}', '/body/list/0', 'type'],
    ] as const;
    for (const [body, pointer, keyword] of cases) {
      const response = await post(body);
      expect([body, response.status, response.json.error]).toEqual([
        body,
        400,
        'INVALID_PARAMETER',
      ]);
      expect(response.json.problems).toHaveLength(1);
      expect(response.json.problems[0]).toMatchObject({ pointer, keyword });
      expect(response.json.error_description).not.toContain('bigint');
    }
    const fraction = await post('{"id":"a","f":9007199254740993.5}');
    expect(fraction.json.problems[0].message).toBe(
      'is beyond 2^53 and not an integer: a number cannot hold it exactly',
    );
  });
});

// Python's json writes a float from 1e16 with an exponent (`1e+20`, `1.2345678901234567e+19`),
// and one below with `.0`: an integer, read exactly as a bigint where digits alone are.
describe('integers beyond 2^53 written with an exponent or a fraction', () => {
  it('reads them exactly in number and int64 properties, and stores them', async () => {
    const { post, seen } = await serveThings();
    const response = await post(
      '{"id":"a","f":1e+20,"big":9.223372036854775807E18,"list":[1e18,-2.5e17,9007199254740993.0]}',
    );
    expect([response.status, response.json]).toEqual([
      200,
      {
        id: 'a',
        f: '100000000000000000000',
        big: '9223372036854775807',
        list: ['1000000000000000000', '-250000000000000000', '9007199254740993'],
      },
    ]);
    expect(seen[0]).toEqual({
      id: 'a',
      f: 10n ** 20n,
      big: 9223372036854775807n,
      list: [10n ** 18n, -250000000000000000n, 9007199254740993n],
    });
  });

  it('reads them wherever exact JSON reads digits: maps, allOf, lists, query parameters', async () => {
    const { post, seen } = await serveThings();
    const filter = encodeURIComponent('{"above":1E+18}');
    const response = await post(
      '{"id":"a","f":1.5E21,"amounts":{"x":-1e+20,"y":1.5},"extra":{"total":12345678901234567890.0,"rows":[1e16,2]}}',
      `?weight=1e%2B20&filter=${filter}`,
    );
    expect(response.status).toBe(200);
    expect(seen[0]).toEqual({
      id: 'a',
      f: 1500000000000000000000n,
      amounts: { x: -(10n ** 20n), y: 1.5 },
      extra: { total: 12345678901234567890n, rows: [10n ** 16n, 2] },
    });
    expect(seen[1]).toEqual({ weight: 10n ** 20n, filter: { above: 10n ** 18n } });
  });

  it('reads other numbers as before: fractions, small exponents, -0', async () => {
    const { post, seen } = await serveThings();
    const response = await post('{"id":"a","f":1.5e-05,"amounts":{"a":2.5e3,"b":1e15,"c":-1.25}}');
    expect(response.status).toBe(200);
    expect(seen[0]).toEqual({ id: 'a', f: 1.5e-5, amounts: { a: 2500, b: 1e15, c: -1.25 } });
    // -0 is what core refuses, as before: it cannot be stored with its sign.
    for (const zero of ['-0', '-0.0', '-0e+20']) {
      const refused = await post(`{"id":"a","f":${zero}}`);
      expect([zero, refused.status, refused.json.problems[0].message]).toEqual([
        zero,
        400,
        'is -0, which cannot be stored with its sign',
      ]);
    }
  });

  it('refuses what no property stores with a clear 400, never Infinity, 0 or a giant bigint', async () => {
    const { post, seen } = await serveThings();
    const tooLarge = 'is too large to be stored (1e126 or above)';
    const tooSmall = 'is too small to be stored (below 1e-130)';
    const cases = [
      ['{"id":"a","f":1e400}', '/body/f', tooLarge],
      ['{"id":"a","f":-1e400}', '/body/f', tooLarge],
      ['{"id":"a","f":1e999999999}', '/body/f', tooLarge],
      ['{"id":"a","amounts":{"k/1":1e309}}', '/body/amounts/k~11', tooLarge],
      ['{"id":"a","f":1.5e+300}', '/body/f', tooLarge],
      ['{"id":"a","f":1e126}', '/body/f', tooLarge],
      ['{"id":"a","f":1e-400}', '/body/f', tooSmall],
      ['{"id":"a","extra":{"rows":[1,-1e-400]}}', '/body/extra/rows/1', tooSmall],
      ['{"id":"a","f":1e-200}', '/body/f', tooSmall],
      [
        '{"id":"a","f":1.23456789012345678901234567890123456789e50}',
        '/body/f',
        'has more than 38 significant digits',
      ],
    ] as const;
    for (const [body, pointer, message] of cases) {
      const response = await post(body);
      expect([body, response.status, response.json.error]).toEqual([
        body,
        400,
        'INVALID_PARAMETER',
      ]);
      expect(response.json.problems).toEqual([{ pointer, keyword: 'type', message }]);
    }
    const filter = encodeURIComponent('{"above":1e400}');
    const query = await post('{"id":"a"}', `?filter=${filter}`);
    expect([query.status, query.json.problems]).toEqual([
      400,
      [{ pointer: '/query/filter/above', keyword: 'type', message: tooLarge }],
    ]);
    expect(seen).toEqual([]);
  });

  it('keeps 1e125 exactly, the largest power of ten core stores', async () => {
    const { post, seen } = await serveThings();
    const response = await post('{"id":"a","f":1e125}');
    expect([response.status, response.json.f]).toEqual([200, `1${'0'.repeat(125)}`]);
    expect((seen[0] as { f: unknown }).f).toBe(10n ** 125n);
  });
});

// A decimal is read as the number nearest to it only when that number is the decimal written
// (its shortest spelling, or its spelling to the digits written, up to 17 as `%.17g` writes):
// another (a Python Decimal) is refused where it is, never stored or handed over rounded.
describe('decimals a number does not hold', () => {
  const notHeld = (nearest: string) =>
    `is no number JavaScript holds exactly (the nearest is ${nearest})`;

  it('refuses them in bodies and parameters with a clear 400, in compat too, storing nothing', async () => {
    for (const compat of [undefined, 'pymacaron'] as const) {
      const { post, seen } = await serveThings({ compat });
      const cases = [
        [
          '{"id":"a","f":3.333333333333333333333333333}',
          '',
          '/body/f',
          notHeld('3.3333333333333335'),
        ],
        ['{"id":"a","f":0.30000000000000001}', '', '/body/f', notHeld('0.3')],
        ['{"id":"a","f":1.00000000000000001}', '', '/body/f', notHeld('1')],
        [
          '{"id":"a","amounts":{"x":12345678.1234567891}}',
          '',
          '/body/amounts/x',
          notHeld('12345678.12345679'),
        ],
        [
          '{"id":"a","extra":{"rows":[1,-4.0000000000000000001e-7]}}',
          '',
          '/body/extra/rows/1',
          notHeld('-4e-7'),
        ],
        ['{"id":"a"}', '?weight=0.30000000000000001', '/query/weight', notHeld('0.3')],
        [
          '{"id":"a"}',
          `?filter=${encodeURIComponent('{"above":0.30000000000000001}')}`,
          '/query/filter/above',
          notHeld('0.3'),
        ],
      ] as const;
      for (const [body, search, pointer, message] of cases) {
        const response = await post(body, search);
        expect([compat, body, search, response.status, response.json.problems]).toEqual([
          compat,
          body,
          search,
          400,
          [{ pointer, keyword: 'type', message }],
        ]);
      }
      expect(seen).toEqual([]);
    }
  });

  it('reads a decimal that is its nearest number, however written: values, not spellings', async () => {
    const { post, seen } = await serveThings();
    const response = await post(
      '{"id":"a","f":0.1,"amounts":{"a":2.50,"b":1.5e3,"c":0.30000000000000004,"d":3.3333333333333335,"e":25.000000000000000000e-1,"g":0.10000000000000001,"h":48.856614000000008}}',
      '?weight=0.250000000000000000000',
    );
    expect(response.status).toBe(200);
    expect(seen).toEqual([
      {
        id: 'a',
        f: 0.1,
        amounts: {
          a: 2.5,
          b: 1500,
          c: 0.30000000000000004,
          d: 3.3333333333333335,
          e: 2.5,
          // What `%.17g` writes for 0.1 and for 48.85661400000001.
          g: 0.1,
          h: 48.85661400000001,
        },
      },
      { weight: 0.25 },
    ]);
  });
});
