import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { call, serve } from './serve.js';

// `format: binary` bounded by minLength/maxLength: the bytes are counted, after the base64 a
// JSON body carries them in is read (four bytes are eight characters of base64).
const spec = {
  openapi: '3.0.3',
  info: { title: 'binary length', version: '1' },
  paths: {
    '/upload': {
      post: {
        operationId: 'upload',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Upload' } } },
        },
        responses: { '204': { description: 'stored' } },
      },
    },
  },
  components: {
    schemas: {
      Upload: {
        type: 'object',
        required: ['data'],
        properties: { data: { type: 'string', format: 'binary', minLength: 2, maxLength: 4 } },
      },
    },
  },
};

describe('a binary property bounded in length, over HTTP', () => {
  it('takes 2 to 4 bytes and answers 400 at its pointer for 1 or 5', async () => {
    const sizes: number[] = [];
    const { url } = await serve({
      api: await loadApi(spec),
      handlers: {
        upload: ({ body }) => {
          sizes.push((body as { data: Uint8Array }).data.length);
          return undefined;
        },
      },
    });
    const upload = (bytes: number[]) =>
      call(`${url}/upload`, {
        method: 'POST',
        body: { data: Buffer.from(bytes).toString('base64') },
      });
    expect((await upload([1, 2])).status).toBe(204);
    expect((await upload([1, 2, 3, 4])).status).toBe(204);
    for (const [bytes, keyword] of [
      [[1], 'minLength'],
      [[1, 2, 3, 4, 5], 'maxLength'],
    ] as const) {
      const refused = await upload([...bytes]);
      expect(refused.status).toBe(400);
      expect(refused.json.problems).toEqual([
        expect.objectContaining({ pointer: '/body/data', keyword }),
      ]);
    }
    expect(sizes).toEqual([2, 4]);
  });
});
