import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import type { OperationHandlers } from '../src/index.js';
import { call, serve } from './serve.js';

// A list operation hands its `limit` parameter to query(): an int64 parameter reads a value
// beyond 2^53 exactly, as a bigint, which no page takes. The client is told the range.
const spec = {
  openapi: '3.0.3',
  info: { title: 'page limits', version: '1' },
  paths: {
    '/notes/{owner}': {
      get: {
        operationId: 'listNotes',
        parameters: [
          { name: 'owner', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', format: 'int64', minimum: 1 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
        ],
        responses: {
          '200': {
            description: 'A page of notes.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    items: { type: 'array', items: { $ref: '#/components/schemas/Note' } },
                    cursor: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['owner', 'id'],
        'x-persist': { table: 'notes', key: 'owner', sort: 'id' },
        properties: { owner: { type: 'string' }, id: { type: 'string' } },
      },
    },
  },
};

describe("[P-52] a list operation's limit beyond what a page takes", () => {
  it('is a 400 INVALID_REQUEST that says the range and the value, over a real socket', async () => {
    const api = await loadApi(spec, { backend: createMemoryBackend() });
    const Note = api.persistent<{ owner: string; id: string }>('Note');
    await Note.create({ owner: 'ann', id: 'n1' });
    const handlers: OperationHandlers = {
      async listNotes({ params, query }) {
        const page = await Note.query({
          partition: params.owner as string,
          limit: query.limit as number,
          ...(query.cursor !== undefined ? { cursor: query.cursor as string } : {}),
        });
        return { items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) };
      },
    };
    const { url } = await serve({ api, handlers });
    expect((await call(`${url}/notes/ann?limit=9007199254740991`)).json).toEqual({
      items: [{ owner: 'ann', id: 'n1' }],
    });
    for (const [limit, shown] of [
      ['9007199254740992', 'the bigint 9007199254740992'],
      ['9007199254740993', 'the bigint 9007199254740993'],
    ]) {
      const reply = await call(`${url}/notes/ann?limit=${limit}`);
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({
        error: 'INVALID_REQUEST',
        error_description: `query() limit must be a whole number of at least 1 and at most 2^53 − 1, not ${shown}`,
        status: 400,
      });
    }
  });
});
