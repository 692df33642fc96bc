import { createMemoryBackend } from '@macaron/backend-memory';
import { loadApi } from '@macaron/core';
import Fastify from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { macaronFastify, macaronServerOptions, type OperationContext } from '../src/index.js';

// The README tells teams that `app.inject()` answers under fake timers without advancing them:
// the adapter waits on no timer and reads no clock. A timer on the way (a deadline, a yield)
// would hang these tests until their timeout.

const spec = {
  openapi: '3.0.3',
  info: { title: 'fake timers', version: '1' },
  paths: {
    '/notes/{id}': {
      get: {
        operationId: 'getNote',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'The note.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } },
          },
        },
      },
      put: {
        operationId: 'putNote',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } },
        },
        responses: {
          '200': {
            description: 'The note as stored.',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Note' } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'notes', key: 'id', version: 'version' },
        properties: {
          id: { type: 'string' },
          text: { type: 'string' },
          body: { type: 'string', format: 'binary' },
          version: { type: 'integer' },
        },
      },
    },
  },
};

async function notesApp() {
  const api = await loadApi(spec, { backend: createMemoryBackend() });
  const Note = api.persistent<{ id: string; text?: string; version?: number }>('Note');
  await Note.create({ id: 'n1', text: 'one' });
  const app = Fastify({ ...macaronServerOptions() });
  await app.register(macaronFastify, {
    api,
    handlers: {
      getNote: ({ params }: OperationContext<{ id: string }>) => Note.load(params.id),
      putNote: ({ body }: OperationContext<{}, {}, {}, { id: string; text?: string }>) =>
        Note.create(body),
    },
  });
  return app;
}

async function exercise(app: Awaited<ReturnType<typeof notesApp>>, withBodies: boolean) {
  const got = await app.inject('/notes/n1');
  expect([got.statusCode, got.json()]).toEqual([200, { id: 'n1', text: 'one', version: 1 }]);
  const missing = await app.inject('/notes/n2');
  expect([missing.statusCode, missing.json().error]).toEqual([404, 'ITEM_NOT_FOUND']);
  if (withBodies) await bodies(app);
  await app.close();
}

// Fastify reads a request's body on `setImmediate`: these hang where it is faked, with or without
// Macaron (fastify 5.12).
async function bodies(app: Awaited<ReturnType<typeof notesApp>>) {
  const put = await app.inject({
    method: 'PUT',
    url: '/notes/n2',
    payload: { id: 'n2', body: 'AQI=' },
  });
  expect([put.statusCode, put.json()]).toEqual([200, { id: 'n2', body: 'AQI=', version: 1 }]);
  const bad = await app.inject({ method: 'PUT', url: '/notes/n3', payload: { id: 3 } });
  expect([bad.statusCode, bad.json().error]).toEqual([400, 'INVALID_PARAMETER']);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('app.inject() under fake timers', () => {
  it("answers under Vitest's default fakes, the app built after them", async () => {
    vi.useFakeTimers();
    await exercise(await notesApp(), false);
  });

  it('answers requests with bodies too with every timer but setImmediate, the clock and queueMicrotask faked, the app ready before', async () => {
    const app = await notesApp();
    await app.ready();
    vi.useFakeTimers({
      toFake: [
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'Date',
        'queueMicrotask',
        'performance',
        'hrtime',
      ],
    });
    vi.setSystemTime(new Date('2040-01-01T00:00:00Z'));
    await exercise(app, true);
  });
});
