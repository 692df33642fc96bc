import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BackendError, loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';

const local = useLocalEngine();

// What the serializers of @aws-sdk/client-dynamodb before 3.1169 do, which pnpm and yarn
// install with a warning and `npm install --legacy-peer-deps` without one: every attribute
// named `__proto__` leaves the request (3.600 to 3.948 at every depth, to 3.1000 nested ones),
// and DynamoDB stores the item without it.
function withoutProto(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutProto);
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(value))
    if (name !== '__proto__') copy[name] = withoutProto(member);
  return copy;
}

function olderSdkClient() {
  const older = local().newClient();
  older.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { body?: unknown };
      const body = request.body;
      const text = typeof body === 'string' ? body : new TextDecoder().decode(body as Uint8Array);
      request.body = JSON.stringify(withoutProto(JSON.parse(text)));
      return next(args);
    },
    { step: 'serialize', priority: 'low', name: 'olderSdkSerializer' },
  );
  return older;
}

const spec = {
  openapi: '3.0.3',
  info: { title: 'proto', version: '1.0.0' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'proto_notes', key: 'id' },
        properties: { id: { type: 'string' }, text: { type: 'string' } },
      },
    },
  },
};

describe('an AWS SDK whose serializer drops attributes named __proto__', () => {
  it('a write of an item holding one is refused before it is sent (BackendError, notSent): nothing written, nothing lost silently', async () => {
    const client = olderSdkClient();
    const backend = createDynamoDbBackend({ client });
    const api = await loadApi(spec, { backend });
    await backend.ensureTables(api.tables());
    const Note = api.persistent<{ id: string; text?: string; extra?: unknown }>('Note');

    const top = JSON.parse('{"id":"top","text":"t","__proto__":"kept by others"}');
    const error = await Note.create(top).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(BackendError.isInstance(error)).toBe(true);
    expect((error as BackendError).notSent).toBe(true);
    expect((error as Error).message).toMatch(/__proto__.*3\.1169/);
    const stored = await local().rawClient.send(
      new GetItemCommand({ TableName: 'proto_notes', Key: { id: { S: 'top' } } }),
    );
    expect(stored.Item).toBeUndefined();

    const nested = JSON.parse('{"id":"nested","extra":{"__proto__":"kept by others"}}');
    await expect(Note.create(nested)).rejects.toMatchObject({
      code: 'BACKEND_ERROR',
      notSent: true,
    });
    await expect(Note.update('top', { set: { extra: nested.extra } })).rejects.toMatchObject({
      code: 'BACKEND_ERROR',
      notSent: true,
    });

    // Items without one are written as before through the same client.
    await Note.create({ id: 'plain', text: 'p' });
    expect((await Note.load('plain')).text).toBe('p');

    // A batch refused before it was sent, after marshalling an item holding one: the next
    // write, which holds none, is not taken for one that lost it.
    await expect(
      backend.batchWrite([
        { model: Note.descriptor, put: top },
        { model: Note.descriptor, put: { text: 'no key' } },
      ]),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await Note.create({ id: 'after', text: 'a' });
    expect((await Note.load('after')).text).toBe('a');
    client.destroy();
  });
});
