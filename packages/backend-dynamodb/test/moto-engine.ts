import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe } from 'vitest';
import {
  findMotoInstall,
  type MotoServer,
  type MotoServerOptions,
  startMotoServer,
} from './moto-server.js';

/** The moto server of a test file, with clients of it. */
export interface MotoEngine {
  /** The running server. */
  server: MotoServer;
  /** The client the backend under test uses. */
  client: DynamoDBClient;
  /** A second client of the same server, for raw access that bypasses the backend. */
  rawClient: DynamoDBClient;
  /** A new client of the server, for tests that add middleware to it. */
  newClient(options?: { maxAttempts?: number }): DynamoDBClient;
}

/**
 * Opens `describe(name)` for tests that run on moto. Without the pinned moto server
 * (scripts/moto/setup.sh not run) the block is skipped with the reason in its name, except
 * under `CI=true`, where it runs and fails: CI never skips an engine.
 */
export function describeOnMoto(name: string, body: () => void): void {
  const install = findMotoInstall();
  const skip = !install.installed && process.env.CI !== 'true';
  const title = install.installed
    ? name
    : `${name} (${skip ? 'skipped outside CI' : 'fails in CI'}: ${install.reason})`;
  describe.skipIf(skip)(title, body);
}

/** Starts one moto server for the test file (or describe block) and stops it after. */
export function useMotoEngine(
  options: Pick<MotoServerOptions, 'oneRequestAtATime'> = {},
): () => MotoEngine {
  let current: MotoEngine | undefined;
  beforeAll(async () => {
    const server = await startMotoServer(options);
    const newClient = (options: { maxAttempts?: number } = {}) =>
      new DynamoDBClient({
        endpoint: server.endpoint,
        region: server.region,
        credentials: server.credentials,
        maxAttempts: 3,
        ...options,
      });
    current = { server, client: newClient(), rawClient: newClient(), newClient };
  }, 90_000);
  afterAll(async () => {
    current?.client.destroy();
    current?.rawClient.destroy();
    await current?.server.stop();
  }, 30_000);
  return () => {
    if (!current)
      throw new Error('moto is not started: call useMotoEngine() in the describe block');
    return current;
  };
}
