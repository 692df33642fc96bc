import type { WriteRequest } from '@aws-sdk/client-dynamodb';
import { BatchIncompleteError, loadApi } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../src/index.js';
import { counterSchema } from './counter-schema.js';
import { useLocalEngine } from './local-engine.js';
import { createRawAccess } from './raw-document-client.js';

// Delete requests the engine leaves unprocessed, as
// faults.dynalite.test.ts injects them for puts, must be reported (P-101) and retried.

const local = useLocalEngine();

async function setUp(holdId: string) {
  const client = local().newClient({ maxAttempts: 2 });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand') return next(args);
      const input = args.input as { RequestItems: Record<string, WriteRequest[]> };
      const [name, requests] = Object.entries(input.RequestItems)[0]!;
      const isHeld = (request: WriteRequest) => request.DeleteRequest?.Key?.id?.S === holdId;
      const held = requests.filter(isHeld);
      const rest = requests.filter((request) => !isHeld(request));
      if (rest.length === 0)
        return {
          response: {},
          output: { $metadata: {}, UnprocessedItems: { [name]: held } },
        } as never;
      input.RequestItems[name] = rest;
      const output = (await next(args)) as unknown as { output: Record<string, unknown> };
      if (held.length > 0) output.output.UnprocessedItems = { [name]: held };
      return output as never;
    },
    { step: 'initialize', name: 'injectFault', priority: 'high' },
  );
  const backend = createDynamoDbBackend({
    client,
    capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
  });
  const api = await loadApi(
    {
      openapi: '3.0.3',
      info: { title: 'unprocessed-deletes', version: '1' },
      paths: {},
      components: { schemas: { Counter: counterSchema } },
    },
    {
      backend,
      tablePrefix: `unprocessed-deletes-${holdId}-`,
      batchRetry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    },
  );
  const tables = api.tables();
  await createDynamoDbBackend({ client: local().rawClient }).ensureTables(tables);
  return {
    Counter: api.persistent('Counter'),
    raw: createRawAccess(local().rawClient),
    table: tables[0]!.name,
    backend,
    api,
  };
}

describe('deletes the engine leaves unprocessed', () => {
  it('[P-101] deleteMany lists the delete the engine never processed, and that item stays', async () => {
    const { Counter, raw, table } = await setUp('c3');
    const items = Array.from({ length: 10 }, (_, index) => ({ id: `c${index}`, count: index }));
    for (const item of items) await raw.put(table, item);
    const error = await Counter.deleteMany(items.map((item) => ({ id: item.id }))).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BatchIncompleteError);
    expect((error as BatchIncompleteError).unprocessed.map((entry) => entry.key)).toEqual([
      { id: 'c3' },
    ]);
    expect(await raw.get(table, { id: 'c3' })).toEqual({ id: 'c3', count: 3 });
    expect(await raw.get(table, { id: 'c4' })).toBeUndefined();
  });

  it('[P-101] backend.batchWrite returns an unprocessed delete entry', async () => {
    const { Counter, raw, table, backend } = await setUp('d1');
    await raw.put(table, { id: 'd1', count: 1 });
    await raw.put(table, { id: 'd2', count: 2 });
    const model = Counter.descriptor;
    const result = await backend.batchWrite([
      { model, delete: { id: 'd1' } },
      { model, delete: { id: 'd2' } },
    ]);
    expect(result.unprocessed).toHaveLength(1);
    expect((result.unprocessed[0] as { delete: unknown }).delete).toEqual({ id: 'd1' });
  });
});
