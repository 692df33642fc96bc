import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  InvalidRequestError,
  type TableDescriptor,
  UnsupportedOperationError,
} from '@macaron/core';
import { describe, expect, it } from 'vitest';
import { useLocalEngine } from '../../test/local-engine.js';
import { describeOnMoto, useMotoEngine } from '../../test/moto-engine.js';
import {
  createTables,
  ensureTables,
  type ProvisionChange,
  type ProvisionOptions,
  planTables,
  TableMismatchError,
  type TablePlan,
} from './index.js';

// planTables and ensureTables share one comparison; these tests show that, for each kind of
// difference, ensureTables then does exactly what the plan said, or refuses as it said.

const fast: ProvisionOptions = { pollIntervalMs: 10, waitTimeoutMs: 5_000 };
let sequence = 0;

function table(label: string, overrides: Partial<TableDescriptor> = {}): TableDescriptor {
  sequence += 1;
  return {
    name: `plan-${label}-${sequence}-${Math.random().toString(36).slice(2, 8)}`,
    specName: label,
    partitionKey: { name: 'profile_id', type: 'string' },
    indexes: [],
    ...overrides,
  };
}

const byEmail = { name: 'byEmail', partitionKey: { name: 'email', type: 'string' as const } };

type Outcome = { changes: ProvisionChange[] } | { error: unknown };

/** Plans, then provisions with the same arguments; checks that both agree. */
async function planThenEnsure(
  client: DynamoDBClient,
  tables: readonly TableDescriptor[],
  options: ProvisionOptions = fast,
): Promise<{ plan: TablePlan[]; outcome: Outcome }> {
  const plan = await planTables(client, tables, options);
  const outcome = await ensureTables(client, tables, options).then(
    (changes) => ({ changes }),
    (error: unknown) => ({ error }),
  );
  const differing = plan.find((entry) => entry.differences.length > 0);
  const indexToAdd = plan
    .flatMap((entry) => entry.changes)
    .find((change) => change.action === 'index-added');
  if (differing) {
    const error = 'error' in outcome ? outcome.error : outcome.changes;
    expect(error).toBeInstanceOf(TableMismatchError);
    const mismatch = error as TableMismatchError;
    expect([mismatch.table, mismatch.differences]).toEqual([
      differing.table,
      differing.differences,
    ]);
  } else if ('error' in outcome && outcome.error instanceof UnsupportedOperationError) {
    // dynalite cannot add an index to an existing table: ensureTables tried the planned one.
    expect(outcome.error.message).toContain(
      `Table ${indexToAdd?.table}: the engine did not add index ${indexToAdd?.detail}`,
    );
  } else {
    expect(outcome).toEqual({ changes: plan.flatMap((entry) => entry.changes) });
  }
  return { plan, outcome };
}

async function exists(client: DynamoDBClient, name: string): Promise<boolean> {
  return client.send(new DescribeTableCommand({ TableName: name })).then(
    () => true,
    (error: Error) => {
      if (error.name === 'ResourceNotFoundException') return false;
      throw error;
    },
  );
}

interface Engine {
  client(): DynamoDBClient;
  /** Whether the engine has UpdateTimeToLive (moto) or not (dynalite). */
  timeToLive: boolean;
  /** Whether the engine adds a global secondary index to an existing table. */
  addsIndexes: boolean;
}

function ttlChange(name: string, attribute: string, engine: Engine): ProvisionChange {
  return engine.timeToLive
    ? { table: name, action: 'ttl-enabled', detail: attribute }
    : {
        table: name,
        action: 'ttl-unsupported',
        detail: `the engine has no UpdateTimeToLive; items will not expire by ${attribute}`,
      };
}

function agreementTests(engine: Engine): void {
  it('plans new tables as created, with TTL, then unchanged', async () => {
    const client = engine.client();
    const profiles = table('profiles', { indexes: [byEmail], ttlAttribute: 'expires_at' });
    const events = table('events', { sortKey: { name: 'seq', type: 'number' } });
    const first = await planThenEnsure(client, [profiles, events]);
    expect(first.plan).toEqual([
      {
        table: profiles.name,
        changes: [
          { table: profiles.name, action: 'created' },
          ttlChange(profiles.name, 'expires_at', engine),
        ],
        differences: [],
      },
      { table: events.name, changes: [{ table: events.name, action: 'created' }], differences: [] },
    ]);
    const second = await planThenEnsure(client, [profiles, events]);
    expect(second.plan.flatMap((entry) => entry.changes)).toEqual([
      // dynalite has no TTL to find enabled: every run reports it again
      engine.timeToLive
        ? { table: profiles.name, action: 'unchanged' }
        : ttlChange(profiles.name, 'expires_at', engine),
      { table: events.name, action: 'unchanged' },
    ]);
  });

  it('plans a missing index as added, as ensureTables adds it (or the engine refuses)', async () => {
    const client = engine.client();
    const profiles = table('profiles');
    await createTables(client, [profiles], fast);
    const indexed = { ...profiles, indexes: [byEmail] };
    const { plan, outcome } = await planThenEnsure(client, [indexed]);
    expect(plan).toEqual([
      {
        table: profiles.name,
        changes: [{ table: profiles.name, action: 'index-added', detail: 'byEmail' }],
        differences: [],
      },
    ]);
    if (engine.addsIndexes) {
      expect('changes' in outcome).toBe(true);
      expect((await planTables(client, [indexed], fast))[0]?.changes).toEqual([
        { table: profiles.name, action: 'unchanged' },
      ]);
    } else {
      expect('error' in outcome && outcome.error).toBeInstanceOf(UnsupportedOperationError);
    }
  });

  it('plans key and index differences as refused, and ensureTables changes nothing', async () => {
    const client = engine.client();
    const profiles = table('profiles', { indexes: [byEmail] });
    await client.send(
      new CreateTableCommand({
        TableName: profiles.name,
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'email', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byEmail',
            KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const events = table('events');
    const { plan } = await planThenEnsure(client, [events, profiles]);
    expect(plan).toEqual([
      { table: events.name, changes: [{ table: events.name, action: 'created' }], differences: [] },
      {
        table: profiles.name,
        changes: [],
        differences: [
          'partition key: table has id (S), spec has profile_id (S)',
          'index byEmail: table projects KEYS_ONLY, spec needs ALL',
        ],
      },
    ]);
    expect(await exists(client, events.name)).toBe(false);
  });

  it('plans a billing or throughput change as unchanged, as ensureTables leaves it', async () => {
    const client = engine.client();
    const provisioned = table('provisioned');
    await createTables(client, [provisioned], { ...fast, throughput: { read: 3, write: 2 } });
    const onDemand = table('on-demand');
    await createTables(client, [onDemand], fast);
    const unchanged = (name: string) => [
      { table: name, changes: [{ table: name, action: 'unchanged' }], differences: [] },
    ];
    expect((await planThenEnsure(client, [provisioned])).plan).toEqual(unchanged(provisioned.name));
    const moreCapacity = { ...fast, throughput: { read: 5, write: 5 } };
    expect((await planThenEnsure(client, [provisioned], moreCapacity)).plan).toEqual(
      unchanged(provisioned.name),
    );
    expect((await planThenEnsure(client, [onDemand], moreCapacity)).plan).toEqual(
      unchanged(onDemand.name),
    );
  });

  it('refuses bad options as ensureTables does, creating nothing', async () => {
    const client = engine.client();
    const profiles = table('profiles');
    const noThroughput: ProvisionOptions = { ...fast, billingMode: 'PROVISIONED' };
    await expect(planTables(client, [profiles], noThroughput)).rejects.toThrow(InvalidRequestError);
    await expect(ensureTables(client, [profiles], noThroughput)).rejects.toThrow(
      InvalidRequestError,
    );
    expect(await exists(client, profiles.name)).toBe(false);
  });

  it('two listings of one table in a call (two specs, one prefix) are one table with the indexes and TTL of both, as two calls in turn make it', async () => {
    const client = engine.client();
    const users = table('users', { indexes: [byEmail] });
    const byName = { name: 'byName', partitionKey: { name: 'name', type: 'string' as const } };
    const accounts = { ...users, specName: 'accounts', indexes: [byName], ttlAttribute: 'ttl' };
    const { plan } = await planThenEnsure(client, [users, accounts]);
    expect(plan).toEqual([
      {
        table: users.name,
        changes: [{ table: users.name, action: 'created' }, ttlChange(users.name, 'ttl', engine)],
        differences: [],
      },
    ]);
    const indexes = (await client.send(new DescribeTableCommand({ TableName: users.name }))).Table
      ?.GlobalSecondaryIndexes;
    expect(indexes?.map((index) => index.IndexName).sort()).toEqual(['byEmail', 'byName']);
  });

  it('two listings of one table in a call that cannot both be made (other keys, index keys, an attribute keyed with two types, or TTL attributes) are planned as a difference and refused with TableMismatchError, nothing made', async () => {
    const client = engine.client();
    const users = table('users', { indexes: [byEmail], ttlAttribute: 'expires_at' });
    const byNumber = { ...users, partitionKey: { name: 'profile_id', type: 'number' as const } };
    const otherIndex = {
      ...users,
      indexes: [{ name: 'byEmail', partitionKey: { name: 'mail', type: 'string' as const } }],
    };
    const otherTtl = { ...users, ttlAttribute: 'gone_at' };
    const withSort = { ...users, sortKey: { name: 'created', type: 'string' as const } };
    // One attribute keyed as a string by one's index, as a number by the other's: a table's
    // attribute has one type (two calls in turn meet it as a TableMismatchError too).
    const otherType = {
      ...users,
      indexes: [
        { name: 'byEmailNumber', partitionKey: { name: 'email', type: 'number' as const } },
      ],
    };
    for (const [other, what] of [
      [byNumber, 'other keys'],
      [withSort, 'other keys'],
      [otherType, 'attribute email keyed as a string and as a number'],
      [otherIndex, 'other keys for index byEmail'],
      [otherTtl, 'other time-to-live attributes'],
    ] as const) {
      const { plan, outcome } = await planThenEnsure(client, [users, other]);
      expect(plan).toEqual([
        {
          table: users.name,
          changes: [],
          differences: [
            `two tables of the call are named ${users.name}, with ${what} (users and users, from two specs?): only one can be made`,
          ],
        },
      ]);
      expect('error' in outcome && outcome.error).toBeInstanceOf(TableMismatchError);
      await expect(createTables(client, [users, other], fast)).rejects.toThrow(TableMismatchError);
    }
    // Three listings with two reasons apart: the plan lists both, not the last alone.
    for (const [second, third, reasons] of [
      [byNumber, otherTtl, ['other keys', 'other time-to-live attributes']],
      [
        otherType,
        otherTtl,
        ['other time-to-live attributes', 'attribute email keyed as a string and as a number'],
      ],
    ] as const) {
      const { plan } = await planThenEnsure(client, [users, second, third]);
      expect(
        plan[0]?.differences.map((difference) =>
          reasons.find((reason) => difference.includes(reason)),
        ),
      ).toEqual(reasons);
    }
    // One listing apart for two reasons, its TTL attribute and an attribute's type: both listed
    // (the second was left out when the listing was not merged for the first).
    const { plan } = await planThenEnsure(client, [
      users,
      { ...otherType, ttlAttribute: 'gone_at' },
    ]);
    const reasons = [
      'other time-to-live attributes',
      'attribute email keyed as a string and as a number',
    ];
    expect(
      plan[0]?.differences.map((difference) =>
        reasons.find((reason) => difference.includes(reason)),
      ),
    ).toEqual(reasons);
    expect(await exists(client, users.name)).toBe(false);
  });

  it('one listing whose own indexes key an attribute with two types is refused with InvalidRequestError (a spec error, not a clash of two listings), by plan and ensure alike, listed once or twice; nothing made', async () => {
    const client = engine.client();
    const clashing = table('users', {
      indexes: [
        byEmail,
        { name: 'byEmailNumber', partitionKey: { name: 'email', type: 'number' as const } },
      ],
    });
    for (const tables of [[clashing], [clashing, clashing]])
      for (const attempt of [
        planTables(client, tables, fast),
        ensureTables(client, tables, fast),
      ]) {
        const error = await attempt.catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect((error as Error).message).toBe(
          `Table ${clashing.name}: attribute email is a string key in one place and a number key in another`,
        );
      }
    expect(await exists(client, clashing.name)).toBe(false);
  });

  it('plans TTL on an existing table as ensureTables enables it, or refuses another attribute', async () => {
    const client = engine.client();
    const bare = table('profiles');
    await createTables(client, [bare], fast);
    const expiring = { ...bare, ttlAttribute: 'expires_at' };
    expect((await planThenEnsure(client, [expiring])).plan).toEqual([
      { table: bare.name, changes: [ttlChange(bare.name, 'expires_at', engine)], differences: [] },
    ]);
    if (!engine.timeToLive) return;
    const other = table('other');
    await createTables(client, [other], fast);
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: other.name,
        TimeToLiveSpecification: { AttributeName: 'gone_at', Enabled: true },
      }),
    );
    const { plan } = await planThenEnsure(client, [{ ...other, ttlAttribute: 'expires_at' }]);
    expect(plan).toEqual([
      {
        table: other.name,
        changes: [],
        differences: ['TTL: table expires items by gone_at, spec by expires_at'],
      },
    ]);
  });
}

describe('planTables agrees with ensureTables on dynalite', () => {
  const local = useLocalEngine();
  agreementTests({
    client: () => local().engine.client,
    timeToLive: false,
    addsIndexes: false,
  });
});

describeOnMoto('planTables agrees with ensureTables on moto', () => {
  const moto = useMotoEngine();
  agreementTests({ client: () => moto().client, timeToLive: true, addsIndexes: true });
});

describe('provisioning through a stand-in client (an object with send alone, as application tests write)', () => {
  it('plans a table its DescribeTable does not find as created: the stand-in needs no middleware stack', async () => {
    const sent: string[] = [];
    const standIn = {
      send: async (command: object) => {
        sent.push(command.constructor.name);
        if (command instanceof DescribeTableCommand)
          throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
        return {};
      },
    } as unknown as DynamoDBClient;
    const items = table('stand_in');
    expect(await planTables(standIn, [items], fast)).toEqual([
      { table: items.name, changes: [{ table: items.name, action: 'created' }], differences: [] },
    ]);
    expect(sent).toEqual(['DescribeTableCommand']);
  });
});
