// `macaron tables` on DynamoDB and on PostgreSQL, from one spec: the same tables, keyed alike,
// with the same indexes, so that data moved between them is read the same way.
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { type LocalDynamoDb, startLocalDynamoDb } from '@macaron/backend-dynamodb/local';
import { createPostgresBackend } from '@macaron/backend-postgres';
import { type PostgresServer, startPostgresServer } from '@macaron/backend-postgres/local';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runMacaron, temporaryFolder } from './macaron-process.js';

const string = { type: 'string' };
const number = { type: 'number' };
const binary = { type: 'string', format: 'binary' };
const spec = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'engines agree', version: '1' },
  paths: {},
  components: {
    schemas: {
      Doc: {
        type: 'object',
        required: ['id'],
        'x-persist': {
          table: 'docs',
          key: 'id',
          version: 'rev',
          ttl: 'expires',
          indexes: {
            byOwner: { key: 'owner', sort: 'rank' },
            byTag: { key: 'tag' },
            byPhoto: { key: 'photo', sort: 'taken' },
            byRank: { key: 'rank', sort: 'owner' },
          },
        },
        properties: {
          id: string,
          rev: { type: 'integer' },
          expires: { type: 'integer' },
          owner: string,
          rank: number,
          tag: string,
          photo: binary,
          taken: { type: 'integer', format: 'int64' },
        },
      },
      Amount: {
        type: 'object',
        required: ['p', 'n'],
        'x-persist': { table: 'amounts', key: 'p', sort: 'n' },
        properties: { p: string, n: number },
      },
      Blob: {
        type: 'object',
        required: ['b', 's'],
        'x-persist': { table: 'blobs', key: 'b', sort: 's' },
        properties: { b: binary, s: string },
      },
      Cat: {
        type: 'object',
        required: ['pk', 'sk'],
        'x-persist': {
          table: 'pets',
          key: 'pk',
          sort: 'sk',
          discriminator: 'kind',
          indexes: { byName: { key: 'name' } },
        },
        properties: { pk: string, sk: number, name: string, kind: string },
      },
      Dog: {
        type: 'object',
        required: ['pk', 'sk'],
        'x-persist': {
          table: 'pets',
          key: 'pk',
          sort: 'sk',
          discriminator: 'kind',
          indexes: { byChip: { key: 'chip', sort: 'name' } },
        },
        properties: { pk: string, sk: number, name: string, chip: binary, kind: string },
      },
    },
  },
});
const folder = temporaryFolder({ 'spec.json': spec });
let dynamoDb: LocalDynamoDb;
let postgres: PostgresServer;

beforeAll(async () => {
  [dynamoDb, postgres] = await Promise.all([startLocalDynamoDb(), startPostgresServer()]);
}, 120_000);
afterAll(async () => {
  await dynamoDb?.stop();
  await postgres?.stop();
  folder.remove();
});

type Keys = [name: string, type: string][];
interface Layout {
  [table: string]: { key: Keys; indexes: { [index: string]: Keys } };
}

async function dynamoDbLayout(prefix: string): Promise<Layout> {
  const names = (await dynamoDb.client.send(new ListTablesCommand({}))).TableNames ?? [];
  const layout: Layout = {};
  for (const name of names.filter((table) => table.startsWith(prefix)).sort()) {
    const table = (await dynamoDb.client.send(new DescribeTableCommand({ TableName: name }))).Table;
    const types = new Map(
      (table?.AttributeDefinitions ?? []).map((it) => [it.AttributeName, it.AttributeType]),
    );
    const keys = (schema: { AttributeName?: string }[] = []): Keys =>
      schema.map(({ AttributeName }) => [String(AttributeName), String(types.get(AttributeName))]);
    layout[name] = {
      key: keys(table?.KeySchema),
      indexes: Object.fromEntries(
        (table?.GlobalSecondaryIndexes ?? []).map((index) => [
          String(index.IndexName),
          keys(index.KeySchema),
        ]),
      ),
    };
  }
  return layout;
}

async function postgresLayout(prefix: string): Promise<Layout> {
  const backend = createPostgresBackend({ connectionString: postgres.connectionString });
  const typeOf: Record<string, string> = { text: 'S', numeric: 'N', bytea: 'B' };
  try {
    const rows = await backend.client.query(
      `SELECT c.relname AS "table", i.relname AS "index", x.indisprimary AS "primary",
              json_agg(a.attname ORDER BY k.ordinality)::text AS "columns",
              json_agg(format_type(a.atttypid, NULL) ORDER BY k.ordinality)::text AS "types"
         FROM pg_index x
         JOIN pg_class c ON c.oid = x.indrelid
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ordinality) ON true
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
        WHERE c.relname LIKE $1
        GROUP BY c.relname, i.relname, x.indisprimary
        ORDER BY c.relname, i.relname`,
      [`${prefix}%`],
    );
    const layout: Layout = {};
    // Read as JSON text: the backend's client leaves PostgreSQL's arrays unparsed.
    const keysOf = (row: Record<string, unknown>): Keys => {
      const types = JSON.parse(String(row.types)) as string[];
      return (JSON.parse(String(row.columns)) as string[]).map((column, at) => [
        column,
        typeOf[types[at] as string] ?? String(types[at]),
      ]);
    };
    for (const row of rows.filter((row) => row.primary))
      layout[String(row.table)] = { key: keysOf(row), indexes: {} };
    for (const row of rows.filter((row) => !row.primary)) {
      const table = layout[String(row.table)];
      if (!table) throw new Error(`an index of a table without a primary key: ${row.index}`);
      // An index's columns are its keys, then the table's (the order of its ties, P-51).
      const keys = keysOf(row);
      const own = keys.slice(0, keys.length - table.key.length);
      expect(keys.slice(own.length)).toEqual(table.key);
      table.indexes[String(row.index).replace(`${String(row.table)}:`, '')] = own;
    }
    return layout;
  } finally {
    await backend.close();
  }
}

it('tables create on DynamoDB and on PostgreSQL make the same tables, keys of the same types, and the same indexes', async () => {
  const prefix = `agree${Math.random().toString(36).slice(2, 8)}_`;
  const onDynamoDb = await runMacaron(
    ['tables', 'create', 'spec.json', '--endpoint', dynamoDb.endpoint, '--prefix', prefix],
    { cwd: folder.path },
  );
  expect(onDynamoDb).toMatchObject({ code: 0, stderr: '' });
  const onPostgres = await runMacaron(
    [
      'tables',
      'create',
      'spec.json',
      '--database-url',
      postgres.connectionString,
      '--prefix',
      prefix,
    ],
    { cwd: folder.path },
  );
  expect(onPostgres).toMatchObject({ code: 0, stderr: '' });
  const [dynamo, sql] = [await dynamoDbLayout(prefix), await postgresLayout(prefix)];
  expect(Object.keys(dynamo)).toEqual([
    `${prefix}amounts`,
    `${prefix}blobs`,
    `${prefix}docs`,
    `${prefix}pets`,
  ]);
  expect(dynamo[`${prefix}docs`]?.indexes.byPhoto).toEqual([
    ['photo', 'B'],
    ['taken', 'N'],
  ]);
  expect(sql).toEqual(dynamo);
  // Each says, in its plan, that nothing is left to make; PostgreSQL that it has no TTL.
  const plans = await Promise.all([
    runMacaron(
      ['tables', 'plan', 'spec.json', '--endpoint', dynamoDb.endpoint, '--prefix', prefix],
      {
        cwd: folder.path,
      },
    ),
    runMacaron(
      [
        'tables',
        'plan',
        'spec.json',
        '--database-url',
        postgres.connectionString,
        '--prefix',
        prefix,
      ],
      { cwd: folder.path },
    ),
  ]);
  for (const plan of plans)
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to change, 4 unchanged.');
});
