import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { call, serve } from './serve.js';

// A response is sent, not stored: any number JSON holds goes out as it is; what JSON cannot
// hold, or what would be retyped on its way (a Date), is a 500.
const spec = {
  openapi: '3.0.3',
  info: { title: 'response values', version: '1' },
  paths: {
    '/value': {
      get: {
        operationId: 'value',
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    ratio: { type: 'number' },
                    count: { type: 'integer' },
                    at: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

async function answering(value: unknown) {
  const failures: string[] = [];
  const { url } = await serve({
    api: await loadApi(spec),
    handlers: { value: () => value as object },
    onError: (error) => {
      if (error.status === 500) failures.push(String((error.cause as Error | undefined)?.message));
    },
  });
  const answer = await call(`${url}/value`);
  return { ...answer, failures };
}

describe('numbers and values in responses', () => {
  it('sends numbers no engine stores but JSON holds, as they are; a computed -0 as 0', async () => {
    // 1e20 and 2^53: below 1e21, but JSON's digits are their exact values.
    for (const ratio of [1e21, 1.5e300, 5e-324, -1e-200, -(2 ** 80), 1e20, -(2 ** 53)]) {
      const answer = await answering({ ratio });
      expect(answer.status, String(ratio)).toBe(200);
      expect(answer.json).toEqual({ ratio });
    }
    const rounded = await answering({ ratio: Math.round(-0.4), count: 0 * -3 });
    expect(rounded.status).toBe(200);
    expect(rounded.text).toBe('{"ratio":0,"count":0}');
  });

  it('refuses what JSON cannot hold, or an integer a number may have rounded, naming each problem once', async () => {
    for (const [value, problem] of [
      [{ ratio: Number.NaN }, '/ratio is NaN'],
      [{ ratio: Number.POSITIVE_INFINITY }, '/ratio is not finite'],
      [{ count: 2 ** 60 }, '/count is an integer beyond 2^53'],
      // JSON.stringify would write 1152921504606847000: another integer to exact readers.
      [{ ratio: 2 ** 60 }, '/ratio is an integer beyond 2^53'],
    ] as const) {
      const answer = await answering(value);
      expect(answer.status, problem).toBe(500);
      expect(answer.failures).toHaveLength(1);
      expect(answer.failures[0]).toContain(problem);
      expect(answer.failures[0]!.split(problem)).toHaveLength(2);
    }
  });

  it('refuses a Date, as in a model object: its toJSON() would retype it', async () => {
    const answer = await answering({ at: new Date('2024-01-02T03:04:05.678+05:30') });
    expect(answer.status).toBe(500);
    expect(answer.failures[0]).toContain('/at');
    // Wherever it is in a response the spec describes, however the schema says "anything".
    for (const [value, where] of [
      [{ undeclared: new Date(0) }, '/undeclared'],
      [{ ratio: 1, list: [new Date(0)] }, '/list/0'],
    ] as const) {
      const refused = await answering(value);
      expect(refused.status, where).toBe(500);
      expect(refused.failures[0]).toContain(where);
    }
    const text = await answering({ at: '2024-01-02T03:04:05.678+05:30' });
    expect(text.status).toBe(200);
    expect(text.json.at).toBe('2024-01-02T03:04:05.678+05:30');
  });
});

describe('values in responses the spec gives no schema', () => {
  // A response declared without a JSON schema is still sent as JSON: what JSON would alter on
  // its way is refused as under `schema: {}`, whatever way the spec leaves the schema out.
  const specs = {
    'Swagger 2.0 description alone': {
      swagger: '2.0',
      info: { title: 'no schema', version: '1' },
      paths: {
        '/value': { get: { operationId: 'value', responses: { '200': { description: 'ok' } } } },
      },
    },
    'a media type other than JSON': {
      openapi: '3.0.3',
      info: { title: 'no schema', version: '1' },
      paths: {
        '/value': {
          get: {
            operationId: 'value',
            responses: {
              '200': {
                description: 'ok',
                content: { 'text/plain': { schema: { type: 'string' } } },
              },
            },
          },
        },
      },
    },
    'default alone': {
      openapi: '3.1.0',
      info: { title: 'no schema', version: '1' },
      paths: {
        '/value': { get: { operationId: 'value', responses: { default: { description: 'ok' } } } },
      },
    },
  };

  async function answering(spec: object, value: unknown, validateResponses = true) {
    const failures: string[] = [];
    const { url } = await serve({
      api: await loadApi(spec),
      validateResponses,
      handlers: { value: () => value as object },
      onError: (error) => {
        if (error.status === 500)
          failures.push(String((error.cause as Error | undefined)?.message));
      },
    });
    return { ...(await call(`${url}/value`)), failures };
  }

  it('refuses NaN, the infinities, an integer a number may have rounded, and what JSON would retype (500, told to onError)', async () => {
    for (const [label, spec] of Object.entries(specs)) {
      for (const [value, problem] of [
        [{ ratio: Number.NaN }, '/ratio is NaN'],
        [[Number.NEGATIVE_INFINITY], '/0 is not finite'],
        [{ count: 2 ** 60 }, '/count is an integer beyond 2^53'],
        [{ seen: new Map([[1, 2]]) }, '/seen is not a JSON value'],
        // Its toJSON() would make it a string: refused as under `schema: {}`.
        [{ at: new Date(0) }, '/at is not a JSON value'],
        [{ list: [1, undefined] }, '/list/1 is undefined'],
        [{ text: 'a\ud800' }, '/text holds a lone surrogate'],
      ] as const) {
        const answer = await answering(spec, value);
        expect(answer.status, `${label}: ${problem}`).toBe(500);
        expect(answer.failures, `${label}: ${problem}`).toHaveLength(1);
        expect(answer.failures[0]).toContain(
          `returned a 200 response that does not match the spec: ${problem}`,
        );
      }
    }
  });

  it('sends what JSON holds as it is: any number from 1e21, bigints, sets, bytes, a deep value', async () => {
    let deep: unknown = { leaf: 1 };
    for (let level = 0; level < 40; level++) deep = { child: deep };
    for (const spec of Object.values(specs)) {
      const answer = await answering(spec, {
        big: 1e21,
        small: 5e-324,
        id: 9007199254740993n,
        tags: new Set(['a']),
        bytes: new Uint8Array([1, 2]),
        deep,
      });
      expect(answer.status).toBe(200);
      expect(answer.text).toBe(
        `{"big":1e+21,"small":5e-324,"id":"9007199254740993","tags":["a"],"bytes":"AQI=","deep":${JSON.stringify(deep)}}`,
      );
    }
  });

  it('leaves a response unchecked with validateResponses: false, as one with a schema', async () => {
    const answer = await answering(specs['default alone'], { ratio: Number.NaN }, false);
    expect([answer.status, answer.text]).toEqual([200, '{"ratio":null}']);
  });
});
