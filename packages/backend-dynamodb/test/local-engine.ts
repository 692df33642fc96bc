import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { type LocalDynamoDb, startLocalDynamoDb } from '../src/local/index.js';

type ClientOptions = Pick<
  DynamoDBClientConfig,
  'maxAttempts' | 'cacheMiddleware' | 'endpoint' | 'credentials' | 'region' | 'retryStrategy'
>;

/** The embedded engine of a test file, and a client of its own for raw reads and writes. */
export interface TestEngine {
  /** The running dynalite. */
  engine: LocalDynamoDb;
  /** A second client of the same engine, for raw access that bypasses the backend. */
  rawClient: DynamoDBClient;
  /** A new client of the engine (or of `endpoint`, a proxy in front of it), for tests that add middleware to it. */
  newClient(options?: ClientOptions): DynamoDBClient;
}

/** Starts dynalite once for the test file and stops it after; read the result inside tests. */
export function useLocalEngine(): () => TestEngine {
  let current: TestEngine | undefined;
  beforeAll(async () => {
    const engine = await startLocalDynamoDb();
    const newClient = (options: ClientOptions = {}) =>
      new DynamoDBClient({
        endpoint: engine.endpoint,
        region: engine.region,
        credentials: engine.credentials,
        ...options,
      });
    current = { engine, rawClient: newClient(), newClient };
  });
  afterAll(async () => {
    current?.rawClient.destroy();
    await current?.engine.stop();
  });
  return () => {
    if (!current)
      throw new Error(
        'The local engine is not started: call useLocalEngine() at the top of the test file',
      );
    return current;
  };
}
