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

  it('counts only names exactly __proto__: an attribute whose name ends in "__proto__ does not hide one dropped', async () => {
    const client = olderSdkClient();
    const backend = createDynamoDbBackend({ client });
    const api = await loadApi(spec, { backend });
    await backend.ensureTables(api.tables());
    const Note = api.persistent<{ id: string; text?: string; extra?: unknown }>('Note');
    // JSON writes this name `"a\"__proto__":`, which holds `"__proto__":`.
    const item = JSON.parse(
      '{"id":"masked","a\\"__proto__":"x","extra":{"__proto__":"kept by others"}}',
    );
    expect(Object.keys(item)).toContain('a"__proto__');
    await expect(Note.create(item)).rejects.toMatchObject({
      code: 'BACKEND_ERROR',
      notSent: true,
    });
    const stored = await local().rawClient.send(
      new GetItemCommand({ TableName: 'proto_notes', Key: { id: { S: 'masked' } } }),
    );
    expect(stored.Item).toBeUndefined();
    client.destroy();

    // Through this SDK, which keeps both names, the same item is sent, not refused by the
    // check (what dynalite then does with `__proto__` is its own: docs/engines.md).
    const current = local().newClient();
    const sent: string[] = [];
    current.middlewareStack.add(
      (next) => async (args) => {
        const body = (args.request as { body?: unknown }).body;
        sent.push(typeof body === 'string' ? body : new TextDecoder().decode(body as Uint8Array));
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'sentBodies' },
    );
    const kept = await loadApi(spec, { backend: createDynamoDbBackend({ client: current }) });
    const outcome = await kept
      .persistent<{ id: string; extra?: unknown }>('Note')
      .create(item)
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect((outcome as { notSent?: boolean } | undefined)?.notSent).not.toBe(true);
    expect(
      sent.some((body) => body.includes('"a\\"__proto__":{"S":"x"},"extra":{"M":{"__proto__":')),
    ).toBe(true);
    current.destroy();
  });

  it('a read whose filter compares with a map holding __proto__ is refused too, never answered for another filter', async () => {
    const client = olderSdkClient();
    const backend = createDynamoDbBackend({ client });
    const api = await loadApi(spec, { backend });
    await backend.ensureTables(api.tables());
    const Note = api.persistent<{ id: string; text?: string; extra?: unknown }>('Note');
    await Note.create({ id: 'empty', extra: {} });
    // Sent without its member, the filter would ask for an empty map, and find this item.
    const filter = { attr: 'extra', eq: JSON.parse('{"__proto__":"kept by others"}') };
    await expect(Note.scan({ filter })).rejects.toMatchObject({
      code: 'BACKEND_ERROR',
      notSent: true,
    });
    await expect(Note.query({ partition: 'empty', filter })).rejects.toMatchObject({
      code: 'BACKEND_ERROR',
      notSent: true,
    });
    client.destroy();
  });
});
