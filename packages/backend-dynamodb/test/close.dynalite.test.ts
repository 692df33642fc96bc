import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type BatchIncompleteError, loadApi, UnreachableError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';

const spec = {
  openapi: '3.0.3',
  info: { title: 'close', version: '1' },
  paths: {},
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'things', key: 'id' },
        properties: { id: { type: 'string' }, n: { type: 'integer' } },
      },
    },
  },
};

const local = useLocalEngine();
let tables = 0;

async function setUp() {
  const client = local().newClient({ maxAttempts: 2 });
  const backend = createDynamoDbBackend({ client });
  const api = await loadApi(spec, { backend, tablePrefix: `close${++tables}-` });
  await backend.ensureTables(api.tables());
  const Thing = api.persistent<{ id: string; n?: number }>('Thing');
  return { client, backend, api, Thing, table: api.tables()[0]!.name };
}

async function storedIds(table: string, ids: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const id of ids) {
    const { Item } = await local().rawClient.send(
      new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }),
    );
    if (Item) found.push(id);
  }
  return found;
}

describe('closing a DynamoDB backend', () => {
  it('waits for the calls in flight, so that the client can be destroyed after it: every write finishes, none is cut off', async () => {
    const { client, backend, Thing, table } = await setUp();
    let sent: () => void = () => undefined;
    const firstPutSent = new Promise<void>((resolve) => {
      sent = resolve;
    });
    client.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'PutItemCommand') sent();
        return next(args);
      },
      { step: 'finalizeRequest', name: 'firstPutSent' },
    );
    const ids = Array.from({ length: 30 }, (_, index) => `w${index}`);
    const batched = Array.from({ length: 20 }, (_, index) => `b${index}`);
    const settled = Promise.allSettled([
      ...ids.map((id, n) => Thing.create({ id, n })),
      Thing.saveMany(batched.map((id) => new Thing({ id }))),
    ]);
    // A saveMany of two batches: the one in flight finishes, the next is not sent (as a
    // BatchIncompleteError lists), as between any two requests after close().
    const chunked = Array.from({ length: 40 }, (_, index) => `m${index}`);
    const twoBatches = Thing.saveMany(chunked.map((id) => new Thing({ id }))).then(
      (): string[] => [],
      (error: BatchIncompleteError) => error.unprocessed.map(({ key }) => key.id as string),
    );
    // Closed once the writes are on their way to the engine, not still in core's checks.
    await firstPutSent;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await backend.close();
    // The README's order: close the backend, then your client.
    client.destroy();
    const outcomes = await settled;
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect(await storedIds(table, [...ids, ...batched])).toEqual([...ids, ...batched]);
    const notWritten = await twoBatches;
    expect(await storedIds(table, chunked)).toEqual(
      chunked.filter((id) => !notWritten.includes(id)),
    );
  });

  it('refuses every call made after it with UnreachableError saying the backend is closed (nothing sent), on a client still open', async () => {
    const { backend, api, Thing, table } = await setUp();
    await Thing.create({ id: 'kept', n: 1 });
    await Promise.all([backend.close(), backend.close()]);
    await backend.close();
    const calls: [string, () => Promise<unknown>][] = [
      ['GetItem', () => Thing.load('kept')],
      ['PutItem', () => Thing.create({ id: 'late', n: 2 })],
      ['UpdateItem', () => Thing.update('kept', { set: { n: 3 } })],
      ['DeleteItem', () => Thing.delete('kept')],
      ['Query', () => Thing.query({ partition: 'kept' })],
      ['Scan', () => Thing.scan()],
      ['BatchGetItem', () => Thing.getMany(['kept'])],
      ['BatchWriteItem', () => Thing.saveMany([new Thing({ id: 'late2' })])],
      ['ensureTables', () => backend.ensureTables(api.tables())],
    ];
    for (const [operation, call] of calls) {
      const error = await call().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, operation).toBeInstanceOf(UnreachableError);
      expect((error as Error).message, operation).toContain('the backend is closed');
      expect((error as Error).message, operation).toContain('nothing was sent');
    }
    // Nothing was written, and the item kept its value: the client, still open, reads it.
    expect(await storedIds(table, ['kept', 'late', 'late2'])).toEqual(['kept']);
    const { Item } = await local().rawClient.send(
      new GetItemCommand({ TableName: table, Key: { id: { S: 'kept' } }, ConsistentRead: true }),
    );
    expect(Item?.n).toEqual({ N: '1' });
  });
});
