import { execFileSync } from 'node:child_process';
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { expect, it } from 'vitest';
import { describeOnMoto } from './moto-engine.js';
import { type MotoServer, pinnedMotoVersion, startMotoServer } from './moto-server.js';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function tableNames(server: MotoServer): Promise<string[]> {
  const client = new DynamoDBClient({
    endpoint: server.endpoint,
    region: server.region,
    credentials: server.credentials,
  });
  try {
    return (await client.send(new ListTablesCommand({}))).TableNames ?? [];
  } finally {
    client.destroy();
  }
}

/** The error a start fails with; a server that starts after all is stopped, and fails the test. */
async function startFailure(options: Parameters<typeof startMotoServer>[0]): Promise<Error> {
  let server: MotoServer;
  try {
    server = await startMotoServer(options);
  } catch (error) {
    return error as Error;
  }
  await server.stop();
  throw new Error('the server started');
}

describeOnMoto('startMotoServer', () => {
  it('runs the pinned moto on a loopback port the system picked; stop() leaves nothing running', async () => {
    const servers = await Promise.all([startMotoServer(), startMotoServer()]);
    try {
      const ports = servers.map((server) => new URL(server.endpoint).port);
      for (const server of servers) {
        expect(new URL(server.endpoint).hostname).toBe('127.0.0.1');
        expect(server.version).toBe(pinnedMotoVersion());
        expect(await tableNames(server)).toEqual([]);
      }
      expect(ports[0]).not.toBe(ports[1]);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
    }
    for (const server of servers) {
      expect(isRunning(server.pid)).toBe(false);
      await server.stop();
    }
  });

  it('one request at a time: 16 concurrent writers of 50 increments each lose none', async () => {
    const server = await startMotoServer({ oneRequestAtATime: true });
    const client = new DynamoDBClient({
      endpoint: server.endpoint,
      region: server.region,
      credentials: server.credentials,
    });
    try {
      expect(server.version).toBe(pinnedMotoVersion());
      await client.send(
        new CreateTableCommand({
          TableName: 'counters',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        }),
      );
      const key = { id: { S: 'x' } };
      await client.send(
        new PutItemCommand({ TableName: 'counters', Item: { ...key, n: { N: '0' } } }),
      );
      // The SET form is the one threaded moto loses most increments of (3 to 7 of 800 measured).
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let cycle = 0; cycle < 50; cycle++) {
            await client.send(
              new UpdateItemCommand({
                TableName: 'counters',
                Key: key,
                UpdateExpression: 'SET n = n + :one',
                ExpressionAttributeValues: { ':one': { N: '1' } },
              }),
            );
          }
        }),
      );
      const output = await client.send(
        new GetItemCommand({ TableName: 'counters', Key: key, ConsistentRead: true }),
      );
      expect(output.Item?.n).toEqual({ N: '800' });
    } finally {
      client.destroy();
      await server.stop();
    }
  }, 120_000);

  it('fails with the exit code and stderr of a server that dies before answering', async () => {
    const error = await startFailure({
      pythonArguments: ['-c', 'import sys; sys.stderr.write("no moto here\\n"); sys.exit(3)'],
    });
    expect(error.message).toContain('exited early (exit code 3)');
    expect(error.message).toContain('no moto here');
  });

  it('fails, and ends the process, when the server never reports its port', async () => {
    const marker = `silent-${process.pid}-${Date.now()}`;
    const error = await startFailure({
      pythonArguments: ['-c', `import time; time.sleep(60)  # ${marker}`],
      startTimeoutMs: 500,
    });
    expect(error.message).toContain('did not report its port within 500 ms');
    expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.toContain(marker);
  });
});
