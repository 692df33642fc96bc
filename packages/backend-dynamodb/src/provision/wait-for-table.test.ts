import {
  DescribeTableCommand,
  DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { BackendError, type TableDescriptor } from '@macaron/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalDynamoDb, startLocalDynamoDb } from '../local/index.js';
import { createTables } from './index.js';

const day = 86_400_000;
let sequence = 0;

function table(): TableDescriptor {
  sequence += 1;
  return {
    name: `macaron-clock-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    specName: 'clock',
    partitionKey: { name: 'id', type: 'string' },
    indexes: [],
  };
}

// The wall clock steps (NTP correcting a machine that just booted, a VM resumed) while
// provisioning waits for a table: the wait is measured on a monotonic clock, so a step neither
// ends it early nor lets it run past waitTimeoutMs.
describe('waiting for a table while the wall clock steps', () => {
  let slow: LocalDynamoDb;

  beforeAll(async () => {
    slow = await startLocalDynamoDb({ createTableMs: 300 });
  });
  afterAll(async () => {
    await slow?.stop();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A client of the engine that steps the wall clock by `stepMs` at every DescribeTable. */
  function clientStepping(stepMs: number, alwaysCreating = false): DynamoDBClient {
    const client = new DynamoDBClient({
      endpoint: slow.endpoint,
      region: slow.region,
      credentials: slow.credentials,
    });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = (await next(args)) as { output: { Table?: TableDescription } };
        if (context.commandName === DescribeTableCommand.name) {
          vi.setSystemTime(Date.now() + stepMs);
          if (alwaysCreating && result.output.Table) result.output.Table.TableStatus = 'CREATING';
        }
        return result as never;
      },
      { step: 'initialize', name: 'stepWallClock' },
    );
    return client;
  }

  it('a step of a day forward does not end the wait: the table is created and ACTIVE', async () => {
    // Only Date is faked: the SDK and the polls keep real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    const client = clientStepping(day);
    const created = table();
    expect(
      await createTables(client, [created], { pollIntervalMs: 10, waitTimeoutMs: 60_000 }),
    ).toEqual([{ table: created.name, action: 'created' }]);
    const description = await slow.client.send(
      new DescribeTableCommand({ TableName: created.name }),
    );
    expect(description.Table?.TableStatus).toBe('ACTIVE');
    client.destroy();
  });

  it('steps back do not extend the wait: past waitTimeoutMs it is a BackendError', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // The table never becomes ACTIVE, as this client sees it, and every poll sets the clock back.
    const client = clientStepping(-day, true);
    const error = await createTables(client, [table()], {
      pollIntervalMs: 10,
      waitTimeoutMs: 200,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toMatch(/did not become ACTIVE within 200 ms/);
    client.destroy();
  });
});
