import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { BackendError, loadApi } from '@macaron/core';
import { expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';
import { describeOnMoto, useMotoEngine } from './moto-engine.js';

// On moto, which keeps attributes named `__proto__` (dynalite drops them: docs/engines.md).
// A client made with `cacheMiddleware: true` resolves the middleware of a command class once,
// with the first command's own stack, and reuses that handler for every later command of the
// class: a check the backend adds to one command's own stack (the `__proto__` count of
// serialized-names.ts) must neither stay for the next commands nor be skipped on them.
const spec = {
  openapi: '3.0.3',
  info: { title: 'cached middleware, __proto__', version: '1' },
  paths: {},
  components: {
    schemas: {
      Note: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'notes', key: 'id' },
        properties: { id: { type: 'string' }, text: { type: 'string' }, extra: {} },
      },
    },
  },
};

describeOnMoto('a client that caches its middleware, items holding members named __proto__', () => {
  const moto = useMotoEngine();
  let counter = 0;

  async function setUp(olderSerializer = false) {
    const { server } = moto();
    const client = new DynamoDBClient({
      endpoint: server.endpoint,
      region: server.region,
      credentials: server.credentials,
      cacheMiddleware: true,
    });
    // What the serializers of @aws-sdk/client-dynamodb before 3.1169 do (see
    // serializer-drops-proto.dynalite.test.ts): every attribute named `__proto__` leaves the body.
    if (olderSerializer)
      client.middlewareStack.add(
        (next) => async (args) => {
          const request = args.request as { body?: unknown };
          const text =
            typeof request.body === 'string'
              ? request.body
              : new TextDecoder().decode(request.body as Uint8Array);
          request.body = JSON.stringify(JSON.parse(text), (name, value) =>
            name === '__proto__' ? undefined : value,
          );
          return next(args);
        },
        { step: 'serialize', priority: 'low', name: 'olderSdkSerializer' },
      );
    const backend = createDynamoDbBackend({
      client,
      capabilities: { transactions: false, ttl: false },
    });
    const api = await loadApi(spec, { backend, tablePrefix: `cached-proto${++counter}-` });
    await createDynamoDbBackend({ client: moto().rawClient }).ensureTables(api.tables());
    const table = api.tables()[0]!.name;
    const stored = async (id: string) =>
      (
        await moto().rawClient.send(
          new GetItemCommand({ TableName: table, Key: { id: { S: id } } }),
        )
      ).Item;
    return {
      client,
      Note: api.persistent<{ id: string; text?: string; extra?: unknown }>('Note'),
      stored,
    };
  }

  it('a write holding one first, then writes holding none: each written as it is', async () => {
    const { client, Note, stored } = await setUp();
    await Note.create(JSON.parse('{"id":"proto","text":"t","__proto__":"kept by others"}'));
    expect(Object.keys((await stored('proto'))!).sort()).toEqual(['__proto__', 'id', 'text']);
    // The next PutItems hold no such member: not refused as if the SDK had dropped one.
    await Note.create({ id: 'plain', text: 'no proto' });
    await new Note({ id: 'plain2', text: 'saved' }).save();
    expect(await stored('plain')).toEqual({ id: { S: 'plain' }, text: { S: 'no proto' } });
    expect(await stored('plain2')).toEqual({ id: { S: 'plain2' }, text: { S: 'saved' } });
    client.destroy();
  });

  it('a write holding none first, then writes holding one, nested too: each written whole', async () => {
    const { client, Note, stored } = await setUp();
    await Note.create({ id: 'plain', text: 'no proto' });
    await Note.create(JSON.parse('{"id":"proto","__proto__":"kept"}'));
    await Note.create(JSON.parse('{"id":"nested","extra":{"__proto__":1,"a":2}}'));
    expect(Object.keys((await stored('proto'))!).sort()).toEqual(['__proto__', 'id']);
    expect(Object.keys((await stored('nested'))!.extra!.M!).sort()).toEqual(['__proto__', 'a']);
    client.destroy();
  });

  it('on an SDK whose serializer drops them, a write holding one after writes holding none is refused, nothing sent', async () => {
    const { client, Note, stored } = await setUp(true);
    await Note.create({ id: 'plain', text: 'no proto' });
    await new Note({ id: 'plain2', text: 'saved' }).save();
    const error = await Note.create(JSON.parse('{"id":"proto","__proto__":"kept"}')).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(BackendError.isInstance(error)).toBe(true);
    expect((error as BackendError).notSent).toBe(true);
    expect(await stored('proto')).toBeUndefined();
    // And the writes after it, holding none, are written.
    await Note.create({ id: 'after', text: 'no proto' });
    expect(await stored('after')).toEqual({ id: { S: 'after' }, text: { S: 'no proto' } });
    client.destroy();
  });
});
