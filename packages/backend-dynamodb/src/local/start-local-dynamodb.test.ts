import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { MissingDependencyError } from '@macaron/core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { waitForTableActive } from '../provision/wait-for-table.js';
import { type LocalDynamoDb, startLocalDynamoDb } from './index.js';
import { isLoopbackHost } from './loopback-host.js';
import { loadDynalite } from './start-local-dynamodb.js';

// CreateTable answers while the table is CREATING (dynalite too, even with createTableMs 0:
// its ACTIVE is written by a timer after the answer): a request sent at once may meet
// ResourceNotFoundException on a busy host. Waited for, as DynamoDB's own clients must.
async function createTable(
  client: LocalDynamoDb['client'],
  input: ConstructorParameters<typeof CreateTableCommand>[0],
): Promise<void> {
  await client.send(new CreateTableCommand(input));
  await waitForTableActive(client, input.TableName!, { timeoutMs: 10_000, pollIntervalMs: 10 });
}

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..', '..');

function portOf(endpoint: string): number {
  return Number(new URL(endpoint).port);
}

/** Resolves with the connection's outcome: `connected` or the error code. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

/**
 * The client of an engine of the test's own, stopped with it: a test that creates tables
 * leaves the shared launchers' stores empty, as the tests that list them expect, in any order.
 */
async function ownEngineClient(): Promise<LocalDynamoDb['client']> {
  const local = await startLocalDynamoDb();
  onTestFinished(() => local.stop());
  return local.client;
}

describe('startLocalDynamoDb', () => {
  let first: LocalDynamoDb;
  let second: LocalDynamoDb;

  beforeAll(async () => {
    [first, second] = await Promise.all([startLocalDynamoDb(), startLocalDynamoDb()]);
  });
  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
  });

  it('listens on a free loopback port and answers ListTables', async () => {
    expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(portOf(first.endpoint)).toBeGreaterThan(0);
    expect(first.region).toBe('us-east-1');
    expect(first.credentials.accessKeyId).not.toBe('');
    const output = await first.client.send(new ListTablesCommand({}));
    expect(output.TableNames).toEqual([]);
  });

  it('answers a request dynalite throws on with a 500, and goes on serving (the process is not ended)', async () => {
    // dynalite walks the prototype its copy of RequestItems gets from a table named __proto__.
    const client = new DynamoDBClient({
      endpoint: first.endpoint,
      region: first.region,
      credentials: first.credentials,
      maxAttempts: 1,
    });
    const RequestItems = Object.fromEntries([
      ['__proto__', [{ PutRequest: { Item: { id: { S: 'a' } } } }]],
      ['plain', [{ PutRequest: { Item: { id: { S: 'b' } } } }]],
    ]);
    const error = (await client.send(new BatchWriteItemCommand({ RequestItems })).then(
      () => undefined,
      (caught: unknown) => caught,
    )) as { name: string; $metadata: { httpStatusCode: number } } | undefined;
    client.destroy();
    expect([error?.name, error?.$metadata.httpStatusCode]).toEqual(['InternalFailure', 500]);
    expect((await first.client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });

  it('answers with a 500 a throw in a callback of dynalite (after it read the request), and goes on serving', async () => {
    // A fault injected where dynalite writes an item's index entries: a throw in its storage
    // callback, outside any listener, with the item's lock held (an index keyed by `__proto__`
    // did that before the stored item was given no prototype, next test).
    const local = await startLocalDynamoDb({ maxAttempts: 1 });
    const storage = createRequire(join(packageRoot, 'package.json'))('dynalite/db/index.js') as {
      updateIndexes: (store: object, ...values: unknown[]) => unknown;
    };
    const updateIndexes = storage.updateIndexes;
    let failing = true;
    storage.updateIndexes = function (this: unknown, store, ...values) {
      const faulty = Object.create(store, {
        getIndexDb: {
          value: () => {
            throw new Error('injected fault');
          },
        },
      });
      return updateIndexes.call(this, failing ? faulty : store, ...values);
    };
    try {
      const key = { id: { S: 'a' } };
      await createTable(local.client, {
        TableName: 'tagged',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'tag', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byTag',
            KeySchema: [{ AttributeName: 'tag', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      });
      const put = () =>
        local.client.send(
          new PutItemCommand({ TableName: 'tagged', Item: { ...key, tag: { S: 'v' } } }),
        );
      const error = (await put().then(
        () => undefined,
        (caught: unknown) => caught,
      )) as { name: string; $metadata: { httpStatusCode: number } } | undefined;
      expect([error?.name, error?.$metadata.httpStatusCode]).toEqual(['InternalFailure', 500]);
      // Still serving, the item too: nothing the failed request held stays held.
      failing = false;
      await put();
      const read = await local.client.send(new GetItemCommand({ TableName: 'tagged', Key: key }));
      expect(read.Item).toEqual({ ...key, tag: { S: 'v' } });
      expect((await local.client.send(new ListTablesCommand({}))).TableNames).toEqual(['tagged']);
    } finally {
      storage.updateIndexes = updateIndexes;
      await local.stop();
    }
  });

  it('answers CreateTable, UpdateTable and DeleteTable once the table is changed, as their delays of 0 promise (dynalite changed it in a timer after answering: a request sent on the answer found it CREATING, UPDATING or DELETING)', async () => {
    const client = await ownEngineClient();
    const TableName = 'changed-at-once';
    const failures: string[] = [];
    const status = async () =>
      (await client.send(new DescribeTableCommand({ TableName }))).Table?.TableStatus;
    // dynalite's change came about a millisecond after its answer, mostly before the next
    // request: the race is run many times (7 PutItems in 300 found the table CREATING on an
    // idle host, and about as many requests after UpdateTable or DeleteTable found it changing).
    // Each round creates the table the round before deleted.
    for (let round = 0; round < 300; round++) {
      const steps: [string, () => Promise<unknown>][] = [
        [
          'CreateTable',
          () =>
            client.send(
              new CreateTableCommand({
                TableName,
                AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
                KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
                ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
              }),
            ),
        ],
        ['PutItem', () => client.send(new PutItemCommand({ TableName, Item: { id: { S: 'a' } } }))],
        [
          'UpdateTable',
          () =>
            client.send(
              new UpdateTableCommand({
                TableName,
                ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
              }),
            ),
        ],
        ['DescribeTable', async () => expect(await status()).toBe('ACTIVE')],
        ['DeleteTable', () => client.send(new DeleteTableCommand({ TableName }))],
      ];
      for (const [name, step] of steps)
        await step().catch((error: Error) => failures.push(`${name}: ${error.name}`));
    }
    expect(failures).toEqual([]);
  });

  it('puts over, updates and deletes a stored item that lacks an index key named like an Object.prototype member (dynalite 4.0 read the inherited member as its index key, and failed)', async () => {
    // dynalite reads the index keys of the item it finds stored as `item[name]`: without the
    // attribute, `toString` was the inherited function, every write of the item a 500 (and a
    // WriteOutcomeUnknownError in Macaron), so the item could never be changed or deleted.
    const client = await ownEngineClient();
    for (const name of ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__']) {
      const TableName = `indexed-${name.replaceAll('_', 'u')}`;
      await createTable(client, {
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: name, AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byName',
            KeySchema: [{ AttributeName: name, KeyType: 'HASH' }],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      });
      const Key = { id: { S: 'a' } };
      await client.send(new PutItemCommand({ TableName, Item: { ...Key, n: { S: '1' } } }));
      await client.send(new PutItemCommand({ TableName, Item: { ...Key, n: { S: '2' } } }));
      await client.send(
        new UpdateItemCommand({
          TableName,
          Key,
          UpdateExpression: 'SET n = :n',
          ExpressionAttributeValues: { ':n': { S: '3' } },
        }),
      );
      const read = await client.send(new GetItemCommand({ TableName, Key }));
      expect(read.Item, name).toEqual({ ...Key, n: { S: '3' } });
      await client.send(new DeleteItemCommand({ TableName, Key }));
      expect(
        (await client.send(new GetItemCommand({ TableName, Key }))).Item,
        name,
      ).toBeUndefined();
    }
    // The index still holds what has the attribute, and loses it when it is removed.
    const TableName = 'indexed-toString';
    const Key = { id: { S: 'b' } };
    const byName = () =>
      client.send(
        new QueryCommand({
          TableName,
          IndexName: 'byName',
          KeyConditionExpression: '#n = :k',
          ExpressionAttributeNames: { '#n': 'toString' },
          ExpressionAttributeValues: { ':k': { S: 'k' } },
        }),
      );
    await client.send(new PutItemCommand({ TableName, Item: { ...Key, toString: { S: 'k' } } }));
    expect((await byName()).Items).toEqual([{ ...Key, toString: { S: 'k' } }]);
    await client.send(
      new UpdateItemCommand({
        TableName,
        Key,
        UpdateExpression: 'REMOVE #n',
        ExpressionAttributeNames: { '#n': 'toString' },
      }),
    );
    expect((await byName()).Items).toEqual([]);
  });

  it('creates an item by an update that adds to or appends to attributes named like Object.prototype members (dynalite 4.0 read them as the inherited members)', async () => {
    // dynalite starts a new item from the request's Key, a plain object: `ADD constructor`
    // found the inherited `Object.prototype.constructor` there ("An operand in the update
    // expression has an incorrect data type"), where DynamoDB and moto create the item.
    const client = await ownEngineClient();
    await createTable(client, {
      TableName: 'inherited',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    });
    const updates: [string, Record<string, AttributeValue>][] = [
      ['ADD #n :one', { ':one': { N: '1' } }],
      ['SET #n = if_not_exists(#n, :zero) + :one', { ':zero': { N: '0' }, ':one': { N: '1' } }],
      [
        'SET #n = list_append(if_not_exists(#n, :empty), :list)',
        { ':empty': { L: [] }, ':list': { L: [{ S: 'x' }] } },
      ],
    ];
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) {
      for (const [index, [expression, values]] of updates.entries()) {
        const Key = { id: { S: `${name}-${index}` } };
        await client.send(
          new UpdateItemCommand({
            TableName: 'inherited',
            Key,
            UpdateExpression: expression,
            ExpressionAttributeNames: { '#n': name },
            ExpressionAttributeValues: values,
          }),
        );
        const read = await client.send(new GetItemCommand({ TableName: 'inherited', Key }));
        expect(Object.keys(read.Item ?? {}).sort(), `${name}: ${expression}`).toEqual(
          ['id', name].sort(),
        );
      }
    }
  });

  it("closes the store iterator behind every Query and Scan, read to the end or stopped at its limit (dynalite 4.0 left them open: the engine's memory grew with every page)", async () => {
    const local = await startLocalDynamoDb();
    const storage = createRequire(join(packageRoot, 'package.json'))('dynalite/db/index.js') as {
      queryTable: (store: { db: Record<string, unknown> }, ...values: unknown[]) => unknown;
    };
    const queryTable = storage.queryTable;
    const iterators: { closed: boolean }[] = [];
    // Records the iterators the engine opens from here on, and whether each is closed.
    storage.queryTable = function (this: unknown, store, ...values) {
      const db = store.db as { values: (...options: unknown[]) => { close(): Promise<void> } };
      if (!Object.hasOwn(db, 'recorded')) {
        const open = db.values;
        Object.assign(db, {
          recorded: true,
          values(this: unknown, ...options: unknown[]) {
            const iterator = open.apply(this, options);
            const record = { closed: false };
            iterators.push(record);
            const close = iterator.close.bind(iterator);
            iterator.close = () => {
              record.closed = true;
              return close();
            };
            return iterator;
          },
        });
      }
      return queryTable.call(this, store, ...values);
    };
    try {
      await createTable(local.client, {
        TableName: 'pages',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'p', AttributeType: 'S' },
          { AttributeName: 's', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'p', KeyType: 'HASH' },
          { AttributeName: 's', KeyType: 'RANGE' },
        ],
      });
      for (let s = 0; s < 12; s++)
        await local.client.send(
          new PutItemCommand({ TableName: 'pages', Item: { p: { S: 'a' }, s: { N: `${s}` } } }),
        );
      const query = (partition: string, Limit?: number) =>
        new QueryCommand({
          TableName: 'pages',
          KeyConditionExpression: 'p = :p',
          ExpressionAttributeValues: { ':p': { S: partition } },
          ...(Limit ? { Limit } : {}),
        });
      for (const command of [
        query('a', 5),
        query('a'),
        query('empty'),
        new ScanCommand({ TableName: 'pages', Limit: 3 }),
        new ScanCommand({ TableName: 'pages' }),
      ])
        await local.client.send(command as never);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(iterators.length).toBeGreaterThanOrEqual(5);
      expect(iterators.filter((iterator) => !iterator.closed)).toEqual([]);
    } finally {
      storage.queryTable = queryTable;
      await local.stop();
    }
  });

  it('gives two launchers running at once different ports and separate stores', async () => {
    expect(portOf(first.endpoint)).not.toBe(portOf(second.endpoint));
    expect((await second.client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });

  it('frees the port on stop(), and stop() is idempotent', async () => {
    const local = await startLocalDynamoDb({ region: 'eu-west-1', maxAttempts: 1 });
    const port = portOf(local.endpoint);
    // A keep-alive connection from the client must not hold stop() open.
    await local.client.send(new ListTablesCommand({}));
    expect(await tryConnect(port)).toBe('connected');
    await Promise.all([local.stop(), local.stop()]);
    await local.stop();
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });

  it('stop() closes connections that are still open instead of waiting for them', async () => {
    const local = await startLocalDynamoDb();
    const socket = connect(portOf(local.endpoint), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    // A request that is never finished: the server would wait for it until it times out.
    socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => undefined);
    await local.stop();
    await closed;
    expect(socket.destroyed).toBe(true);
  }, 3_000);

  it('listens on the port it is given, and fails clearly when that port is taken', async () => {
    const port = portOf(first.endpoint);
    await expect(startLocalDynamoDb({ port })).rejects.toThrow(/could not listen.*EADDRINUSE/);
  });

  it('refuses a host that is not a loopback address', async () => {
    for (const host of ['0.0.0.0', '192.168.1.10', '::', 'example.com']) {
      await expect(startLocalDynamoDb({ host })).rejects.toThrow(/loopback/);
    }
  });

  it('escapes the line breaks and bidi controls of a refused host it quotes', async () => {
    await expect(startLocalDynamoDb({ host: 'evil\u202e\n.example' })).rejects.toThrow(
      'not "evil\\u202e\\n.example": the engine accepts any credentials',
    );
  });

  it('refuses an option it does not take with a TypeError naming it, before starting (P-110)', async () => {
    const started = startLocalDynamoDb({ createTableMS: 500 } as never);
    await expect(started).rejects.toThrow(TypeError);
    await expect(started).rejects.toThrow(
      'startLocalDynamoDb has no option "createTableMS" (options: port, host, ',
    );
  });

  it('a missing dynalite is a MissingDependencyError naming it; other load failures keep their cause', async () => {
    // require's failure for a package that is not installed (pnpm's NODE_PATH finds dynalite
    // from anywhere in this workspace, so it is made as Node makes it).
    const notFound = Object.assign(
      new Error("Cannot find module 'dynalite'\nRequire stack:\n- /app/main.cjs"),
      { code: 'MODULE_NOT_FOUND' },
    );
    const project = await mkdtemp(join(tmpdir(), 'macaron-no-dynalite-'));
    try {
      const missing = await loadDynalite(() => {
        throw notFound;
      }).catch((caught: unknown) => caught);
      expect(MissingDependencyError.isInstance(missing)).toBe(true);
      expect(missing).toMatchObject({ code: 'DEPENDENCY_MISSING', status: 500 });
      expect((missing as Error).message).toBe(
        'startLocalDynamoDb needs dynalite, which is not installed: npm install dynalite',
      );
      expect((missing as Error).cause).toBe(notFound);

      // A real failure: a dynalite that misses a dependency of its own (Node's message then
      // names dynalite in its require stack) is not a missing dynalite.
      const fromProject = createRequire(join(project, 'main.cjs'));

      await mkdir(join(project, 'node_modules', 'dynalite'), { recursive: true });
      await writeFile(
        join(project, 'node_modules', 'dynalite', 'index.js'),
        "require('memdown-that-is-not-there');\n",
      );
      const broken = await loadDynalite(() => fromProject('dynalite')).catch(
        (caught: unknown) => caught,
      );
      expect(MissingDependencyError.isInstance(broken)).toBe(false);
      expect(broken).toMatchObject({ code: 'MODULE_NOT_FOUND' });
      expect((broken as Error).message).toMatch(/^Cannot find module 'memdown-that-is-not-there'/);

      const failure = new SyntaxError('Unexpected token');
      await expect(
        loadDynalite(() => {
          throw failure;
        }),
      ).rejects.toBe(failure);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  it('recognises loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '10.0.0.1', '::', '::2', '1::1', 'localhost.example.com']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('leaves nothing running: a process that starts and stops it exits by itself', async () => {
    // Node 20 cannot run TypeScript: transpile the launcher's files into a scratch folder
    // whose node_modules is this package's, and run a script there in a child process.
    const scratch = await mkdtemp(join(tmpdir(), 'macaron-local-'));
    try {
      await mkdir(join(scratch, 'local'));
      await symlink(join(packageRoot, 'node_modules'), join(scratch, 'node_modules'), 'dir');
      await writeFile(join(scratch, 'package.json'), '{ "type": "module" }');
      const sources = (await readdir(here)).filter(
        (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
      );
      for (const file of sources) {
        const output = ts.transpileModule(await readFile(join(here, file), 'utf8'), {
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        });
        await writeFile(join(scratch, 'local', file.replace(/\.ts$/, '.js')), output.outputText);
      }
      await writeFile(
        join(scratch, 'child.js'),
        [
          "import { BatchWriteItemCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';",
          "import { startLocalDynamoDb } from './local/index.js';",
          'const local = await startLocalDynamoDb();',
          'await local.client.send(new ListTablesCommand({}));',
          'await local.stop();',
          "console.log('stopped', JSON.stringify(process.getActiveResourcesInfo()));",
        ].join('\n'),
      );
      const child = spawn(process.execPath, ['child.js'], { cwd: scratch, stdio: 'pipe' });
      // A child that never gets to 'stopped' is ended with the test (its timeout).
      onTestFinished(() => void child.kill('SIGKILL'));
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      // The 5 s run from the 'stopped' line: starting node and importing the SDK can take that
      // long on a loaded host, exiting once all is stopped does not.
      const exit = await new Promise<number | string | null>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        child.stdout.on('data', () => {
          if (timer !== undefined || !stdout.includes('stopped')) return;
          timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve('still running 5 s after it stopped everything');
          }, 5_000);
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
      });
      expect({ exit, stdout, stderr: exit === 0 ? '' : stderr }).toMatchObject({ exit: 0 });
      expect(stdout).toMatch(/^stopped /);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });
});
