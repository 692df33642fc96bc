import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  LimitExceededException,
  ListTablesCommand,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BackendError,
  TableExistsError as CoreTableExistsError,
  TableMismatchError as CoreTableMismatchError,
  InvalidRequestError,
  MacaronError,
  type TableDescriptor,
  ThrottledError,
  UnsupportedOperationError,
  WriteOutcomeUnknownError,
} from '@macaron/core';
import type { RetryStrategyV2, RetryToken } from '@smithy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbBackend } from '../dynamodb-backend.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../local/index.js';
import {
  createTables,
  deleteTables,
  ensureTables,
  type ProvisionOptions,
  planTables,
  TableExistsError,
  TableMismatchError,
  toCreateTableInput,
} from './index.js';

const fast: ProvisionOptions = { pollIntervalMs: 10, waitTimeoutMs: 5_000 };
let sequence = 0;

/** A table name no other test uses. */
function uniqueName(label: string): string {
  sequence += 1;
  return `macaron-${label}-${sequence}-${Math.random().toString(36).slice(2, 8)}`;
}

function profiles(overrides: Partial<TableDescriptor> = {}): TableDescriptor {
  return {
    name: uniqueName('profiles'),
    specName: 'profiles',
    partitionKey: { name: 'profile_id', type: 'string' },
    indexes: [],
    ...overrides,
  };
}

const byEmail = { name: 'byEmail', partitionKey: { name: 'email', type: 'string' as const } };
const byCountry = {
  name: 'byCountry',
  partitionKey: { name: 'country', type: 'string' as const },
  sortKey: { name: 'age', type: 'number' as const },
};

describe('provisioning on dynalite', () => {
  let local: LocalDynamoDb;
  /** An engine whose tables stay CREATING, UPDATING and DELETING for a while. */
  let slow: LocalDynamoDb;

  beforeAll(async () => {
    [local, slow] = await Promise.all([
      startLocalDynamoDb(),
      startLocalDynamoDb({ createTableMs: 300, deleteTableMs: 300, updateTableMs: 300 }),
    ]);
  });
  /** Clients of `losingAnswers`, destroyed with the engines. */
  const lossyClients: DynamoDBClient[] = [];
  afterAll(async () => {
    for (const client of lossyClients) client.destroy();
    await Promise.all([local?.stop(), slow?.stop()]);
  });

  it.each([[undefined], [null], [42], ['notes'], [[null]], [[{}]], [[{ name: 'notes' }]]])(
    'given %j from JavaScript, every provisioning call throws InvalidRequestError, nothing sent',
    async (tables) => {
      const backend = createDynamoDbBackend({ client: local.client });
      const calls = {
        ensureTables: () => ensureTables(local.client, tables as never, fast),
        planTables: () => planTables(local.client, tables as never, fast),
        createTables: () => createTables(local.client, tables as never, fast),
        deleteTables: () => deleteTables(local.client, tables as never, fast),
        'backend ensureTables': () => backend.ensureTables(tables as never),
      };
      for (const [name, call] of Object.entries(calls)) {
        const error = await call().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error, `${name}: ${String(error)}`).toBeInstanceOf(InvalidRequestError);
        expect((error as Error).message).toBe(
          `${name.replace('backend ', '')} takes a list of the table descriptors api.tables() returns`,
        );
      }
    },
  );

  async function describeTable(name: string, client = local.client) {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  }

  async function tableExists(name: string, client = local.client): Promise<boolean> {
    const names = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
    return names.includes(name);
  }

  // The engine refuses one table's request (as DynamoDB does past its limit on tables being
  // created or deleted at once): a client whose send injects that fault, the rest sent as is.
  function refusingFor(table: string): DynamoDBClient {
    const faulty = Object.create(local.client) as DynamoDBClient;
    faulty.send = ((command: unknown) =>
      (command instanceof CreateTableCommand || command instanceof DeleteTableCommand) &&
      command.input.TableName === table
        ? Promise.reject(
            new LimitExceededException({
              message: 'Subscriber limit exceeded: too many tables being changed at once',
              $metadata: { httpStatusCode: 400 },
            }),
          )
        : local.client.send(command as never)) as never;
    return faulty;
  }

  describe("one table's request refused, the others' done: the error says what was done", () => {
    it.each(['createTables', 'ensureTables'] as const)(
      '%s names the table it created all the same (it stays); the error keeps its class',
      async (call) => {
        const made = profiles();
        const refused = profiles();
        const provision = call === 'createTables' ? createTables : ensureTables;
        const error = await provision(refusingFor(refused.name), [made, refused], fast).catch(
          (caught: unknown) => caught,
        );
        expect(error).toBeInstanceOf(ThrottledError);
        expect((error as Error).message).toContain(`CreateTable on table ${refused.name}`);
        expect((error as Error).message).toContain(
          `. What this call did all the same stays done: created table ${made.name}`,
        );
        expect((error as Error).message).not.toContain('failed too');
        expect(await tableExists(made.name)).toBe(true);
        expect(await tableExists(refused.name)).toBe(false);
      },
    );

    it('a request refused for two tables: one error names both, and what was done', async () => {
      const made = profiles();
      const first = profiles();
      const second = profiles();
      const faulty = refusingFor(first.name);
      const send = faulty.send.bind(faulty);
      faulty.send = ((command: unknown) =>
        command instanceof CreateTableCommand && command.input.TableName === second.name
          ? Promise.reject(new Error('socket hang up'))
          : send(command as never)) as never;
      const error = await createTables(faulty, [made, first, second], fast).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ThrottledError);
      const message = (error as Error).message;
      expect(message).toContain(`CreateTable on table ${first.name}`);
      expect(message).toMatch(
        new RegExp(`\\. 1 other table failed too: .*CreateTable.* ${second.name}`),
      );
      expect(message).toContain(
        `What this call did all the same stays done: created table ${made.name}`,
      );
    });

    it.each(['createTables', 'ensureTables'] as const)(
      '%s: a table created, then its TTL refused: the error says the table was created',
      async (call) => {
        const expiring = profiles({ ttlAttribute: 'expires_at' });
        const faulty = Object.create(local.client) as DynamoDBClient;
        faulty.send = ((command: unknown) =>
          command instanceof UpdateTimeToLiveCommand
            ? Promise.reject(
                new LimitExceededException({
                  message: 'too many TTL changes',
                  $metadata: { httpStatusCode: 400 },
                }),
              )
            : local.client.send(command as never)) as never;
        const provision = call === 'createTables' ? createTables : ensureTables;
        const error = await provision(faulty, [expiring], fast).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ThrottledError);
        expect((error as Error).message).toContain(`UpdateTimeToLive on table ${expiring.name}`);
        expect((error as Error).message).toContain(
          `What this call did all the same stays done: created table ${expiring.name}`,
        );
        expect(await tableExists(expiring.name)).toBe(true);
      },
    );

    // Another process creates one table between the check and the request; this call creates
    // the other, whose TTL is then refused.
    it.each([
      ['before', true],
      ['after', false],
    ])(
      'createTables: a table taken by another process (%s the other), and one created whose TTL is refused: TableExistsError lists the created one, and says of the refusal',
      async (_, racedFirst) => {
        const raced = profiles();
        const expiring = profiles({ ttlAttribute: 'expires_at' });
        const faulty = Object.create(local.client) as DynamoDBClient;
        faulty.send = (async (command: unknown) => {
          if (command instanceof CreateTableCommand && command.input.TableName === raced.name)
            await local.client.send(new CreateTableCommand(toCreateTableInput(raced)));
          if (command instanceof UpdateTimeToLiveCommand)
            throw new LimitExceededException({
              message: 'too many TTL changes',
              $metadata: { httpStatusCode: 400 },
            });
          return local.client.send(command as never);
        }) as never;
        const tables = racedFirst ? [raced, expiring] : [expiring, raced];
        const error = await createTables(faulty, tables, fast).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(TableExistsError);
        expect((error as TableExistsError).tables).toEqual([raced.name]);
        expect((error as TableExistsError).created).toEqual([expiring.name]);
        expect((error as Error).message).toMatch(
          new RegExp(`\\. 1 other table failed too: .*UpdateTimeToLive on table ${expiring.name}`),
        );
        expect(await tableExists(expiring.name)).toBe(true);
      },
    );

    it('deleteTables names the table it deleted all the same', async () => {
      const gone = profiles();
      const refused = profiles();
      await createTables(local.client, [gone, refused], fast);
      const error = await deleteTables(refusingFor(refused.name), [gone, refused], fast).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ThrottledError);
      expect((error as Error).message).toContain(
        `What this call did all the same stays done: deleted table ${gone.name}`,
      );
      expect(await tableExists(gone.name)).toBe(false);
      expect(await tableExists(refused.name)).toBe(true);
    });
  });

  /**
   * The SDK's retries of a failure it retries (`attempts` in all), without its delay: a lost attempt's
   * change is still under way at the retry (on `slow`), as it is on DynamoDB.
   */
  function retryingAtOnce(attempts: number): RetryStrategyV2 {
    return {
      acquireInitialRetryToken: async () => retryToken(0),
      refreshRetryTokenForRetry: async (token, failure) => {
        if (token.getRetryCount() >= attempts - 1 || failure.errorType === 'CLIENT_ERROR')
          throw new Error('no more attempts');
        return retryToken(token.getRetryCount() + 1);
      },
      recordSuccess: () => {},
    };
  }
  function retryToken(count: number): RetryToken {
    return { getRetryCount: () => count, getRetryDelay: () => 0 };
  }

  // The SDK retries a request whose attempt failed after it was sent (a lost connection): a
  // client whose connection drops `lost` attempts of one kind of request to one table, each
  // after the engine answered it (applied) or before it was sent (not applied).
  function losingAnswers(
    command: 'CreateTableCommand' | 'DeleteTableCommand',
    table: string,
    lost: number,
    when: 'after' | 'before' = 'after',
    engine: LocalDynamoDb = local,
    attempts = 3,
  ): DynamoDBClient {
    const client = new DynamoDBClient({
      endpoint: engine.endpoint,
      region: engine.region,
      credentials: engine.credentials,
      retryStrategy: retryingAtOnce(attempts),
    });
    lossyClients.push(client);
    let dropped = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const ours =
          context.commandName === command &&
          (args.input as { TableName?: string }).TableName === table &&
          dropped < lost;
        if (!ours) return next(args);
        dropped += 1;
        const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        if (when === 'before') throw reset;
        // Whatever the engine answered (a retry is refused: the table is there, or gone).
        await next(args).catch(() => undefined);
        throw reset;
      },
      { step: 'deserialize', name: 'loseAnswers', priority: 'high' },
    );
    return client;
  }

  describe('an attempt whose answer was lost, retried by the SDK', () => {
    it('createTables: the retry finds the table the lost attempt made: WriteOutcomeUnknownError, not "another process created it"', async () => {
      const table = profiles();
      const error = await createTables(
        losingAnswers('CreateTableCommand', table.name, 1),
        [table],
        fast,
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
      expect(error).not.toBeInstanceOf(CoreTableExistsError);
      expect((error as Error).message).toBe(
        `createTables: CreateTable on table ${table.name} got no answer to an attempt that may have created it, and its retry found the table there: whether this call created it or another process had is unknown`,
      );
      expect(await tableExists(table.name)).toBe(true);
    });

    it('createTables: every attempt lost after it was sent: WriteOutcomeUnknownError, the table perhaps made', async () => {
      const table = profiles();
      const error = await createTables(
        losingAnswers('CreateTableCommand', table.name, 3),
        [table],
        fast,
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
      expect((error as Error).message).toBe(
        `CreateTable on table ${table.name}: an attempt failed after the request was sent, and no attempt after it succeeded, so whether the table was created is unknown; planTables tells (ensureTables completes what is missing)`,
      );
      expect(await tableExists(table.name)).toBe(true);
    });

    it.each(['createTables', 'ensureTables'] as const)(
      "%s: an attempt lost before it was sent, the retry creating the table: created, this call's",
      async (call) => {
        const table = profiles();
        const provision = call === 'createTables' ? createTables : ensureTables;
        const changes = await provision(
          losingAnswers('CreateTableCommand', table.name, 1, 'before'),
          [table],
          fast,
        );
        expect(changes).toEqual([{ table: table.name, action: 'created' }]);
      },
    );

    it('ensureTables: the retry finds the table the lost attempt made: created, made by "unknown" (not unchanged)', async () => {
      const table = profiles({ indexes: [byEmail] });
      const changes = await ensureTables(
        losingAnswers('CreateTableCommand', table.name, 1),
        [table],
        fast,
      );
      expect(changes).toEqual([{ table: table.name, action: 'created', madeBy: 'unknown' }]);
      expect((await describeTable(table.name))?.TableStatus).toBe('ACTIVE');
    });

    it("ensureTables: the lost attempt's table found, then not readable: the error says the table may be this call's", async () => {
      const table = profiles();
      const client = losingAnswers('CreateTableCommand', table.name, 1);
      let created = false;
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'CreateTableCommand') created = true;
          // Once the table is made, DescribeTable is refused (a policy that allows no reads).
          else if (created && context.commandName === 'DescribeTableCommand')
            throw Object.assign(new Error('not allowed to describe'), {
              name: 'AccessDeniedException',
              $fault: 'client',
              $metadata: { httpStatusCode: 400 },
            });
          return next(args);
        },
        { step: 'initialize', name: 'refuseDescribes', priority: 'high' },
      );
      const error = await ensureTables(client, [table], fast).catch((caught: unknown) => caught);
      expect(MacaronError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(
        `What this call did all the same stays done: created table ${table.name} (or another process did: an answer was lost)`,
      );
    });

    it('ensureTables: every attempt lost after it was sent: WriteOutcomeUnknownError', async () => {
      const table = profiles();
      const error = await ensureTables(
        losingAnswers('CreateTableCommand', table.name, 3),
        [table],
        fast,
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
      expect((error as Error).message).toContain(`CreateTable on table ${table.name}: `);
    });

    it('deleteTables: the retry finds the table the lost attempt deleted: deleted, made by "unknown" (not absent)', async () => {
      const table = profiles();
      await createTables(local.client, [table], fast);
      const changes = await deleteTables(
        losingAnswers('DeleteTableCommand', table.name, 1),
        [table],
        fast,
      );
      expect(changes).toEqual([{ table: table.name, action: 'deleted', madeBy: 'unknown' }]);
      expect(await tableExists(table.name)).toBe(false);
    });

    // DynamoDB answers a DeleteTable of a table DELETING with success, as dynalite does: the
    // retry does not say whether the lost attempt or another process deleted it.
    it('deleteTables: the retry meets the table the lost attempt is deleting, and succeeds: deleted, made by "unknown"', async () => {
      const table = profiles();
      await createTables(slow.client, [table], fast);
      const changes = await deleteTables(
        losingAnswers('DeleteTableCommand', table.name, 1, 'after', slow),
        [table],
        fast,
      );
      expect(changes).toEqual([{ table: table.name, action: 'deleted', madeBy: 'unknown' }]);
      expect(await tableExists(table.name, slow.client)).toBe(false);
    });

    // `maxAttempts: 1`, a retry quota spent, an answer the SDK does not retry (a proxy's 4xx).
    it('createTables: the one attempt lost after it was sent, not retried: WriteOutcomeUnknownError that speaks of no retries', async () => {
      const table = profiles();
      const error = await createTables(
        losingAnswers('CreateTableCommand', table.name, 1, 'after', local, 1),
        [table],
        fast,
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
      expect((error as Error).message).toBe(
        `CreateTable on table ${table.name}: an attempt failed after the request was sent, and no attempt after it succeeded, so whether the table was created is unknown; planTables tells (ensureTables completes what is missing)`,
      );
    });

    it('deleteTables: every attempt lost after it was sent: WriteOutcomeUnknownError', async () => {
      const table = profiles();
      await createTables(local.client, [table], fast);
      const error = await deleteTables(
        losingAnswers('DeleteTableCommand', table.name, 3),
        [table],
        fast,
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WriteOutcomeUnknownError);
      // Not "ensureTables completes what is missing", which would create it again.
      expect((error as Error).message).toBe(
        `DeleteTable on table ${table.name}: an attempt failed after the request was sent, and no attempt after it succeeded, so whether the table was deleted is unknown; planTables tells (deleteTables deletes it if it is still there)`,
      );
    });

    it("a failure's words say a change made by 'unknown' may be another process's", async () => {
      const lost = profiles();
      const refused = profiles();
      const faulty = losingAnswers('CreateTableCommand', lost.name, 1);
      const send = faulty.send.bind(faulty);
      faulty.send = ((command: unknown) =>
        command instanceof CreateTableCommand && command.input.TableName === refused.name
          ? Promise.reject(
              new LimitExceededException({
                message: 'too many tables being changed at once',
                $metadata: { httpStatusCode: 400 },
              }),
            )
          : send(command as never)) as never;
      const error = await ensureTables(faulty, [lost, refused], fast).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ThrottledError);
      expect((error as Error).message).toContain(
        `What this call did all the same stays done: created table ${lost.name} (or another process did: an answer was lost)`,
      );
    });
  });

  describe('createTables', () => {
    it('creates tables with their keys and GSIs, ACTIVE', async () => {
      const first = profiles({ sortKey: { name: 'created_at', type: 'string' } });
      const second = profiles({ indexes: [byEmail, byCountry] });
      const changes = await createTables(local.client, [first, second], fast);
      expect(changes).toEqual([
        { table: first.name, action: 'created' },
        { table: second.name, action: 'created' },
      ]);

      const firstTable = await describeTable(first.name);
      expect(firstTable?.TableStatus).toBe('ACTIVE');
      expect(firstTable?.KeySchema).toEqual([
        { AttributeName: 'profile_id', KeyType: 'HASH' },
        { AttributeName: 'created_at', KeyType: 'RANGE' },
      ]);
      expect(firstTable?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');

      const secondTable = await describeTable(second.name);
      expect(secondTable?.AttributeDefinitions).toEqual(
        toCreateTableInput(second).AttributeDefinitions,
      );
      const indexes = secondTable?.GlobalSecondaryIndexes ?? [];
      expect(indexes.map((index) => [index.IndexName, index.IndexStatus])).toEqual([
        ['byCountry', 'ACTIVE'],
        ['byEmail', 'ACTIVE'],
      ]);
      expect(indexes[0]?.KeySchema).toEqual([
        { AttributeName: 'country', KeyType: 'HASH' },
        { AttributeName: 'age', KeyType: 'RANGE' },
      ]);
      expect(indexes[0]?.Projection).toEqual({ ProjectionType: 'ALL' });
    });

    it('creates provisioned tables with the given throughput', async () => {
      const table = profiles({ indexes: [byEmail] });
      await createTables(local.client, [table], { ...fast, throughput: { read: 3, write: 2 } });
      const description = await describeTable(table.name);
      expect(description?.ProvisionedThroughput).toMatchObject({
        ReadCapacityUnits: 3,
        WriteCapacityUnits: 2,
      });
      expect(description?.GlobalSecondaryIndexes?.[0]?.ProvisionedThroughput).toMatchObject({
        ReadCapacityUnits: 3,
        WriteCapacityUnits: 2,
      });
    });

    it('waits until a table that takes time to create is ACTIVE', async () => {
      const table = profiles({ indexes: [byEmail] });
      await createTables(slow.client, [table], fast);
      const description = await describeTable(table.name, slow.client);
      expect(description?.TableStatus).toBe('ACTIVE');
      expect(description?.GlobalSecondaryIndexes?.[0]?.IndexStatus).toBe('ACTIVE');
    });

    it('gives up after waitTimeoutMs with a BackendError, saying the table was created (it stays)', async () => {
      const table = profiles();
      const error = await createTables(slow.client, [table], {
        pollIntervalMs: 10,
        waitTimeoutMs: 50,
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BackendError);
      expect((error as BackendError).code).toBe('BACKEND_ERROR');
      expect((error as Error).message).toContain(
        `. What this call did all the same stays done: created table ${table.name}`,
      );
    });

    it('fails with TableExistsError, creating nothing, when a table exists already', async () => {
      const existing = profiles();
      const fresh = profiles();
      await createTables(local.client, [existing], fast);
      const error = await createTables(local.client, [fresh, existing], fast).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(TableExistsError);
      // Core's class: code catching it moves between backends unchanged.
      expect(TableExistsError).toBe(CoreTableExistsError);
      expect(TableMismatchError).toBe(CoreTableMismatchError);
      expect((error as TableExistsError).code).toBe('TABLE_EXISTS');
      expect((error as TableExistsError).tables).toEqual([existing.name]);
      expect(await tableExists(fresh.name)).toBe(false);
    });

    it('creates a table listed twice (models sharing it, two specs) once, with the indexes of both; refuses listings of other keys', async () => {
      const shared = profiles();
      expect(await createTables(local.client, [shared, { ...shared }], fast)).toEqual([
        { table: shared.name, action: 'created' },
      ]);
      const indexed = profiles();
      expect(
        await createTables(local.client, [indexed, { ...indexed, indexes: [byEmail] }], fast),
      ).toEqual([{ table: indexed.name, action: 'created' }]);
      const described = await local.client.send(
        new DescribeTableCommand({ TableName: indexed.name }),
      );
      expect(described.Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName)).toEqual([
        'byEmail',
      ]);
      const other = profiles();
      const numbered = { ...other, partitionKey: { name: 'profile_id', type: 'number' as const } };
      await expect(createTables(local.client, [other, numbered], fast)).rejects.toThrow(
        TableMismatchError,
      );
      expect(await tableExists(other.name)).toBe(false);
    });
  });

  describe('ensureTables', () => {
    it('creates missing tables, then reports them unchanged', async () => {
      const first = profiles({ indexes: [byEmail] });
      const second = profiles({ sortKey: { name: 'created_at', type: 'number' } });
      expect(await ensureTables(local.client, [first, second], fast)).toEqual([
        { table: first.name, action: 'created' },
        { table: second.name, action: 'created' },
      ]);
      expect(await ensureTables(local.client, [first, second], fast)).toEqual([
        { table: first.name, action: 'unchanged' },
        { table: second.name, action: 'unchanged' },
      ]);
    });

    it('waits for a table that is still being created, and reports it unchanged', async () => {
      const table = profiles({ indexes: [byEmail] });
      await slow.client.send(new CreateTableCommand(toCreateTableInput(table)));
      expect((await describeTable(table.name, slow.client))?.TableStatus).toBe('CREATING');
      expect(await ensureTables(slow.client, [table], fast)).toEqual([
        { table: table.name, action: 'unchanged' },
      ]);
      expect((await describeTable(table.name, slow.client))?.TableStatus).toBe('ACTIVE');
    });

    it('creates only what is missing and leaves indexes the spec does not name alone', async () => {
      const existing = profiles({ indexes: [byEmail, byCountry] });
      await createTables(local.client, [existing], fast);
      const missing = profiles();
      const changes = await ensureTables(
        local.client,
        [{ ...existing, indexes: [byCountry] }, missing],
        fast,
      );
      expect(changes).toEqual([
        { table: existing.name, action: 'unchanged' },
        { table: missing.name, action: 'created' },
      ]);
      expect((await describeTable(existing.name))?.GlobalSecondaryIndexes).toHaveLength(2);
    });

    it('does not wait for an index the spec does not declare while it is built (a backfill takes hours)', async () => {
      const existing = profiles({ indexes: [byEmail, byCountry] });
      await createTables(local.client, [existing], fast);
      // DynamoDB's answer while it backfills byEmail, which dynalite cannot show.
      const client = new DynamoDBClient({
        endpoint: local.endpoint,
        region: local.region,
        credentials: local.credentials,
      });
      client.middlewareStack.add(
        (next) => async (args) => {
          const result = (await next(args)) as { output: { Table?: TableDescription } };
          for (const index of result.output.Table?.GlobalSecondaryIndexes ?? [])
            if (index.IndexName === 'byEmail') index.IndexStatus = 'CREATING';
          return result as never;
        },
        { step: 'initialize', name: 'backfillingByEmail' } as never,
      );
      const declared = { ...existing, indexes: [byCountry] };
      expect(await ensureTables(client, [declared], { ...fast, waitTimeoutMs: 300 })).toEqual([
        { table: existing.name, action: 'unchanged' },
      ]);
      // Declared, it is waited for: still CREATING past the timeout.
      await expect(
        ensureTables(client, [existing], { ...fast, waitTimeoutMs: 300 }),
      ).rejects.toThrow('index byEmail CREATING');
      client.destroy();
    });

    it('asks for a missing GSI with UpdateTable; dynalite cannot add one: NOT_SUPPORTED', async () => {
      const sent: { command: string; input: unknown }[] = [];
      const client = new DynamoDBClient({
        endpoint: local.endpoint,
        region: local.region,
        credentials: local.credentials,
      });
      client.middlewareStack.add(
        (next, context) => async (args) => {
          sent.push({ command: context.commandName ?? '', input: args.input });
          return next(args);
        },
        { step: 'initialize' },
      );
      try {
        for (const options of [fast, { ...fast, throughput: { read: 1, write: 1 } }]) {
          const table = profiles();
          await createTables(client, [table], options);
          sent.length = 0;
          const error = await ensureTables(
            client,
            [{ ...table, indexes: [byCountry] }],
            fast,
          ).catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(UnsupportedOperationError);
          expect((error as UnsupportedOperationError).code).toBe('NOT_SUPPORTED');
          const update = sent.find((entry) => entry.command === 'UpdateTableCommand');
          // What goes on the wire (not the backend's request state, under a symbol).
          expect(JSON.parse(JSON.stringify(update?.input))).toEqual({
            TableName: table.name,
            AttributeDefinitions: [
              { AttributeName: 'profile_id', AttributeType: 'S' },
              { AttributeName: 'age', AttributeType: 'N' },
              { AttributeName: 'country', AttributeType: 'S' },
            ],
            GlobalSecondaryIndexUpdates: [
              {
                Create: {
                  IndexName: 'byCountry',
                  KeySchema: [
                    { AttributeName: 'country', KeyType: 'HASH' },
                    { AttributeName: 'age', KeyType: 'RANGE' },
                  ],
                  Projection: { ProjectionType: 'ALL' },
                  ...(options.throughput
                    ? { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }
                    : {}),
                },
              },
            ],
          });
          expect((await describeTable(table.name))?.GlobalSecondaryIndexes).toBeUndefined();
        }
      } finally {
        client.destroy();
      }
    });

    it('refuses a table whose keys differ, naming it and each difference, changing nothing', async () => {
      const existing = profiles({ indexes: [byEmail] });
      await createTables(local.client, [existing], fast);
      const missing = profiles();
      const spec: TableDescriptor = {
        ...existing,
        partitionKey: { name: 'profile_id', type: 'number' },
        sortKey: { name: 'created_at', type: 'string' },
        indexes: [{ ...byEmail, sortKey: { name: 'age', type: 'number' } }],
      };
      const error = await ensureTables(local.client, [missing, spec], fast).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(TableMismatchError);
      const mismatch = error as TableMismatchError;
      expect(mismatch.code).toBe('TABLE_MISMATCH');
      expect(mismatch.table).toBe(existing.name);
      expect(mismatch.differences).toEqual([
        expect.stringMatching(/^partition key: .*profile_id \(S\).*profile_id \(N\)/),
        expect.stringMatching(/^sort key: .*none.*created_at \(S\)/),
        expect.stringMatching(/^index byEmail sort key: .*none.*age \(N\)/),
      ]);
      expect(await tableExists(missing.name)).toBe(false);
    });

    it('refuses an index the table projects differently', async () => {
      const name = uniqueName('projection');
      await local.client.send(
        new CreateTableCommand({
          ...toCreateTableInput(profiles({ name, indexes: [byEmail] })),
          GlobalSecondaryIndexes: [
            {
              IndexName: 'byEmail',
              KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          ],
        }),
      );
      const error = await ensureTables(
        local.client,
        [profiles({ name, indexes: [byEmail] })],
        fast,
      ).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TableMismatchError);
      expect((error as TableMismatchError).differences).toEqual([
        expect.stringMatching(/^index byEmail: .*KEYS_ONLY.*ALL/),
      ]);
    });
  });

  describe('TTL on dynalite (no UpdateTimeToLive)', () => {
    it('is reported ttl-unsupported by createTables and ensureTables, not an error', async () => {
      const created = profiles({ ttlAttribute: 'expires_at' });
      expect(await createTables(local.client, [created], fast)).toEqual([
        { table: created.name, action: 'created' },
        { table: created.name, action: 'ttl-unsupported', detail: expect.any(String) },
      ]);
      expect(await ensureTables(local.client, [created], fast)).toEqual([
        { table: created.name, action: 'ttl-unsupported', detail: expect.any(String) },
      ]);
    });
  });

  describe('deleteTables', () => {
    it('deletes the tables that exist, waits until they are gone, tolerates missing ones', async () => {
      const first = profiles();
      const second = profiles({ indexes: [byEmail] });
      const missing = profiles();
      await createTables(slow.client, [first, second], fast);
      const changes = await deleteTables(slow.client, [first, missing, second, first], fast);
      expect(changes).toEqual([
        { table: first.name, action: 'deleted' },
        { table: missing.name, action: 'absent' },
        { table: second.name, action: 'deleted' },
      ]);
      expect(await tableExists(first.name, slow.client)).toBe(false);
      expect(await tableExists(second.name, slow.client)).toBe(false);
      expect(await deleteTables(slow.client, [first], fast)).toEqual([
        { table: first.name, action: 'absent' },
      ]);
    });

    // Another process's DeleteTable: this call waits for the table to be gone and deleted
    // nothing (as ensureTables reports `unchanged` a table another process changed first).
    it('a table another process is deleting (DELETING when described): waited for until gone, and absent, not deleted by this call', async () => {
      const table = profiles();
      await createTables(slow.client, [table], fast);
      await slow.client.send(new DeleteTableCommand({ TableName: table.name }));
      expect((await describeTable(table.name, slow.client))?.TableStatus).toBe('DELETING');
      expect(await deleteTables(slow.client, [table], fast)).toEqual([
        { table: table.name, action: 'absent' },
      ]);
      expect(await tableExists(table.name, slow.client)).toBe(false);
    });

    // DynamoDB refuses to delete a table CREATING or UPDATING: the call waits for it to be
    // ACTIVE, and another process may delete it first (a second teardown of the same tables).
    it('a table CREATING that another process deletes as soon as it is ACTIVE: waited for until gone, and absent, not a timeout', async () => {
      const table = profiles();
      await slow.client.send(new CreateTableCommand(toCreateTableInput(table)));
      const client = new DynamoDBClient({
        endpoint: slow.endpoint,
        region: slow.region,
        credentials: slow.credentials,
      });
      lossyClients.push(client);
      let deletedByOther = false;
      // The other process's DeleteTable lands between the engine's ACTIVE and this call's look.
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const result = await next(args);
          const status = (result.output as { Table?: TableDescription }).Table?.TableStatus;
          if (
            context.commandName !== 'DescribeTableCommand' ||
            status !== 'ACTIVE' ||
            deletedByOther
          )
            return result;
          deletedByOther = true;
          await slow.client.send(new DeleteTableCommand({ TableName: table.name }));
          return next(args);
        },
        { step: 'initialize', name: 'otherProcessDeletes', priority: 'high' },
      );
      expect((await describeTable(table.name, slow.client))?.TableStatus).toBe('CREATING');
      expect(
        await deleteTables(client, [table], { pollIntervalMs: 10, waitTimeoutMs: 3_000 }),
      ).toEqual([{ table: table.name, action: 'absent' }]);
      expect(deletedByOther).toBe(true);
      expect(await tableExists(table.name, slow.client)).toBe(false);
    });

    // DescribeTable is eventually consistent: a table seen CREATING may be not found by the
    // next look while it is still there, CREATING, and DynamoDB then refuses its DeleteTable.
    it('a table CREATING that one look does not find (an eventually consistent DescribeTable): waited for again and deleted, not refused as in use', async () => {
      const table = profiles();
      await slow.client.send(new CreateTableCommand(toCreateTableInput(table)));
      const client = new DynamoDBClient({
        endpoint: slow.endpoint,
        region: slow.region,
        credentials: slow.credentials,
      });
      lossyClients.push(client);
      let describes = 0;
      // The call's first look sees the table CREATING; its second, a replica behind, does not.
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'DescribeTableCommand' && ++describes === 2)
            throw new ResourceNotFoundException({
              message: 'Requested resource not found',
              $metadata: {},
            });
          return next(args);
        },
        { step: 'initialize', name: 'staleDescribe', priority: 'high' },
      );
      expect((await describeTable(table.name, slow.client))?.TableStatus).toBe('CREATING');
      expect(
        await deleteTables(client, [table], { pollIntervalMs: 10, waitTimeoutMs: 3_000 }),
      ).toEqual([{ table: table.name, action: 'deleted' }]);
      expect(describes).toBeGreaterThan(2);
      expect(await tableExists(table.name, slow.client)).toBe(false);
    });

    // DeleteTable's ResourceInUseException says the table is there: a look after it that does
    // not find it, or sees it ACTIVE, is behind too, and no reason to stop.
    it('a table CREATING whose looks after DeleteTable refused it as in use are behind (not found, or ACTIVE): waited for and deleted, not reported absent or refused', async () => {
      for (const stale of ['not found', 'ACTIVE'] as const) {
        const table = profiles();
        await slow.client.send(new CreateTableCommand(toCreateTableInput(table)));
        const client = new DynamoDBClient({
          endpoint: slow.endpoint,
          region: slow.region,
          credentials: slow.credentials,
        });
        lossyClients.push(client);
        let describes = 0;
        // The call's first look sees the table CREATING; its next two, a replica behind, do not.
        client.middlewareStack.add(
          (next, context) => async (args) => {
            if (context.commandName !== 'DescribeTableCommand') return next(args);
            describes++;
            if (describes !== 2 && describes !== 3) return next(args);
            if (stale === 'not found')
              throw new ResourceNotFoundException({
                message: 'Requested resource not found',
                $metadata: {},
              });
            const result = await next(args);
            const output = result.output as { Table?: TableDescription };
            if (output.Table) output.Table.TableStatus = 'ACTIVE';
            return result;
          },
          { step: 'initialize', name: 'staleDescribe', priority: 'high' },
        );
        expect((await describeTable(table.name, slow.client))?.TableStatus).toBe('CREATING');
        expect(
          await deleteTables(client, [table], { pollIntervalMs: 10, waitTimeoutMs: 3_000 }),
        ).toEqual([{ table: table.name, action: 'deleted' }]);
        expect(await tableExists(table.name, slow.client)).toBe(false);
      }
    });

    it('gives up after waitTimeoutMs with a BackendError, saying the table was deleted (it goes all the same)', async () => {
      const table = profiles();
      await createTables(slow.client, [table], fast);
      const error = await deleteTables(slow.client, [table], {
        pollIntervalMs: 10,
        waitTimeoutMs: 50,
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BackendError);
      expect((error as Error).message).toContain(
        `. What this call did all the same stays done: deleted table ${table.name}`,
      );
    });

    it('takes the options createTables was given (billing means nothing to a delete)', async () => {
      const table = profiles();
      const options = {
        ...fast,
        billingMode: 'PROVISIONED' as const,
        throughput: { read: 1, write: 1 },
      };
      await createTables(slow.client, [table], options);
      expect(await deleteTables(slow.client, [table], options)).toEqual([
        { table: table.name, action: 'deleted' },
      ]);
    });
  });

  describe('errors', () => {
    it('surfaces a request the engine refuses as InvalidRequestError with the SDK error as cause', async () => {
      const error = await createTables(local.client, [profiles({ name: 'ab' })], fast).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).code).toBe('INVALID_REQUEST');
      expect(((error as InvalidRequestError).cause as Error).name).toBe('ValidationException');
    });

    it('surfaces an unreachable engine as BackendError', async () => {
      const stopped = await startLocalDynamoDb({ maxAttempts: 1 });
      const client = new DynamoDBClient({
        endpoint: stopped.endpoint,
        region: stopped.region,
        credentials: stopped.credentials,
        maxAttempts: 1,
      });
      await stopped.stop();
      try {
        for (const run of [createTables, ensureTables, deleteTables]) {
          const error = await run(client, [profiles()], fast).catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(BackendError);
          expect((error as BackendError).cause).toBeInstanceOf(Error);
        }
      } finally {
        client.destroy();
      }
    });
  });
});

describe('provisioning options (P-110)', () => {
  // Nothing may be sent: a client whose every command is recorded, at an address no engine has.
  const sent: string[] = [];
  const client = new DynamoDBClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize' },
  );

  it.each([
    [
      'createTables',
      () => createTables(client, [profiles()], { billingmode: 'PROVISIONED' } as never),
      'billingmode',
    ],
    [
      'ensureTables',
      () => ensureTables(client, [profiles()], { pollInterval: 10 } as never),
      'pollInterval',
    ],
    [
      'planTables',
      () => planTables(client, [profiles()], { thruput: { read: 1, write: 1 } } as never),
      'thruput',
    ],
    [
      'deleteTables',
      () => deleteTables(client, [profiles()], { pollInterval: 10 } as never),
      'pollInterval',
    ],
    [
      'throughput',
      () => createTables(client, [profiles()], { throughput: { read: 1, writes: 1 } } as never),
      'writes',
    ],
    [
      'toCreateTableInput',
      async () => toCreateTableInput(profiles(), { billingmode: 'PROVISIONED' } as never),
      'billingmode',
    ],
  ])(
    '%s refuses a key it does not take with InvalidRequestError naming it; nothing is sent',
    async (_label, run, name) => {
      sent.length = 0;
      const error = await run().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toContain(
        `has no option ${JSON.stringify(name)} (options: `,
      );
      expect(sent).toEqual([]);
    },
  );
});
