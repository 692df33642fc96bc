import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createMemoryBackend } from '@macaron/backend-memory';
import { createPostgresBackend } from '@macaron/backend-postgres';
import { startLocalPostgres, startPostgresServer } from '@macaron/backend-postgres/local';
import type { StorageBackend } from '@macaron/core';
import { afterAll, beforeAll } from 'vitest';
import { createDynamoDbBackend } from '../../src/index.js';
import { startLocalDynamoDb } from '../../src/local/index.js';
import { findMotoInstall, startMotoServer } from '../moto-server.js';

/** One engine a move reads from or writes to, through its Macaron backend. */
export interface MoveEngine {
  readonly name: 'memory' | 'dynalite' | 'moto' | 'pglite' | 'postgres';
  readonly backend: StorageBackend;
  /** A client of the engine beside the backend, as another application (boto3, the CLI) has. */
  readonly dynamoDb?: DynamoDBClient;
  /** Plain SQL on the engine, as another application (psql) has. */
  readonly sql?: (text: string, parameters?: unknown[]) => Promise<unknown>;
}

/**
 * Starts every engine for the test file (memory, dynalite, PGlite, a PostgreSQL server, and
 * moto when scripts/moto/setup.sh installed it, or under CI=true, where it must be) and stops
 * them after.
 */
export function useMoveEngines(): () => readonly MoveEngine[] {
  const engines: MoveEngine[] = [];
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    engines.push({ name: 'memory', backend: createMemoryBackend() });
    const dynalite = await startLocalDynamoDb();
    stops.push(() => dynalite.stop());
    engines.push({
      name: 'dynalite',
      backend: createDynamoDbBackend({ client: dynalite.client }),
      dynamoDb: dynalite.client,
    });
    if (findMotoInstall().installed || process.env.CI === 'true') {
      const moto = await startMotoServer();
      stops.push(() => moto.stop());
      const client = new DynamoDBClient({
        endpoint: moto.endpoint,
        region: moto.region,
        credentials: moto.credentials,
      });
      stops.push(async () => client.destroy());
      engines.push({ name: 'moto', backend: createDynamoDbBackend({ client }), dynamoDb: client });
    }
    const pglite = await startLocalPostgres();
    stops.push(() => pglite.stop());
    engines.push({
      name: 'pglite',
      backend: pglite.backend,
      sql: (text, parameters) => pglite.database.query(text, parameters),
    });
    const server = await startPostgresServer();
    stops.push(() => server.stop());
    const postgres = createPostgresBackend({ connectionString: server.connectionString });
    stops.push(() => postgres.close());
    engines.push({
      name: 'postgres',
      backend: postgres,
      sql: (text, parameters) => postgres.client.query(text, parameters),
    });
  }, 120_000);
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  }, 60_000);
  return () => engines;
}
