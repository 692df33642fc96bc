import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadApi, TransactionCanceledError, ValidationError } from '@macaron/core';
import { GetItemCommand as ToolboxGet, PutItemCommand as ToolboxPut } from 'dynamodb-toolbox';
import { describe, expect, it } from 'vitest';
import { createDynamoDbBackend, type OperationEvent } from '../src/index.js';

// Request shapes, checked without a network: a middleware records each request and answers
// with a canned response (or a canned DynamoDB error), as the service would.

const spec = {
  openapi: '3.0.3',
  info: { title: 'requests', version: '1' },
  paths: {},
  components: {
    schemas: {
      Account: {
        type: 'object',
        required: ['id', 'owner'],
        additionalProperties: false,
        'x-persist': {
          table: 'accounts',
          key: 'id',
          version: 'revision',
          indexes: { byOwner: { key: 'owner' } },
        },
        properties: {
          id: { type: 'string' },
          owner: { type: 'string' },
          revision: { type: 'integer' },
          balance: { type: 'number' },
          tags: { type: 'array', items: { type: 'string' } },
          limits: { type: 'object', additionalProperties: { type: 'integer' } },
          note: { type: 'string', nullable: true },
        },
      },
    },
  },
};

type Answer = (command: string, input: any) => unknown;

async function setUp(answer: Answer = () => ({})) {
  const sent: { command: string; input: any }[] = [];
  const client = new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      const command = context.commandName ?? '';
      // The backend's check of each table's keys: answered as a table without a description
      // (not checkable), and not one of the request shapes under test.
      if (command === 'DescribeTableCommand') return { output: { $metadata: {} }, response: {} };
      sent.push({ command, input: structuredClone(args.input) });
      const result = answer(command, args.input);
      if (result instanceof Error) throw result;
      return { output: { $metadata: {}, ...(result as object) }, response: {} };
    },
    { step: 'initialize', name: 'cannedAnswers', priority: 'high' },
  );
  const events: OperationEvent[] = [];
  const backend = createDynamoDbBackend({ client, onOperation: (event) => events.push(event) });
  const api = await loadApi(spec, { backend, tablePrefix: 'test-' });
  return { api, Account: api.persistent('Account'), backend, sent, events, client };
}

describe('request shapes', () => {
  it('a limit past 2^31 - 1 is sent as 2^31 - 1, the most DynamoDB takes', async () => {
    const { Account, sent } = await setUp(() => ({ Items: [] }));
    await Account.scan({ limit: 2 ** 53 - 1 });
    await Account.query({ partition: 'ann', index: 'byOwner', limit: 2 ** 31 });
    await Account.scan({ limit: 7 });
    expect(sent.map((request) => request.input.Limit)).toEqual([2 ** 31 - 1, 2 ** 31 - 1, 7]);
  });

  it('a versioned save sends one conditional PutItem of the plain item', async () => {
    const { Account, sent } = await setUp();
    const account = new Account({
      id: 'a1',
      owner: 'ann',
      revision: 3,
      balance: 10.5,
      tags: ['x'],
    });
    await account.save();
    expect(sent).toEqual([
      {
        command: 'PutItemCommand',
        input: {
          TableName: 'test-accounts',
          Item: {
            id: { S: 'a1' },
            owner: { S: 'ann' },
            revision: { N: '4' },
            balance: { N: '10.5' },
            tags: { L: [{ S: 'x' }] },
          },
          ConditionExpression: '#n0 = :v0',
          ExpressionAttributeNames: { '#n0': 'revision' },
          ExpressionAttributeValues: { ':v0': { N: '3' } },
          ReturnConsumedCapacity: 'TOTAL',
        },
      },
    ]);
    expect(account.revision).toBe(4);
  });

  it('an update sends one UpdateItem that needs the item to exist and bumps the version', async () => {
    const { Account, sent } = await setUp(() => ({
      Attributes: {
        id: { S: 'a1' },
        owner: { S: 'ann' },
        balance: { N: '11' },
        revision: { N: '2' },
      },
    }));
    const updated = await Account.update('a1', { add: { balance: 0.5 }, remove: ['note'] });
    expect(updated.balance).toBe(11);
    expect(sent[0]?.input).toMatchObject({
      Key: { id: { S: 'a1' } },
      UpdateExpression: 'REMOVE #n0 ADD #n1 :v0, #n2 :v1',
      ConditionExpression: 'attribute_exists(#n3)',
      ExpressionAttributeNames: { '#n0': 'note', '#n1': 'balance', '#n2': 'revision', '#n3': 'id' },
      ReturnValues: 'ALL_NEW',
    });
  });

  it('a repeated add sends the same request each time, with maps and values of its own', async () => {
    const { Account, sent } = await setUp((_command, input) => {
      // What an application's middleware may do to a request: never seen by the next one.
      input.ExpressionAttributeNames['#n0'] = 'changed';
      input.ExpressionAttributeValues[':v0'].N = '999';
      return { Attributes: { id: { S: 'a1' }, owner: { S: 'ann' }, revision: { N: '2' } } };
    });
    for (let call = 0; call < 3; call++) await Account.update('a1', { add: { balance: 1 } });
    await Account.update('a1', { add: { balance: 2 } });
    const expected = {
      UpdateExpression: 'ADD #n0 :v0, #n1 :v1',
      ConditionExpression: 'attribute_exists(#n2)',
      ExpressionAttributeNames: { '#n0': 'balance', '#n1': 'revision', '#n2': 'id' },
      ExpressionAttributeValues: { ':v0': { N: '1' }, ':v1': { N: '1' } },
    };
    expect(sent.map((request) => request.input)).toEqual([
      expect.objectContaining(expected),
      expect.objectContaining(expected),
      expect.objectContaining(expected),
      expect.objectContaining({
        ...expected,
        ExpressionAttributeValues: { ':v0': { N: '2' }, ':v1': { N: '1' } },
      }),
    ]);
  });

  it('an invalid object fails before any request is sent', async () => {
    const { Account, sent } = await setUp();
    await expect(
      new Account({ id: 'a1', owner: 'ann', balance: Number.NaN }).save(),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      Account.update('a1', { set: { balance: Number.POSITIVE_INFINITY } }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(Account.create({ id: 'x', owner: 7 } as never)).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(sent).toEqual([]);
  });

  it('the entity derived with dynamodb-toolbox builds the same key and keeps every property', async () => {
    const { Account, backend } = await setUp();
    const entity = await backend.entity(Account.descriptor);
    const item = {
      id: 'a1',
      owner: 'ann',
      revision: 1,
      balance: 2,
      tags: ['t'],
      limits: { daily: 5 },
      note: null,
    };
    // toolbox's own parser accepts the item as the spec describes it and drops nothing.
    expect(
      entity
        .build(ToolboxPut)
        .item(item as never)
        .params().Item,
    ).toEqual(item);
    expect(
      entity
        .build(ToolboxGet)
        .key({ id: 'a1' } as never)
        .params(),
    ).toMatchObject({ TableName: 'test-accounts', Key: { id: 'a1' } });
    const table = await backend.table(Account.descriptor.table);
    expect(table.getName()).toBe('test-accounts');
  });

  it('a transaction sends one TransactWriteItems and maps cancellation reasons to their actions', async () => {
    const cancelled = Object.assign(new Error('Transaction cancelled'), {
      name: 'TransactionCanceledException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      CancellationReasons: [
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      ],
    });
    const { api, Account, sent } = await setUp((command) =>
      command === 'TransactWriteItemsCommand' ? cancelled : {},
    );
    const error = await api
      .transaction((transaction) => {
        transaction.create(new Account({ id: 'new', owner: 'ann' }));
        transaction.update(Account, 'old', { set: { owner: 'bob' } });
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransactionCanceledError);
    expect((error as TransactionCanceledError).reasons).toEqual([
      { index: 1, code: 'CONDITION_FAILED', message: 'The conditional request failed' },
    ]);
    const transact = sent.find((request) => request.command === 'TransactWriteItemsCommand')!;
    expect(transact.input.TransactItems).toHaveLength(2);
    expect(transact.input.TransactItems[0].Put).toMatchObject({
      TableName: 'test-accounts',
      Item: { id: { S: 'new' }, owner: { S: 'ann' }, revision: { N: '1' } },
      ConditionExpression: 'attribute_not_exists(#n0)',
    });
    expect(transact.input.TransactItems[1].Update).toMatchObject({
      Key: { id: { S: 'old' } },
      ConditionExpression: 'attribute_exists(#n0)',
    });
  });

  it('the operation hook sees every request with its table, duration and consumed capacity', async () => {
    const { Account, events } = await setUp(() => ({
      ConsumedCapacity: { TableName: 'test-accounts', CapacityUnits: 1 },
    }));
    await Account.get('a1');
    expect(events).toEqual([
      {
        operation: 'GetItem',
        table: 'test-accounts',
        durationMs: expect.any(Number),
        consumedCapacity: [{ TableName: 'test-accounts', CapacityUnits: 1 }],
      },
    ]);
  });

  it('takes a DocumentClient without changing its translation settings', async () => {
    const base = new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const documents = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true },
    });
    const before = structuredClone(documents.config.translateConfig);
    const backend = createDynamoDbBackend({ client: documents });
    expect(backend.name).toBe('dynamodb');
    expect(documents.config.translateConfig).toEqual(before);
  });
});
