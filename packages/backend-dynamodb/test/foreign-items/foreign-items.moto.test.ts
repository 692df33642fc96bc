import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { BackendError, loadApi } from '@macaron/core';
import { expect, it } from 'vitest';
import { createDynamoDbBackend, dynamoDbCapabilities } from '../../src/index.js';
import { describeOnMoto, useMotoEngine } from '../moto-engine.js';
import { foreignItemRoundTrip, foreignSpec } from './foreign-item.js';

describeOnMoto('an item written by another client, every DynamoDB type, on moto', () => {
  const moto = useMotoEngine();
  foreignItemRoundTrip(
    () => moto(),
    (client) =>
      createDynamoDbBackend({
        client,
        capabilities: { ...dynamoDbCapabilities, transactions: true, ttl: false },
      }),
    // moto 5 answers 500 to an add whose sum needs more digits than a double (docs/engines.md).
    { keepsProtoAttributes: true, addsPastDoublePrecision: false },
  );

  it('a stored number whose exponent no engine reaches (moto keeps 1E-1000000000 as sent) is a BackendError at once, never a blocked thread', async () => {
    const table = 'huge-exponents';
    await moto().rawClient.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    const put = (id: string, value: string) =>
      moto().rawClient.send(
        new PutItemCommand({ TableName: table, Item: { id: { S: id }, value: { N: value } } }),
      );
    await put('tiny', '1E-1000000000');
    await put('zero', '0E+1000000000');
    const open = async (inexactNumbers?: 'nearest') => {
      const backend = createDynamoDbBackend({
        client: moto().client,
        capabilities: { ...dynamoDbCapabilities, transactions: true, ttl: false },
        ...(inexactNumbers ? { inexactNumbers } : {}),
      });
      const spec = {
        ...foreignSpec,
        components: {
          schemas: {
            Foreign: {
              ...foreignSpec.components.schemas.Foreign,
              'x-persist': { table, key: 'id' },
            },
          },
        },
      };
      return (await loadApi(spec, { backend })).persistent<{ id: string; value: number }>(
        'Foreign',
      );
    };
    const Foreign = await open();
    await expect(Foreign.load('tiny')).rejects.toBeInstanceOf(BackendError);
    expect((await Foreign.load('zero')).value).toBe(0);
    // The nearest number of a value that small is 0.
    expect((await (await open('nearest')).load('tiny')).value).toBe(0);
  });

  // Why src/operations/raw-answer.ts restores items: when an SDK upgrade fixes this, this
  // test fails, and the workaround can go.
  it('the AWS SDK alone reads a top-level attribute named __proto__ as undefined', async () => {
    const client = moto().rawClient;
    await client.send(
      new CreateTableCommand({
        TableName: 'sdk-proto',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    const Item = { id: { S: 'x' }, ['__proto__']: { S: 'kept by moto' } };
    await client.send(new PutItemCommand({ TableName: 'sdk-proto', Item }));
    const output = await client.send(
      new GetItemCommand({ TableName: 'sdk-proto', Key: { id: { S: 'x' } } }),
    );
    expect(Object.hasOwn(output.Item!, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(output.Item, '__proto__')?.value).toBeUndefined();
  });
});
