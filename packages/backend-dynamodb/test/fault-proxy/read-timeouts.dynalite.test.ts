import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadApi, ThrottledError } from '@macaron/core';
import { afterEach, expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { counterSchema } from '../counter-schema.js';
import { useLocalEngine } from '../local-engine.js';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';

// A read whose answer never comes within the request handler's requestTimeout: the engine did
// not answer in time. THROTTLED (503) on every read path, as on PostgreSQL (statement_timeout,
// lock_timeout, node-postgres's query_timeout), never a 500.

const spec = {
  openapi: '3.0.3',
  info: { title: 'read-timeouts', version: '1' },
  paths: {},
  components: { schemas: { Counter: counterSchema } },
};

const local = useLocalEngine();
let proxy: FaultProxy | undefined;
let client: DynamoDBClient | undefined;
afterEach(async () => {
  client?.destroy();
  await proxy?.stop();
});

it("a read the engine does not answer within the SDK's requestTimeout is THROTTLED (503) on every read path", async () => {
  const engine = local().engine;
  const tablePrefix = 'read-timeouts-';
  const seeded = await loadApi(spec, {
    backend: createDynamoDbBackend({ client: local().rawClient }),
    tablePrefix,
  });
  await createDynamoDbBackend({ client: local().rawClient }).ensureTables(seeded.tables());
  await seeded.persistent('Counter').create({ id: 'k1', count: 1 });
  proxy = await startFaultProxy({
    target: engine.endpoint,
    seed: 1,
    weights: { 'slow-after': 1 },
    slowMs: 400,
  });
  client = new DynamoDBClient({
    endpoint: proxy.endpoint,
    region: engine.region,
    credentials: engine.credentials,
    maxAttempts: 2,
    requestHandler: { requestTimeout: 150, throwOnRequestTimeout: true },
  });
  const api = await loadApi(spec, {
    backend: createDynamoDbBackend({
      client,
      checkTableKeys: false,
      capabilities: { ...dynamoDbCapabilities, transactions: false, ttl: false },
    }),
    tablePrefix,
    batchRetry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
  const Counter = api.persistent<Record<string, unknown>>('Counter');
  const reads: [string, () => Promise<unknown>][] = [
    ['load', () => Counter.load('k1')],
    ['exists', () => Counter.exists('k1')],
    ['loadMany', () => Counter.loadMany(['k1', 'k2'])],
    ['query', () => Counter.query({ partition: 'k1' })],
    ['scan', () => Counter.scan()],
  ];
  for (const [path, read] of reads) {
    const error = await read().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(
      ThrottledError.isInstance(error),
      `${path}: ${(error as Error)?.name}: ${(error as Error)?.message}`,
    ).toBe(true);
    expect((error as ThrottledError).status).toBe(503);
    expect(((error as Error).cause as Error).name).toBe('TimeoutError');
  }
}, 30_000);
