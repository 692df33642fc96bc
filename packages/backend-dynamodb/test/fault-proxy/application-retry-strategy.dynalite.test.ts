import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchIncompleteError,
  loadApi,
  type StoredItem,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { counterSchema } from '../counter-schema.js';
import { useLocalEngine } from '../local-engine.js';
import { createRawAccess } from '../raw-document-client.js';
import { type FaultKind, type FaultProxy, startFaultProxy } from './fault-proxy.js';

// A retry strategy of the application's own decides for itself what to retry: here every
// failure without an HTTP status (a lost connection, and the error the backend makes of an
// attempt that may have been applied), up to three attempts. The first write attempt reaches
// the engine, which applies it, and its answer is lost.
const retryEverythingWithoutStatus = {
  mode: 'standard',
  async acquireInitialRetryToken() {
    return { getRetryCount: () => 0, getRetryDelay: () => 0 };
  },
  async refreshRetryTokenForRetry(
    token: { getRetryCount(): number },
    info: { error?: { $metadata?: { httpStatusCode?: number } } },
  ) {
    const count = token.getRetryCount();
    if (count >= 2 || info.error?.$metadata?.httpStatusCode !== undefined) throw info.error;
    return { getRetryCount: () => count + 1, getRetryDelay: () => 1 };
  },
  recordSuccess() {},
};

const spec = {
  openapi: '3.0.3',
  info: { title: 'application-retry-strategy', version: '1' },
  paths: {},
  components: {
    schemas: {
      Counter: counterSchema,
      Doc: {
        type: 'object',
        required: ['id'],
        'x-persist': { table: 'docs', key: 'id', version: 'version' },
        properties: {
          id: { type: 'string' },
          version: { type: 'integer' },
          body: { type: 'string' },
        },
      },
    },
  },
};

const local = useLocalEngine();
let proxy: FaultProxy | undefined;
let client: DynamoDBClient | undefined;
let tables = 0;
afterEach(async () => {
  client?.destroy();
  await proxy?.stop();
});

/** The API through a proxy that loses the answer to the first request of `operation`. */
async function losingFirstAnswer(operation: string) {
  const engine = local().engine;
  proxy = await startFaultProxy({
    target: engine.endpoint,
    seed: 1,
    weights: {},
    slowMs: 0,
    script: (seen, earlier): FaultKind =>
      seen === operation && earlier === 0 ? 'reset-after' : 'pass',
  });
  proxy.setEnabled(false);
  client = new DynamoDBClient({
    endpoint: proxy.endpoint,
    region: engine.region,
    credentials: engine.credentials,
    retryStrategy: retryEverythingWithoutStatus as never,
  });
  const api = await loadApi(spec, {
    backend: createDynamoDbBackend({
      client,
      capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
    }),
    tablePrefix: `retry${++tables}-`,
    batchRetry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
  });
  await createDynamoDbBackend({ client: local().rawClient }).ensureTables(api.tables());
  const raw = createRawAccess(local().rawClient);
  const table = (specName: string) =>
    api.tables().find((candidate) => candidate.specName === specName)!.name;
  return {
    Counter: api.persistent('Counter'),
    Doc: api.persistent('Doc'),
    stored: (specName: string, id: string) => raw.get(table(specName), { id }),
    sent: (name: string) => proxy!.log.filter((record) => record.operation === name).length,
    lose: () => proxy!.setEnabled(true),
  };
}

describe('a write whose answer is lost, under a retry strategy that retries it', () => {
  it('create: WriteOutcomeUnknownError, sent once, never a false AlreadyExistsError', async () => {
    const { Counter, stored, sent, lose } = await losingFirstAnswer('PutItem');
    lose();
    await expect(Counter.create({ id: 'a', count: 1 })).rejects.toBeInstanceOf(
      WriteOutcomeUnknownError,
    );
    expect(sent('PutItem')).toBe(1);
    expect(await stored('counters', 'a')).toEqual({ id: 'a', count: 1 });
  });

  it('a conditional update: unknown, not a false ConditionFailedError', async () => {
    const { Counter, stored, sent, lose } = await losingFirstAnswer('UpdateItem');
    await Counter.create({ id: 'a', count: 1 });
    lose();
    const update = Counter.update(
      'a',
      { set: { count: 5 } },
      { condition: { attr: 'count', eq: 1 } },
    );
    await expect(update).rejects.toBeInstanceOf(WriteOutcomeUnknownError);
    expect(sent('UpdateItem')).toBe(1);
    expect((await stored('counters', 'a'))?.count).toBe(5);
  });

  it('a versioned save: unknown, not a false ConflictError', async () => {
    const { Doc, stored, sent, lose } = await losingFirstAnswer('PutItem');
    const doc = await Doc.create({ id: 'd', body: 'one' });
    lose();
    doc.body = 'two';
    await expect(doc.save()).rejects.toBeInstanceOf(WriteOutcomeUnknownError);
    // The create, then the save's one attempt.
    expect(sent('PutItem')).toBe(2);
    expect(await stored('docs', 'd')).toMatchObject({ body: 'two', version: 2 });
  });

  it('a conditional delete: unknown, not a false ConditionFailedError', async () => {
    const { Counter, stored, sent, lose } = await losingFirstAnswer('DeleteItem');
    await Counter.create({ id: 'a', count: 1 });
    lose();
    await expect(
      Counter.delete('a', { condition: { attr: 'count', eq: 1 } }),
    ).rejects.toBeInstanceOf(WriteOutcomeUnknownError);
    expect(sent('DeleteItem')).toBe(1);
    expect(await stored('counters', 'a')).toBeUndefined();
  });

  it('a batch write: its entries unconfirmed, sent once', async () => {
    const batch = await losingFirstAnswer('BatchWriteItem');
    batch.lose();
    const error = await batch.Counter.saveMany([
      { id: 'b', count: 1 },
      { id: 'c', count: 2 },
    ]).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BatchIncompleteError);
    expect(batch.sent('BatchWriteItem')).toBe(1);
    expect((await batch.stored('counters', 'b')) as StoredItem | undefined).toEqual({
      id: 'b',
      count: 1,
    });
  });
});
