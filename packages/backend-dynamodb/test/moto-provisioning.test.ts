import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { InvalidRequestError, loadApi, type TableDescriptor } from '@macaron/core';
import { expect, it } from 'vitest';
import { createDynamoDbBackend, createTables, deleteTables, ensureTables } from '../src/index.js';
import { describeOnMoto, useMotoEngine } from './moto-engine.js';

// What dynalite cannot show (docs/engines.md): UpdateTimeToLive, and a global secondary
// index added to an existing table, which on moto also depends on sending the table's
// attribute definitions along with the new index's (moto replaces them with those sent).

const fast = { pollIntervalMs: 10, waitTimeoutMs: 5_000 };

describeOnMoto('provisioning on moto', () => {
  const moto = useMotoEngine();
  let sequence = 0;

  function profiles(overrides: Partial<TableDescriptor> = {}): TableDescriptor {
    sequence += 1;
    return {
      name: `provisioning-${sequence}`,
      specName: 'profiles',
      partitionKey: { name: 'profile_id', type: 'string' },
      indexes: [],
      ...overrides,
    };
  }

  it('deleteTables refuses a call naming a table with deletion protection on, before deleting any', async () => {
    const { client } = moto();
    const unprotected = profiles();
    const kept = profiles();
    await createTables(client, [unprotected], fast);
    await client.send(
      new CreateTableCommand({
        TableName: kept.name,
        AttributeDefinitions: [{ AttributeName: 'profile_id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'profile_id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
      }),
    );
    const error = await deleteTables(client, [unprotected, kept], fast).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain(`deletion protection is on for ${kept.name}`);
    for (const table of [unprotected, kept])
      expect(
        (await client.send(new DescribeTableCommand({ TableName: table.name }))).Table?.TableStatus,
      ).toBe('ACTIVE');
    expect(await deleteTables(client, [unprotected], fast)).toEqual([
      { table: unprotected.name, action: 'deleted' },
    ]);
  });

  it('createTables and ensureTables turn TTL on, then report the table unchanged', async () => {
    const { client } = moto();
    const table = profiles({ ttlAttribute: 'expires_at' });
    expect(await createTables(client, [table], fast)).toEqual([
      { table: table.name, action: 'created' },
      { table: table.name, action: 'ttl-enabled', detail: 'expires_at' },
    ]);
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: table.name }));
    expect(ttl.TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expires_at',
    });
    expect(await ensureTables(client, [table], fast)).toEqual([
      { table: table.name, action: 'unchanged' },
    ]);
  });

  it('ensureTables adds a missing index to an existing table, keeping its key definitions', async () => {
    const { client } = moto();
    const table = profiles();
    await createTables(client, [table], fast);
    const indexed: TableDescriptor = {
      ...table,
      indexes: [
        {
          name: 'byCountry',
          partitionKey: { name: 'country', type: 'string' },
          sortKey: { name: 'age', type: 'number' },
        },
      ],
    };
    expect(await ensureTables(client, [indexed], fast)).toEqual([
      { table: table.name, action: 'index-added', detail: 'byCountry' },
    ]);
    const description = (await client.send(new DescribeTableCommand({ TableName: table.name })))
      .Table;
    expect(description?.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'profile_id', AttributeType: 'S' },
        { AttributeName: 'country', AttributeType: 'S' },
        { AttributeName: 'age', AttributeType: 'N' },
      ]),
    );
    await client.send(
      new PutItemCommand({
        TableName: table.name,
        Item: { profile_id: { S: 'p1' }, country: { S: 'fr' }, age: { N: '42' } },
      }),
    );
    const found = await client.send(
      new QueryCommand({
        TableName: table.name,
        IndexName: 'byCountry',
        KeyConditionExpression: 'country = :country',
        ExpressionAttributeValues: { ':country': { S: 'fr' } },
      }),
    );
    expect(found.Items?.map((item) => item.profile_id)).toEqual([{ S: 'p1' }]);
    expect(await ensureTables(client, [indexed], fast)).toEqual([
      { table: table.name, action: 'unchanged' },
    ]);
  });
  it('a model made persistent later adds an index to a table another model already used: ensureTables adds it, and queries through it find both models', async () => {
    const { client } = moto();
    sequence += 1;
    const model = (name: string) => ({
      type: 'object',
      'x-persist': `app.models.${name}`,
      properties: { id: { type: 'string' }, kind: { type: 'string' }, x: { type: 'string' } },
    });
    const spec = {
      swagger: '2.0',
      info: { title: 'later', version: '1' },
      paths: {},
      definitions: { A: model('A'), B: model('B') },
    };
    const backend = createDynamoDbBackend({ client, provision: fast });
    const api = await loadApi(spec, {
      backend,
      compat: 'pymacaron',
      tablePrefix: `later-${sequence}-`,
    });
    const shared = { table: 'things', key: 'id', discriminator: 'kind' };
    const A = api.persistent<Record<string, unknown>>('A', shared);
    await backend.ensureTables(api.tables());
    await new A({ id: 'a1', x: 'q' }).save();
    expect((await backend.table(A.descriptor.table)).indexes).toEqual({});
    // PyMacaron's form: each model's options in code, given when first needed.
    const B = api.persistent<Record<string, unknown>>('B', {
      ...shared,
      indexes: { byX: { key: 'x' } },
    });
    await backend.ensureTables(api.tables());
    await new B({ id: 'b1', x: 'q' }).save();
    expect((await B.query({ index: 'byX', partition: 'q' })).items.map((b) => b.id)).toEqual([
      'b1',
    ]);
    expect((await A.query({ index: 'byX', partition: 'q' })).items.map((a) => a.id)).toEqual([
      'a1',
    ]);
    // The toolbox entities see the index too.
    expect(Object.keys((await backend.table(A.descriptor.table)).indexes)).toEqual(['byX']);
  });
});
