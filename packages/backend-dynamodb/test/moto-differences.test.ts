import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { itemSize } from '@macaron/core/backend';
import { expect, it } from 'vitest';
import { describeOnMoto, useMotoEngine } from './moto-engine.js';

// Each test pins one departure of moto from DynamoDB's documented behaviour, as listed in
// docs/engines.md, by asserting what moto actually does. When an upgrade of moto fixes one,
// its test fails here: update docs/engines.md, and drop the matching engineDifferences entry
// of conformance.moto.test.ts so that the conformance suite checks the behaviour again.

describeOnMoto('moto departs from DynamoDB as docs/engines.md records', () => {
  const moto = useMotoEngine();
  let sequence = 0;

  async function createTable(overrides: Partial<CreateTableCommandInput> = {}) {
    sequence += 1;
    const input: CreateTableCommandInput = {
      TableName: `differences-${sequence}`,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ...overrides,
    };
    const output = await moto().client.send(new CreateTableCommand(input));
    return { name: input.TableName ?? '', status: output.TableDescription?.TableStatus };
  }

  async function put(table: string, item: Record<string, AttributeValue>) {
    await moto().client.send(new PutItemCommand({ TableName: table, Item: item }));
  }

  async function get(table: string, id: string) {
    const output = await moto().client.send(
      new GetItemCommand({ TableName: table, Key: { id: { S: id } }, ConsistentRead: true }),
    );
    return output.Item;
  }

  /** Whether a condition holds for item `x` (a conditional update), or the error's name. */
  async function holds(
    table: string,
    condition: string,
    values: Record<string, AttributeValue> = {},
    names?: Record<string, string>,
  ): Promise<boolean | string> {
    try {
      await moto().client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { id: { S: 'x' } },
          UpdateExpression: 'ADD hits :one',
          ConditionExpression: condition,
          ExpressionAttributeValues: { ':one': { N: '1' }, ...values },
          ...(names ? { ExpressionAttributeNames: names } : {}),
        }),
      );
      return true;
    } catch (error) {
      const name = (error as Error).name;
      return name === 'ConditionalCheckFailedException' ? false : name;
    }
  }

  async function refusal(send: () => Promise<unknown>): Promise<string | undefined> {
    try {
      await send();
      return undefined;
    } catch (error) {
      return (error as Error).name;
    }
  }

  it('a condition `path = :null` holds when the attribute is missing (DynamoDB: false)', async () => {
    const { name } = await createTable();
    await put(name, { id: { S: 'x' } });
    expect(await holds(name, 'absent = :null', { ':null': { NULL: true } })).toBe(true);
  });

  it('a boolean equals the number 1 or 0 in conditions, as in Python (DynamoDB: types differ, false)', async () => {
    const { name } = await createTable();
    await put(name, { id: { S: 'x' }, done: { BOOL: true }, zero: { N: '0' } });
    expect(await holds(name, 'done = :one', { ':one': { N: '1' } })).toBe(true);
    expect(await holds(name, 'done IN (:one)', { ':one': { N: '1' } })).toBe(true);
    expect(await holds(name, 'done <> :one', { ':one': { N: '1' } })).toBe(false);
    expect(await holds(name, 'zero = :false', { ':false': { BOOL: false } })).toBe(true);
    // A string is not taken for a number, nor true for 2.
    expect(await holds(name, 'done = :two', { ':two': { N: '2' } })).toBe(false);
  });

  it('begins_with never matches bytes, not even a true prefix (DynamoDB: it does)', async () => {
    const { name } = await createTable();
    await put(name, { id: { S: 'x' }, data: { B: new Uint8Array([0x80, 0x01]) } });
    expect(
      await holds(
        name,
        'begins_with(#data, :prefix)',
        { ':prefix': { B: new Uint8Array([0x80]) } },
        { '#data': 'data' },
      ),
    ).toBe(false);
    // A string prefix of a string attribute matches, as documented.
    await put(name, { id: { S: 'x' }, text: { S: 'hello' } });
    expect(
      await holds(
        name,
        'begins_with(#text, :prefix)',
        { ':prefix': { S: 'he' } },
        { '#text': 'text' },
      ),
    ).toBe(true);
  });

  it('contains never finds bytes within bytes (DynamoDB: a subsequence does)', async () => {
    const { name } = await createTable();
    await put(name, { id: { S: 'x' }, data: { B: new Uint8Array([0x80, 0x01, 0x02]) } });
    expect(
      await holds(
        name,
        'contains(#data, :part)',
        { ':part': { B: new Uint8Array([0x01]) } },
        { '#data': 'data' },
      ),
    ).toBe(false);
    // A substring of a string attribute is found, as documented.
    await put(name, { id: { S: 'x' }, text: { S: 'hello' } });
    expect(
      await holds(name, 'contains(#text, :part)', { ':part': { S: 'ell' } }, { '#text': 'text' }),
    ).toBe(true);
  });

  it('an ordering comparison of values of two types is an HTTP 500 (DynamoDB: false)', async () => {
    const { name } = await createTable();
    await put(name, { id: { S: 'x' }, count: { N: '10' } });
    const client = moto().newClient({ maxAttempts: 1 });
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: name,
          Key: { id: { S: 'x' } },
          UpdateExpression: 'ADD hits :one',
          ConditionExpression: '#count < :text',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': { N: '1' }, ':text': { S: '99' } },
        }),
      );
      expect.unreachable('moto evaluated the comparison');
    } catch (error) {
      expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(
        500,
      );
    } finally {
      client.destroy();
    }
  });

  it('a filter ordering values of two types, items of a number and of a string, is an HTTP 500 (DynamoDB: false for the string)', async () => {
    const { name } = await createTable();
    await put(name, { id: { S: 'a' }, n: { N: '3' } });
    await put(name, { id: { S: 'b' }, n: { S: '2' } });
    const client = moto().newClient({ maxAttempts: 1 });
    try {
      await client.send(
        new ScanCommand({
          TableName: name,
          FilterExpression: '#n > :one',
          ExpressionAttributeNames: { '#n': 'n' },
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      );
      expect.unreachable('moto evaluated the filter');
    } catch (error) {
      expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(
        500,
      );
    } finally {
      client.destroy();
    }
  });

  it('an ADD meeting a number spelt with an exponent and no point is an HTTP 500 (DynamoDB: adds)', async () => {
    const { name } = await createTable();
    const client = moto().newClient({ maxAttempts: 1 });
    // Whether `ADD n :delta` of `delta` to an item holding `stored` succeeds, else its status.
    const add = async (stored: string, delta: string) => {
      await put(name, { id: { S: 'x' }, n: { N: stored } });
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: name,
            Key: { id: { S: 'x' } },
            UpdateExpression: 'ADD n :delta',
            ExpressionAttributeValues: { ':delta': { N: delta } },
          }),
        );
        return (await get(name, 'x'))?.n;
      } catch (error) {
        return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      }
    };
    try {
      expect(await add('1', '1e-7')).toBe(500);
      // boto3 writes `1E-7` for Decimal('1E-7'): such a stored number cannot be added to.
      expect(await add('1E-7', '1')).toBe(500);
      // The backend sends plain decimal digits, which moto adds.
      expect(await add('1', '0.0000001')).toEqual({ N: '1.0000001' });
    } finally {
      client.destroy();
    }
  });

  it('an UpdateItem SET of a name below a number or a string is ignored, the other clauses applied (DynamoDB: refused)', async () => {
    const { name } = await createTable();
    const stored = { id: { S: 'x' }, n: { N: '1' }, l: { L: [{ S: 'a' }] }, m: { M: {} } };
    // `path` is set beside `z`; the answer is whether the update was refused.
    const setBeside = async (path: string, names: Record<string, string>) => {
      await put(name, stored);
      return refusal(() =>
        moto().client.send(
          new UpdateItemCommand({
            TableName: name,
            Key: { id: { S: 'x' } },
            UpdateExpression: `SET ${path} = :v, z = :v`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ':v': { N: '2' } },
          }),
        ),
      );
    };
    expect(await setBeside('#n.#a', { '#n': 'n', '#a': 'a' })).toBeUndefined();
    expect(await get(name, 'x')).toEqual({ ...stored, z: { N: '2' } });
    expect(await setBeside('#l[0].#a', { '#l': 'l', '#a': 'a' })).toBeUndefined();
    expect(await get(name, 'x')).toEqual({ ...stored, z: { N: '2' } });
    // A SET below a missing map, or a position of a missing list, is refused as on DynamoDB.
    expect(await setBeside('#m.#a.#b', { '#m': 'm', '#a': 'a', '#b': 'b' })).toBe(
      'ValidationException',
    );
    expect(await setBeside('#k[0]', { '#k': 'k' })).toBe('ValidationException');
  });

  it('a transaction holding an update of an invalid document path is refused whole beside a failing check (DynamoDB: cancelled, both reasons)', async () => {
    const { name } = await createTable();
    await put(name, { id: { S: 'x' } });
    await put(name, { id: { S: 'y' }, m: { M: {} } });
    const refused = await refusal(() =>
      moto().client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: name,
                Key: { id: { S: 'x' } },
                ConditionExpression: 'attribute_exists(#n)',
                ExpressionAttributeNames: { '#n': 'n' },
              },
            },
            {
              Update: {
                TableName: name,
                Key: { id: { S: 'y' } },
                UpdateExpression: 'SET #m.#a.#b = :v',
                ExpressionAttributeNames: { '#m': 'm', '#a': 'a', '#b': 'b' },
                ExpressionAttributeValues: { ':v': { N: '1' } },
              },
            },
          ],
        }),
      ),
    );
    expect(refused).toBe('ValidationException');
  });

  it('items are refused from 405,000 bytes (DynamoDB: up to 400 KB, 409,600 bytes)', async () => {
    const { name } = await createTable();
    const item = (size: number) => ({ id: { S: 'x' }, text: { S: 'y'.repeat(size) } });
    await put(name, item(404_000));
    expect(await refusal(() => put(name, item(406_000)))).toBe('ValidationException');
  });

  it('a number counts as its text: an item DynamoDB counts at 271,007 bytes is refused', async () => {
    const { name } = await createTable();
    const numbers = Array.from({ length: 27_100 }, () => 123_456_789_012_345);
    // What DynamoDB (and Macaron) count it at: 9 bytes a number; moto counts 15 (406,500 in all).
    expect(itemSize({ id: 'x', l: numbers })).toBe(271_007);
    const listed = { L: numbers.map((number) => ({ N: String(number) })) };
    expect(await refusal(() => put(name, { id: { S: 'x' }, l: listed }))).toBe(
      'ValidationException',
    );
  });

  it('numbers are stored as sent: not normalised, more than 38 digits and beyond 1E+126 accepted', async () => {
    const { name } = await createTable();
    const values = {
      padded: { N: '007' },
      negativeZero: { N: '-0' },
      exponent: { N: '1.0E+2' },
      digits39: { N: '123456789012345678901234567890123456789' },
      huge: { N: '1E+126' },
    };
    await put(name, { id: { S: 'x' }, ...values });
    expect(await get(name, 'x')).toEqual({ id: { S: 'x' }, ...values });
  });

  it('maps and lists nested deeper than 32 levels are accepted (DynamoDB: refused)', async () => {
    const { name } = await createTable();
    let value: AttributeValue = { S: 'deep' };
    for (let level = 0; level < 40; level += 1) value = { M: { inner: value } };
    await put(name, { id: { S: 'x' }, value });
  });

  it('a global index key of the wrong type is accepted (DynamoDB: refused)', async () => {
    const { name } = await createTable({
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'email', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byEmail',
          KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    await put(name, { id: { S: 'x' }, email: { N: '1' } });
  });

  it('BatchWriteItem takes more than 25 requests (DynamoDB: refused)', async () => {
    const { name } = await createTable();
    const requests = Array.from({ length: 26 }, (_, index) => ({
      PutRequest: { Item: { id: { S: `item-${index}` } } },
    }));
    await moto().client.send(new BatchWriteItemCommand({ RequestItems: { [name]: requests } }));
  });

  it('a ClientRequestToken does not make TransactWriteItems idempotent (DynamoDB: it does, for 10 minutes)', async () => {
    const { name } = await createTable();
    await put(name, { id: { S: 'x' }, count: { N: '0' } });
    const increment = () =>
      moto().client.send(
        new TransactWriteItemsCommand({
          ClientRequestToken: 'the-same-token',
          TransactItems: [
            {
              Update: {
                TableName: name,
                Key: { id: { S: 'x' } },
                UpdateExpression: 'ADD #count :one',
                ExpressionAttributeNames: { '#count': 'count' },
                ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            },
          ],
        }),
      );
    await increment();
    await increment();
    expect((await get(name, 'x'))?.count).toEqual({ N: '2' });
  });

  it('table names of 2 characters, or with other characters than [a-zA-Z0-9_.-], are accepted', async () => {
    await createTable({ TableName: 'ab' });
    await createTable({ TableName: `table with spaces ${sequence}` });
  });

  it('tables are ACTIVE as soon as created, and gone as soon as deleted (DynamoDB: CREATING, DELETING)', async () => {
    const { name, status } = await createTable();
    expect(status).toBe('ACTIVE');
    await moto().client.send(new DeleteTableCommand({ TableName: name }));
    expect(
      await refusal(() => moto().client.send(new DescribeTableCommand({ TableName: name }))),
    ).toBe('ResourceNotFoundException');
  });

  it("UpdateTable replaces the table's attribute definitions with the ones sent (DynamoDB: adds them)", async () => {
    const { name } = await createTable();
    const output = await moto().client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: [{ AttributeName: 'email', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byEmail',
              KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
    expect(output.TableDescription?.AttributeDefinitions).toEqual([
      { AttributeName: 'email', AttributeType: 'S' },
    ]);
    // The new index is ACTIVE at once (DynamoDB: CREATING while it backfills).
    expect(output.TableDescription?.GlobalSecondaryIndexes?.[0]?.IndexStatus).toBe('ACTIVE');
  });

  it('an index added over items backfills those whose key is of another type or NULL, and a Scan of it answers HTTP 500 (DynamoDB: leaves them out)', async () => {
    const { name } = await createTable();
    await put(name, { id: { S: 'number' }, email: { N: '7' } });
    await put(name, { id: { S: 'null' }, email: { NULL: true } });
    await moto().client.send(
      new UpdateTableCommand({
        TableName: name,
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'email', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byEmail',
              KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
    const scan = () =>
      moto().client.send(new ScanCommand({ TableName: name, IndexName: 'byEmail' }));
    // The item of another type makes the Scan fail (DynamoDB: an empty index).
    const failure = await scan().then(
      () => undefined,
      (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode,
    );
    expect(failure).toBe(500);
    await moto().client.send(
      new DeleteItemCommand({ TableName: name, Key: { id: { S: 'number' } } }),
    );
    const output = await scan();
    expect(output.Items?.map((item) => item.id?.S)).toEqual(['null']);
  });

  it('an update expression of 200 clauses fails with an HTTP 500, 150 apply (DynamoDB: up to 4 KB apply)', async () => {
    const { name } = await createTable();
    await put(name, { id: { S: 'a' } });
    const update = (count: number) => {
      const names = Object.fromEntries(
        Array.from({ length: count }, (_, index) => [`#n${index}`, `p${index}`]),
      );
      return moto().client.send(
        new UpdateItemCommand({
          TableName: name,
          Key: { id: { S: 'a' } },
          // 200 clauses: 1,295 bytes, well within DynamoDB's 4 KB.
          UpdateExpression: `REMOVE ${Object.keys(names).join(', ')}`,
          ExpressionAttributeNames: names,
        }),
      );
    };
    await update(150);
    const failure = await update(200).then(
      () => undefined,
      (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode,
    );
    expect(failure).toBe(500);
  });

  it('TTL is ENABLED as soon as it is turned on (DynamoDB: ENABLING for up to an hour)', async () => {
    const { name } = await createTable();
    await moto().client.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires_at' },
      }),
    );
    const output = await moto().client.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(output.TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expires_at',
    });
  });
});
