import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  InvalidRequestError,
  MacaronError,
  type TableDescriptor,
  TableMismatchError,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import { expect, it } from 'vitest';
import { createTables, ensureTables } from '../src/index.js';
import { describeOnMoto, useMotoEngine } from './moto-engine.js';

// Replicas starting together each plan a missing index (or TTL) and each send the change: one
// is applied, the others are refused. The interleaving is forced: the other replica's
// ensureTables (on a client of its own) runs between this one's plan and its request.

const fast = { pollIntervalMs: 10, waitTimeoutMs: 5_000 };

/** Runs `competitor` once, just before the client's first `command` is sent. */
function before(client: DynamoDBClient, command: string, competitor: () => Promise<unknown>) {
  let ran = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!ran && context.commandName === command) {
        ran = true;
        await competitor();
      }
      return next(args);
    },
    { step: 'initialize', name: 'otherReplicaFirst', priority: 'high' } as never,
  );
}

/**
 * Refuses the client's first `refused` command (an answer of the request), then fails the
 * `describe` command sent after it with no answer: what was refused cannot be looked at.
 */
function refuseThenFailToDescribe(client: DynamoDBClient, refused: string, describe: string) {
  let state: 'before' | 'refused' | 'done' = 'before';
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (state === 'before' && context.commandName === refused) {
        state = 'refused';
        throw Object.assign(new Error('refused for the test'), {
          name: 'ValidationException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        });
      }
      if (state === 'refused' && context.commandName === describe) {
        state = 'done';
        throw Object.assign(new Error('no answer for the test'), { name: 'TimeoutError' });
      }
      return next(args);
    },
    { step: 'initialize', name: 'refuseThenFailToDescribe', priority: 'high' } as never,
  );
}

/**
 * Loses the answer to the client's first `command`, after the engine applied it (a connection
 * reset): the SDK retries. `retried`, when given, answers the retry in the engine's place (as
 * DynamoDB answers a change already made, where moto takes it again).
 */
function loseFirstAnswer(client: DynamoDBClient, command: string, retried?: () => Error) {
  let attempts = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== command) return next(args);
      attempts += 1;
      if (attempts === 2 && retried) throw retried();
      if (attempts > 1) return next(args);
      await next(args);
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    },
    { step: 'deserialize', name: 'loseFirstAnswer', priority: 'high' } as never,
  );
}

/** DynamoDB's refusal of a request (a 400). */
function refused(name: string, message: string): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

describeOnMoto('replicas starting together (moto)', () => {
  const moto = useMotoEngine();
  let sequence = 0;

  function table(overrides: Partial<TableDescriptor> = {}): TableDescriptor {
    sequence += 1;
    return {
      name: `replicas-${sequence}`,
      specName: 'profiles',
      partitionKey: { name: 'profile_id', type: 'string' },
      indexes: [],
      ...overrides,
    };
  }
  const byEmail = { name: 'byEmail', partitionKey: { name: 'email', type: 'string' as const } };

  // moto refuses the index with an HTTP 500, which does not say the request was not applied
  // (DynamoDB refuses it with a 400): the index is reported added, by this call or another.
  it('an index another replica added since the plan is waited for and reported added by "unknown" (moto answers 500), not a failure', async () => {
    const old = table();
    await createTables(moto().client, [old], fast);
    await moto().rawClient.send(
      new PutItemCommand({
        TableName: old.name,
        Item: { profile_id: { S: 'ann' }, email: { S: 'ann@example.com' } },
      }),
    );
    const indexed = { ...old, indexes: [byEmail] };
    const client = moto().newClient();
    let competitor: unknown;
    before(client, 'UpdateTableCommand', async () => {
      competitor = await ensureTables(moto().rawClient, [indexed], fast);
    });
    expect(await ensureTables(client, [indexed], fast)).toEqual([
      { table: old.name, action: 'index-added', detail: 'byEmail', madeBy: 'unknown' },
    ]);
    expect(competitor).toEqual([{ table: old.name, action: 'index-added', detail: 'byEmail' }]);
    const description = (await client.send(new DescribeTableCommand({ TableName: old.name })))
      .Table;
    expect(description?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([
      'byEmail',
    ]);
    const kept = await client.send(
      new GetItemCommand({ TableName: old.name, Key: { profile_id: { S: 'ann' } } }),
    );
    expect(kept.Item?.email).toEqual({ S: 'ann@example.com' });
    client.destroy();
  });

  it('an index of the same name but other keys that another replica added since the plan is a TableMismatchError', async () => {
    const old = table();
    await createTables(moto().client, [old], fast);
    const client = moto().newClient();
    before(client, 'UpdateTableCommand', () =>
      ensureTables(
        moto().rawClient,
        [{ ...old, indexes: [{ ...byEmail, partitionKey: { name: 'mail', type: 'string' } }] }],
        fast,
      ),
    );
    const error = await ensureTables(client, [{ ...old, indexes: [byEmail] }], fast).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TableMismatchError);
    expect((error as TableMismatchError).differences.join()).toContain('byEmail');
    client.destroy();
  });

  it('an index refused while another replica adds another one is added once that one is built, both kept', async () => {
    const old = table();
    await createTables(moto().client, [old], fast);
    const byCountry = {
      name: 'byCountry',
      partitionKey: { name: 'country', type: 'string' as const },
    };
    const client = moto().newClient();
    before(client, 'UpdateTableCommand', async () => {
      await ensureTables(moto().rawClient, [{ ...old, indexes: [byCountry] }], fast);
      // moto builds an index at once and takes another; DynamoDB builds one at a time, and
      // refuses the second with this answer until the first is ACTIVE.
      throw Object.assign(
        new Error(
          'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table',
        ),
        { name: 'LimitExceededException', $fault: 'client', $metadata: { httpStatusCode: 400 } },
      );
    });
    expect(await ensureTables(client, [{ ...old, indexes: [byEmail] }], fast)).toEqual([
      { table: old.name, action: 'index-added', detail: 'byEmail' },
    ]);
    const description = (await client.send(new DescribeTableCommand({ TableName: old.name })))
      .Table;
    expect(description?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual([
      'byCountry',
      'byEmail',
    ]);
    expect(description?.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'profile_id', AttributeType: 'S' },
        { AttributeName: 'country', AttributeType: 'S' },
        { AttributeName: 'email', AttributeType: 'S' },
      ]),
    );
    client.destroy();
  });

  it("TTL another replica turned on since the plan is what was asked: reported unchanged, not DynamoDB's refusal", async () => {
    const old = table();
    await createTables(moto().client, [old], fast);
    const withTtl = { ...old, ttlAttribute: 'expires_at' };
    const client = moto().newClient();
    let competitor: unknown;
    before(client, 'UpdateTimeToLiveCommand', async () => {
      competitor = await ensureTables(moto().rawClient, [withTtl], fast);
      // moto accepts TTL turned on twice; DynamoDB refuses the second with this answer.
      throw Object.assign(new Error('TimeToLive is already enabled'), {
        name: 'ValidationException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
    });
    expect(await ensureTables(client, [withTtl], fast)).toEqual([
      { table: old.name, action: 'unchanged' },
    ]);
    expect(competitor).toEqual([{ table: old.name, action: 'ttl-enabled', detail: 'expires_at' }]);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: old.name }));
    expect(ttl.TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expires_at',
    });
    client.destroy();
  });

  it('an index refused as busy at every attempt is sent three times, then the refusal is reported: nothing else changed', async () => {
    const old = table();
    await createTables(moto().client, [old], fast);
    const client = moto().newClient();
    let sent = 0;
    // DynamoDB refuses an UpdateTable while another update of the table runs (ResourceInUse).
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'UpdateTableCommand') return next(args);
        sent += 1;
        throw Object.assign(
          new Error(`Attempt to change a resource which is still in use: Table: ${old.name}`),
          {
            name: 'ResourceInUseException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
          },
        );
      },
      { step: 'initialize', name: 'alwaysBusy', priority: 'high' } as never,
    );
    const error = await ensureTables(client, [{ ...old, indexes: [byEmail] }], fast).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MacaronError);
    expect((error as Error).message).toContain('UpdateTable (add index byEmail)');
    expect(sent).toBe(3);
    const description = (await client.send(new DescribeTableCommand({ TableName: old.name })))
      .Table;
    expect(description?.GlobalSecondaryIndexes ?? []).toEqual([]);
    client.destroy();
  });

  it("a refused UpdateTable whose table cannot be described after is reported by the UpdateTable's own error, not the DescribeTable's", async () => {
    const old = table();
    await createTables(moto().client, [old], fast);
    const client = moto().newClient();
    refuseThenFailToDescribe(client, 'UpdateTableCommand', 'DescribeTableCommand');
    const error = await ensureTables(client, [{ ...old, indexes: [byEmail] }], fast).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain('refused for the test');
    expect((error as Error).message).not.toContain('no answer for the test');
    client.destroy();
  });

  it('TTL another replica turned on by another attribute since the plan is a failure, not what was asked', async () => {
    const old = table();
    await createTables(moto().client, [old], fast);
    const client = moto().newClient();
    before(client, 'UpdateTimeToLiveCommand', async () => {
      await ensureTables(moto().rawClient, [{ ...old, ttlAttribute: 'purge_at' }], fast);
      // DynamoDB refuses to turn TTL on while it is on by another attribute.
      throw Object.assign(new Error('TimeToLive is already enabled'), {
        name: 'ValidationException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
    });
    const error = await ensureTables(client, [{ ...old, ttlAttribute: 'expires_at' }], fast).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain('TimeToLive is already enabled');
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: old.name }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('purge_at');
    client.destroy();
  });

  it("a refused UpdateTimeToLive whose TTL cannot be described after is reported by the UpdateTimeToLive's own error", async () => {
    const old = table();
    await createTables(moto().client, [old], fast);
    const client = moto().newClient();
    refuseThenFailToDescribe(client, 'UpdateTimeToLiveCommand', 'DescribeTimeToLiveCommand');
    const error = await ensureTables(client, [{ ...old, ttlAttribute: 'expires_at' }], fast).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain('refused for the test');
    expect((error as Error).message).not.toContain('no answer for the test');
    client.destroy();
  });

  it('an index added by an attempt whose answer was lost, the retry refused: index-added, made by "unknown"', async () => {
    const old = table();
    await createTables(moto().client, [old], fast);
    const client = moto().newClient();
    loseFirstAnswer(client, 'UpdateTableCommand', () =>
      Object.assign(new Error('Attempt to change a resource which is still in use'), {
        name: 'ResourceInUseException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    expect(await ensureTables(client, [{ ...old, indexes: [byEmail] }], fast)).toEqual([
      { table: old.name, action: 'index-added', detail: 'byEmail', madeBy: 'unknown' },
    ]);
    client.destroy();
  });

  it('TTL turned on by an attempt whose answer was lost, the retry refused: ttl-enabled, made by "unknown"', async () => {
    const old = table();
    await createTables(moto().client, [old], fast);
    const client = moto().newClient();
    loseFirstAnswer(client, 'UpdateTimeToLiveCommand', () =>
      Object.assign(new Error('TimeToLive is already enabled'), {
        name: 'ValidationException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    expect(await ensureTables(client, [{ ...old, ttlAttribute: 'expires_at' }], fast)).toEqual([
      { table: old.name, action: 'ttl-enabled', detail: 'expires_at', madeBy: 'unknown' },
    ]);
    client.destroy();
  });

  it('an index whose every attempt got no answer: WriteOutcomeUnknownError, not a failure that changed nothing', async () => {
    const old = table();
    await createTables(moto().client, [old], fast);
    const client = moto().newClient();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'UpdateTableCommand') return next(args);
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      },
      { step: 'deserialize', name: 'loseEveryAnswer', priority: 'high' } as never,
    );
    const error = await ensureTables(client, [{ ...old, indexes: [byEmail] }], fast).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
    expect((error as Error).message).toContain(
      `UpdateTable (add index byEmail) on table ${old.name}: an attempt failed after the request was sent, and no attempt after it succeeded, so whether the index was added is unknown`,
    );
    client.destroy();
  });

  // DynamoDB refuses the retry while the lost attempt's index is being added (the table
  // UPDATING); when the table cannot be looked at then, the index is sent again once the table
  // is ACTIVE, and refused as there (a 400, where moto answers 500).
  it('an index added by an attempt whose answer was lost, found by the request sent again: index-added, made by "unknown"', async () => {
    const old = table();
    await createTables(moto().client, [old], fast);
    const client = moto().newClient();
    let updates = 0;
    let lookedAfterRefusal = false;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'UpdateTableCommand') return next(args);
        updates += 1;
        if (updates === 1) {
          await next(args);
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }
        if (updates === 2)
          throw refused(
            'ResourceInUseException',
            'Attempt to change a resource which is still in use',
          );
        throw refused('ValidationException', 'Attempting to create an index which already exists');
      },
      { step: 'deserialize', name: 'loseThenRefuse', priority: 'high' } as never,
    );
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (
          context.commandName === 'DescribeTableCommand' &&
          updates === 2 &&
          !lookedAfterRefusal
        ) {
          lookedAfterRefusal = true;
          throw Object.assign(new Error('no answer for the test'), { name: 'TimeoutError' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failToLookOnce', priority: 'high' } as never,
    );
    expect(await ensureTables(client, [{ ...old, indexes: [byEmail] }], fast)).toEqual([
      { table: old.name, action: 'index-added', detail: 'byEmail', madeBy: 'unknown' },
    ]);
    expect(updates).toBe(3);
    client.destroy();
  });
});
