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
    for (const ratio of [1e21, 1.5e300, 5e-324, -1e-200, -(2 ** 80)]) {
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
