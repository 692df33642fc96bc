import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { type TableDescriptor, TableExistsError } from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { createTables, ensureTables } from '../src/index.js';
import { useLocalEngine } from './local-engine.js';

// Processes starting together on one engine. The interleaving is forced: the other process's
// createTables (on a client of its own) runs between this one's check and its request.

const fast = { pollIntervalMs: 10, waitTimeoutMs: 5_000 };
const local = useLocalEngine();

function table(name: string): TableDescriptor {
  return {
    name,
    specName: 'replicas',
    partitionKey: { name: 'id', type: 'string' },
    indexes: [],
  };
}

describe('createTables of processes starting together (dynalite)', () => {
  it('a table another process created between the check and the requests is TableExistsError naming the tables this call created all the same', async () => {
    const [people, orders] = [table('replicas-people'), table('replicas-orders')];
    const client = local().newClient();
    let competitor: unknown;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TableName?: string };
        if (context.commandName === 'CreateTableCommand' && input.TableName === orders.name)
          competitor = await createTables(local().rawClient, [orders], fast);
        return next(args);
      },
      { step: 'initialize', name: 'otherProcessFirst', priority: 'high' } as never,
    );
    const error = await createTables(client, [people, orders], fast).catch(
      (caught: unknown) => caught,
    );
    expect(competitor).toEqual([{ table: orders.name, action: 'created' }]);
    expect(error).toBeInstanceOf(TableExistsError);
    expect((error as TableExistsError).tables).toEqual([orders.name]);
    // Not "nothing was created": this call made the other table, which stays.
    expect((error as TableExistsError).created).toEqual([people.name]);
    expect((error as Error).message).toContain(
      `Another process created it at the same time as this call created ${people.name}, which stays`,
    );
    for (const { name } of [people, orders])
      expect(
        (await local().rawClient.send(new DescribeTableCommand({ TableName: name }))).Table
          ?.TableStatus,
      ).toBe('ACTIVE');
    client.destroy();
  });

  it('a table another process created, beside one refused for another reason, is TableExistsError naming only the table that exists', async () => {
    const [orders, people] = [table('replicas-orders-4'), table('replicas-people-4')];
    const client = local().newClient();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { TableName?: string };
        if (context.commandName === 'CreateTableCommand' && input.TableName === orders.name)
          await createTables(local().rawClient, [orders], fast);
        if (context.commandName === 'CreateTableCommand' && input.TableName === people.name)
          throw Object.assign(new Error('Too many tables being created at once'), {
            name: 'LimitExceededException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
          });
        return next(args);
      },
      { step: 'initialize', name: 'otherProcessFirst', priority: 'high' } as never,
    );
    const error = await createTables(client, [orders, people], fast).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TableExistsError);
    expect((error as TableExistsError).tables).toEqual([orders.name]);
    expect((error as TableExistsError).created).toEqual([]);
    client.destroy();
  });

  it('a table found at the check is TableExistsError that created nothing', async () => {
    const [people, orders] = [table('replicas-people-2'), table('replicas-orders-2')];
    await createTables(local().rawClient, [orders], fast);
    const error = await createTables(local().rawClient, [people, orders], fast).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TableExistsError);
    expect((error as TableExistsError).created).toEqual([]);
    expect(
      await local()
        .rawClient.send(new DescribeTableCommand({ TableName: people.name }))
        .catch((caught: { name?: string }) => caught.name),
    ).toBe('ResourceNotFoundException');
  });
});

describe('ensureTables of processes starting together (dynalite)', () => {
  it('a table another process created since the plan, which DescribeTable does not show yet, is waited for and reported unchanged, not TableExistsError', async () => {
    const people = table('replicas-people-3');
    const client = local().newClient();
    let competitor: unknown;
    let lost = false;
    let unseen = false;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'CreateTableCommand' && competitor === undefined)
          competitor = await ensureTables(local().rawClient, [people], fast);
        // DynamoDB's DescribeTable is eventually consistent right after CreateTable: the first
        // one after this call lost the race does not see the table yet.
        if (context.commandName === 'DescribeTableCommand' && lost && !unseen) {
          unseen = true;
          throw Object.assign(
            new Error(`Requested resource not found: Table: ${people.name} not found`),
            {
              name: 'ResourceNotFoundException',
              $fault: 'client',
              $metadata: { httpStatusCode: 400 },
            },
          );
        }
        try {
          return await next(args);
        } catch (error) {
          if ((error as { name?: string }).name === 'ResourceInUseException') lost = true;
          throw error;
        }
      },
      { step: 'initialize', name: 'otherProcessFirst', priority: 'high' } as never,
    );
    expect(await ensureTables(client, [people], fast)).toEqual([
      { table: people.name, action: 'unchanged' },
    ]);
    expect(competitor).toEqual([{ table: people.name, action: 'created' }]);
    expect(unseen).toBe(true);
    client.destroy();
  });
});
