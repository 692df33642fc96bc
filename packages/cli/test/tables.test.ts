import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type GlobalSecondaryIndexDescription,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { type LocalDynamoDb, startLocalDynamoDb } from '@macaron/backend-dynamodb/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMacaron, temporaryFolder } from './macaron-process.js';
import { profilesSpec } from './sample-specs.js';

const folder = temporaryFolder({ 'profiles.yaml': profilesSpec });
let engine: LocalDynamoDb;
let runs = 0;

beforeAll(async () => {
  engine = await startLocalDynamoDb();
});
afterAll(async () => {
  await engine?.stop();
  folder.remove();
});

/** A table prefix no other test uses. */
function uniquePrefix(): string {
  runs += 1;
  return `t${runs}-${Math.random().toString(36).slice(2, 8)}-`;
}

function tables(prefix: string, ...args: string[]) {
  return runMacaron(
    ['tables', ...args, 'profiles.yaml', '--endpoint', engine.endpoint, '--prefix', prefix],
    {
      cwd: folder.path,
    },
  );
}

async function describeTable(name: string): Promise<TableDescription> {
  return (await engine.client.send(new DescribeTableCommand({ TableName: name }))).Table!;
}

const byName = (left: { AttributeName?: string }, right: { AttributeName?: string }) =>
  (left.AttributeName ?? '').localeCompare(right.AttributeName ?? '');

function indexesOf(description: TableDescription) {
  return (description.GlobalSecondaryIndexes ?? [])
    .map((index: GlobalSecondaryIndexDescription) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
    }))
    .sort((left, right) => (left.IndexName ?? '').localeCompare(right.IndexName ?? ''));
}

/**
 * An HTTP relay to the engine that forwards the first request of `operation` and, once the
 * engine has answered, drops the connection instead of relaying the answer (a lost answer).
 */
async function losingFirstAnswer(operation: string) {
  let lost = false;
  const target = new URL(engine.endpoint);
  const relay = createServer((incoming, answer) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const forwarded = request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (reply) => {
          const body: Buffer[] = [];
          reply.on('data', (chunk: Buffer) => body.push(chunk));
          reply.on('end', () => {
            if (!lost && String(incoming.headers['x-amz-target']).endsWith(`.${operation}`)) {
              lost = true;
              incoming.socket.destroy();
              return;
            }
            answer.writeHead(reply.statusCode ?? 500, reply.headers);
            answer.end(Buffer.concat(body));
          });
        },
      );
      // The engine unreachable: the client sees its connection dropped, not a crashed test.
      forwarded.on('error', () => incoming.socket.destroy());
      forwarded.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`,
    close: () => {
      relay.closeAllConnections();
      return new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}

describe('macaron tables', () => {
  it('prints a table whose CreateTable answer was lost, and that the retry found, as created by this command or another process', async () => {
    const prefix = uniquePrefix();
    const relay = await losingFirstAnswer('CreateTable');
    try {
      const result = await runMacaron(
        ['tables', 'create', 'profiles.yaml', '--endpoint', relay.endpoint, '--prefix', prefix],
        { cwd: folder.path },
      );
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(
        `created ${prefix}profiles (by this command, or by another process at the same time: an answer was lost)\n`,
      );
      expect(result.code).toBe(0);
    } finally {
      await relay.close();
    }
  });

  it('plans, creates idempotently and deletes the tables of the spec on dynalite', async () => {
    const prefix = uniquePrefix();
    const plan = await tables(prefix, 'plan');
    expect(plan).toMatchObject({ code: 0, stderr: '' });
    expect(plan.stdout).toBe(
      [
        `+ create ${prefix}profiles (key profile_id (S); indexes byEmail, byCountry; TTL expires_at)`,
        // dynalite has no UpdateTimeToLive: the plan says so, as create then reports it
        `- TTL on ${prefix}profiles (expires_at): the engine has no TTL; items will not expire`,
        `+ create ${prefix}events (key stream (S), seq (N))`,
        'Plan: 2 to create, 0 to change, 0 unchanged.',
        '',
      ].join('\n'),
    );

    const created = await tables(prefix, 'create');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    // dynalite has no UpdateTimeToLive: the backend reports it instead of failing
    expect(created.stdout).toBe(
      [
        `created ${prefix}profiles`,
        `no TTL on ${prefix}profiles: the engine has no UpdateTimeToLive; items will not expire by expires_at`,
        `created ${prefix}events`,
        '',
      ].join('\n'),
    );
    expect((await describeTable(`${prefix}profiles`)).TableStatus).toBe('ACTIVE');

    // An up-to-date table with a TTL is unchanged too: the TTL note comes beside it.
    const again = await tables(prefix, 'create');
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toBe(
      [
        `unchanged ${prefix}profiles`,
        `no TTL on ${prefix}profiles: the engine has no UpdateTimeToLive; items will not expire by expires_at`,
        `unchanged ${prefix}events`,
        '',
      ].join('\n'),
    );

    const replanned = await tables(prefix, 'plan');
    expect(replanned).toMatchObject({ code: 0, stderr: '' });
    expect(replanned.stdout).toBe(
      [
        `= unchanged ${prefix}profiles`,
        `- TTL on ${prefix}profiles (expires_at): the engine has no TTL; items will not expire`,
        `= unchanged ${prefix}events`,
        'Plan: 0 to create, 0 to change, 2 unchanged.',
        '',
      ].join('\n'),
    );

    const deleted = await tables(prefix, 'delete');
    expect(deleted).toMatchObject({
      code: 0,
      stdout: `deleted ${prefix}profiles\ndeleted ${prefix}events\n`,
    });
    const deletedAgain = await tables(prefix, 'delete');
    expect(deletedAgain).toMatchObject({
      code: 0,
      stdout: `absent ${prefix}profiles\nabsent ${prefix}events\n`,
    });
    // Six CLI processes, each loading the spec: 6 s alone, past 60 s beside the other suites.
  }, 180_000);

  it('exports CloudFormation that matches the tables create made (DescribeTable)', async () => {
    const prefix = uniquePrefix();
    expect((await tables(prefix, 'create')).code).toBe(0);
    const exported = await runMacaron(
      ['tables', 'export', 'profiles.yaml', '--format', 'cloudformation', '--prefix', prefix],
      { cwd: folder.path },
    );
    expect(exported.code).toBe(0);
    const template = JSON.parse(exported.stdout);
    expect(template.AWSTemplateFormatVersion).toBe('2010-09-09');
    expect(Object.keys(template.Resources)).toEqual(['EventsTable', 'ProfilesTable']);

    for (const resource of Object.values<{ Type: string; Properties: Record<string, any> }>(
      template.Resources,
    )) {
      expect(resource.Type).toBe('AWS::DynamoDB::Table');
      const properties = resource.Properties;
      const table = await describeTable(properties.TableName);
      expect(properties.KeySchema).toEqual(table.KeySchema);
      expect([...properties.AttributeDefinitions].sort(byName)).toEqual(
        [...(table.AttributeDefinitions ?? [])].sort(byName),
      );
      expect(properties.BillingMode).toBe(table.BillingModeSummary?.BillingMode);
      expect(properties.GlobalSecondaryIndexes ?? []).toEqual(indexesOf(table));
    }
    // dynalite has no TTL to compare with: the template asks for the spec's attribute
    expect(template.Resources.ProfilesTable.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expires_at',
      Enabled: true,
    });
    expect(template.Resources.EventsTable.Properties.TimeToLiveSpecification).toBeUndefined();
  });

  it('exports PostgreSQL DDL that a PostgreSQL engine (PGlite) runs, idempotently', async () => {
    const args = ['tables', 'export', 'profiles.yaml', '--format', 'sql'];
    const result = await runMacaron(args, { cwd: folder.path });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('CREATE TABLE IF NOT EXISTS "events"');
    expect(result.stdout).toContain('CREATE TABLE IF NOT EXISTS "profiles"');
    const { PGlite } = await import('@electric-sql/pglite');
    const database = await PGlite.create();
    try {
      await database.exec(result.stdout);
      const tables = await database.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      );
      expect(tables.rows.map((row) => row.tablename)).toEqual(['events', 'profiles']);
      // Running it twice changes nothing: the DDL is idempotent.
      await database.exec(result.stdout);
    } finally {
      await database.close();
    }
  });

  it('exports PostgreSQL DDL sorted and stable too: tables and indexes by name', async () => {
    // The spec declares profiles (byEmail, then byCountry) before events.
    const args = ['tables', 'export', 'profiles.yaml', '--format', 'sql'];
    const first = await runMacaron(args, { cwd: folder.path });
    const second = await runMacaron(args, { cwd: folder.path });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toBe(first.stdout);
    const created = (kind: string) =>
      [...first.stdout.matchAll(new RegExp(`^CREATE ${kind} IF NOT EXISTS "([^"]+)"`, 'gm'))].map(
        (match) => match[1],
      );
    expect(created('TABLE')).toEqual(['events', 'profiles']);
    // Index names are the backend's (table, separator, index): only their order is checked.
    expect(created('INDEX').map((name) => name?.match(/by\w+$/)?.[0])).toEqual([
      'byCountry',
      'byEmail',
    ]);
  });

  it('exports the same, sorted and stable, as plain JSON', async () => {
    const args = ['tables', 'export', 'profiles.yaml', '--format', 'json'];
    const first = await runMacaron(args, { cwd: folder.path });
    const second = await runMacaron(args, { cwd: folder.path });
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const { tables: definitions } = JSON.parse(first.stdout);
    expect(definitions.map((table: { TableName: string }) => table.TableName)).toEqual([
      'events',
      'profiles',
    ]);
    expect(
      definitions[1].GlobalSecondaryIndexes.map((index: { IndexName: string }) => index.IndexName),
    ).toEqual(['byCountry', 'byEmail']);
    const written = await runMacaron([...args, '-o', 'build/tables.json'], { cwd: folder.path });
    expect(written).toMatchObject({ code: 0, stdout: '', stderr: 'wrote build/tables.json\n' });
    expect(readFileSync(folder.file('build/tables.json'), 'utf8')).toBe(first.stdout);
  });

  it('stops with one line when a table differs from the spec, changing nothing', async () => {
    const prefix = uniquePrefix();
    await engine.client.send(
      new CreateTableCommand({
        TableName: `${prefix}profiles`,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    // As every refusal (create's of the same table included): one line on stderr, with the
    // difference, nothing on stdout, exit 1.
    const refusal = `macaron: Table ${prefix}profiles differs from the spec: partition key: table has id (S), spec has profile_id (S). Provisioning cannot change this in place: migrate the data to a new table, or change the table by hand\n`;
    const plan = await tables(prefix, 'plan');
    expect(plan).toEqual({ code: 1, stdout: '', stderr: refusal });
    const create = await tables(prefix, 'create');
    expect(create).toEqual({ code: 1, stdout: '', stderr: refusal });
    const events = await engine.client
      .send(new DescribeTableCommand({ TableName: `${prefix}events` }))
      .catch((error: Error) => error.name);
    expect(events).toBe('ResourceNotFoundException');
  });

  it('never prints the password of an --endpoint URL back', async () => {
    const refused = await runMacaron(
      [
        'tables',
        'plan',
        'profiles.yaml',
        '--endpoint',
        'postgres://postgres:secret@127.0.0.1:5432/db',
      ],
      { cwd: folder.path },
    );
    expect(refused).toMatchObject({
      code: 2,
      stderr:
        'macaron: --endpoint must be an http or https URL, not postgres://postgres:***@127.0.0.1:5432/db\n',
    });
    const unparsable = await runMacaron(
      ['tables', 'plan', 'profiles.yaml', '--endpoint', 'http://admin:s3cr@t@[bad/db'],
      { cwd: folder.path },
    );
    expect(unparsable.code).toBe(2);
    expect(unparsable.stderr).toContain('not http://admin:***@[bad/db');
    expect(unparsable.stderr).not.toContain('s3cr');
  });

  it('reports an unreachable endpoint in one line', async () => {
    // Port 1 (tcpmux): nothing listens there, and being outside the ephemeral range it is
    // never handed to another test's server meanwhile (a port freed a moment ago once was,
    // and answered with an HTTP error).
    const port = 1;
    for (const command of ['plan', 'create', 'delete']) {
      const run = await runMacaron(
        ['tables', command, 'profiles.yaml', '--endpoint', `http://127.0.0.1:${port}`],
        { cwd: folder.path },
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `macaron: cannot reach DynamoDB at http://127.0.0.1:${port}: connection refused\n`,
      );
    }
    // With credentials in the URL: the password is not printed back.
    const run = await runMacaron(
      ['tables', 'plan', 'profiles.yaml', '--endpoint', `http://key:secret@127.0.0.1:${port}`],
      { cwd: folder.path },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `macaron: cannot reach DynamoDB at http://key:***@127.0.0.1:${port}: connection refused\n`,
    );
  });
});

/** What `tables create` prints, or the error it ends with, for what `tables plan` printed. */
function createAsPlanned(planOutput: string): { code: number; lines: string[]; error?: string } {
  const lines: string[] = [];
  let indexToAdd: string | undefined;
  for (const line of planOutput.split('\n')) {
    let match: RegExpMatchArray | null;
    if ((match = line.match(/^\+ create (\S+) \(/))) lines.push(`created ${match[1]}`);
    else if ((match = line.match(/^- TTL on (\S+) \((\S+)\): the engine has no TTL/)))
      lines.push(
        `no TTL on ${match[1]}: the engine has no UpdateTimeToLive; items will not expire by ${match[2]}`,
      );
    else if ((match = line.match(/^~ add index (\S+) to (\S+)$/))) {
      lines.push(`added index ${match[1]} to ${match[2]}`);
      indexToAdd ??= `Table ${match[2]}: the engine did not add index ${match[1]}`;
    } else if ((match = line.match(/^~ enable TTL on (\S+) \((\S+)\)$/)))
      lines.push(`enabled TTL on ${match[1]} (${match[2]})`);
    else if ((match = line.match(/^= unchanged (\S+)$/))) lines.push(`unchanged ${match[1]}`);
    else if (line !== '' && !line.startsWith('Plan: '))
      throw new Error(`unknown plan line ${line}`);
  }
  // dynalite cannot add an index to an existing table: create tries the planned one and stops.
  if (indexToAdd) return { code: 1, lines: [], error: indexToAdd };
  return { code: 0, lines };
}

describe('macaron tables plan and create agree', () => {
  /** Runs plan then create, and checks create did what the plan said, or refused as it said. */
  async function planThenCreate(prefix: string): Promise<string> {
    const plan = await tables(prefix, 'plan');
    if (plan.code !== 0) {
      // A refused plan is create's refusal, word for word.
      expect(await tables(prefix, 'create')).toEqual(plan);
      return plan.stderr;
    }
    const expected = createAsPlanned(plan.stdout);
    const create = await tables(prefix, 'create');
    expect(create.code).toBe(expected.code);
    if (expected.error) expect(create.stderr).toContain(expected.error);
    else expect(create.stdout).toBe(expected.lines.map((line) => `${line}\n`).join(''));
    return plan.stdout;
  }

  async function createProfilesTable(
    prefix: string,
    indexes: string[],
    billing: 'PAY_PER_REQUEST' | 'PROVISIONED',
  ): Promise<void> {
    const throughput = { ReadCapacityUnits: 2, WriteCapacityUnits: 2 };
    const provisioned = billing === 'PROVISIONED' ? { ProvisionedThroughput: throughput } : {};
    const all = {
      byEmail: [{ AttributeName: 'email', KeyType: 'HASH' as const }],
      byCountry: [
        { AttributeName: 'country', KeyType: 'HASH' as const },
        { AttributeName: 'age', KeyType: 'RANGE' as const },
      ],
    };
    const chosen = indexes.map((name) => ({
      IndexName: name,
      KeySchema: all[name as keyof typeof all],
      Projection: { ProjectionType: 'ALL' as const },
      ...provisioned,
    }));
    await engine.client.send(
      new CreateTableCommand({
        TableName: `${prefix}profiles`,
        AttributeDefinitions: (
          [
            { AttributeName: 'profile_id', AttributeType: 'S' },
            { AttributeName: 'email', AttributeType: 'S' },
            { AttributeName: 'country', AttributeType: 'S' },
            { AttributeName: 'age', AttributeType: 'N' },
          ] as const
        ).filter(
          (definition) =>
            definition.AttributeName === 'profile_id' ||
            chosen.some((index) =>
              index.KeySchema.some((key) => key.AttributeName === definition.AttributeName),
            ),
        ),
        KeySchema: [{ AttributeName: 'profile_id', KeyType: 'HASH' }],
        BillingMode: billing,
        ...provisioned,
        ...(chosen.length > 0 ? { GlobalSecondaryIndexes: chosen } : {}),
      }),
    );
  }

  it('on new tables, then on the same tables again', async () => {
    const prefix = uniquePrefix();
    expect(await planThenCreate(prefix)).toContain(`+ create ${prefix}events`);
    expect(await planThenCreate(prefix)).toContain(`= unchanged ${prefix}events\n`);
  });

  it('on a table lacking an index', async () => {
    const prefix = uniquePrefix();
    await createProfilesTable(prefix, ['byEmail'], 'PAY_PER_REQUEST');
    expect(await planThenCreate(prefix)).toContain(`~ add index byCountry to ${prefix}profiles\n`);
  });

  it('on a table whose key differs', async () => {
    const prefix = uniquePrefix();
    await engine.client.send(
      new CreateTableCommand({
        TableName: `${prefix}events`,
        AttributeDefinitions: [{ AttributeName: 'stream', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'stream', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    expect(await planThenCreate(prefix)).toContain(
      `Table ${prefix}events differs from the spec: partition key: table has stream (N), spec has stream (S); sort key: table has none, spec has seq (N).`,
    );
  });

  it('on a table with provisioned capacity, which create leaves as it is', async () => {
    const prefix = uniquePrefix();
    await createProfilesTable(prefix, ['byEmail', 'byCountry'], 'PROVISIONED');
    const plan = await planThenCreate(prefix);
    expect(plan).not.toContain(`${prefix}profiles (key`);
    expect(plan).toContain(`- TTL on ${prefix}profiles (expires_at)`);
  });
});

describe('macaron tables on DynamoDB: names a spec chose', () => {
  it('a key or TTL attribute holding a line break, an escape sequence or a bidi control is shown quoted in the plan, on one line', async () => {
    const key = 'a\n+ create evil (key pwn)\nPlan: 0 to create\u001b[31m';
    const ttl = 'exp\u2028\u202eires';
    folder.write(
      'hostile.json',
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 'hostile', version: '1' },
        paths: {},
        components: {
          schemas: {
            Hostile: {
              type: 'object',
              required: [key],
              'x-persist': { table: 'hostile', key, ttl },
              properties: { [key]: { type: 'string' }, [ttl]: { type: 'integer' } },
            },
          },
        },
      }),
    );
    const prefix = uniquePrefix();
    const plan = await runMacaron(
      ['tables', 'plan', 'hostile.json', '--endpoint', engine.endpoint, '--prefix', prefix],
      { cwd: folder.path },
    );
    expect(plan).toMatchObject({ code: 0, stderr: '' });
    expect(plan.stdout).toBe(
      [
        `+ create ${prefix}hostile (key ${JSON.stringify(key)} (S); TTL "exp\\u2028\\u202eires")`,
        `- TTL on ${prefix}hostile ("exp\\u2028\\u202eires"): the engine has no TTL; items will not expire`,
        'Plan: 1 to create, 0 to change, 0 unchanged.',
        '',
      ].join('\n'),
    );
  });
});
